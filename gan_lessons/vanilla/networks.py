"""Lesson 02's networks: a multilayer-perceptron generator and discriminator for MNIST, and
the vanilla GAN as the CLI trains it.  Generators map noise ``(batch, latent_dim)`` to images in
``[-1, 1]`` (tanh); discriminators map images to one *logit* each (no sigmoid: the losses in
:mod:`gan_lessons.core.losses` apply it stably).  The last layer computes in float32, so the models also
work under ``mixed_float16``.  Taught in ``02_vanilla_gan``.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers

from ..core.device import DeviceSetup
from ..core.gan import GAN
from ..core.recipe import Recipe, build_and_compile
from ..core.validate import MNIST_SHAPE, check_image_shape, check_positive_int


def _check_units(hidden_units: Sequence[int]) -> tuple[int, ...]:
    units = tuple(hidden_units)
    if not units:
        raise ValueError("hidden_units must name at least one layer width, e.g. (256, 512).")
    for u in units:
        check_positive_int("each entry of hidden_units", u)
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
    check_positive_int("latent_dim", latent_dim)
    shape = check_image_shape(image_shape)
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
    shape = check_image_shape(image_shape)
    units = _check_units(hidden_units)
    images = keras.Input(shape, name="images")
    x = layers.Flatten()(images)
    for width in units:
        x = layers.Dense(width)(x)
        x = layers.LeakyReLU(0.2)(x)
    logits = layers.Dense(1, dtype="float32", name="logit")(x)
    return keras.Model(images, logits, name=name)


def compiled_gan(seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 100) -> GAN:
    """The MLP GAN of lesson 02: classic generator/discriminator, Adam(2e-4, beta_1=0.5),
    non-saturating generator loss."""

    def players():
        return build_mlp_generator(latent_dim=latent_dim), build_mlp_discriminator()

    return build_and_compile("vanilla_gan", players, seed, setup, convolutional=False)


RECIPE = Recipe("vanilla", "mnist", compiled_gan, "MLP GAN on MNIST (lesson 02)")
