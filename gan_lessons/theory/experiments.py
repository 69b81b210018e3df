"""Lesson 01's proofs by experiment: a Keras discriminator trained to convergence lands on
the optimal D* the mathematics predicts, and a 1-D GAN learns a mixture (or collapses).  Taught in ``01_theory``.
"""

from __future__ import annotations

import numpy as np

from ..core.data import make_dataset
from ..core.gan import GAN
from ..core.inference import predict
from ..core.training import train
from ..core.validate import check_positive_int


def build_discriminator_1d(hidden_units: tuple[int, ...] = (128, 128), name: str = "discriminator_1d"):
    """A small MLP discriminator for 1-D samples ``(batch, 1)`` -> one logit."""
    import keras

    inputs = keras.Input((1,))
    x = keras.layers.Rescaling(1 / 3)(inputs)  # the lesson's samples lie in about [-6, 6]
    for width in hidden_units:
        x = keras.layers.Dense(width, activation="relu")(x)
    return keras.Model(inputs, keras.layers.Dense(1, dtype="float32")(x), name=name)


def train_discriminator_1d(
    sample_data, sample_g, steps: int, batch_size: int = 256, seed: int = 0, learning_rate: float = 1e-2
):
    """Train a discriminator alone, ``G`` fixed: fresh samples from both distributions every step.

    ``sample_data(n, rng)`` and ``sample_g(n, rng)`` return ``(n, 1)`` samples.
    Returns the trained model (logits); with enough steps ``sigmoid(D(x))`` approaches D*(x).
    The learning rate decays (cosine) to 2% of its start: a large step finds the shape
    of D* quickly, small steps at the end settle the noise of the minibatches.
    """
    import keras

    check_positive_int("steps", steps)
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    model = build_discriminator_1d()
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps, alpha=0.02)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    x = np.concatenate([sample_data(steps * batch_size, rng), sample_g(steps * batch_size, rng)])
    y = np.concatenate([np.ones((steps * batch_size, 1)), np.zeros((steps * batch_size, 1))]).astype("float32")
    order = rng.permutation(len(x))
    model.fit(x[order], y[order], batch_size=2 * batch_size, epochs=1, shuffle=False, verbose=0)
    return model


def discriminator_on_grid(model, x_grid) -> np.ndarray:
    """sigmoid(model(x)) at each point of the 1-D grid: the discriminator's probability of 'real'."""
    import keras

    logits = predict(model, np.asarray(x_grid, "float32")[:, None])
    return keras.ops.convert_to_numpy(keras.ops.sigmoid(logits))[:, 0]


def discriminator_gap(model, x_grid, d_star, mask=None) -> float:
    """Largest |sigmoid(model(x)) − D*(x)| over the grid points where ``mask`` is true."""
    learned = discriminator_on_grid(model, x_grid)
    mask = np.ones_like(learned, bool) if mask is None else np.asarray(mask, bool)
    return float(np.max(np.abs(learned - d_star)[mask]))


def build_generator_1d(latent_dim: int = 4, hidden_units: tuple[int, ...] = (64, 64), name: str = "generator_1d"):
    """A small MLP generator of 1-D samples: noise ``(batch, latent_dim)`` -> ``(batch, 1)``."""
    import keras

    x = inputs = keras.Input((latent_dim,))
    for width in hidden_units:
        x = keras.layers.Dense(width, activation="relu")(x)
    return keras.Model(inputs, keras.layers.Dense(1, dtype="float32")(x), name=name)


def gan_1d(
    seed: int = 0,
    g_loss: str = "non_saturating",
    d_rate: float = 1e-3,
    g_rate: float = 1e-3,
    optimizer: str = "adam",
):
    """The course's 1-D GAN (:func:`build_generator_1d`, :func:`build_discriminator_1d`) in its trainer, compiled
    with Adam(beta_1=0.5) -- or plain SGD -- at the given learning rates and generator loss: lesson 01's game and
    lesson 09's reproductions."""
    import keras

    optimizers = {"adam": lambda rate: keras.optimizers.Adam(rate, beta_1=0.5), "sgd": keras.optimizers.SGD}
    if optimizer not in optimizers:
        raise ValueError(f"optimizer must be one of {', '.join(optimizers)}, got {optimizer!r}.")
    keras.utils.set_random_seed(seed)
    gan = GAN(build_generator_1d(), build_discriminator_1d(), seed=seed, name="gan_1d")
    gan.compile(optimizers[optimizer](d_rate), optimizers[optimizer](g_rate), g_loss=g_loss)
    return gan


def train_gan_1d(
    data_samples: np.ndarray, steps: int, x_grid, snapshots: int = 6, seed: int = 0, batch_size: int = 256
):
    """Train a 1-D GAN with the course's trainer and record, ``snapshots`` times, what G makes
    and what D says.  Returns ``(gan, frames)``; each frame is a dict with ``step``,
    ``samples`` (2,000 draws of G) and ``d`` (sigmoid of D on ``x_grid``)."""
    import keras

    check_positive_int("snapshots", snapshots)
    gan = gan_1d(seed)
    noise = np.random.default_rng(seed).standard_normal((2000, gan.latent_dim)).astype("float32")
    frames = []

    def snapshot():
        d = discriminator_on_grid(gan.discriminator, x_grid)
        frames.append({"step": gan.step, "samples": gan.generate(noise)[:, 0], "d": d})

    class Snapshot(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshot()

    snapshot()
    per_epoch = max(1, steps // snapshots)
    dataset = make_dataset(np.asarray(data_samples, "float32").reshape(-1, 1), batch_size=batch_size, seed=seed)
    train(gan, dataset, steps=steps, steps_per_epoch=per_epoch, callbacks=[Snapshot()], verbose=0)
    return gan, frames


def kde_density(samples, x_grid, bandwidth: float | None = None) -> np.ndarray:
    """A Gaussian kernel density estimate of 1-D ``samples`` on ``x_grid`` (Scott's rule by default)."""
    from scipy.stats import gaussian_kde

    return gaussian_kde(np.asarray(samples, float), bw_method=bandwidth)(np.asarray(x_grid, float))


def gan_1d_strip(frames, x_grid, p_data, n_frames: int = 4):
    """Snapshots of a 1-D GAN (from ``theory.train_gan_1d``): p_data, G's samples as a density,
    D(x) and the D*(x) that this G would call for, side by side (lesson 01)."""
    import matplotlib.pyplot as plt

    if not frames:
        raise ValueError("No frames: train_gan_1d records them.")
    chosen = [frames[i] for i in np.unique(np.linspace(0, len(frames) - 1, n_frames).round().astype(int))]
    fig, axes = plt.subplots(1, len(chosen), figsize=(3.2 * len(chosen), 2.8), sharey=True, squeeze=False)
    for ax, frame in zip(axes[0], chosen, strict=True):
        p_g = kde_density(frame["samples"], x_grid)
        ax.fill_between(x_grid, p_data, alpha=0.3, label="p_data")
        ax.fill_between(x_grid, p_g, alpha=0.3, label="p_g (G's samples)")
        ax.plot(x_grid, frame["d"], "k", label="D(x)")
        # D* is a ratio of densities: drawn only where one of them is not negligible (elsewhere it is noise).
        d_star = np.where(np.maximum(p_data, p_g) > 0.01, p_data / (p_data + p_g + 1e-12), np.nan)
        ax.plot(x_grid, d_star, "r--", lw=1, label="D*(x) for this G")
        clipped = " (p_g clipped at 1)" if p_g.max() > 1.05 else ""
        ax.set_title(f"step {frame['step']}{clipped}", fontsize=9)
        ax.set_ylim(0, 1.05)
    # one legend above the panels, where it hides no curve
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="upper center", ncol=4, fontsize=7)
    fig.tight_layout(rect=(0, 0, 1, 0.88))
    return fig
