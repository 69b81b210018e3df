"""Lesson 10's three tasks: their data, the baselines (doing nothing, bicubic), and how the
outputs are scored.  Every image is ``(N, 28, 28, 1)`` (7x7 for the low-resolution inputs) float32 in [-1, 1].
Taught in ``10_image_translation``.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from ..core.data import load_digits
from ..core.inference import predict
from ..core.validate import check_unit_range
from ..tools.classifier import (
    accuracy,
    digit_splits,
    features_and_probabilities,
    independent_classifier,
    reference_features,
)
from ..tools.metrics import as_unit_images, fid


def _check_images(images, name: str = "images", size: int = 28, in_range: bool = True) -> np.ndarray:
    """Images ``(N, size, size, 1)``, in [-1, 1] unless ``in_range=False`` (a measure such as PSNR is defined for
    any values, a noisy or overshooting image included)."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[1:] != (size, size, 1):
        raise ValueError(f"{name} must have shape (N, {size}, {size}, 1), got {images.shape}.")
    return check_unit_range(images, name) if in_range else images


def _sobel_magnitude(unit: np.ndarray, mode: str = "reflect") -> np.ndarray:
    """The Sobel gradient magnitude of images ``(N, H, W)`` in [0, 1] (``mode``: how the border is padded)."""
    from scipy import ndimage

    return np.hypot(ndimage.sobel(unit, axis=2, mode=mode), ndimage.sobel(unit, axis=1, mode=mode))


def edge_map(images) -> np.ndarray:
    """The pix2pix inputs: the Sobel gradient magnitude of each digit, scaled to [-1, 1] (the outline only)."""
    images = _check_images(images)
    magnitude = _sobel_magnitude((images[..., 0] + 1.0) / 2.0, mode="constant")
    magnitude /= np.maximum(magnitude.max(axis=(1, 2), keepdims=True), 1e-6)
    # The outline of a stroke: edges where the stroke is thin get both sides, the stroke's inside is dark.
    return (magnitude * 2.0 - 1.0)[..., None].astype(np.float32)


def blocky_digits(images_8x8) -> np.ndarray:
    """scikit-learn's 8x8 digits ``(N, 8, 8, 1)`` as blocky 28x28 images: enlarged to 20x20 by nearest neighbour
    (blocks of 2 or 3 pixels) and centred with 4 pixels of border -- the 20x20 box MNIST puts its digits in, so
    the two domains differ in style (blocks, 17 grey levels from 0 to 16, other writers), not in where the digit
    sits."""
    import tensorflow as tf

    images = np.asarray(images_8x8, dtype=np.float32)
    if images.ndim != 4 or images.shape[1:] != (8, 8, 1):
        raise ValueError(f"expected scikit-learn digits of shape (N, 8, 8, 1), got {images.shape}.")
    big = tf.image.resize(images, (20, 20), method="nearest").numpy()
    return np.pad(big, ((0, 0), (4, 4), (4, 4), (0, 0)), constant_values=-1.0)


def downsample(images, factor: int = 4) -> np.ndarray:
    """Average-pool 28x28 images by ``factor`` (4: to 7x7), the low-resolution inputs of super-resolution."""
    images = _check_images(images)
    if factor not in (2, 4):
        raise ValueError(f"factor must be 2 or 4 (28 is divisible by both), got {factor!r}.")
    n, size = len(images), 28 // factor
    return images.reshape(n, size, factor, size, factor, 1).mean(axis=(2, 4))


def bicubic(images, size: int = 28) -> np.ndarray:
    """Bicubic upsampling to ``size`` x ``size``, clipped to [-1, 1]: the do-nothing baseline of super-resolution."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"expected images (N, H, W, 1), got {images.shape}.")
    upsampled = keras.ops.image.resize(images, (size, size), interpolation="bicubic")
    return np.clip(keras.ops.convert_to_numpy(upsampled), -1.0, 1.0)


TASKS = ("pix2pix", "cyclegan", "srgan")


@dataclass(frozen=True)
class TranslationTask:
    """The arrays of one task.  ``train(gan, train_images, labels=train_inputs)``: for pix2pix and SR the
    targets and their paired inputs; for CycleGAN domain A (scikit-learn digits, repeated to the length of B)
    and domain B (MNIST), unpaired.  ``test_inputs`` are held-out inputs with their true digits
    ``test_labels`` (and, where paired, ``test_targets``).  ``val_inputs`` and ``val_labels`` are a validation split,
    neither trained on nor tested on: choose hyper-parameters (a loss weight, the number of steps) on it, so the test
    figures stay an honest estimate."""

    name: str
    train_images: np.ndarray
    train_inputs: np.ndarray
    test_inputs: np.ndarray
    test_labels: np.ndarray
    test_targets: np.ndarray | None
    description: str
    # The digit of each training image (SR: of each pair; CycleGAN: of each image of A and of B), for class-aware models
    train_classes: tuple[np.ndarray, ...] | None = None
    val_inputs: np.ndarray | None = None
    val_labels: np.ndarray | None = None

    def labels_for(self, gan) -> np.ndarray | tuple:
        """What ``train(gan, task.train_images, labels=...)`` takes: the paired inputs or domain B, and for a
        class-aware model also the classes (of the pairs; of both CycleGAN domains)."""
        if getattr(gan, "num_classes", 0) and self.train_classes is not None:
            return (self.train_inputs, *self.train_classes)
        return self.train_inputs


def load_task(name: str, seed: int = 0) -> TranslationTask:
    """``pix2pix`` (edge map -> digit), ``cyclegan`` (scikit-learn digits <-> MNIST) or ``srgan`` (7x7 -> 28x28).

    MNIST comes from the classifier's fixed split of the 5,000 offline digits: the models train on its 3,000
    training digits and are measured on the 1,000 test digits; the validation split is lesson 08's 1,000 reference
    digits (no model trains on them; they stay the FID reference, and validation reads only the share of digits read
    correctly).  scikit-learn's 1,797 digits: 500 held out for the test, 300 for validation, 997 to train on."""

    if name not in TASKS:
        raise ValueError(f"Unknown translation task {name!r}; choose one of {', '.join(TASKS)}.")
    splits = digit_splits()
    (train_x, train_y), (test_x, test_y) = splits.train, splits.test
    val_x, val_y = splits.reference
    train_x, test_x = np.array(train_x), np.array(test_x)
    if name == "pix2pix":
        return TranslationTask(
            name,
            train_x,
            edge_map(train_x),
            edge_map(test_x),
            test_y,
            test_x,
            "MNIST edge maps -> digits",
            val_inputs=edge_map(val_x),
            val_labels=np.asarray(val_y),
        )
    if name == "srgan":
        return TranslationTask(
            name,
            train_x,
            downsample(train_x),
            downsample(test_x),
            test_y,
            test_x,
            "MNIST 7x7 -> 28x28 (x4)",
            (np.asarray(train_y),),
            val_inputs=downsample(val_x),
            val_labels=np.asarray(val_y),
        )
    sk = load_digits()
    order = np.random.default_rng(seed).permutation(len(sk.images))
    held_out, validation, kept = order[:500], order[500:800], order[800:]
    blocky = blocky_digits(sk.images)
    rng = np.random.default_rng(seed + 1)
    repeats = -(-len(train_x) // len(kept))
    picked_a = np.concatenate([rng.permutation(kept) for _ in range(repeats)])[: len(train_x)]
    picked_b = rng.permutation(len(train_x))
    return TranslationTask(
        name,
        blocky[picked_a],
        train_x[picked_b],
        blocky[held_out],
        sk.labels[held_out],
        None,
        "scikit-learn's 8x8 digits (blocky 28x28, domain A) <-> MNIST (domain B), unpaired",
        (np.asarray(sk.labels)[picked_a], np.asarray(train_y)[picked_b]),
        val_inputs=blocky[validation],
        val_labels=sk.labels[validation],
    )


def do_nothing(task: TranslationTask) -> np.ndarray:
    """The baseline every model of the task must beat, on its held-out inputs: the inputs themselves (edge
    maps, blocky digits), or for super-resolution their bicubic upsampling to 28x28."""
    return bicubic(task.test_inputs) if task.name == "srgan" else task.test_inputs


def evaluate_outputs(images, labels) -> dict:
    """How well outputs keep their digit: the share read as the true digit by the shipped classifier and by
    :func:`gan_lessons.tools.classifier.independent_classifier`, and the classifier-feature FID against lesson 08's
    reference digits."""

    images = as_unit_images(images)
    labels = np.asarray(labels)
    if len(labels) != len(images):
        raise ValueError(f"{len(labels)} labels for {len(images)} images: give the true digit of each.")
    features, probabilities = features_and_probabilities(images)
    return {**_read_correctly(images, labels, probabilities), "fid": fid(features, reference_features())}


def _read_correctly(images: np.ndarray, labels: np.ndarray, probabilities: np.ndarray) -> dict:
    """The share of ``images`` read as their ``labels`` by the course classifier (its ``probabilities``) and by
    the independent reader."""
    return {
        "accuracy": float(np.mean(probabilities.argmax(axis=1) == labels)),
        "independent_accuracy": accuracy(independent_classifier(), images, labels),
    }


def psnr(images, targets) -> float:
    """Peak signal-to-noise ratio in dB of ``images`` against ``targets`` (both in [-1, 1]; peak-to-peak 2),
    from the mean squared error over all pixels: higher is closer, pixel by pixel."""
    images, targets = _check_images(images, in_range=False), _check_images(targets, "targets", in_range=False)
    if images.shape != targets.shape:
        raise ValueError(f"images {images.shape} and targets {targets.shape} must have the same shape.")
    mse = float(np.mean((images.astype(np.float64) - targets) ** 2))
    return float("inf") if mse == 0 else 10.0 * np.log10(4.0 / mse)


def sharpness(images) -> float:
    """The mean Sobel gradient magnitude of images in [-1, 1]: how crisp the strokes' edges are.  A blurred
    digit has small gradients spread wide; real MNIST digits have large ones on a thin rim."""
    unit = (_check_images(images, in_range=False)[..., 0].astype(np.float64) + 1.0) / 2.0
    return float(np.mean(_sobel_magnitude(unit)))


def score_table(rows: dict[str, dict]) -> str:
    """Lesson 10's table: for each named set of outputs (:func:`evaluate_outputs`), the share read as the
    true digit by both classifiers and the FID; PSNR and sharpness where a row has them."""
    extra = [key for key in ("psnr", "sharpness") if any(key in s for s in rows.values())]
    header = f"{'':30s} {'course clf':>10s} {'independent':>11s} {'FID':>6s}" + "".join(f" {k:>9s}" for k in extra)
    lines = [header]
    for name, s in rows.items():
        line = f"{name:30s} {s['accuracy']:10.1%} {s['independent_accuracy']:11.1%} {s['fid']:6.1f}"
        line += "".join(f" {s[k]:9.2f}" if k in s else " " * 10 for k in extra)
        lines.append(line)
    return "\n".join(lines)


def reading_differences(first, second, labels, reader=None) -> dict:
    """Where two models' outputs for the same inputs are read differently (by ``reader``, the independent reader
    unless given; any model whose ``predict`` returns class logits): ``only_first`` and ``only_second``, the digits
    read correctly from one model's output only; ``both_misread``, and of those ``same_wrong_digit``, read as the same
    wrong digit from both; ``confidence_first`` and ``confidence_second``, the reader's mean probability of the digit it
    read, over each model's misread outputs; and ``p_value``, the exact McNemar test's: how often a fair coin would
    split the ``only_first + only_second`` digits at least this unevenly (two-sided), were neither model better."""
    from scipy.stats import binomtest

    first, second = as_unit_images(first), as_unit_images(second)
    labels = np.asarray(labels)
    if not len(first) == len(second) == len(labels):
        raise ValueError(
            f"{len(first)} and {len(second)} outputs for {len(labels)} labels: give both models' outputs for the "
            "same inputs, and the true digit of each."
        )
    reader = independent_classifier() if reader is None else reader
    probabilities = [
        keras.ops.convert_to_numpy(keras.ops.softmax(reader.predict(images, batch_size=500, verbose=0)))
        for images in (first, second)
    ]
    read = [p.argmax(axis=1) for p in probabilities]
    right = [r == labels for r in read]
    only = int(np.sum(right[0] & ~right[1])), int(np.sum(~right[0] & right[1]))
    both = ~right[0] & ~right[1]

    def confidence(p: np.ndarray, ok: np.ndarray) -> float:
        return float(p.max(axis=1)[~ok].mean()) if (~ok).any() else float("nan")

    return {
        "only_first": only[0],
        "only_second": only[1],
        "both_misread": int(both.sum()),
        "same_wrong_digit": int(np.sum(both & (read[0] == read[1]))),
        "confidence_first": confidence(probabilities[0], right[0]),
        "confidence_second": confidence(probabilities[1], right[1]),
        "p_value": float(binomtest(min(only), sum(only), 0.5).pvalue) if sum(only) else 1.0,
    }


def round_trip_errors(cyclegan, images_a, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """Per image, the mean |a - F(G(a) + n)| of a CycleGAN's round trip A -> B -> A, with Gaussian noise
    ``n`` of std ``noise`` added to the translations first (0: the plain cycle error).  If a small noise
    ruins the way back, F reads something G hid in faint pixel patterns, not the visible digit."""
    if not isinstance(noise, int | float) or isinstance(noise, bool) or not noise >= 0:
        raise ValueError(f"noise must be a standard deviation >= 0, got {noise!r}.")
    images_a = _check_images(images_a, "images_a")
    there = cyclegan.translate(images_a, "ab")
    there = there + np.random.default_rng(seed).normal(0.0, noise, there.shape).astype(np.float32)
    back = cyclegan.translate(np.clip(there, -1.0, 1.0), "ba")
    return np.mean(np.abs(back - images_a), axis=(1, 2, 3))


def validation_accuracy(task: TranslationTask, outputs) -> dict:
    """The share of the task's validation inputs whose outputs are read as the true digit, by the course classifier
    and by the independent reader (:func:`evaluate_outputs` without the FID, which for the MNIST tasks would compare
    the outputs with their own targets)."""
    if task.val_inputs is None:
        raise ValueError(f"task {task.name!r} has no validation split; load it with load_task().")
    outputs = as_unit_images(outputs)
    if len(outputs) != len(task.val_labels):
        raise ValueError(f"{len(outputs)} outputs for {len(task.val_labels)} validation inputs: translate them all.")
    return _read_correctly(outputs, task.val_labels, features_and_probabilities(outputs)[1])


class ValidationScores(keras.callbacks.Callback):
    """Scores the generator on the task's validation split at the end of every epoch of ``train`` and prints one
    line: how the share read correctly moves with the steps, on digits neither trained on nor tested on.  Choose the
    number of steps, or compare loss weights, by ``history`` (a list of ``{"step", "accuracy",
    "independent_accuracy"}``), never by the test scores."""

    def __init__(self, task: TranslationTask, verbose: bool = True):
        super().__init__()
        if task.val_inputs is None:
            raise ValueError(f"task {task.name!r} has no validation split; load it with load_task().")
        self.task = task
        self.verbose = verbose
        self.history: list[dict] = []

    def on_epoch_end(self, epoch, logs=None):
        gan = self.model
        outputs = predict(gan.generator, self.task.val_inputs, batch_size=500)
        scores = {"step": int(gan.step), **validation_accuracy(self.task, outputs)}
        self.history.append(scores)
        if self.verbose:
            print(
                f"validation at step {scores['step']:,}: {scores['accuracy']:.1%} read correctly by the course "
                f"classifier, {scores['independent_accuracy']:.1%} by the independent reader "
                f"({len(self.task.val_labels)} inputs)",
                flush=True,
            )
