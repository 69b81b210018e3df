"""Checkpoints that survive interruptions: one file, or a folder of rotating files with a
fallback to the previous good one, and the loss history of every run beside them.  Taught in ``03_dcgan``.

Keras' ``BackupAndRestore`` keeps one backup and, by default, deletes it when ``fit`` ends, so a finished run
could not be extended and a damaged backup has nothing behind it; a rotating folder of ``*.weights.h5`` files keeps
the last few, falls back past a corrupt one, and is what a student copies to Google Drive.  The history is JSON (not
``CSVLogger``'s CSV) because it is rewritten atomically with the checkpoint it belongs to.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras

from .errors import CheckpointError
from .gan import GAN
from .validate import check_positive_int


class CheckpointDir:
    """A folder of rotating checkpoints: ``step-00001000.weights.h5`` ..., the last ``keep`` kept.

    Each file is written atomically by :meth:`GAN.save_checkpoint`.  :meth:`restore` loads the
    newest one that is readable; a missing or corrupt newest file is reported and the previous
    good one is used instead, so a crash while writing (or a damaged Drive copy) costs at most
    one checkpoint interval.  The loss history of all runs is kept in ``history.json``.
    """

    PATTERN = "step-*.weights.h5"

    def __init__(self, path: str | os.PathLike, keep: int = 3):
        check_positive_int("keep", keep)
        self.path = Path(path)
        if self.path.name.endswith(".weights.h5"):
            raise ValueError(f"{self.path} is a file name; CheckpointDir wants a folder.")
        self.keep = keep
        self.history_path = self.path / "history.json"

    def files(self) -> list[Path]:
        """Checkpoint files, oldest first."""
        if not self.path.is_dir():
            return []
        return sorted(p for p in self.path.glob(self.PATTERN) if ".tmp." not in p.name)

    def save(self, gan: GAN) -> Path:
        written = gan.save_checkpoint(self.path / f"step-{gan.step:08d}.weights.h5")
        for old in self.files()[: -self.keep]:
            old.unlink(missing_ok=True)
        return written

    def restore(self, gan: GAN) -> int | None:
        """Load the newest good checkpoint into ``gan``; its step, or None if there is none.  An unreadable file is
        skipped for the one before it; if every file is unreadable, ``CheckpointError`` says what to do."""
        files = self.files()
        failures = []
        for candidate in reversed(files):
            try:
                step = gan.load_checkpoint(candidate)
            except CheckpointError as exc:
                failures.append(str(exc))
                print(f"Warning: skipping {candidate.name}: it is unreadable ({exc}). Trying the previous one.")
                continue
            if failures:
                print(f"Fell back to {candidate.name} (step {step}).")
            return step
        if failures:
            raise CheckpointError(
                f"No readable checkpoint in {self.path}: all {len(files)} files are corrupt or from another model "
                f"(latest error: {failures[0]}). Delete the folder (or train into another) to start over."
            )
        return None


class CheckpointFile:
    """A single checkpoint file, overwritten each time (lesson 02's simple case)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.history_path = history_path(self.path)

    def save(self, gan: GAN) -> Path:
        return gan.save_checkpoint(self.path)

    def restore(self, gan: GAN) -> int | None:
        return gan.load_checkpoint(self.path) if self.path.exists() else None


def checkpoint_store(checkpoint: str | os.PathLike | CheckpointDir | CheckpointFile):
    """A ``*.weights.h5`` path is one file; any other path is a :class:`CheckpointDir`."""
    if isinstance(checkpoint, CheckpointDir | CheckpointFile):
        return checkpoint
    if Path(checkpoint).name.endswith(".weights.h5"):
        return CheckpointFile(checkpoint)
    return CheckpointDir(checkpoint)


class Checkpoint(keras.callbacks.Callback):
    """Saves a checkpoint at the end of every epoch (every ``steps_per_epoch`` steps), and the
    loss history of all runs so far beside it, so a resumed run plots the whole curve.

    ``path``: a ``*.weights.h5`` file (overwritten) or a folder (rotating, see :class:`CheckpointDir`).
    """

    def __init__(self, path):
        super().__init__()
        self.store = checkpoint_store(path)
        self.path = self.store.path
        self.history_path = self.store.history_path
        self.history = _read_history(self.history_path)

    def on_epoch_end(self, epoch, logs=None):
        self.store.save(self.model)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        tmp = self.history_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.history))
        os.replace(tmp, self.history_path)


def history_path(checkpoint: str | os.PathLike) -> Path:
    checkpoint = Path(checkpoint)
    if not checkpoint.name.endswith(".weights.h5"):
        return checkpoint / "history.json"
    return checkpoint.with_name(checkpoint.name.replace(".weights.h5", ".history.json"))


def load_history(checkpoint: str | os.PathLike) -> dict[str, list[float]]:
    """The per-epoch losses saved beside a checkpoint file or in a checkpoint folder (empty if none)."""
    return _read_history(history_path(checkpoint))


def _read_history(path: Path) -> dict[str, list[float]]:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())
    except ValueError as exc:
        raise CheckpointError(f"{path} is corrupt ({exc}); delete it to keep training.") from exc
