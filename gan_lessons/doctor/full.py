"""``gan-lessons doctor --full``: the GPU check (the parts that run after the report; see the package docstring).

Each part runs under ``GAN_LESSONS_DEVICE`` (the GPU path's choices, forced on a CPU): the speed check again,
lesson 02 in fast mode, and the tests marked ``device``.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # in a clone: the repository, with notebooks/ and tests/
# a lesson that trains with the device helper's choices (lesson 01's 1-D networks compile without them); the part
# reports its code cells and seconds
FULL_LESSON = "02_vanilla_gan.ipynb"
DEVICE_MARK = "device"  # the pytest mark of the tests that exercise device choices
LESSON_CELL_TIMEOUT = 900  # seconds per cell, as the test suite's nbval allows
TESTS_TIMEOUT = 1800  # seconds for the device tests together
BENCH_IMAGES = 2048  # MNIST-shaped random images: a step's speed does not depend on what the pixels show


def bench_images(n: int = BENCH_IMAGES):
    """``n`` MNIST-shaped images, uniform in [-1, 1] (fixed seed) for the speed check: a training step takes as
    long on these as on digits, and they cost nothing to load (the offline digits must first be parsed)."""
    import numpy as np

    return np.random.default_rng(0).uniform(-1, 1, (n, 28, 28, 1)).astype("float32")


@contextlib.contextmanager
def environment_variable(name: str, value: str | None) -> Iterator[None]:
    """``os.environ[name] = value`` (``None``: unset) inside the block, as it was after it."""
    before = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def gpu_path_choices(setup) -> tuple[str, str]:
    """The ``GAN_LESSONS_DEVICE`` value ``doctor --full`` runs its parts under, and who chose it.

    The caller's own value when the variable is set; else the GPU path's choices for this machine: XLA on,
    and on a GPU the mixed precision the device helper chose (``mixed_float16`` where it kept float32, a GPU
    without tensor cores), on a CPU ``mixed_bfloat16`` (the CPU's own choice is float32 and XLA off for
    convolutions: these are forced, so the GPU path's branches run on the CPU too)."""
    from ..core.device import DEVICE_ENV

    given = os.environ.get(DEVICE_ENV, "").strip()
    if given:
        return given, f"{DEVICE_ENV} as the caller set it"
    if setup.device == "GPU":
        precision = setup.precision if setup.mixed_precision else "mixed_float16"
        return f"precision={precision},xla=on", "the GPU's own choices, XLA on for every model"
    return "precision=mixed_bfloat16,xla=on", "no GPU: the GPU path's choices forced on this CPU"


def forced_bench(spec: str, images=None, repeats: int = 2, steps: int = 4) -> dict:
    """Part ``bench``: the speed check under ``GAN_LESSONS_DEVICE=spec``; the caller's dtype policy is kept."""
    import keras

    from ..core.device import DEVICE_ENV, configure_device
    from ..dcgan.bench import speed

    previous = keras.mixed_precision.global_policy()
    try:
        with environment_variable(DEVICE_ENV, spec):
            setup = configure_device(verbose=False)
        result = speed(repeats=repeats, steps=steps, setup=setup, warmup=1, images=images)
    finally:
        keras.mixed_precision.set_global_policy(previous)
    rates = (result["package_images_per_s"], result["reference_images_per_s"])
    ok = all(math.isfinite(r) and r > 0 for r in rates)
    return {"status": "passed" if ok else "failed", "forced_by_env": list(setup.forced_by_env), **result}


def _tail(text: str, lines: int = 12) -> str:
    from ..core.quiet import is_startup_noise

    kept = [line for line in text.splitlines() if line.strip() and not is_startup_noise(line)]
    return "\n".join(kept[-lines:])


def run_lesson(spec: str, notebook: Path | None = None, timeout: int = LESSON_CELL_TIMEOUT) -> dict:
    """Part ``lesson``: execute ``notebook`` (lesson 02 of this clone) top to bottom in fast mode, in a fresh
    folder, its kernel under ``GAN_LESSONS_DEVICE=spec``; the notebook file is not changed."""
    from ..core.config import FAST_ENV
    from ..core.device import DEVICE_ENV, forced_choices

    path = Path(notebook) if notebook is not None else ROOT / "notebooks" / FULL_LESSON
    if not path.is_file():
        return {"status": "skipped", "reason": f"no {path.name} at {path.parent} (an installed package, not a clone)"}
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError as exc:
        return {"status": "skipped", "reason": f"{exc.name} is not installed (pip install nbclient)"}
    nb = nbformat.read(path, as_version=4)
    env = {**os.environ, FAST_ENV: "1", DEVICE_ENV: spec}
    result: dict = {"notebook": path.name, "fast_mode": True}
    with (
        tempfile.TemporaryDirectory(prefix="gan-lessons-doctor-") as work,
        tempfile.TemporaryFile() as kernel_stderr,  # the kernel's native log lines: shown only if it fails
    ):
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": work}})
        try:
            client.execute(env=env, stderr=kernel_stderr)
        except Exception as exc:  # a cell's error, a timeout, a dead kernel: the part fails and says which
            kernel_stderr.seek(0)
            native = _tail(kernel_stderr.read().decode("utf-8", errors="replace"), 5)
            message = _tail(str(exc)) + (f"\n(kernel stderr)\n{native}" if native else "")
            return {**result, "status": "failed", "error": f"{type(exc).__name__}: {message}"}
    printed = "".join(
        output.get("text", "") for cell in nb.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
    )
    result["cells"] = sum(1 for cell in nb.cells if cell.cell_type == "code")
    result["took_forced_choices"] = not forced_choices(spec) or f"forced by {DEVICE_ENV}" in printed
    if not result["took_forced_choices"]:
        return {**result, "status": "failed", "error": f"the lesson's setup cell does not say 'forced by {DEVICE_ENV}'"}
    return {**result, "status": "passed"}


def run_device_tests(spec: str, tests: Path | None = None, timeout: int = TESTS_TIMEOUT) -> dict:
    """Part ``tests``: ``pytest -m device`` on this clone's ``tests/`` in one process, under
    ``GAN_LESSONS_DEVICE=spec`` and in fast mode."""
    import importlib.util

    from ..core.config import FAST_ENV
    from ..core.device import DEVICE_ENV

    folder = Path(tests) if tests is not None else ROOT / "tests"
    if not folder.is_dir():
        return {
            "status": "skipped",
            "reason": f"no tests/ folder at {folder.parent} (an installed package, not a clone)",
        }
    if importlib.util.find_spec("pytest") is None:
        return {"status": "skipped", "reason": "pytest is not installed (pip install pytest)"}
    command = ["-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-q", "-m", DEVICE_MARK, str(folder)]
    env = {**os.environ, FAST_ENV: "1", DEVICE_ENV: spec}
    done = subprocess.run(
        [sys.executable, *command], cwd=folder.parent, env=env, capture_output=True, text=True, timeout=timeout
    )
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|errors?|skipped|deselected)", done.stdout)}
    result = {"command": "python " + " ".join(command[:-1] + [folder.name]), **counts}
    # pytest's status 5 is "no tests collected": a marked test nowhere is a failure of the check, not a pass
    if done.returncode == 0 and counts.get("passed", 0) > 0:
        return {**result, "status": "passed"}
    return {**result, "status": "failed", "error": _tail(done.stdout + done.stderr)}


def run_part(run: Callable[[], dict]) -> dict:
    """One part of ``--full``: its result with ``status`` and ``seconds``; an exception is a failed part."""
    started = time.perf_counter()
    try:
        result = run()
    except Exception as exc:  # the check reports what broke instead of stopping there
        result = {"status": "failed", "error": f"{type(exc).__name__}: {_tail(str(exc))}"}
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def full_check(report: dict) -> dict:
    """The three parts of ``doctor --full`` after ``report`` (from :func:`diagnose`): ``{"device_env",
    "chosen_by", "parts", "passed", "seconds"}``, each part with ``status`` and ``seconds``."""
    from ..core.device import configure_device

    started = time.perf_counter()
    spec, chosen_by = gpu_path_choices(configure_device(verbose=False))
    parts = {"doctor": {"status": "passed" if report["ready"] else "failed", "seconds": report["seconds"]}}
    steps = {
        "bench": lambda: forced_bench(spec, images=bench_images()),
        "lesson": lambda: run_lesson(spec),
        "tests": lambda: run_device_tests(spec),
    }
    for name, run in steps.items():
        print(f"doctor --full: {name} under GAN_LESSONS_DEVICE={spec} ...", file=sys.stderr, flush=True)
        parts[name] = run_part(run)
    if "speed" in report and parts["bench"]["status"] == "passed":
        parts["bench"]["ratio_auto"] = report["speed"]["ratio"]
    return {
        "device_env": spec,
        "chosen_by": chosen_by,
        "parts": parts,
        "passed": all(part["status"] != "failed" for part in parts.values()),
        "seconds": round(time.perf_counter() - started + report["seconds"], 1),
    }


def format_full(full: dict) -> list[str]:
    """The lines ``doctor --full`` adds to the screen."""
    mark = {"passed": "ok ", "failed": "NO ", "skipped": "-- "}
    lines = [f"GPU check (--full) under GAN_LESSONS_DEVICE={full['device_env']} ({full['chosen_by']}):"]
    for name, part in full["parts"].items():
        if part["status"] == "failed":
            says = part.get("error", "failed").splitlines()[-1]
        elif part["status"] == "skipped":
            says = part["reason"]
        elif name == "bench":
            auto = f"; auto choices {part['ratio_auto']:.2f}x" if "ratio_auto" in part else ""
            says = (
                f"{part['precision']}, XLA {'on' if part['xla'] else 'off'}: our DCGAN step "
                f"{part['package_images_per_s']:,.0f} images/s, the TF tutorial's "
                f"{part['reference_images_per_s']:,.0f} ({part['ratio']:.2f}x{auto})"
            )
        elif name == "lesson":
            says = f"{part['notebook']} top to bottom in fast mode, {part['cells']} code cells"
        elif name == "tests":
            says = f"{part.get('passed', 0)} device tests passed ({part['command']})"
        else:
            says = "the report above"
        lines.append(f"  {mark[part['status']]} {name:<7} {says} ({part['seconds']:g} s)")
    verdict = "GPU check passed." if full["passed"] else "GPU check FAILED: see the parts marked NO."
    lines.append(f"{verdict} ({full['seconds']:g} s in all)")
    return lines


def share_the_gpu() -> None:
    """Let this process, the lesson's kernel and the test run share one GPU: TensorFlow otherwise takes nearly all
    of a GPU's memory in the first process that uses it, and the next one fails to allocate.  Called before any
    TensorFlow operation; the children inherit the variable."""
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")
    import tensorflow as tf

    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except (
            RuntimeError
        ):  # TensorFlow already set the device up in this process; the variable still helps the children
            pass
