"""The weights and records shipped with the course (``data/`` in a checkout,
``gan_lessons/shipped`` in an installed package): where they are, what they record, and loading them
into a model after checking their SHA-256.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.config import SHIPPED_DIR
from ..core.data import sha256

DATA_DIR = SHIPPED_DIR


class PretrainedError(RuntimeError):
    """Shipped weights are missing, altered or do not fit the model."""


def weights_path(name: str, part: str = "generator") -> Path:
    """``data/NAME_generator.weights.h5``; a CycleGAN also ships its second generator, ``part="generator_ba"``."""
    return DATA_DIR / f"{name}_{part}.weights.h5"


def record_path(name: str) -> Path:
    return DATA_DIR / f"{name}_generator.json"


def save_float16(model, path: str | Path) -> Path:
    """Write ``model``'s weights as ``*.weights.h5`` with float32 arrays stored in float16: half the
    size, and loading converts them back (with float16's rounding; ``scripts/make_pretrained.py`` scores the
    float16 weights, so a record's scores are those of what ships)."""
    import tempfile

    import h5py
    import numpy as np

    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "full.weights.h5"
        model.save_weights(full)
        with h5py.File(full, "r") as src, h5py.File(path, "w") as dst:
            dst.attrs.update(src.attrs)

            def copy(name, obj):
                if isinstance(obj, h5py.Group):
                    dst.require_group(name).attrs.update(obj.attrs)
                    return
                data = obj[()]
                if data.dtype == np.float32:
                    data = data.astype(np.float16)
                dst.create_dataset(name, data=data).attrs.update(obj.attrs)

            src.visititems(copy)
    return path


def available() -> list[str]:
    """Names of the models whose pretrained generator ships with the course."""
    return sorted(p.name.removesuffix("_generator.json") for p in DATA_DIR.glob("*_generator.json"))


def record(name: str) -> dict:
    """What ``data/NAME_generator.json`` says: command, SHA-256, steps, scores."""
    path = record_path(name)
    if not path.exists():
        known = ", ".join(available()) or "none"
        raise PretrainedError(f"No pretrained {name!r} generator in {DATA_DIR} (available: {known}). Train it instead.")
    return json.loads(path.read_text())


def measurement(name: str) -> dict:
    """A shipped record that is not a generator's: ``data/NAME.json``, e.g. ``"srgan_content_weight"`` (lesson 10's
    search of the content weight on the validation split, written by ``scripts/select_content_weight.py``)."""
    path = DATA_DIR / f"{name}.json"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in DATA_DIR.glob("*.json"))) or "none"
        raise PretrainedError(f"No record {name!r} in {DATA_DIR} (available: {known}).")
    return json.loads(path.read_text())


def load_weights(name: str, model, part: str = "generator"):
    """Load the shipped weights of ``name``'s ``part`` into ``model`` (a network built as the recipe builds
    it), after checking their SHA-256; returns ``model``.  ``part="generator_ba"`` is a CycleGAN's second
    generator (B -> A).  :func:`gan_lessons.pretrained.load_generator` builds the model for you."""
    info = record(name)
    path = weights_path(name, part)
    key = "sha256" if part == "generator" else f"sha256_{part}"
    if key not in info:
        raise PretrainedError(f"The {name!r} record has no {part!r} weights; train the model instead.")
    return load_checked(model, path, info[key], info["remade_by"])


def require(path: Path, remade_by: str) -> None:
    """A :class:`PretrainedError` saying how to restore ``path`` (a shipped file) if it is missing."""
    if not path.exists():
        raise PretrainedError(
            f"{path} is missing: restore it (`git checkout -- data/{path.name}` in a clone), reinstall the course "
            f"package, or remake it with `{remade_by}`."
        )


def load_checked(model, path: Path, expected_sha256: str, remade_by: str):
    """Load the shipped weights file ``path`` into ``model`` after checking it against its recorded SHA-256;
    a missing, damaged or ill-fitting file is a :class:`PretrainedError` that says how to restore it
    (``remade_by``: the command that remakes it)."""
    require(path, remade_by)
    found = sha256(path)
    if found != expected_sha256:
        raise PretrainedError(
            f"{path.name} does not match its recorded SHA-256 "
            f"(expected {expected_sha256[:12]}..., found {found[:12]}...): the file is damaged or was replaced. "
            f"Restore it with git, or remake it with `{remade_by}`."
        )
    try:
        model.load_weights(path)
    except Exception as exc:
        raise PretrainedError(f"{path.name} does not fit the model {model.name!r} ({exc}).") from exc
    return model
