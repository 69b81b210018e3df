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
