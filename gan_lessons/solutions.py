"""Reference answers to the exercises (spoilers!).  The tests run each one through its check."""

from __future__ import annotations

import math

import keras
from keras import ops


def generator_loss(fake_logits):
    """Lesson 02, exercise 1: -mean(log sigmoid(l)) written stably as mean(softplus(-l))."""
    return ops.mean(ops.softplus(-ops.cast(fake_logits, "float32")))


FIRST_LAYER_PARAMS = 100 * 256 + 256  # lesson 02, exercise 2
D_AT_EQUILIBRIUM = 0.5  # lesson 02, exercise 3

# Lesson 01
D_STAR = (5 / 7, 1 / 2, 2 / 7)  # exercise 1: p_data / (p_data + p_g) for (0.5, 0.3, 0.2) vs (0.2, 0.3, 0.5)
# Exercise 2: V = Σ p_data log D* + Σ p_g log(1 − D*). The pair is a mirror image (1 − D* reverses D*),
# so both sums are equal: V = 2 (0.5 log 5/7 + 0.3 log 1/2 + 0.2 log 2/7).
VALUE_AT_OPTIMUM = 2 * (0.5 * math.log(5 / 7) + 0.3 * math.log(1 / 2) + 0.2 * math.log(2 / 7))
GRADIENT_RATIO = 0.95 / 0.05  # exercise 3: (1 − D) / D at D = 0.05

# Lesson 08
FID_1D = (0 - 3) ** 2 + (2 - 1) ** 2  # exercise 1: (mu1 - mu2)^2 + (sigma1 - sigma2)^2
PRECISION_TOY = 0.5  # exercise 2
COPY_METRIC = "memorised_fraction"  # exercise 3

# Lesson 03
UPSAMPLED_SIZE = 7 * 2  # exercise 1: padding "same" multiplies the side by the stride
EVEN_KERNELS = [2, 4, 6]  # exercise 3: kernel sizes divisible by the stride 2
FIRST_CONV_PARAMS = 4 * 4 * 1 * 64 + 64  # exercise 4


def slerp(z0, z1, t):
    """Lesson 03, exercise 2: move along the great circle from z0 to z1."""
    import numpy as np

    cos = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


# Lesson 07
DIMENSION_EFFECT = "b"  # exercise 3
HALVING_FACTOR = 2**34  # exercise 4: (k n)^(-1/34) = n^(-1/34) / 2  =>  k = 2^34


def kde_density(x, points, bandwidth):
    """Lesson 07, exercise 1: the average of Gaussians of width ``bandwidth`` centred on the points."""
    import numpy as np

    points = np.asarray(points, dtype=np.float64)
    z = (x - points) / bandwidth
    return float(np.mean(np.exp(-0.5 * z**2)) / (bandwidth * np.sqrt(2 * np.pi)))


def pick_bandwidth(train, valid, grid):
    """Lesson 07, exercise 2: fit on ``train``, score ``valid``, keep the best grid value."""
    import numpy as np
    from sklearn.neighbors import KernelDensity

    scores = [KernelDensity(bandwidth=h).fit(train).score(valid) for h in grid]
    return float(grid[int(np.argmax(scores))])


# Lesson 04
EMBEDDING_PARAMS = 10 * 50  # exercise 1: a lookup table of 10 vectors of 50 numbers
GAN_FAMILY = {  # exercise 3
    "the discriminator is given the label": "cGAN",
    "the discriminator predicts the label with an extra classifier head": "AC-GAN",
    "no labels: latent codes made informative by maximising mutual information": "InfoGAN",
}
PROJECTION_LOGIT = (0.5 * 1 - 1 * 2) + (2 * 1 + 0.5 * 2)  # exercise 4: w.phi + e_y.phi


def one_hot_condition(z, labels):
    """Lesson 04, exercise 2: z, then 10 one-hot columns for the labels."""
    import numpy as np

    return np.concatenate([z, np.eye(10, dtype=z.dtype)[labels]], axis=1)


# Lesson 06
ADAIN_FIRST_VALUE = 2 * (1 - 2) / 1 + 5  # exercise 2: mean 2, std 1
TRUNCATED_W = 1 + 0.5 * (3 - 1)  # exercise 3


class FixedStyleBlock(keras.layers.Layer):
    """Lesson 06, exercise 1: layers made once in __init__, noise with a learned strength, AdaIN applied."""

    def __init__(self, filters, **kwargs):
        from .style import AdaIN, NoiseInjection

        super().__init__(**kwargs)
        self.conv = keras.layers.Conv2D(filters, 3, padding="same")
        self.noise = NoiseInjection()
        self.adain = AdaIN()

    def call(self, inputs):
        x, w = inputs
        return self.adain([self.noise(self.conv(x)), w])


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


RECEPTIVE_FIELD = 70  # lesson 10, exercise 1: 1 + 3 * (1 + 2 + 4 + 8 + 8)


def cycle_loss(a, b, g, f):
    """Lesson 10, exercise 2: mean |f(g(a)) - a| + mean |g(f(b)) - b|."""
    return ops.mean(ops.abs(f(g(a)) - a)) + ops.mean(ops.abs(g(f(b)) - b))


# Lesson 09: the spot-the-bug drills (gan_lessons.drills), fixed.
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
