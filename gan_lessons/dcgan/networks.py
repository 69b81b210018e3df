"""Lesson 03's networks: the DCGAN generator and discriminator (Radford et al. 2016), and the
DCGAN as the CLI trains it.  Taught in ``03_dcgan``.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

from ..core.device import DeviceSetup
from ..core.gan import GAN
from ..core.recipe import Recipe, build_and_compile
from ..core.validate import MNIST_SHAPE, check_image_shape, check_num_classes
from ..core.validate import check_positive_int as _check_positive_int


def dcgan_init() -> keras.initializers.Initializer:
    """The DCGAN paper's initialisation: every weight drawn from N(0, 0.02)."""
    return keras.initializers.RandomNormal(mean=0.0, stddev=0.02)


def _dcgan_batch_norm() -> layers.Layer:
    # The DCGAN paper gives only N(0, 0.02), for the weights; the batch-norm scale drawn from N(1, 0.02) follows the
    # authors' reference code (Newmu/dcgan_code) and PyTorch's DCGAN example.
    return layers.BatchNormalization(gamma_initializer=keras.initializers.RandomNormal(1.0, 0.02))


def _check_dcgan_shape(image_shape) -> tuple[int, int, int]:
    shape = check_image_shape(image_shape)
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
    ``Conv2DTranspose(kernel 4, stride 2)`` -- a kernel divisible by the stride, so every output
    pixel gets the same number of kernel taps (kernel 3 or 5 overlap unevenly); that evens the
    overlap but does not rule out checkerboards, since the learned weights can still differ from tap
    to tap (Odena et al., 2016).  ``"resize"`` uses nearest-neighbour upsampling followed by a 3x3
    convolution: no uneven overlap by construction, the cure Odena et al. found robust.
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
    check_num_classes(num_classes)
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


def compiled_gan(
    seed: int = 0,
    setup: DeviceSetup | None = None,
    latent_dim: int = 100,
    base_filters: int = 128,
) -> GAN:
    """The DCGAN of lesson 03: strided convolutions, batch norm, ReLU in G and LeakyReLU in D,
    tanh output, N(0, 0.02) initialisation, Adam(2e-4, beta_1=0.5) for both players.

    The generator is twice as wide as the discriminator (``base_filters`` 128 vs 64)."""

    def players():
        return build_dcgan_generator(latent_dim=latent_dim, base_filters=base_filters), build_dcgan_discriminator()

    return build_and_compile("dcgan", players, seed, setup, convolutional=True)


RECIPE = Recipe("dcgan", "mnist", compiled_gan, "DCGAN on MNIST (lesson 03)")
