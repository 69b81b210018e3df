"""Reference answers of lesson 02's exercises."""

from __future__ import annotations

from keras import ops


def generator_loss(fake_logits):
    """Lesson 02, exercise 1: -mean(log sigmoid(l)) written stably as mean(softplus(-l))."""
    return ops.mean(ops.softplus(-ops.cast(fake_logits, "float32")))


FIRST_LAYER_PARAMS = 100 * 256 + 256  # lesson 02, exercise 2


D_AT_EQUILIBRIUM = 0.5  # lesson 02, exercise 3


def train_step(generator, discriminator, g_optimizer, d_optimizer, real, z):
    """Lesson 02, section 4's checked exercise: one discriminator update, then one generator update against the
    updated D."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        fake = generator(z, training=True)
        real_logits, fake_logits = discriminator(real, training=True), discriminator(fake, training=True)
        d_loss = ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))
    d_optimizer.apply(tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)
    with tf.GradientTape() as tape:
        g_loss = ops.mean(ops.softplus(-discriminator(generator(z, training=True), training=True)))
    g_optimizer.apply(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables)
    return d_loss, g_loss
