"""What the course declares it needs, read once for the tests that hold other files to it.

``pyproject.toml`` (the package's dependencies and ``requires-python``) and ``requirements.txt`` are parsed with
``tomllib`` and ``packaging``, as pip reads them, not with patterns of our own.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent


def pyproject() -> dict:
    """All of pyproject.toml."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def project() -> dict:
    """The ``[project]`` table of pyproject.toml."""
    return pyproject()["project"]


def requirements(source: str = "pyproject.toml") -> dict[str, SpecifierSet]:
    """Each declared distribution's version specifier, from pyproject.toml or from requirements.txt."""
    if source == "pyproject.toml":
        lines = project()["dependencies"]
    else:
        lines = [line.split("#")[0].strip() for line in (ROOT / source).read_text().splitlines()]
        lines = [line for line in lines if line and not line.startswith("-")]
    return {(req := Requirement(line)).name.lower(): req.specifier for line in lines}


def lower_bounds(source: str = "pyproject.toml") -> dict[str, str]:
    """The ``>=`` bound of each declared distribution that has one."""
    return {
        name: spec.version
        for name, specifiers in requirements(source).items()
        for spec in specifiers
        if spec.operator == ">="
    }
