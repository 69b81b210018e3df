"""Keras models of the course.

Generators map noise ``(batch, latent_dim)`` to images ``(batch, H, W, C)`` in
``[-1, 1]`` (tanh output); discriminators map images to one *logit* per image
(no sigmoid: the losses in :mod:`gan_lessons.losses` apply it stably).
The last layer of each model computes in float32, so the models also work
under the ``mixed_float16`` policy (see :mod:`gan_lessons.device`).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

MNIST_SHAPE = (28, 28, 1)


def _check_positive_int(name: str, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")


def _check_num_classes(num_classes) -> None:
    """A discriminator's auxiliary classifier: 0 (none) or at least 2 classes."""
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 0 or num_classes == 1:
        raise ValueError(f"num_classes must be 0 (no classifier) or >= 2, got {num_classes!r}.")


def _check_image_shape(image_shape) -> tuple[int, int, int]:
    shape = tuple(image_shape)
    if len(shape) != 3 or not all(isinstance(s, int) and s > 0 for s in shape):
        raise ValueError(
            f"image_shape must be (height, width, channels) of positive integers, got {image_shape!r}; "
            "for MNIST use (28, 28, 1)."
        )
    return shape


def _check_units(hidden_units: Sequence[int]) -> tuple[int, ...]:
    units = tuple(hidden_units)
    if not units:
        raise ValueError("hidden_units must name at least one layer width, e.g. (256, 512).")
    for u in units:
        _check_positive_int("each entry of hidden_units", u)
    return units


def build_mlp_generator(
    latent_dim: int = 100,
    image_shape: Sequence[int] = MNIST_SHAPE,
    hidden_units: Sequence[int] = (256, 512, 1024),
    name: str = "generator",
) -> keras.Model:
    """The classic MLP generator: Dense -> LeakyReLU(0.2) -> BatchNorm per layer, tanh output.

    Noise ``(batch, latent_dim)`` -> images ``(batch, *image_shape)`` in [-1, 1].
    Taught in ``02_vanilla_gan``.
    """
    _check_positive_int("latent_dim", latent_dim)
    shape = _check_image_shape(image_shape)
    units = _check_units(hidden_units)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for width in units:
        x = layers.Dense(width)(x)
        x = layers.LeakyReLU(0.2)(x)
        x = layers.BatchNormalization(momentum=0.8)(x)
    x = layers.Dense(shape[0] * shape[1] * shape[2])(x)
    x = layers.Activation("tanh", dtype="float32")(x)
    images = layers.Reshape(shape, dtype="float32")(x)
    return keras.Model(z, images, name=name)


def build_mlp_discriminator(
    image_shape: Sequence[int] = MNIST_SHAPE,
    hidden_units: Sequence[int] = (512, 256),
    name: str = "discriminator",
) -> keras.Model:
    """The classic MLP discriminator: Flatten -> (Dense -> LeakyReLU(0.2)) per layer -> 1 logit.

    Images ``(batch, *image_shape)`` in [-1, 1] -> logits ``(batch, 1)``.
    Taught in ``02_vanilla_gan``.
    """
    shape = _check_image_shape(image_shape)
    units = _check_units(hidden_units)
    images = keras.Input(shape, name="images")
    x = layers.Flatten()(images)
    for width in units:
        x = layers.Dense(width)(x)
        x = layers.LeakyReLU(0.2)(x)
    logits = layers.Dense(1, dtype="float32", name="logit")(x)
    return keras.Model(images, logits, name=name)


# -- DCGAN (lesson 03) ---------------------------------------------------------
def dcgan_init() -> keras.initializers.Initializer:
    """The DCGAN paper's initialisation: every weight drawn from N(0, 0.02)."""
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


def _dcgan_batch_norm() -> layers.Layer:
    # The DCGAN paper also initialises the batch-norm scale near 1 with std 0.02.
    return layers.BatchNormalization(gamma_initializer=keras.initializers.RandomNormal(1.0, 0.02))


def _check_dcgan_shape(image_shape) -> tuple[int, int, int]:
    shape = _check_image_shape(image_shape)
    if shape[0] % 4 or shape[1] % 4:
        raise ValueError(
            f"The DCGAN models halve the image size twice, so height and width must be divisible by 4; "
            f"got image_shape={shape}. Pad or resize the images (MNIST's 28x28 works)."
        )
    return shape


def build_dcgan_generator(
    latent_dim: int = 100,
    image_shape: Sequence[int] = MNIST_SHAPE,
    base_filters: int = 128,
    upsampling: str = "transposed",
    name: str = "generator",
) -> keras.Model:
    """DCGAN generator: project and reshape, then two 2x upsamplings to the image size.

    ``z (batch, latent_dim)`` -> Dense to ``(H/4, W/4, 2*base_filters)`` -> BN -> ReLU
    -> 2x up to ``base_filters`` channels -> BN -> ReLU -> 2x up to ``C`` channels -> tanh,
    so images ``(batch, H, W, C)`` in [-1, 1].  ``upsampling="transposed"`` uses
    ``Conv2DTranspose(kernel 4, stride 2)`` -- a kernel divisible by the stride, which avoids
    the checkerboard artefacts of kernel 3 or 5; ``"resize"`` uses nearest-neighbour
    upsampling followed by a 3x3 convolution (no checkerboard by construction).
    Taught in ``03_dcgan``.
    """
    _check_positive_int("latent_dim", latent_dim)
    _check_positive_int("base_filters", base_filters)
    h, w, c = _check_dcgan_shape(image_shape)
    if upsampling not in ("transposed", "resize"):
        raise ValueError(f"upsampling must be 'transposed' or 'resize', got {upsampling!r}.")
    z = keras.Input((latent_dim,), name="z")
    return keras.Model(z, _dcgan_synthesis(z, (h, w, c), base_filters, upsampling), name=name)


def _dcgan_synthesis(x, image_shape, base_filters: int, upsampling: str):
    """The DCGAN generator's body, from a vector to images in [-1, 1] (shared with the conditional one)."""
    h, w, c = image_shape
    init = dcgan_init()

    def up(x, filters, **kwargs):
        if upsampling == "transposed":
            return layers.Conv2DTranspose(filters, 4, strides=2, padding="same", kernel_initializer=init, **kwargs)(x)
        x = layers.UpSampling2D(2, interpolation="nearest")(x)
        return layers.Conv2D(filters, 3, padding="same", kernel_initializer=init, **kwargs)(x)

    x = layers.Dense((h // 4) * (w // 4) * 2 * base_filters, use_bias=False, kernel_initializer=init)(x)
    x = layers.Reshape((h // 4, w // 4, 2 * base_filters))(x)
    x = layers.ReLU()(_dcgan_batch_norm()(x))
    x = up(x, base_filters, use_bias=False)
    x = layers.ReLU()(_dcgan_batch_norm()(x))
    x = up(x, c)
    return layers.Activation("tanh", dtype="float32", name="tanh")(x)


def build_dcgan_discriminator(
    image_shape: Sequence[int] = MNIST_SHAPE,
    base_filters: int = 64,
    name: str = "discriminator",
    num_classes: int = 0,
) -> keras.Model:
    """DCGAN discriminator: two stride-2 convolutions (no pooling) with LeakyReLU(0.2), one logit.

    Images ``(batch, H, W, C)`` in [-1, 1] -> Conv 4x4/2 (no BN on the input layer, as in the
    paper) -> LeakyReLU -> Conv 4x4/2 -> BN -> LeakyReLU -> Flatten -> Dense -> logits ``(batch, 1)``
    (float32 even under mixed precision).  Taught in ``03_dcgan``.  With ``num_classes`` it also says which
    class the image shows (an auxiliary classifier on the same features, as in AC-GAN): outputs
    ``[logits, class logits (batch, num_classes)]``.
    """
    _check_positive_int("base_filters", base_filters)
    _check_num_classes(num_classes)
    shape = _check_dcgan_shape(image_shape)
    images = keras.Input(shape, name="images")
    # The head is made before the body, as it always was: its initializer draws its seed first, so the shipped
    # models' initial weights stay what a fixed seed gave them.
    head = layers.Dense(1, dtype="float32", kernel_initializer=dcgan_init(), name="logit")
    features = _dcgan_features(images, base_filters)
    logits = head(features)
    if num_classes:
        logits = [logits, layers.Dense(num_classes, dtype="float32", name="class_logits")(features)]
    return keras.Model(images, logits, name=name)


def _dcgan_features(images, base_filters: int):
    """The DCGAN discriminator's body: two stride-2 convolutions, flattened features."""
    init = dcgan_init()
    x = layers.Conv2D(base_filters, 4, strides=2, padding="same", kernel_initializer=init)(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(2 * base_filters, 4, strides=2, padding="same", use_bias=False, kernel_initializer=init)(x)
    x = layers.LeakyReLU(0.2)(_dcgan_batch_norm()(x))
    return layers.Flatten()(x)


# -- WGAN-GP critic (lesson 05) ---------------------------------------------------
def build_wgan_critic(
    image_shape: Sequence[int] = MNIST_SHAPE,
    base_filters: int = 64,
    name: str = "critic",
) -> keras.Model:
    """The DCGAN discriminator made a WGAN-GP critic: layer norm instead of batch norm, and one raw
    score per image -- no sigmoid (it is a score, not a probability).

    Batch norm would make each image's score depend on the rest of the batch, while the gradient
    penalty constrains the gradient of the score of *each* image.  Taught in ``05_wgan_gp``.
    """
    _check_positive_int("base_filters", base_filters)
    shape = _check_dcgan_shape(image_shape)
    init = dcgan_init()
    images = keras.Input(shape, name="images")
    x = layers.Conv2D(base_filters, 4, strides=2, padding="same", kernel_initializer=init)(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(2 * base_filters, 4, strides=2, padding="same", kernel_initializer=init)(x)
    x = layers.LeakyReLU(0.2)(layers.LayerNormalization(axis=[1, 2, 3])(x))
    x = layers.Flatten()(x)
    scores = layers.Dense(1, dtype="float32", kernel_initializer=init, name="score")(x)
    return keras.Model(images, scores, name=name)


# -- conditional GAN (lesson 04) -------------------------------------------------
def build_cgan_generator(
    latent_dim: int = 100,
    num_classes: int = 10,
    image_shape: Sequence[int] = MNIST_SHAPE,
    base_filters: int = 128,
    embedding_dim: int = 50,
    name: str = "generator",
) -> keras.Model:
    """Conditional DCGAN generator: ``[z (batch, latent_dim), labels (batch,) int]`` -> images.

    The label picks a learned embedding (``embedding_dim`` numbers) that is concatenated to
    ``z``; the rest is :func:`build_dcgan_generator`'s body.  Taught in ``04_conditional_gan``.
    """
    for key, value in (("latent_dim", latent_dim), ("num_classes", num_classes), ("embedding_dim", embedding_dim)):
        _check_positive_int(key, value)
    _check_positive_int("base_filters", base_filters)
    shape = _check_dcgan_shape(image_shape)
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((), dtype="int32", name="labels")
    label_code = layers.Embedding(num_classes, embedding_dim, name="label_embedding")(labels)
    x = layers.Concatenate()([z, label_code])
    return keras.Model([z, labels], _dcgan_synthesis(x, shape, base_filters, "transposed"), name=name)


@keras.saving.register_keras_serializable(package="gan_lessons")
class LabelProjection(layers.Layer):
    """``<embed(label), features>``: the label term of a projection discriminator (Miyato & Koyama, 2018)."""

    def __init__(self, num_classes: int, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = int(num_classes)

    def build(self, input_shape):
        features_shape, _ = input_shape
        self.embeddings = self.add_weight(
            shape=(self.num_classes, int(features_shape[-1])), initializer=dcgan_init(), name="embeddings"
        )

    def call(self, inputs):
        features, labels = inputs
        chosen = keras.ops.take(self.embeddings, keras.ops.cast(labels, "int32"), axis=0)
        return keras.ops.sum(keras.ops.cast(chosen, features.dtype) * features, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], 1)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}


def build_cgan_discriminator(
    num_classes: int = 10,
    image_shape: Sequence[int] = MNIST_SHAPE,
    base_filters: int = 64,
    name: str = "discriminator",
) -> keras.Model:
    """Projection discriminator: ``[images, labels]`` -> logits ``(batch, 1)``.

    ``logit = w . phi(x) + <embed(y), phi(x)>`` with ``phi`` :func:`build_dcgan_discriminator`'s
    body: the first term judges "is it a digit at all", the second "is it *this* digit".  Taught
    in ``04_conditional_gan``.
    """
    _check_positive_int("num_classes", num_classes)
    _check_positive_int("base_filters", base_filters)
    shape = _check_dcgan_shape(image_shape)
    images = keras.Input(shape, name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    features = _dcgan_features(images, base_filters)
    unconditional = layers.Dense(1, kernel_initializer=dcgan_init(), name="logit")(features)
    projection = LabelProjection(num_classes, name="label_projection")([features, labels])
    logits = layers.Add(dtype="float32", name="logits")([unconditional, projection])
    return keras.Model([images, labels], logits, name=name)
