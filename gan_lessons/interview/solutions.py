"""The drills' flawed code, fixed (the tests feed these to the checks)."""

from __future__ import annotations

import keras
from keras import ops


# Lesson 09: the spot-the-bug drills (gan_lessons.interview.drills), fixed.
def make_trainers(generator, discriminator):
    """Drill "keras3-freeze": each player's optimizer updates that player's own variables, nothing else, so no
    trainable flag is needed.  Returns ``(train_d(real, fake), train_g(noise))``; each returns its loss."""
    import tensorflow as tf

    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    d_opt, g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)

    def train_d(real, fake):
        with tf.GradientTape() as tape:
            real_logits, fake_logits = discriminator(real, training=True), discriminator(fake, training=True)
            loss = bce(ops.ones_like(real_logits), real_logits) + bce(ops.zeros_like(fake_logits), fake_logits)
        d_opt.apply(tape.gradient(loss, discriminator.trainable_variables), discriminator.trainable_variables)
        return float(loss)

    def train_g(noise):
        with tf.GradientTape() as tape:
            fake_logits = discriminator(generator(noise, training=True), training=True)
            loss = bce(ops.ones_like(fake_logits), fake_logits)
        g_opt.apply(tape.gradient(loss, generator.trainable_variables), generator.trainable_variables)
        return float(loss)

    return train_d, train_g


def critic_update(critic, optimizer, real, fake, clip=0.01):
    """Drill "clip-gradients": WGAN clips the critic's *weights* after the update, not its gradients."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = ops.mean(critic(fake)) - ops.mean(critic(real))
    optimizer.apply(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)
    for weight in critic.trainable_variables:
        weight.assign(ops.clip(weight, -clip, clip))
    return loss


def critic_without_sigmoid(hidden: int = 64):
    """Drill "sigmoid-critic": the same critic with a linear output."""
    return keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(hidden), keras.layers.LeakyReLU(0.2), keras.layers.Dense(1)],
        name="critic",
    )


def digit_image(generated, i):
    """Drill "empty-slice": image ``i``'s only channel, a 2-D array imshow can draw."""
    return generated[i, :, :, 0]


def report(history):
    """Drill "format-a-list": the last value of each loss list, formatted."""
    return f"d_loss {history['d_loss'][-1]:.4f}  g_loss {history['g_loss'][-1]:.4f}"


def interpolation_weights(batch_size, seed=0):
    """Drill "normal-interpolation": one weight per sample from U[0, 1], shaped to broadcast over images."""
    return keras.random.uniform((batch_size, 1, 1, 1), seed=seed)


def gan_losses(real_logits, fake_logits):
    """Drill "swapped-labels": D labels real 1 and fake 0; G wants its fakes labelled 1."""
    d_loss = ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))
    g_loss = ops.mean(ops.softplus(-fake_logits))
    return d_loss, g_loss


def strided_discriminator():
    """Drill "max-pool-discriminator": stride-2 convolutions learn their downsampling (Radford et al., 2016)."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(64, 4, strides=2, padding="same"),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Conv2D(128, 4, strides=2, padding="same"),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )


def precision(real, fake, k=3):
    """Drill "precision-unique": the share of fakes within the k-th-neighbour radius of some real point
    (Kynkäänniemi et al., 2019)."""
    import numpy as np

    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    real_to_real = np.linalg.norm(real[:, None] - real[None], axis=-1)
    radii = np.sort(real_to_real, axis=1)[:, k]  # column 0 is each point itself
    fake_to_real = np.linalg.norm(fake[:, None] - real[None], axis=-1)
    return float(np.mean(np.any(fake_to_real <= radii[None, :], axis=1)))


def upsampling_generator(latent_dim=64):
    """Drill "swapped-strides": fractionally-strided (transposed) convolutions grow 7 -> 14 -> 28."""
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(7 * 7 * 64),
            keras.layers.Reshape((7, 7, 64)),
            keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(32, 4, strides=2, padding="same"),
            keras.layers.ReLU(),
            keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
        ]
    )


def gradient_penalty_update(critic, optimizer, real, fake, gp_weight=10.0):
    """Drill "clip-only-wgan-gp": no clipping; the penalty (||grad f(x_hat)|| - 1)^2 at random interpolates is
    part of the loss, inside the tape (Gulrajani et al., 2017)."""
    import tensorflow as tf

    real, fake = tf.convert_to_tensor(real), tf.convert_to_tensor(fake)
    weights = tf.random.uniform((real.shape[0],) + (1,) * (len(real.shape) - 1))
    with tf.GradientTape() as tape:
        x_hat = weights * real + (1 - weights) * fake
        with tf.GradientTape() as inner:
            inner.watch(x_hat)
            scores = critic(x_hat)
        grads = tf.reshape(inner.gradient(scores, x_hat), (real.shape[0], -1))
        penalty = tf.reduce_mean((tf.sqrt(tf.reduce_sum(grads**2, axis=1) + 1e-12) - 1.0) ** 2)
        loss = ops.mean(critic(fake)) - ops.mean(critic(real)) + gp_weight * penalty
    optimizer.apply(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)
    return loss


def discriminator_loss(real_logits, fake_logits):
    """Drill "d-loss-sign": -log D(x) - log(1 - D(G(z))), from logits."""
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))
