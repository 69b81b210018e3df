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
