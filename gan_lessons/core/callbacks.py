"""Keras callbacks of the trainer: a divergence guard that explains itself and the sample grid
drawn from fixed noise (a "training film").
"""

from __future__ import annotations

import math
from pathlib import Path

import keras
import numpy as np

from . import plotting
from .errors import TrainingDivergedError
from .validate import check_positive_int


class NaNGuard(keras.callbacks.Callback):
    """Stops training with an explanation as soon as a loss is NaN or infinite.

    Keras' own ``TerminateOnNaN`` watches ``logs["loss"]`` only, which a GAN does not log (it logs ``d_loss``,
    ``g_loss`` and the rest), so it would never fire; this guard checks every logged value and raises
    :class:`~gan_lessons.core.errors.TrainingDivergedError` saying what to try."""

    def on_train_batch_end(self, batch, logs=None):
        bad = {k: float(v) for k, v in (logs or {}).items() if not math.isfinite(float(v))}
        if bad:
            self.model.stop_training = True
            step = int(self.model.step_counter.numpy()) if hasattr(self.model, "step_counter") else batch
            raise TrainingDivergedError(
                f"Training diverged at step {step}: {bad}. This usually means a learning rate that "
                "is too high, real images outside [-1, 1] (check the data scaling), or a "
                "discriminator ending in a sigmoid while the loss expects logits. Try lower "
                "learning rates (2e-4 with beta_1=0.5 is the usual start) and check the inputs; "
                "the last checkpoint, if any, is from before the divergence and is kept."
            )


class SampleGrid(keras.callbacks.Callback):
    """Draws images from the same fixed noise when training begins and every ``every`` epochs, so grids compare
    over time.

    ``frames`` collects ``(step, images)``.  With ``out_dir`` each grid is also
    written as ``samples_step000500.png`` (the step in six digits) and all frames are kept in
    ``frames.npz`` there, so a resumed run (or a rerun notebook) still has the
    whole film.  ``show=True`` displays each grid inline.
    """

    def __init__(self, noise: np.ndarray, every: int = 1, out_dir=None, show: bool = False):
        super().__init__()
        check_positive_int("every", every)
        self.noise = np.asarray(noise, dtype=np.float32)
        self.every = every
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.show = show
        self.frames: list[tuple[int, np.ndarray]] = []
        if self.out_dir is not None and (self.out_dir / "frames.npz").exists():
            with np.load(self.out_dir / "frames.npz") as saved:
                if saved["noise"].shape == self.noise.shape and np.array_equal(saved["noise"], self.noise):
                    pairs = zip(saved["steps"], saved["images"], strict=True)
                    self.frames = [(int(step), images.astype(np.float32)) for step, images in pairs]

    def _record(self):
        step = self.model.step
        if self.frames and self.frames[-1][0] >= step:
            return
        images = self.model.generate(self.noise)
        self.frames.append((step, images))

        if self.out_dir is not None:
            plotting.save_grid(images, self.out_dir / f"samples_step{step:06d}.png", title=f"step {step}")
            np.savez_compressed(
                self.out_dir / "frames.npz",
                noise=self.noise,
                steps=np.array([s for s, _ in self.frames]),
                images=np.stack([im for _, im in self.frames]).astype(np.float16),
            )
        if self.show:
            plotting.show_grid(images, title=f"step {step}")

    def on_train_begin(self, logs=None):
        self._record()

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self._record()
