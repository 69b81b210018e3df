"""Re-run notebooks in fast mode and keep only the outputs that nbval checks.

nbval (run as `pytest --nbval-lax`) compares the stored outputs of cells marked
``# NBVAL_CHECK_OUTPUT`` with a fresh run; every other cell is only executed.
So the repository stores exactly those outputs (with their execution counts,
which nbval needs) and nothing else: notebooks stay small and diffs readable.

    python scripts/refresh_outputs.py                 # every notebook
    python scripts/refresh_outputs.py notebooks/02_vanilla_gan.ipynb
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK_MARK)


def strip(nb) -> None:
    """Drop all outputs and counts except those of checked cells; drop widget state."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if not is_checked(cell):
            cell.outputs = []
            cell.execution_count = None


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    os.environ["GAN_LESSONS_FAST"] = "1"
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    strip(nb)
    nbformat.write(nb, path)
    checked = sum(is_checked(c) for c in nb.cells)
    print(f"{path.relative_to(ROOT)}: {checked} checked cells stored, {path.stat().st_size / 1024:.0f} KiB")


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        refresh(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
