"""The pretrained generators that ship with the course, by name: built as their lesson's recipe builds
them, with the shipped weights loaded after their SHA-256 is checked (:mod:`gan_lessons.tools.shipped`).

Each ``data/NAME_generator.weights.h5`` was made by ``gan-lessons train NAME`` (run by
``scripts/make_pretrained.py``); ``data/NAME_generator.json`` beside it records the command,
the SHA-256 of the weights and what the samples scored.  A lesson offers "load pretrained
or train": with the weights a CPU student sees good digits at once.  Taught in ``03_dcgan``.
"""

from __future__ import annotations

from .core.data import sha256
from .recipes import get_recipe
from .tools.shipped import PretrainedError, available, load_weights, record, weights_path

__all__ = ["PretrainedError", "available", "load_generator", "record", "sha256", "weights_path"]


def load_generator(name: str, generator=None, part: str = "generator"):
    """The generator of recipe ``name`` with the shipped weights, after checking their SHA-256.

    ``generator``: a model to load into (default: a fresh one from the recipe).  ``part="generator_ba"``
    loads a CycleGAN's second generator (B -> A) into ``generator``.
    """
    if generator is None:
        if part != "generator":
            raise ValueError(f"give the model to load {part!r} into.")
        record(name)  # a clear error for a name that ships nothing, before building anything
        generator = get_recipe(name).build(seed=0).generator
    return load_weights(name, generator, part)
