"""Keep every notebook's setup cell, Colab link and run time in line with their one source.

The repository URL is written once, in pyproject.toml ([project.urls] Repository).
This script writes it into the setup cell (the first code cell, tagged "setup")
of every notebook in notebooks/ and into the Colab badges of README.md and of the
notebooks' title cells.  The run times come from notebooks/manifest.json, written by
scripts/build_notebooks.py: the seconds each lesson's stored full run took, copied into
its title cell ("**Time to run**: about N min on a 2-core CPU at the full budget") and
into README.md's course map.  tests/test_repository.py fails when they disagree.

    python scripts/sync_notebooks.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLAB_PREFIX = "https://colab.research.google.com/github/"

SETUP_TEMPLATE = """\
# Setup: run this cell first. In Colab it installs the course package (TensorFlow is already there).
import importlib.util
import sys

if importlib.util.find_spec("gan_lessons") is None:
    if "google.colab" not in sys.modules:
        raise ModuleNotFoundError(
            "The gan_lessons package is not installed: run the course command of README.md "
            "from the repository folder (it installs everything)."
        )
    %pip install -q "gan-lessons @ git+{repo_url}"
import numpy as np

import gan_lessons as gl

device = gl.setup_notebook()"""


def repository_url() -> str:
    text = (ROOT / "pyproject.toml").read_text()
    match = re.search(r'^Repository\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("pyproject.toml has no [project.urls] Repository entry.")
    return match.group(1).rstrip("/")


def setup_source() -> str:
    return SETUP_TEMPLATE.format(repo_url=repository_url())


def colab_path() -> str:
    """owner/name of the repository, as Colab's GitHub links spell it."""
    return repository_url().split("github.com/", 1)[1]


def fix_colab_links(text: str) -> str:
    pattern = re.compile(re.escape(COLAB_PREFIX) + r"[^/\s]+/[^/\s]+/blob/")
    return pattern.sub(f"{COLAB_PREFIX}{colab_path()}/blob/", text)


RUN_TIME = re.compile(r"(\*\*Time to run\*\*: )([^*\n]*?)( on a 2-core CPU at the full budget)")
MAP_ROW = re.compile(r"^(\| \[(\d\d) · [^|]*\|[^|]*\| )([^|]*?)( \|)", re.MULTILINE)


def run_time_text(seconds: float) -> str:
    """How a lesson's measured run time is written: "under a minute" or "about N min"."""
    return "under a minute" if seconds < 60 else f"about {round(seconds / 60)} min"


def manifest() -> dict:
    path = ROOT / "notebooks" / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else {}


def fix_run_time(text: str, name: str) -> str:
    entry = manifest().get(name)
    return RUN_TIME.sub(lambda m: m.group(1) + run_time_text(entry["seconds"]) + m.group(3), text) if entry else text


def fix_course_map(text: str) -> str:
    """README's course map: the run-time column of each lesson's row, from the manifest."""
    seconds = {name[:2]: entry["seconds"] for name, entry in manifest().items()}

    def row(m):
        number = m.group(2)
        return m.group(1) + run_time_text(seconds[number]) + m.group(4) if number in seconds else m.group(0)

    return MAP_ROW.sub(row, text)


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def setup_cell(nb: dict) -> dict:
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if not code or "setup" not in code[0].get("metadata", {}).get("tags", []):
        raise ValueError("the first code cell must be the setup cell, tagged 'setup'")
    return code[0]


def sync(path: Path) -> bool:
    nb = json.loads(path.read_text())
    before = json.dumps(nb)
    setup_cell(nb)["source"] = setup_source().splitlines(keepends=True)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = fix_run_time(fix_colab_links("".join(cell["source"])), path.name)
            cell["source"] = text.splitlines(keepends=True)
    if json.dumps(nb) == before:
        return False
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return True


def main() -> int:
    changed = [p.name for p in notebooks() if sync(p)]
    readme = ROOT / "README.md"
    text = readme.read_text()
    fixed = fix_course_map(fix_colab_links(text))
    if fixed != text:
        readme.write_text(fixed)
        changed.append("README.md")
    print("updated: " + (", ".join(changed) if changed else "nothing (all in sync)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
