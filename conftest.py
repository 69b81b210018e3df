"""Test-suite settings shared by the unit tests and the notebooks run by nbval.

The suite always runs in fast mode: every notebook kernel started by nbval
inherits this environment, so lessons train with their CI budgets.
"""

import contextlib
import math
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest

os.environ.setdefault("GAN_LESSONS_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# Under pytest-xdist the workers share out the cores (pyproject.toml's `-n auto`, one worker more than there are cores,
# as many as the memory holds: pytest_xdist_auto_num_workers below): each worker, and each notebook kernel it starts,
# gets its share of threads for TensorFlow's ops and for the BLAS of numpy and scikit-learn, at least one, instead of
# every process spreading its ops over every core and fighting the others for them.  TensorFlow also runs independent
# ops side by side on a pool of its own (inter-op, one thread per core by default): one thread there, each op on the
# worker's share.  On 2 cores the suite took 353 s so, against 372 s with the default pool, one run each of the same
# tree (632 against 662 CPU-seconds).  On a GPU, each worker and kernel takes device memory as it needs it
# (TF_FORCE_GPU_ALLOW_GROWTH) instead of the first one taking nearly all of it.  Set before anything imports TensorFlow
# or numpy; a value already in the environment wins; `pytest -n 0` leaves all as is.
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    _SHARE = str(max(1, (os.cpu_count() or 1) // _WORKERS))
    for _name in ("TF_NUM_INTRAOP_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_name, _SHARE)
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")


# The most memory one worker took in the README command's run on 2 cores, with the notebook kernel or subprocess it had
# started: 3.47 GiB (three workers, 7.85 GiB together at most; resident memory sampled every half second).
_WORKER_MEMORY_GIB = 3.5
_WORKERS_NOTE = pytest.StashKey[str]()


@pytest.hookimpl(hookwrapper=True)
def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker more than pytest-xdist's own count (the cores, physical ones where psutil is installed),
    but no more than the memory available holds, at least one.  A worker waiting on a notebook kernel's start, a
    subprocess or the file system leaves its core idle: on a 2-core machine like CI's, the cores were busy 85-89 % of
    the README command's run with 2 workers and 96-97 % with 3; alternating runs of the same tree took 498 and 532 s
    with 2 workers, 474 and 455 s with 3.  The three took 7.85 GiB at their peak: on a laptop with 4 cores and 8 GiB,
    5 workers would swap or be killed.  A count asked for with PYTEST_XDIST_AUTO_NUM_WORKERS is left as it is."""
    outcome = yield
    if _asked_worker_count() is not None:
        return
    wanted = outcome.get_result() + 1
    available = _available_memory_gib()
    held = wanted if available is None else max(1, int(available // _WORKER_MEMORY_GIB))
    if held < wanted:
        shown = math.floor(available * 10) / 10  # rounded down, so that it never seems to hold one more worker
        config.stash[_WORKERS_NOTE] = (
            f"gan-lessons: {held} test worker{'s' if held > 1 else ''}, not {wanted}: {shown:.1f} GiB of memory "
            f"available, and a worker with its notebook kernel took up to {_WORKER_MEMORY_GIB} GiB on 2 cores"
        )
    outcome.force_result(min(wanted, held))


def _asked_worker_count() -> int | None:
    """The count PYTEST_XDIST_AUTO_NUM_WORKERS asks for, as pytest-xdist reads it; None if it is unset or not a
    number (xdist then warns and counts the cores, and the rule above applies)."""
    try:
        return int(os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", ""))
    except ValueError:
        return None


def _available_memory_gib() -> float | None:
    """The memory available to new processes, in GiB: the system's (psutil, which ipykernel, and so nbval, needs), or
    less where a container's memory limit leaves less (Docker's --memory, Binder, a JupyterHub); None if neither is
    known."""
    known = [_container_memory_left_gib()]
    try:
        import psutil
    except ImportError:
        pass
    else:
        known.append(psutil.virtual_memory().available / 2**30)
    known = [gib for gib in known if gib is not None]
    return min(known) if known else None


_CGROUP = Path("/sys/fs/cgroup")  # a container's own control group, as Linux shows it inside the container


def _container_memory_left_gib() -> float | None:
    """What the memory limit of this process's control group leaves (cgroup v2, else v1), in GiB, not counting the
    file cache the kernel would give back (inactive_file); None without a limit or off Linux."""
    for limit, used, stat, inactive in (
        ("memory.max", "memory.current", "memory.stat", "inactive_file"),  # cgroup v2
        ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes", "memory/memory.stat", "total_inactive_file"),
    ):
        try:
            cap = (_CGROUP / limit).read_text().strip()
            taken = int((_CGROUP / used).read_text())
        except (OSError, ValueError):
            continue
        if not cap.isdigit():
            return None  # "max": no limit
        cache = 0
        with contextlib.suppress(OSError):
            for line in (_CGROUP / stat).read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == inactive and value.strip().isdigit():
                    cache = int(value)
        return max(0, int(cap) - (taken - cache)) / 2**30
    return None


def pytest_report_header(config):
    note = config.stash.get(_WORKERS_NOTE, None)
    return [note] if note else []


# Every temporary file of a run goes into one folder of its own, removed when the run ends: above all the checkpoints
# each fast-mode notebook kernel writes (gan_lessons.notebook.run_dir: 19-67 MB a lesson, 214 MB for the six lessons
# that train), which nothing else deletes because nbval stops its kernels without running their exit handlers --
# before, every run of the suite left them in the system's temporary folder.  Kernels and other child processes
# inherit TMPDIR; under pytest-xdist each worker makes its own folder inside the controller's.  pytest's own tmp_path
# folders go too: to keep them for a look after a failure, pass --basetemp=DIR.
_SCRATCH = tempfile.mkdtemp(prefix="gan-lessons-tests-")
os.environ["TMPDIR"] = _SCRATCH
tempfile.tempdir = None  # this process too, from here on


def pytest_unconfigure(config):
    shutil.rmtree(_SCRATCH, ignore_errors=True)


# Under pytest-xdist the longest units of work (test modules, notebooks) are handed out first, from the seconds
# recorded in tests/durations.json, so that the workers finish together (tests/suite_order.py).
sys.path.insert(0, str(Path(__file__).parent / "tests"))
import suite_order  # noqa: E402

_MEASURED: dict[str, float] = defaultdict(float)


def pytest_addoption(parser):
    parser.addoption(
        "--record-durations",
        action="store_true",
        help="write how long each test module and notebook took to tests/durations.json (pytest-xdist hands out "
        "the longest first)",
    )


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker collects; all reorder alike
        order = suite_order.longest_first([item.nodeid for item in items], suite_order.read())
        items[:] = [items[i] for i in order]


def pytest_runtest_logreport(report):
    _MEASURED[suite_order.scope(report.nodeid)] += report.duration  # setup, call and teardown


def pytest_sessionfinish(session, exitstatus):
    if session.config.getoption("--record-durations") and not hasattr(session.config, "workerinput"):
        suite_order.write(dict(_MEASURED))
