"""Lesson 10's image-to-image GANs: the data of the three tasks and the networks.

- **pix2pix** (paired): a U-Net turns a digit's edge map into the digit; a PatchGAN judges (edges, digit) pairs.
- **CycleGAN** (unpaired): between scikit-learn's 8x8 digits made blocky 28x28 images (domain A) and MNIST
  digits (domain B); two U-Nets, two discriminators that each see the whole digit.
- **SRGAN-style super-resolution**: 7x7 -> 28x28 (x4) with sub-pixel (pixel-shuffle) upsampling.

Every image is ``(N, 28, 28, 1)`` (7x7 for the low-resolution inputs) float32 in [-1, 1].
The trainers are in :mod:`gan_lessons.training`.  Taught in ``10_image_translation``.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
from keras import layers

from .models import MNIST_SHAPE, _check_image_shape, _check_num_classes, _check_positive_int


# -- the data of the three tasks -------------------------------------------------------------
def _check_images(images, name: str = "images", size: int = 28) -> np.ndarray:
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[1:] != (size, size, 1):
        raise ValueError(f"{name} must have shape (N, {size}, {size}, 1), got {images.shape}.")
    return images


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
    the two domains differ in style (blocks, 16 grey levels, other writers), not in where the digit sits."""
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
    import tensorflow as tf

    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"expected images (N, H, W, 1), got {images.shape}.")
    return np.clip(tf.image.resize(images, (size, size), method="bicubic").numpy(), -1.0, 1.0)


# -- building blocks -------------------------------------------------------------------------
@keras.saving.register_keras_serializable(package="gan_lessons")
class PixelShuffle(layers.Layer):
    """Sub-pixel upsampling (Shi et al. 2016): ``(H, W, C * r²)`` -> ``(rH, rW, C)`` by moving channels into
    space.  A learned convolution before it makes the r² sub-pixels, so there is no overlap of kernels and no
    checkerboard, unlike a strided transposed convolution.  The inverse is :func:`space_to_depth`."""

    def __init__(self, block_size: int = 2, **kwargs):
        super().__init__(**kwargs)
        _check_positive_int("block_size", block_size)
        self.block_size = block_size

    def call(self, x):
        import tensorflow as tf

        return tf.nn.depth_to_space(x, self.block_size)

    def compute_output_shape(self, input_shape):
        n, h, w, c = input_shape
        r = self.block_size
        return (n, None if h is None else h * r, None if w is None else w * r, c // (r * r))

    def get_config(self):
        return {**super().get_config(), "block_size": self.block_size}


def space_to_depth(x, block_size: int = 2):
    """``(H, W, C)`` -> ``(H/r, W/r, C r²)``: the inverse of :class:`PixelShuffle`."""
    import tensorflow as tf

    return tf.nn.space_to_depth(x, block_size)


def _down(x, filters: int, norm: bool = True):
    x = layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=not norm)(x)
    if norm:
        x = layers.GroupNormalization(groups=-1)(x)  # instance norm: batch statistics would leak across samples
    return layers.LeakyReLU(0.2)(x)


def _up(x, skip, filters: int):
    x = layers.UpSampling2D(interpolation="nearest")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.GroupNormalization(groups=-1)(x)
    x = layers.ReLU()(x)
    return layers.Concatenate()([x, skip])


def build_unet(input_shape=MNIST_SHAPE, base_filters: int = 32, name: str = "unet") -> keras.Model:
    """The pix2pix / CycleGAN generator at digit size: 28 -> 14 -> 7 and back, each level's features
    concatenated to the decoder at the same size (the skip connections carry the outline straight
    across, so the bottleneck only has to decide *what* goes where).  ``(N, 28, 28, C)`` -> tanh images."""
    shape = _check_image_shape(input_shape)
    if shape[0] % 4 or shape[1] % 4:
        raise ValueError(f"the U-Net halves the image twice: height and width must be multiples of 4, got {shape}.")
    _check_positive_int("base_filters", base_filters)
    images = keras.Input(shape, name="inputs")
    s1 = layers.LeakyReLU(0.2)(layers.Conv2D(base_filters, 3, padding="same")(images))  # 28
    s2 = _down(s1, base_filters * 2)  # 14
    bottom = _down(s2, base_filters * 4)  # 7
    bottom = layers.ReLU()(layers.Conv2D(base_filters * 4, 3, padding="same")(bottom))
    x = _up(bottom, s2, base_filters * 2)  # 14
    x = _up(x, s1, base_filters)  # 28
    out = layers.Conv2D(shape[-1], 3, padding="same", activation="tanh", dtype="float32")(x)
    return keras.Model(images, out, name=name)


PATCHGAN_LAYERS = ((4, 2), (4, 2), (3, 1))  # (kernel, stride) of the PatchGAN's convolutions: 18x18 patches
# CycleGAN's discriminators: one more stride-2 layer, a 4x4 grid of 38x38 patches, each the whole digit.  Between
# the two digit datasets the difference is in the strokes' shapes, not only in local texture.
WHOLE_DIGIT_LAYERS = ((4, 2), (4, 2), (4, 2), (3, 1))


def receptive_field(layer_specs=PATCHGAN_LAYERS) -> int:
    """The receptive field in input pixels of one output unit of a stack of ``(kernel, stride)`` convolutions:
    r = 1 + sum_i (k_i - 1) * prod_{j < i} s_j."""
    field, jump = 1, 1
    for kernel, stride in layer_specs:
        field += (kernel - 1) * jump
        jump *= stride
    return field


def build_patchgan(
    input_shape=MNIST_SHAPE,
    condition_channels: int = 0,
    base_filters: int = 32,
    name: str = "patchgan",
    layer_specs=PATCHGAN_LAYERS,
    num_classes: int = 0,
) -> keras.Model:
    """A PatchGAN: one logit per overlapping patch (:func:`receptive_field` pixels wide, 18 by default), a 7x7
    grid on a 28x28 image.  With ``condition_channels`` it judges pairs ``[condition, image]`` (pix2pix).
    ``layer_specs``: the ``(kernel, stride)`` of each convolution, the last one making the logits.  With
    ``num_classes`` it also says which class the image shows (an auxiliary classifier on the pooled features, as
    in AC-GAN): outputs ``[patch logits, class logits]``."""
    shape = _check_image_shape(input_shape)
    _check_num_classes(num_classes)
    specs = tuple(tuple(spec) for spec in layer_specs)
    if len(specs) < 2 or any(len(spec) != 2 or min(spec) < 1 for spec in specs):
        raise ValueError(f"layer_specs must be >= 2 pairs (kernel, stride) of positive integers, got {layer_specs!r}.")
    image = keras.Input(shape, name="images")
    inputs, x = [image], image
    if condition_channels:
        condition = keras.Input(shape[:2] + (condition_channels,), name="condition")
        inputs = [condition, image]
        x = layers.Concatenate()([condition, image])
    for i, (kernel, stride) in enumerate(specs[:-1]):
        x = layers.Conv2D(base_filters * 2**i, kernel, strides=stride, padding="same", use_bias=i == 0)(x)
        if i:
            x = layers.GroupNormalization(groups=-1)(x)
        x = layers.LeakyReLU(0.2)(x)
    kernel, stride = specs[-1]
    logits = layers.Conv2D(1, kernel, strides=stride, padding="same", dtype="float32")(x)
    outputs = logits
    if num_classes:
        outputs = [logits, layers.Dense(num_classes, dtype="float32")(layers.GlobalAveragePooling2D()(x))]
    return keras.Model(inputs if condition_channels else image, outputs, name=name)


def build_sr_generator(scale: int = 4, filters: int = 64, blocks: int = 4, name: str = "sr_generator") -> keras.Model:
    """SRGAN's generator at digit size: a 7x7 image, ``blocks`` residual blocks, then ``log2(scale)`` stages of
    convolution + :class:`PixelShuffle` (x2 each) + PReLU, tanh output ``(N, 7 * scale, 7 * scale, 1)``."""
    if scale not in (2, 4):
        raise ValueError(f"scale must be 2 or 4, got {scale!r}.")
    _check_positive_int("filters", filters)
    low = keras.Input((28 // scale, 28 // scale, 1), name="low_resolution")
    x = first = layers.PReLU(shared_axes=[1, 2])(layers.Conv2D(filters, 5, padding="same")(low))
    for _ in range(blocks):
        y = layers.PReLU(shared_axes=[1, 2])(layers.Conv2D(filters, 3, padding="same")(x))
        x = layers.Add()([x, layers.Conv2D(filters, 3, padding="same")(y)])
    x = layers.Add()([x, first])
    for _ in range({2: 1, 4: 2}[scale]):
        x = layers.Conv2D(filters * 4, 3, padding="same")(x)
        x = layers.PReLU(shared_axes=[1, 2])(PixelShuffle(2)(x))
    out = layers.Conv2D(1, 5, padding="same", activation="tanh", dtype="float32")(x)
    return keras.Model(low, out, name=name)


# -- the three tasks -------------------------------------------------------------------------
TASKS = ("pix2pix", "cyclegan", "srgan")


@dataclass(frozen=True)
class TranslationTask:
    """The arrays of one task.  ``train(gan, train_images, labels=train_inputs)``: for pix2pix and SR the
    targets and their paired inputs; for CycleGAN domain A (scikit-learn digits, repeated to the length of B)
    and domain B (MNIST), unpaired.  ``test_inputs`` are held-out inputs with their true digits
    ``test_labels`` (and, where paired, ``test_targets``)."""

    name: str
    train_images: np.ndarray
    train_inputs: np.ndarray
    test_inputs: np.ndarray
    test_labels: np.ndarray
    test_targets: np.ndarray | None
    description: str
    # The digit of each training image (SR: of each pair; CycleGAN: of each image of A and of B), for class-aware models
    train_classes: tuple[np.ndarray, ...] | None = None

    def labels_for(self, gan) -> np.ndarray | tuple:
        """What ``train(gan, task.train_images, labels=...)`` takes: the paired inputs or domain B, and for a
        class-aware model also the classes (of the pairs; of both CycleGAN domains)."""
        if getattr(gan, "num_classes", 0) and self.train_classes is not None:
            return (self.train_inputs, *self.train_classes)
        return self.train_inputs


def load_task(name: str, seed: int = 0) -> TranslationTask:
    """``pix2pix`` (edge map -> digit), ``cyclegan`` (scikit-learn digits <-> MNIST) or ``srgan`` (7x7 -> 28x28).

    MNIST comes from the classifier's fixed split of the 5,000 offline digits: the models train on its 3,000
    training digits and are measured on the 1,000 test digits (lesson 08's reference digits stay the FID
    reference).  scikit-learn's 1,797 digits: 1,297 to train on, 500 held out."""
    from .classifier import digit_splits
    from .data import load_digits

    if name not in TASKS:
        raise ValueError(f"Unknown translation task {name!r}; choose one of {', '.join(TASKS)}.")
    splits = digit_splits()
    (train_x, train_y), (test_x, test_y) = splits.train, splits.test
    train_x, test_x = np.array(train_x), np.array(test_x)
    if name == "pix2pix":
        return TranslationTask(
            name, train_x, edge_map(train_x), edge_map(test_x), test_y, test_x, "MNIST edge maps -> digits"
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
        )
    sk = load_digits()
    order = np.random.default_rng(seed).permutation(len(sk.images))
    held_out, kept = order[:500], order[500:]
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
    )


def do_nothing(task: TranslationTask) -> np.ndarray:
    """The baseline every model of the task must beat, on its held-out inputs: the inputs themselves (edge
    maps, blocky digits), or for super-resolution their bicubic upsampling to 28x28."""
    return bicubic(task.test_inputs) if task.name == "srgan" else task.test_inputs


def evaluate_outputs(images, labels) -> dict:
    """How well outputs keep their digit: the share read as the true digit by the shipped classifier and by
    :func:`gan_lessons.classifier.independent_classifier`, and the classifier-feature FID against lesson 08's
    reference digits."""
    from .classifier import accuracy, features_and_probabilities, independent_classifier, reference_features
    from .metrics import as_unit_images, fid

    images = as_unit_images(images)
    labels = np.asarray(labels)
    if len(labels) != len(images):
        raise ValueError(f"{len(labels)} labels for {len(images)} images: give the true digit of each.")
    features, probabilities = features_and_probabilities(images)
    return {
        "accuracy": float(np.mean(probabilities.argmax(axis=1) == labels)),
        "independent_accuracy": accuracy(independent_classifier(), images, labels),
        "fid": fid(features, reference_features()),
    }


# -- measuring super-resolution ------------------------------------------------------------
def psnr(images, targets) -> float:
    """Peak signal-to-noise ratio in dB of ``images`` against ``targets`` (both in [-1, 1]; peak-to-peak 2),
    from the mean squared error over all pixels: higher is closer, pixel by pixel."""
    images, targets = _check_images(images), _check_images(targets, "targets")
    if images.shape != targets.shape:
        raise ValueError(f"images {images.shape} and targets {targets.shape} must have the same shape.")
    mse = float(np.mean((images.astype(np.float64) - targets) ** 2))
    return float("inf") if mse == 0 else 10.0 * np.log10(4.0 / mse)


def sharpness(images) -> float:
    """The mean Sobel gradient magnitude of images in [-1, 1]: how crisp the strokes' edges are.  A blurred
    digit has small gradients spread wide; real MNIST digits have large ones on a thin rim."""
    return float(np.mean(_sobel_magnitude((_check_images(images)[..., 0].astype(np.float64) + 1.0) / 2.0)))


def train_without_adversary(task: TranslationTask, steps: int, batch_size: int = 32, seed: int = 0):
    """The task's generator trained on its pixel loss alone, no discriminator: for ``pix2pix`` the U-Net on
    L1 (pix2pix's lambda -> infinity), for ``srgan`` the upscaler on the pixel MSE (the "L2 network" of the
    super-resolution trade-off).  Returns the trained generator."""
    import tensorflow as tf

    _check_positive_int("steps", steps)
    _check_positive_int("batch_size", batch_size)
    if task.name not in ("pix2pix", "srgan"):
        raise ValueError(f"only the paired tasks (pix2pix, srgan) have a pixel loss, got {task.name!r}.")
    keras.utils.set_random_seed(seed)
    generator = build_unet() if task.name == "pix2pix" else build_sr_generator(filters=32)
    loss = "mae" if task.name == "pix2pix" else "mse"
    generator.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=loss)
    pairs = tf.data.Dataset.from_tensor_slices((task.train_inputs, task.train_images))
    batches = pairs.shuffle(len(task.train_images), seed=seed).repeat().batch(batch_size, drop_remainder=True)
    generator.fit(batches, steps_per_epoch=steps, epochs=1, shuffle=False, verbose=0)
    return generator


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


def trained_model(name: str, train: bool = False, checkpoint=None, setup=None, seed: int = 0, callbacks=()):
    """Lesson 10's model ``name`` (``pix2pix``, ``srgan`` or ``cyclegan``), ready to translate.

    ``train=True``: trained here at its budget (:func:`gan_lessons.config.budget`, small in fast mode), resuming
    from ``checkpoint`` (a folder) if it holds one.  Otherwise the recipe's model with the shipped generator
    weights from ``data/`` (both generators of the CycleGAN), checked by SHA-256."""
    from . import pretrained
    from .config import budget
    from .recipes import get_recipe
    from .training import train as train_gan

    if name not in TASKS:
        raise ValueError(f"Unknown translation model {name!r}; choose one of {', '.join(TASKS)}.")
    recipe = get_recipe(name)
    gan = recipe.build(seed, setup)
    if not train:
        pretrained.load_generator(name, gan.generator)
        if hasattr(gan, "generator_ba"):  # a CycleGAN: its way back ships too
            pretrained.load_generator(name, gan.generator_ba, part="generator_ba")
        return gan
    _, images, labels = recipe.training_data(gan, seed)  # what `gan-lessons train NAME` trains on
    plan = budget(name)
    train_gan(
        gan,
        images,
        labels=labels,
        steps=plan.steps,
        batch_size=plan.batch_size,
        steps_per_epoch=plan.steps_per_epoch,
        seed=seed,
        checkpoint=checkpoint,
        callbacks=callbacks,
        verbose=2,
    )
    return gan


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
