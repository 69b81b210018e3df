"""Reference answers of lesson 05's exercises."""

from __future__ import annotations

import keras
from keras import ops


def gradient_penalty(critic, real, fake, weights):
    """Lesson 05, exercise 1: WGAN-GP's two-sided penalty at the interpolates (same as the package's)."""
    import tensorflow as tf

    mixed = weights * real + (1.0 - weights) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed)
    grads = tape.gradient(scores, mixed)
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=list(range(1, len(mixed.shape)))) + 1e-12)
    return ops.mean(ops.square(norms - 1.0))


def fixed_critic(hidden: int = 64):
    """Lesson 05, exercise 2: the drill's critic without the sigmoid, layer norm instead of batch norm."""
    return keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(hidden),
            keras.layers.LayerNormalization(),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(1),
        ],
        name="critic",
    )
