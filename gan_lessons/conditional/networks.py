"""Lesson 04's networks: a generator conditioned on an embedded label and a projection
discriminator (Miyato & Koyama 2018), the cGAN as the CLI trains it, and the digit picker.
Taught in ``04_conditional_gan``.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers

from ..core.device import DeviceSetup
from ..core.gan import GAN
from ..core.inference import predict
from ..core.plotting import interpolate
from ..core.recipe import Recipe, build_and_compile
from ..core.validate import MNIST_SHAPE
from ..core.validate import check_positive_int as _check_positive_int
from ..dcgan.latent import _digit_figure
from ..dcgan.networks import _check_dcgan_shape, _dcgan_features, _dcgan_synthesis, dcgan_init
from ..tools.notebook import with_static_view
from .gan import ConditionalGAN


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


def compiled_gan(
    seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 100, base_filters: int = 128
) -> GAN:
    """The conditional GAN of lesson 04: lesson 03's DCGAN with the label embedded and concatenated to
    ``z`` in the generator, and a projection discriminator; the same optimizers and loss."""

    def players():
        return build_cgan_generator(latent_dim=latent_dim, base_filters=base_filters), build_cgan_discriminator()

    return build_and_compile("cgan", players, seed, setup, convolutional=True, gan_class=ConditionalGAN)


RECIPE = Recipe(
    "cgan", "mnist", compiled_gan, "conditional DCGAN on MNIST: digits on request (lesson 04)", conditional=True
)


def conditional_digit(generator, digit: int, style: int = 0, morph: float = 0.0) -> np.ndarray:
    """The image a conditional generator draws for ``digit`` at a point of its latent space: ``z`` moves
    along the great circle from the noise of seed ``style`` (``morph`` = 0) to that of ``style + 1``
    (``morph`` = 1).  Returns ``(28, 28, 1)`` in [-1, 1].  Lesson 04's digit picker calls it."""

    if not 0.0 <= morph <= 1.0:
        raise ValueError(f"morph must be between 0 and 1, got {morph!r}.")
    latent_dim = generator.input_shape[0][-1]
    ends = [np.random.default_rng(s).standard_normal(latent_dim).astype(np.float32) for s in (style, style + 1)]
    path = interpolate(ends[0], ends[1], n=101, kind="spherical")
    z = path[int(round(morph * 100))][None]
    return predict(generator, [z, np.array([digit], np.int32)])[0]


def digit_picker(generator, num_classes: int = 10):
    """Lesson 04: buttons pick the digit, sliders pick the style (a noise seed) and move through the
    latent space; the conditional generator redraws the digit."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    digit = widgets.ToggleButtons(options=list(range(num_classes)), value=7, description="digit")
    digit.style.button_width = "2.2em"
    style = widgets.IntSlider(value=0, min=0, max=99, description="style (seed)")
    morph = widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05, description="latent path")

    def draw(digit, style, morph):
        _digit_figure(conditional_digit(generator, digit, style, morph))
        plt.show()

    out = widgets.interactive_output(draw, {"digit": digit, "style": style, "morph": morph})
    first = _digit_figure(conditional_digit(generator, digit.value, style.value, morph.value))
    return with_static_view(widgets.VBox([digit, widgets.HBox([widgets.VBox([style, morph]), out])]), figure=first)
