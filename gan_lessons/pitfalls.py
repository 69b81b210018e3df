"""Code that looks right and is wrong: the spot-the-bug material of the lessons.

Taught in ``02_vanilla_gan``.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from .models import build_mlp_discriminator, build_mlp_generator


@dataclass(frozen=True)
class Keras2RecipeResult:
    d_weights_changed: bool  # did any discriminator weight move at all?
    d_loss: list[float]  # per step: mean of the losses on the real and fake half-batches
    g_loss: list[float]  # per step: loss of the combined model (wants D(G(z)) = 1)
    generator: object = None  # the generator this recipe trained (lesson 08 measures its samples)


def keras2_recipe(images: np.ndarray, steps: int, batch_size: int = 64, seed: int = 0) -> Keras2RecipeResult:
    """Run the widespread Keras 2 GAN recipe, unchanged, under Keras 3.

    The recipe: compile the discriminator; set ``discriminator.trainable = False``;
    stack generator and discriminator into a combined model and compile it; then
    alternate ``discriminator.train_on_batch`` on real/fake halves and
    ``combined.train_on_batch`` on noise labelled "real".
    """
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    latent_dim = 100
    generator = build_mlp_generator(latent_dim)
    discriminator = build_mlp_discriminator()
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    discriminator.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=bce)

    discriminator.trainable = False  # "freeze D inside the combined model only" -- in Keras 2
    z = keras.Input((latent_dim,))
    combined = keras.Model(z, discriminator(generator(z)))
    combined.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss=bce)

    before = [keras.ops.convert_to_numpy(w) for w in discriminator.weights]
    ones, zeros = np.ones((batch_size, 1)), np.zeros((batch_size, 1))
    d_losses, g_losses = [], []
    for _ in range(steps):
        real = images[rng.integers(0, len(images), batch_size)]
        noise = rng.standard_normal((batch_size, latent_dim)).astype("float32")
        fake = generator.predict(noise, verbose=0)
        d_real = discriminator.train_on_batch(real, ones)
        d_fake = discriminator.train_on_batch(fake, zeros)
        g_loss = combined.train_on_batch(noise, ones)
        d_losses.append(0.5 * (float(d_real) + float(d_fake)))
        g_losses.append(float(g_loss))
    after = [keras.ops.convert_to_numpy(w) for w in discriminator.weights]
    changed = any(not np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    return Keras2RecipeResult(changed, d_losses, g_losses, generator)


# -- lesson 06: a "StyleGAN block" as widely shared notebooks write it -------------------------------
class FlawedStyleBlock(keras.layers.Layer):
    """Spot the three bugs (lesson 06).  It runs, and its output has the right shape, but:

    1. its convolution and style layers are made *inside* ``call``: new, untrained weights on every call,
       never tracked, so ``summary()`` reports 0 parameters and no optimizer can train them;
    2. it computes a scale and bias from ``w`` and never applies them: the style is ignored;
    3. it adds unit noise with no learned strength: every channel gets the same, full-strength noise.
    """

    def __init__(self, filters: int, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters

    def call(self, inputs):
        from keras import layers, ops

        x, w = inputs
        x = keras.Sequential([layers.Conv2D(self.filters, 3, padding="same")])(x)  # bug 1
        x = x + keras.random.normal(ops.shape(x))  # bug 3
        mean = ops.mean(x, axis=(1, 2), keepdims=True)
        std = ops.std(x, axis=(1, 2), keepdims=True)
        x = (x - mean) / (std + 1e-8)
        style = layers.Dense(2 * self.filters)(w)  # bug 1 again
        scale, bias = style[:, : self.filters], style[:, self.filters :]  # noqa: F841 -- bug 2: never used
        return x


def sigmoid_critic(hidden: int = 64):
    """Lesson 05's drill: a "WGAN critic" copied from a discriminator, sigmoid and batch norm included.

    Its score is squeezed into (0, 1), so ``E f(x) - E f(G(z))`` can never exceed 1 and its gradient
    vanishes where the sigmoid saturates; batch norm makes each sample's score depend on the rest of the
    batch, so the per-sample gradient penalty penalises the wrong function."""
    return keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(hidden),
            keras.layers.BatchNormalization(),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="flawed_critic",
    )
