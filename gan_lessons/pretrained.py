"""Pretrained generators shipped in ``data/``, checked by SHA-256 before loading.

Each ``data/NAME_generator.weights.h5`` was made by ``gan-lessons train NAME`` (run by
``scripts/make_pretrained.py``); ``data/NAME_generator.json`` beside it records the command,
the SHA-256 of the weights and what the samples scored.  A lesson offers "load pretrained
or train": with the weights a CPU student sees good digits at once.  Taught in ``03_dcgan``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class PretrainedError(RuntimeError):
    """Shipped weights are missing, altered or do not fit the model."""


def weights_path(name: str) -> Path:
    return DATA_DIR / f"{name}_generator.weights.h5"


def record_path(name: str) -> Path:
    return DATA_DIR / f"{name}_generator.json"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


def load_generator(name: str, generator=None):
    """The generator of recipe ``name`` with the shipped weights, after checking their SHA-256.

    ``generator``: a model to load into (default: a fresh one from the recipe).
    """
    info = record(name)
    path = weights_path(name)
    if not path.exists():
        raise PretrainedError(
            f"{path} is missing; get it back with `git checkout -- {path.relative_to(DATA_DIR.parent)}`."
        )
    found = sha256(path)
    if found != info["sha256"]:
        raise PretrainedError(
            f"{path.name} does not match its recorded SHA-256 "
            f"(expected {info['sha256'][:12]}..., found {found[:12]}...): the file is damaged or was replaced. "
            f"Restore it with git, or remake it with `{info['command']}`."
        )
    if generator is None:
        from .recipes import get_recipe

        generator = get_recipe(name).build(seed=0).generator
    try:
        generator.load_weights(path)
    except Exception as exc:
        raise PretrainedError(f"{path.name} does not fit this generator ({exc}).") from exc
    return generator
