"""The mathematics of the GAN game, computed exactly.  Taught in ``01_theory``.

Discrete distributions are 1-D arrays of probabilities over the same outcomes.
Everything is in nats (natural logarithms) with the convention ``0 · log 0 = 0``,
so distributions with disjoint supports give finite answers, not NaN:
``js_divergence`` is then ``log 2`` and ``value_function(p, q, D*)`` is ``0``.

For densities on a 1-D grid (the continuous examples of the lesson) the same
functions apply to the grid values normalised to probabilities (:func:`grid_distribution`).
"""

from __future__ import annotations

import numpy as np

LOG2 = float(np.log(2.0))


def as_distribution(p, name: str = "p", atol: float = 1e-6) -> np.ndarray:
    """Check that ``p`` is a probability vector (1-D, finite, non-negative, sums to 1)."""
    arr = np.asarray(p, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of probabilities, got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite entries.")
    if np.any(arr < 0):
        raise ValueError(f"{name} has negative entries ({arr[arr < 0][:3]}); probabilities are >= 0.")
    total = arr.sum()
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} sums to {total:.6g}, not 1: divide it by its sum first.")
    return arr


def _pair(p, q, names=("p_data", "p_g")) -> tuple[np.ndarray, np.ndarray]:
    p, q = as_distribution(p, names[0]), as_distribution(q, names[1])
    if p.shape != q.shape:
        raise ValueError(f"{names[0]} has {p.size} outcomes but {names[1]} has {q.size}: they must match.")
    return p, q


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x · log y with 0 · log(anything) = 0."""
    out = np.zeros_like(x, dtype=np.float64)
    nz = x > 0
    with np.errstate(divide="ignore"):
        out[nz] = x[nz] * np.log(y[nz])
    return out


def optimal_discriminator(p_data, p_g) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)).

    Where both are 0 the value does not matter (it multiplies probability 0);
    we return 1/2 there.
    """
    p, q = _pair(p_data, p_g)
    total = p + q
    d = np.full_like(p, 0.5)
    np.divide(p, total, out=d, where=total > 0)
    return d


def value_function(p_data, p_g, d) -> float:
    """V(D, G) = Σ p_data log D + Σ p_g log(1 − D), for D given as values in [0, 1] per outcome."""
    p, q = _pair(p_data, p_g)
    d = np.asarray(d, dtype=np.float64)
    if d.shape != p.shape:
        raise ValueError(f"d must give one value per outcome ({p.size}), got shape {d.shape}.")
    if np.any(~np.isfinite(d)) or np.any(d < 0) or np.any(d > 1):
        raise ValueError("d must hold probabilities in [0, 1] (apply a sigmoid to logits first).")
    return float(_xlogy(p, d).sum() + _xlogy(q, 1.0 - d).sum())


def kl_divergence(p, q) -> float:
    """KL(p ‖ q) = Σ p log(p / q) in nats; infinite where p > 0 = q."""
    p, q = _pair(p, q, ("p", "q"))
    if np.any((p > 0) & (q == 0)):
        return float("inf")
    return float(_xlogy(p, p).sum() - _xlogy(p, q).sum())


def js_divergence(p, q) -> float:
    """Jensen–Shannon divergence in nats: ½ KL(p ‖ m) + ½ KL(q ‖ m), m = ½(p + q). Between 0 and log 2."""
    p, q = _pair(p, q, ("p", "q"))
    m = 0.5 * (p + q)
    return 0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)


def wasserstein_1d(values, p, q) -> float:
    """Earth mover's (Wasserstein-1) distance between two distributions on the sorted points ``values``:
    the area between their cumulative distribution functions."""
    p, q = _pair(p, q, ("p", "q"))
    x = np.asarray(values, dtype=np.float64)
    if x.shape != p.shape or np.any(np.diff(x) <= 0):
        raise ValueError("values must be increasing, one per outcome.")
    return float(np.sum(np.abs(np.cumsum(p) - np.cumsum(q))[:-1] * np.diff(x)))


# -- densities on a 1-D grid ------------------------------------------------------
def gaussian_mixture_pdf(x, means, stds, weights=None) -> np.ndarray:
    """Density of a mixture of 1-D Gaussians at the points ``x``."""
    x = np.asarray(x, dtype=np.float64)[..., None]
    means, stds = np.atleast_1d(np.asarray(means, float)), np.atleast_1d(np.asarray(stds, float))
    weights = np.full(means.shape, 1.0 / means.size) if weights is None else np.atleast_1d(np.asarray(weights, float))
    if not (means.shape == stds.shape == weights.shape):
        raise ValueError("means, stds and weights must have one entry per component.")
    if np.any(stds <= 0):
        raise ValueError(f"stds must be positive, got {stds}.")
    as_distribution(weights, "weights")
    z = (x - means) / stds
    return np.sum(weights * np.exp(-0.5 * z**2) / (stds * np.sqrt(2 * np.pi)), axis=-1)


def sample_gaussian_mixture(n: int, means, stds, weights=None, rng=None) -> np.ndarray:
    """``n`` samples (float32, shape ``(n, 1)``) from a mixture of 1-D Gaussians."""
    rng = np.random.default_rng(rng)
    means, stds = np.atleast_1d(np.asarray(means, float)), np.atleast_1d(np.asarray(stds, float))
    weights = np.full(means.shape, 1.0 / means.size) if weights is None else np.asarray(weights, float)
    component = rng.choice(means.size, size=n, p=as_distribution(weights, "weights"))
    return (rng.normal(means[component], stds[component])[:, None]).astype(np.float32)


def grid_distribution(density) -> np.ndarray:
    """Density values on an evenly spaced grid, normalised to probabilities of the grid cells."""
    density = np.asarray(density, dtype=np.float64)
    if np.any(density < 0) or density.sum() <= 0:
        raise ValueError("a density must be non-negative and not zero everywhere.")
    return density / density.sum()


def parallel_lines(theta: float, n: int = 101) -> dict[str, float]:
    """The classic disjoint-supports example: P0 uniform on the segment {0} × [0, 1], P_theta on {theta} × [0, 1].

    Returns the JSD and the Wasserstein-1 distance between the two (discretised to
    ``n`` points per segment).  JSD compares probabilities outcome by outcome, so it
    cannot see how far apart the segments are; W1 is the cheapest way to move one
    onto the other -- every point slides sideways by |theta|.
    """
    if theta == 0:
        uniform = np.full(n, 1.0 / n)
        return {"jsd": js_divergence(uniform, uniform), "wasserstein": 0.0}
    # Outcomes: the n points of the segment at x = 0, then the n points at x = theta.
    p = np.concatenate([np.full(n, 1.0 / n), np.zeros(n)])
    q = np.concatenate([np.zeros(n), np.full(n, 1.0 / n)])
    # Both segments have the same y-distribution, so the transport is horizontal and
    # W1 equals the 1-D distance between the x-marginals: point masses at 0 and theta.
    xs = np.array([min(0.0, theta), max(0.0, theta)])
    p_x = np.array([1.0, 0.0]) if theta > 0 else np.array([0.0, 1.0])
    return {"jsd": js_divergence(p, q), "wasserstein": wasserstein_1d(xs, p_x, 1.0 - p_x)}


def generator_gradient_magnitudes(d_of_fake) -> dict[str, np.ndarray]:
    """|∂ loss / ∂ logit| of the two generator losses at D(G(z)) = ``d_of_fake``.

    minimax ``log(1 − σ(l))``: |−σ(l)| = D;  non-saturating ``−log σ(l)``: |−(1 − σ(l))| = 1 − D.
    """
    d = np.asarray(d_of_fake, dtype=np.float64)
    if np.any(d < 0) or np.any(d > 1):
        raise ValueError("D(G(z)) values must lie in [0, 1].")
    return {"minimax": d, "non_saturating": 1.0 - d}


# -- proof by experiment -------------------------------------------------------------
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

    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}.")
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

    logits = model.predict(np.asarray(x_grid, "float32")[:, None], verbose=0)
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

    from .training import GAN

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

    from .data import make_dataset
    from .training import train

    if not isinstance(snapshots, int) or snapshots < 1:
        raise ValueError(f"snapshots must be a positive integer, got {snapshots!r}.")
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


# -- lesson 05: the Kantorovich-Rubinstein dual, by experiment -----------------------------
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
    gradient penalty (WGAN-GP: Adam 1e-3, β = (0.5, 0.9)) or weight clipping (WGAN: RMSprop 5e-5 ... here
    5e-3, it trains alone).  By Kantorovich-Rubinstein duality the best 1-Lipschitz ``f`` reaches
    exactly W1.  With ``gp_weight=0`` and no ``clip_value`` the critic is unconstrained and its estimate grows without
    bound (lesson 09's drifting critic).  Returns ``(critic, estimate on all the samples)``."""
    import keras
    import tensorflow as tf

    from .losses import gradient_penalty

    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}.")
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
