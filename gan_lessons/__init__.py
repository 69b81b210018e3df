"""GAN Lessons: the helper package of the course.

One place per lesson, on a shared core (``README.md`` has the map "lesson -> module"):

- ``core``: the trainer and what it needs -- ``gan``, ``training`` (``train``), ``checkpoints``, ``callbacks``,
  ``losses``, ``recipe``, ``data``, ``device``, ``config``, ``errors``, ``validate``, ``plotting``;
- ``tools``: what the lessons measure and show with -- ``classifier``, ``metrics``, ``notebook``, ``exercise``
  (the checks' machinery), ``shipped`` (the shipped weights and records);
- the lessons: ``theory`` (01), ``vanilla`` (02), ``dcgan`` (03), ``conditional`` (04), ``wgan`` (05),
  ``stylegan`` (06), ``kde`` (07), ``evaluation`` (08), ``interview`` (09), ``translation`` (10),
  ``mode_collapse`` (11, whose lab code lives in ``wgan``); a lesson imports the core, the tools and earlier
  lessons, never a later one;
- ``recipes`` and ``pretrained``: every GAN the CLI trains, and the shipped generators, by name; ``cli``.

The layers are contracts of ``import-linter`` (``pyproject.toml``), checked in CI.  Every module loads on
first use, under its own name or a short one (``gl.data`` is ``gan_lessons.core.data``, ``gl.metrics`` is
``gan_lessons.tools.metrics``), so ``import gan_lessons`` itself is instant and does not import TensorFlow.
"""

import importlib

__version__ = "0.1.0"

_LESSONS = (
    "theory",
    "vanilla",
    "dcgan",
    "conditional",
    "wgan",
    "stylegan",
    "kde",
    "evaluation",
    "interview",
    "translation",
    "mode_collapse",
)
_CORE = (
    "callbacks",
    "checkpoints",
    "config",
    "data",
    "device",
    "errors",
    "gan",
    "losses",
    "plotting",
    "recipe",
    "training",
    "validate",
)
_TOOLS = ("classifier", "exercise", "metrics", "notebook", "shipped")
_SUBMODULES = {
    **{name: name for name in (*_LESSONS, "cli", "core", "pretrained", "recipes", "tools")},
    **{name: f"core.{name}" for name in _CORE},
    **{name: f"tools.{name}" for name in _TOOLS},
}
_SHORTCUTS = {
    "fast_mode": "core.config",
    "budget": "core.config",
    "setup_notebook": "tools.notebook",
    "show_source": "tools.notebook",
}

__all__ = [*_SUBMODULES, *_SHORTCUTS, "__version__"]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f".{_SUBMODULES[name]}", __name__)
    if name in _SHORTCUTS:
        return getattr(importlib.import_module(f".{_SHORTCUTS[name]}", __name__), name)
    raise AttributeError(f"module 'gan_lessons' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
