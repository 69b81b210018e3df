"""GAN Lessons: the helper package of the course (data, models, losses, trainer, plots, checks)."""

__version__ = "0.1.0"
