"""The install a user gets is the one we test: a wheel, in a folder outside the repository.

Colab's setup cell runs ``pip install "gan-lessons @ git+..."``, which builds a wheel and installs it: nothing of the
checkout is there, only what the wheel carries. These tests build the wheel from a copy of the sources, install it
into a fresh folder, and use it from outside the repository: ``gan-lessons evaluate`` (the digit classifier), every
shipped generator, and lesson 04 top to bottom (it loads a shipped generator and the classifier).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The course package as a wheel installs it, in a folder of its own; returns that folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("gan_lessons", "data"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(work / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (work / "dist").glob("gan_lessons-*.whl")
    target = work / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, capture_output=True)
    return target


def _env(site: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(site), "GAN_LESSONS_FAST": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}


def _python(site: Path, code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=_env(site), capture_output=True, text=True
    )


def test_the_wheel_carries_the_shipped_files(installed):
    shipped = installed / "gan_lessons" / "shipped"
    expected = sorted(p.name for p in (ROOT / "data").iterdir() if p.suffix in (".h5", ".json"))
    assert sorted(p.name for p in shipped.iterdir() if p.suffix in (".h5", ".json")) == expected
    assert (installed / "gan_lessons" / "interview" / "interview.toml").exists()
    # every module of the source tree is in the wheel: a subpackage left out of pyproject.toml would be missing
    source = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "gan_lessons").rglob("*.py"))
    wheel = sorted(str(p.relative_to(installed)) for p in (installed / "gan_lessons").rglob("*.py"))
    assert wheel == source


def test_every_shipped_model_loads_from_the_installed_package(installed, tmp_path):
    result = _python(
        installed,
        """
        import json
        import gan_lessons as gl
        from gan_lessons import pretrained, recipes
        assert gl.__file__.startswith(SITE), gl.__file__
        names = pretrained.available()
        for name in names:
            generator = pretrained.load_generator(name)
            if name == "cyclegan":
                second = recipes.get_recipe(name).build(seed=0).generator_ba
                pretrained.load_generator(name, second, part="generator_ba")
        from gan_lessons.tools.classifier import independent_classifier  # lesson 10's reader ships too
        independent_classifier()
        print(json.dumps(names))
        """.replace("SITE", repr(str(installed))),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    names = json.loads(result.stdout.strip().splitlines()[-1])
    assert names == ["cgan", "cyclegan", "dcgan", "pix2pix", "srgan", "stylegan"]


def test_evaluate_works_from_the_installed_package(installed, tmp_path, mnist_subset):
    np.savez(tmp_path / "samples.npz", images=mnist_subset.images[::25])  # 200 digits of every class
    result = subprocess.run(
        [sys.executable, "-m", "gan_lessons", "evaluate", "samples.npz"],
        cwd=tmp_path,
        env=_env(installed),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    scores = json.loads(result.stdout.strip().splitlines()[-1])
    assert scores["classes_covered"] == 10 and scores["fid"] < 10  # real digits score as real digits


def test_a_lesson_with_shipped_weights_runs_against_the_installed_package(installed, tmp_path, monkeypatch):
    nb = nbformat.read(ROOT / "notebooks" / "04_conditional_gan.ipynb", as_version=4)
    probe = nbformat.v4.new_code_cell(f"import gan_lessons\nassert gan_lessons.__file__.startswith({str(installed)!r})")
    nb.cells.insert(1, probe)
    for name, value in _env(installed).items():
        monkeypatch.setenv(name, value)
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    loaded = [c for c in nb.cells if c.cell_type == "code" and "pretrained.load_generator" in c.source]
    assert loaded and all(not any(o.get("output_type") == "error" for o in c.outputs) for c in loaded)
