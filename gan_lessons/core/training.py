"""``train``: fit a GAN for a number of steps in all, resuming from its checkpoint, with
the data kept on the device and the same batches whether or not the run was interrupted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np

from .callbacks import NaNGuard
from .checkpoints import Checkpoint, CheckpointDir, checkpoint_store
from .data import index_batches
from .gan import GAN
from .validate import check_positive_int


def train(
    gan: GAN,
    dataset,
    steps: int,
    steps_per_epoch: int | None = None,
    checkpoint: str | os.PathLike | CheckpointDir | None = None,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    verbose="auto",
    batch_size: int | None = None,
    seed: int = 0,
    labels: np.ndarray | None = None,
) -> dict[str, list[float]]:
    """Train ``gan`` until it has done ``steps`` steps in all, resuming from ``checkpoint``.

    ``dataset`` is a ``tf.data`` pipeline of batches, or the training images themselves
    (numpy, with ``batch_size``, ``seed`` and optional ``labels``).  A model whose step takes several
    real batches (a WGAN critic's ``n_critic``: its ``real_batches_per_step``) gets them all in one
    batch of ``real_batches_per_step * batch_size`` images.  Given arrays, the images
    are kept on the device and each step's batch is a function of ``(seed, step)``
    (:func:`gan_lessons.core.data.index_batches`), so a resumed run is identical to an
    uninterrupted one.

    ``checkpoint`` is a ``*.weights.h5`` file or a folder of rotating checkpoints.  If one
    exists it is loaded first, so running again continues where the last run stopped.  A
    checkpoint is written every epoch and when training is interrupted (Ctrl-C / the stop
    button); a NaN loss stops training with an explanation.  Returns the per-epoch history:
    of every run into this checkpoint when one is given, else of this call.  ``steps_per_epoch``
    (progress lines, callbacks, checkpoints) defaults to 500, or ``steps`` if fewer.
    """
    if steps_per_epoch is None and isinstance(steps, int | np.integer) and not isinstance(steps, bool):
        steps_per_epoch = int(max(1, min(steps, 500)))
    check_positive_int("steps", steps)
    check_positive_int("steps_per_epoch", steps_per_epoch)
    store = checkpoint_store(checkpoint) if checkpoint is not None else None
    if store is not None:
        resumed = store.restore(gan)
        if resumed is not None:
            print(f"Resumed from {store.path} at step {resumed}.")
    done = gan.step
    batches = lambda: dataset  # noqa: E731
    if isinstance(dataset, np.ndarray):
        if batch_size is None:
            raise ValueError("Training on arrays needs batch_size=..., e.g. train(gan, images, ..., batch_size=64).")

        n_images = len(dataset)
        gan.set_training_data(dataset, labels)
        # A WGAN's critic takes n_critic real batches per step (Algorithm 1 of WGAN-GP): one index batch holds them all.
        per_step = batch_size * int(getattr(gan, "real_batches_per_step", 1))
        if per_step > n_images:
            raise ValueError(
                f"Each step of {type(gan).__name__} takes {per_step // batch_size} batches of {batch_size} real "
                f"images, more than the {n_images} training images: use a smaller batch_size."
            )
        # Each fit() starts a fresh iterator, so the index pipeline starts at the current step.
        batches = lambda: index_batches(n_images, per_step, seed=seed, start_step=gan.step)  # noqa: E731
    history: dict[str, list[float]] = {}
    saver = Checkpoint(store) if store is not None else None
    if done >= steps:
        print(f"Already trained for {done} steps (asked for {steps}); nothing to do.")
        return saver.history if saver else history
    all_callbacks = [NaNGuard(), *callbacks] + ([saver] if saver else [])
    k = max(1, int(getattr(gan, "steps_per_execution", 1) or 1))
    if k > 1 and gan.distribute_strategy.num_replicas_in_sync > 1:
        # Keras 3 fails to run several steps per execution across replicas (its multi-step
        # loop cannot hold the optimizer's cross-replica merge, keras-team/keras#19246).
        print(f"Training on {gan.distribute_strategy.num_replicas_in_sync} replicas: steps_per_execution 1, not {k}.")
        gan.set_steps_per_execution(1)
        k = 1
    try:
        for initial_epoch, epochs, n_steps, per_execution in _plan(done, steps, steps_per_epoch, k):
            gan.set_steps_per_execution(per_execution)
            h = gan.fit(
                batches(),
                initial_epoch=initial_epoch,
                epochs=epochs,
                steps_per_epoch=n_steps,
                callbacks=all_callbacks,
                shuffle=False,  # the tf.data pipeline shuffles
                verbose=verbose,
            )
            for key, values in h.history.items():
                history.setdefault(key, []).extend(float(v) for v in values)
    except KeyboardInterrupt:
        if store is not None:
            written = store.save(gan)
            print(f"Interrupted at step {gan.step}; saved {written}. Run again to continue.")
        else:
            print(f"Interrupted at step {gan.step}; the model keeps what it has learned so far.")
        raise
    finally:
        gan.set_steps_per_execution(k)
    return saver.history if saver else history


def _plan(done: int, steps: int, steps_per_epoch: int, k: int) -> list[tuple[int, int, int, int]]:
    """Calls of ``fit`` that do exactly ``steps - done`` steps: (initial_epoch, epochs, steps per epoch,
    steps_per_execution).

    Keras always runs whole executions of ``k = steps_per_execution`` steps, so every epoch is a
    multiple of k; a remainder smaller than one execution runs one step per execution.
    """
    per_epoch = max(k, steps_per_epoch // k * k)
    full_epochs, rest = divmod(steps - done, per_epoch)
    epoch = done // per_epoch
    runs = []
    if full_epochs:
        runs.append((epoch, epoch + full_epochs, per_epoch, k))
        epoch += full_epochs
    if rest >= k:
        runs.append((epoch, epoch + 1, rest // k * k, k))
        epoch += 1
    if rest % k:
        runs.append((epoch, epoch + 1, rest % k, 1))
    return runs


def write_run_info(out_dir: Path, info: dict) -> None:
    """Record how a run was made (``run.json`` beside its checkpoint)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "run.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")
