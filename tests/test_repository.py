"""The repository keeps its promises: README commands, CI, notebook structure, one repository URL."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def _load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sync = _load_script("sync_notebooks")


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _src(cell):
    return "".join(cell["source"])


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    venv_lines = [line for line in readme.splitlines() if line.startswith("python3 -m venv .venv")]
    lab = [line for line in venv_lines if "gan-lessons lab" in line]
    assert len(lab) == 1 and "pip install -r requirements.txt" in lab[0]
    # .ci/run extracts the test command from README.md with this grep: exactly one line must match.
    found = subprocess.run(
        ["grep", "-E", r"^python3 -m venv \.venv && .*-m pytest", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(found) == 1 and "pip install -r requirements.txt" in found[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert r"grep -m1 -E '^python3 -m venv \.venv && .*-m pytest' README.md" in ci
    assert 'bash -c "$test_command"' in ci


def test_requirements_install_the_package_and_the_course_tools():
    lines = [line.split(">=")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    for name in (
        "tensorflow",
        "keras",
        "numpy",
        "matplotlib",
        "scikit-learn",
        "nbval",
        "ipywidgets",
        "pytest",
        "mlxtend",
        "jupyterlab",
        "-e .",
    ):
        assert name in lines, name
    assert lines[-1] == "-e ."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_structure(path):
    cells = _cells(path)
    title = _src(cells[0])
    assert cells[0]["cell_type"] == "markdown" and title.startswith("# ")
    assert f"{sync.colab_path()}/blob/main/notebooks/{path.name}" in title, "Colab badge must open this notebook"
    assert "Time to run" in title
    code = [c for c in cells if c["cell_type"] == "code"]
    assert "setup" in code[0]["metadata"].get("tags", []), "the first code cell is the setup cell"
    assert _src(code[0]) == sync.setup_source(), "run scripts/sync_notebooks.py"
    assert "parameters" in code[1]["metadata"].get("tags", []), "the second code cell holds the budgets"
    headings = [line for c in cells if c["cell_type"] == "markdown" for line in _src(c).splitlines()]
    for heading in ("## Summary", "## Exercises", "## Interview questions"):
        assert heading in headings


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stores_only_checked_outputs(path):
    assert path.stat().st_size < 200_000
    checked = 0
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        if _src(cell).startswith(CHECK_MARK):
            checked += 1
            assert cell["outputs"] and cell["execution_count"], "checked cells keep output and count"
        else:
            assert cell["outputs"] == [] and cell["execution_count"] is None, _src(cell)[:60]
    assert checked >= 3, "each lesson checks some deterministic outputs by value"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_stay_small(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            lines = [line for line in _src(cell).splitlines() if line.strip() and not line.lstrip().startswith("#")]
            assert len(lines) <= 25, f"a {len(lines)}-line cell belongs in the package: {_src(cell)[:80]}"


def test_readme_course_map_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in readme
        assert f"colab.research.google.com/github/{sync.colab_path()}/blob/main/notebooks/{path.name}" in readme


def test_repository_url_is_written_once_and_synced():
    assert sync.fix_colab_links((ROOT / "README.md").read_text()) == (ROOT / "README.md").read_text()
    others = sync.fix_colab_links("https://colab.research.google.com/github/someone/else/blob/main/x.ipynb")
    assert others == f"https://colab.research.google.com/github/{sync.colab_path()}/blob/main/x.ipynb"
