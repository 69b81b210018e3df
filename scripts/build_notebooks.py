"""Run lessons top to bottom at the full budget and store every output, as a student would see them.

A lesson is read before it is run: on GitHub, in Colab before pressing run, in JupyterLab. So each notebook in
the repository holds the outputs of one full-budget run (fast mode off): figures, tables, printed numbers,
``show_source`` listings and, for each widget, its saved state and a static picture of its first state.
This script makes them and writes ``notebooks/manifest.json``: for each lesson when it was built, from which
commit, with which TensorFlow and Keras, on which device, how fast that device ran the DCGAN step just before
(``gan-lessons bench speed``) and how many seconds the lesson took (README's run times come from it;
tests/test_repository.py holds the notebooks, the manifest and README to each other).

    python scripts/build_notebooks.py            # every lesson (the manifest says what each took)
    python scripts/build_notebooks.py 01 10      # only lessons 01 and 10

Build from a clean, committed tree: the manifest records the commit, and whether the tree had changes.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MANIFEST = NOTEBOOKS / "manifest.json"
CELL_TIMEOUT = 1800  # seconds per cell: a full-budget training cell runs for minutes on a 2-core CPU


def lessons(args: list[str]) -> list[Path]:
    every = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not args:
        return every
    chosen = []
    for arg in args:
        found = [p for p in every if p.name.startswith(arg) or p.name == Path(arg).name]
        if len(found) != 1:
            raise SystemExit(f"{arg!r} names no single lesson; lessons: {', '.join(p.stem for p in every)}")
        chosen.append(found[0])
    return chosen


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def environment() -> dict:
    """Versions and device of this build (read in a child process, so this one stays free of TensorFlow)."""
    probe = (
        "import json, os, platform; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\n"
        "import tensorflow as tf, keras\n"
        "gpus = tf.config.list_physical_devices('GPU')\n"
        "device = f'GPU: {len(gpus)}' if gpus else f'CPU: {os.cpu_count()} cores'\n"
        "print(json.dumps({'python': platform.python_version(), 'tensorflow': tf.__version__,"
        " 'keras': keras.__version__, 'device': device}))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


SPEED_COMMAND = ["bench", "speed", "--repeats", "1"]  # about 30 s on a 2-core CPU


def machine_speed(run=subprocess.run) -> dict:
    """How fast this machine ran the DCGAN training step just before a lesson's build (``gan-lessons bench speed``,
    the same measurement as ``gan-lessons doctor``'s speed line), so that a reader can set a stored run time against
    their own machine: lesson 10's build took 384 s in an hour when this 2-core machine's bench gave about 700
    images/s, and 780 s when it gave 380.  A bench that fails is recorded as such; the build goes on."""
    command = "gan-lessons " + " ".join(SPEED_COMMAND)
    done = run([sys.executable, "-m", "gan_lessons", *SPEED_COMMAND], capture_output=True, text=True)
    try:
        measured = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
        return {
            "command": command,
            "dcgan_step_images_per_s": measured["package_images_per_s"],
            "tutorial_step_images_per_s": measured["reference_images_per_s"],
        }
    except (IndexError, TypeError, KeyError, ValueError):
        said = (done.stderr or done.stdout or "no output").strip()[-300:]
        return {"command": command, "error": f"exit {done.returncode}: {said}"}


def slowest_cells(nb, n: int = 5) -> list[dict]:
    """The ``n`` code cells that took longest (nbclient's per-cell timestamps): where a lesson's run time goes."""
    timed, KEYS = [], ("iopub.execute_input", "shell.execute_reply")
    for index, cell in enumerate(nb.cells):
        stamps = cell.metadata.get("execution", {})
        if cell.cell_type == "code" and set(KEYS) <= set(stamps):
            start, end = (datetime.datetime.fromisoformat(stamps[k].replace("Z", "+00:00")) for k in KEYS)
            first = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
            timed.append({"cell": index, "seconds": round((end - start).total_seconds(), 1), "code": first[:60]})
    return sorted(timed, key=lambda t: -t["seconds"])[:n]


def tidy(nb) -> None:
    """Drop what changes at every run and helps no reader: per-cell timestamps."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)


def build(path: Path, env: dict, commit: str, dirty: bool) -> dict:
    nb = nbformat.read(path, as_version=4)
    os.environ["GAN_LESSONS_FAST"] = "0"  # the full budget: this is what the lesson teaches
    speed = machine_speed()
    started = time.perf_counter()
    # A fresh working folder: the lesson's runs/ (checkpoints) start empty, so the stored run trains from step 0
    # instead of resuming a run left in notebooks/runs/ by a student or an earlier build.
    with tempfile.TemporaryDirectory(prefix=f"build-{path.stem}-") as work:
        client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": work}})
        client.execute()
    seconds = time.perf_counter() - started
    slowest = slowest_cells(nb)
    tidy(nb)
    nbformat.write(nb, path)
    images = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))
    entry = {
        "built_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit,
        "uncommitted_changes": dirty,
        "fast_mode": False,
        **env,
        "seconds": round(seconds, 1),
        "bytes": path.stat().st_size,
        "images": images,
        "load_average_1min": round(os.getloadavg()[0], 1),  # higher when other jobs shared the cores
        "machine_speed": speed,  # measured just before the build; the same machine's speed varies from hour to hour
        "slowest_cells": slowest,
    }
    print(f"{path.name}: {seconds:.0f} s, {entry['bytes'] / 1024:.0f} KiB, {images} pictures", flush=True)
    return entry


def main(argv: list[str]) -> int:
    chosen = lessons(argv)
    env = environment()
    manifest = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
    for path in chosen:
        commit = git("rev-parse", "HEAD")  # read per lesson: the code its kernel imports
        dirty = bool(git("status", "--porcelain", "--", "gan_lessons", str(path.relative_to(ROOT))))
        entry = build(path, env, commit, dirty)
        manifest = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}  # another build may have written
        manifest[path.name] = entry
        MANIFEST.write_text(json.dumps(dict(sorted(manifest.items())), indent=1) + "\n")
    print(f"{platform.node()}: built {len(chosen)} lesson(s); manifest in {MANIFEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
