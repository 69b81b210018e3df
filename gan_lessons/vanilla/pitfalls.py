"""Lesson 02's pitfall, run for real: the Keras 2 recipe (``trainable = False`` and a combined
model) under Keras 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from .networks import build_mlp_discriminator, build_mlp_generator


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
