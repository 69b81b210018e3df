"""The course's own exceptions, in a module without TensorFlow so the command line and the quiz can name them
without loading it (:mod:`gan_lessons.core.gan` raises them)."""


class TrainingDivergedError(RuntimeError):
    """Raised by :class:`gan_lessons.core.callbacks.NaNGuard` when a loss stops being a finite number."""


class CheckpointError(RuntimeError):
    """A checkpoint is missing, unreadable or belongs to a different model."""
