"""GAN Lessons: the helper package of the course.

One module per idea: ``data`` (MNIST, offline-safe), ``models``, ``losses``,
``training`` (the GAN trainer), ``recipes`` (what the CLI trains), ``device``,
``config`` (fast mode and budgets), ``theory`` (the maths of the game), ``toy`` (the mode-collapse lab),
``translation`` (image-to-image GANs), ``plotting``,
``widgets``, ``exercises``, ``pitfalls``,
``notebook`` (the setup cell's helpers), ``errors`` (the course's exceptions, without TensorFlow) and ``cli``.

Submodules load on first use (``import gan_lessons as gl; gl.data.load_mnist()``),
so ``import gan_lessons`` itself is instant and does not import TensorFlow.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "cli",
    "config",
    "data",
    "device",
    "drills",
    "errors",
    "bench",
    "classifier",
    "exercises",
    "interview",
    "kde",
    "latent",
    "losses",
    "metrics",
    "models",
    "notebook",
    "pitfalls",
    "plotting",
    "pretrained",
    "recipes",
    "sample_sets",
    "solutions",
    "style",
    "theory",
    "toy",
    "training",
    "translation",
    "widgets",
)
_SHORTCUTS = {"fast_mode": "config", "budget": "config", "setup_notebook": "notebook", "show_source": "notebook"}

__all__ = [*_SUBMODULES, *_SHORTCUTS, "__version__"]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _SHORTCUTS:
        return getattr(importlib.import_module(f".{_SHORTCUTS[name]}", __name__), name)
    raise AttributeError(f"module 'gan_lessons' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
