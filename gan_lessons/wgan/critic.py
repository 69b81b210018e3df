"""Lesson 05's WGAN and WGAN-GP: the trainer with a critic, the critic network, the 1-D critics
that estimate W1, the sample-quality curve and the plots.  Taught in ``05_wgan_gp``.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ..core.device import DeviceSetup
from ..core.gan import GAN
from ..core.inference import predict
from ..core.losses import critic_loss, gradient_penalty, interpolation_weights, wasserstein_generator_loss
from ..core.recipe import Recipe, build_and_compile
from ..core.validate import MNIST_SHAPE, check_positive_int, check_weight
from ..dcgan.networks import _check_dcgan_shape, build_dcgan_generator, dcgan_init
from ..tools.classifier import features_and_probabilities, reference_features
from ..tools.metrics import fid


class WassersteinGAN(GAN):
    """WGAN and WGAN-GP: a *critic* scores images (no sigmoid), ``n_critic`` critic updates per
    generator update, and the critic kept near 1-Lipschitz by a gradient penalty (``gp_weight``,
    WGAN-GP, Gulrajani et al. 2017) or by clipping its weights to ``[-clip_value, clip_value]``
    (WGAN, Arjovsky et al. 2017).  Only the step differs from :class:`GAN`.

    Every critic update sees a real batch of its own and fresh noise, as in Algorithm 1 of both papers:
    a step takes ``n_critic`` real batches (``real_batches_per_step``), which
    :func:`gan_lessons.core.training.train` hands over as one batch of ``n_critic * batch_size`` images;
    the step splits it, and the generator update uses one batch's worth of noise.  With
    ``fresh_reals=False`` all critic updates reuse the step's one real batch (as keras.io's WGAN-GP example
    does).  Tracks the critic's Wasserstein estimate ``E f(x) - E f(G(z))``.  Taught in ``05_wgan_gp``.
    """

    def __init__(
        self,
        generator,
        critic,
        n_critic: int = 5,
        gp_weight: float = 10.0,
        clip_value=None,
        fresh_reals: bool = True,
        **kwargs,
    ):
        check_positive_int("n_critic", n_critic, " (critic updates per generator update)")
        check_weight("gp_weight", gp_weight, " (10 in WGAN-GP, 0 for plain WGAN)")
        if clip_value is not None and not (isinstance(clip_value, int | float) and clip_value > 0):
            raise ValueError(f"clip_value must be a positive number (0.01 in WGAN) or None, got {clip_value!r}.")
        if gp_weight == 0 and clip_value is None:
            raise ValueError("Without a gradient penalty or weight clipping the critic is unconstrained: set one.")
        last = getattr(critic, "layers", [None])[-1]
        if getattr(last, "activation", None) is keras.activations.sigmoid:
            raise ValueError("The critic ends in a sigmoid: a critic outputs an unbounded score, not a probability.")
        kinds = {type(layer).__name__ for layer in getattr(critic, "layers", [])}
        if gp_weight > 0 and "BatchNormalization" in kinds:
            raise ValueError(
                "Batch norm in a gradient-penalty critic: the penalty is per sample, but batch norm mixes the samples "
                "of a batch, so the gradient it penalises is not the critic's. Use LayerNormalization (or none)."
            )
        super().__init__(generator, critic, **kwargs)
        self.n_critic, self.gp_weight = n_critic, float(gp_weight)
        self.fresh_reals = bool(fresh_reals)
        self.clip_value = None if clip_value is None else float(clip_value)
        self.wasserstein_tracker = keras.metrics.Mean(name="wasserstein")
        self.gp_tracker = keras.metrics.Mean(name="gp")

    @property
    def critic(self):
        return self.discriminator

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker, self.wasserstein_tracker, self.gp_tracker]

    @property
    def real_batches_per_step(self) -> int:
        """Real batches one step consumes: ``n_critic`` (a fresh one per critic update), or 1."""
        return self.n_critic if self.fresh_reals else 1

    def real_batches(self, real, labels) -> list:
        """The step's batch split into ``real_batches_per_step`` equal ``(images, labels)`` parts."""
        n = self.real_batches_per_step
        if n == 1:
            return [(real, labels)]
        if real.shape[0] is not None and real.shape[0] % n:
            raise ValueError(
                f"A step of this WGAN takes {n} real batches (one per critic update), so its batch of "
                f"{real.shape[0]} must divide into {n} equal parts. gl.training.train(gan, images, "
                f"batch_size=B) feeds {n} x B images per step; with your own dataset, batch {n} x B "
                "(or pass fresh_reals=False to reuse one batch)."
            )
        size = real.shape[0] // n if real.shape[0] is not None else tf.shape(real)[0] // n  # static when known
        parts = []
        for i in range(n):
            cut = lambda t, i=i: t[i * size : (i + 1) * size]  # noqa: E731
            parts.append((cut(real), None if labels is None else tf.nest.map_structure(cut, labels)))
        return parts

    def train_step(self, data):
        parts = self.real_batches(*self.unpack_batch(data))
        batch_size = tf.shape(parts[0][0])[0]
        critic_vars = self.discriminator_variables
        for i in range(self.n_critic):
            real, labels = parts[i % len(parts)]
            condition = self.real_condition(labels)
            fake_condition = self.fake_condition(batch_size)
            fake = self.generate_images(self.sample_noise(batch_size), fake_condition, training=True)
            with tf.GradientTape() as tape:
                real_scores = self.score(real, condition, training=True)
                fake_scores = self.score(fake, fake_condition, training=True)
                loss = critic_loss(real_scores, fake_scores)
                penalty = tf.constant(0.0)
                if self.gp_weight > 0:
                    weights = interpolation_weights(batch_size, len(real.shape), self.seed_generator)
                    critic = lambda x, c=condition: self.score(x, c, training=True)  # noqa: E731
                    penalty = gradient_penalty(critic, real, fake, weights)
                    loss = loss + self.gp_weight * penalty
                scaled = self.scaled_loss(self.d_optimizer, loss)
            self.apply_gradients(self.d_optimizer, tape, scaled, critic_vars)
            if self.clip_value is not None:
                for v in critic_vars:
                    v.assign(tf.clip_by_value(v, -self.clip_value, self.clip_value))
        fake_condition = self.fake_condition(batch_size)
        z = self.sample_noise(batch_size)
        with tf.GradientTape() as tape:
            fake = self.generate_images(z, fake_condition, training=True)
            g_loss = wasserstein_generator_loss(self.score(fake, fake_condition, training=True))
            scaled = self.scaled_loss(self.g_optimizer, g_loss)
        self.apply_gradients(self.g_optimizer, tape, scaled, self.generator_variables)
        return self.finish_step(
            d_loss=loss, g_loss=g_loss, wasserstein=-critic_loss(real_scores, fake_scores), gp=penalty
        )


class QualityCurve(keras.callbacks.Callback):
    """Every ``every`` epochs, the classifier-feature FID of ``n`` samples from fixed noise, against the
    reference digits: a sample-quality curve to set beside the losses (lesson 05 compares it with the
    critic's Wasserstein estimate).  ``points`` holds ``(step, fid)`` pairs."""

    def __init__(self, every: int = 1, n: int = 500, seed: int = 0):
        super().__init__()
        check_positive_int("every", every, " of epochs")
        self.every, self.n, self.seed = every, n, seed
        self.points: list[tuple[int, float]] = []
        self._epochs = 0

    def on_epoch_end(self, epoch, logs=None):
        self._epochs += 1
        if self._epochs % self.every:
            return

        noise = np.random.default_rng(self.seed).standard_normal((self.n, self.model.latent_dim)).astype(np.float32)
        features, _ = features_and_probabilities(self.model.generate(noise))
        self.points.append((self.model.step, fid(features, reference_features())))


def build_wgan_critic(
    image_shape: Sequence[int] = MNIST_SHAPE,
    base_filters: int = 64,
    name: str = "critic",
) -> keras.Model:
    """The DCGAN discriminator made a WGAN-GP critic: layer norm instead of batch norm, and one raw
    score per image -- no sigmoid (it is a score, not a probability).

    Batch norm would make each image's score depend on the rest of the batch, while the gradient
    penalty constrains the gradient of the score of *each* image.  Taught in ``05_wgan_gp``.
    """
    check_positive_int("base_filters", base_filters)
    shape = _check_dcgan_shape(image_shape)
    init = dcgan_init()
    images = keras.Input(shape, name="images")
    x = layers.Conv2D(base_filters, 4, strides=2, padding="same", kernel_initializer=init)(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(2 * base_filters, 4, strides=2, padding="same", kernel_initializer=init)(x)
    x = layers.LeakyReLU(0.2)(layers.LayerNormalization(axis=[1, 2, 3])(x))
    x = layers.Flatten()(x)
    scores = layers.Dense(1, dtype="float32", kernel_initializer=init, name="score")(x)
    return keras.Model(images, scores, name=name)


def train_critic_1d(
    real: np.ndarray,
    fake: np.ndarray,
    steps: int = 1500,
    gp_weight: float = 10.0,
    clip_value: float | None = None,
    seed: int = 0,
    batch_size: int = 256,
):
    """Train a critic alone between two fixed 1-D sample sets: maximise ``E f(real) - E f(fake)`` with a
    gradient penalty (here Adam 1e-3, β = (0.5, 0.9); WGAN-GP's paper used Adam 1e-4, β = (0, 0.9)) or weight
    clipping (here RMSprop 5e-3; WGAN's paper used 5e-5, but this critic trains alone).  By Kantorovich-Rubinstein
    duality the best 1-Lipschitz ``f`` reaches exactly W1.  With ``gp_weight=0`` and no ``clip_value`` the critic is
    unconstrained and its estimate grows without bound (lesson 09's drifting critic).  Returns ``(critic, estimate
    on all the samples)``."""
    import keras
    import tensorflow as tf

    check_positive_int("steps", steps)
    if clip_value is not None and gp_weight != 0:
        raise ValueError("Give either gp_weight > 0 (WGAN-GP) or clip_value (WGAN, with gp_weight=0), not both.")
    keras.utils.set_random_seed(seed)
    critic = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(64, activation="relu")]
        + [keras.layers.Dense(1)],
        name="critic_1d",
    )
    optimizer = keras.optimizers.Adam(1e-3, 0.5, 0.9) if clip_value is None else keras.optimizers.RMSprop(5e-3)
    real, fake = (np.asarray(a, np.float32).reshape(-1, 1) for a in (real, fake))
    rng = np.random.default_rng(seed)

    @tf.function
    def step(r, f, w):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(critic(f)) - tf.reduce_mean(critic(r))
            if clip_value is None:
                loss += gp_weight * gradient_penalty(critic, r, f, w)
        optimizer.apply(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)
        if clip_value is not None:
            for v in critic.trainable_variables:
                v.assign(tf.clip_by_value(v, -clip_value, clip_value))

    for _ in range(steps):
        w = rng.uniform(size=(batch_size, 1)).astype(np.float32)
        step(real[rng.integers(0, len(real), batch_size)], fake[rng.integers(0, len(fake), batch_size)], w)
    estimate = float(np.mean(critic.predict(real, verbose=0)) - np.mean(critic.predict(fake, verbose=0)))
    return critic, estimate


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


def compiled_gan(
    seed: int = 0, setup: DeviceSetup | None = None, latent_dim: int = 100, base_filters: int = 128
) -> GAN:
    """WGAN-GP on MNIST (lesson 05): lesson 03's generator, a layer-norm critic without sigmoid,
    5 critic updates per generator update, penalty weight 10, Adam(1e-4, beta_1=0, beta_2=0.9)."""

    def players():
        return build_dcgan_generator(latent_dim=latent_dim, base_filters=base_filters), build_wgan_critic()

    return build_and_compile(
        "wgan_gp",
        players,
        seed,
        setup,
        convolutional=True,
        gan_class=WassersteinGAN,
        learning_rate=1e-4,
        betas=(0.0, 0.9),
        n_critic=5,
        gp_weight=10.0,
    )


RECIPE = Recipe("wgan-gp", "mnist", compiled_gan, "WGAN-GP on MNIST (lesson 05)")


def wasserstein_curve(history: dict[str, Sequence[float]], steps_per_epoch: int, quality=None):
    """The critic's Wasserstein estimate per epoch and, on a twin axis, the FID points of
    :class:`gan_lessons.wgan.QualityCurve` -- they should fall together (lesson 05)."""
    import matplotlib.pyplot as plt

    if "wasserstein" not in history:
        raise ValueError("This history has no 'wasserstein' entry: train a WassersteinGAN first.")
    fig, ax = plt.subplots(figsize=(7, 3.2))
    x = np.arange(1, len(history["wasserstein"]) + 1) * steps_per_epoch
    ax.plot(x, history["wasserstein"], color="C0", label="critic's Wasserstein estimate")
    ax.set_xlabel("generator step")
    ax.set_ylabel("E f(x) - E f(G(z))", color="C0")
    if quality:
        steps, fids = zip(*quality, strict=True)
        twin = ax.twinx()
        twin.plot(steps, fids, "s--", color="C3", label="FID of 500 samples")
        twin.set_ylabel("classifier-feature FID", color="C3")
    fig.tight_layout()
    return fig


def critics_1d(critics: dict, real: np.ndarray, fake: np.ndarray):
    """Lesson 05: 1-D critics ``{name: model}`` over the two sample sets' histograms, each critic shifted to
    start at 0 and shown with its own scale (a clipped critic's values are tiny)."""
    import matplotlib.pyplot as plt

    x = np.linspace(min(real.min(), fake.min()) - 1, max(real.max(), fake.max()) + 1, 400, dtype=np.float32)
    fig, axes = plt.subplots(1, len(critics), figsize=(3.6 * len(critics), 2.8), squeeze=False)
    for ax, (name, critic) in zip(axes[0], critics.items(), strict=True):
        ax.hist(real, bins=60, density=True, alpha=0.35, color="C0", label="real")
        ax.hist(fake, bins=60, density=True, alpha=0.35, color="C1", label="fake")
        twin = ax.twinx()
        f = predict(critic, x[:, None]).ravel()
        twin.plot(x, f - f[0], color="C3", label="critic f(x)")
        twin.set_ylabel("f(x) - f(x_min)", color="C3")
        ax.set_title(name, fontsize=9)
        ax.set_yticks([])
    # one legend above the panels, where the critic's line cannot cross it
    handles = [*axes[0][0].get_legend_handles_labels()[0], *twin.get_legend_handles_labels()[0]]
    fig.legend(handles, [h.get_label() for h in handles], loc="upper center", ncol=3, fontsize=7)
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    return fig
