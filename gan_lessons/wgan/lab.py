"""Lesson 11's mode-collapse lab: the models (GAN, WGAN, WGAN-GP, PacGAN, a self-conditioned GAN),
one run, the table against the published rows, and its plots.  Taught in ``11_mode_collapse_lab``.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf
from keras import ops

from ..conditional.gan import ConditionalGAN
from ..conditional.networks import LabelProjection
from ..core.config import SHIPPED_DIR, budget
from ..core.gan import GAN
from ..core.training import train
from ..core.validate import check_positive_int
from .critic import WassersteinGAN
from .mixtures import DATASETS, N_EVAL_SAMPLES, count_modes, toy_dataset


class SelfConditionedGAN(ConditionalGAN):
    """A conditional GAN whose labels are *clusters of the data*, not human labels (a simplified
    self-conditioned GAN, Liu et al. 2020, who cluster the discriminator's features and re-cluster
    as training goes; here the data are clustered once).  Each cluster is a small, one-piece part of
    the data, so no single ``G(., c)`` has to stretch over a gap between modes, and every cluster, hence
    every mode, is asked for.  Fakes draw their cluster with the clusters' shares of the data; only
    that and :meth:`generate` differ from :class:`ConditionalGAN`.  Taught in ``11_mode_collapse_lab``."""

    def __init__(self, generator, discriminator, cluster_shares, **kwargs):
        shares = np.asarray(cluster_shares, dtype=np.float64)
        if shares.ndim != 1 or len(shares) < 2 or np.any(shares < 0) or not np.isclose(shares.sum(), 1):
            raise ValueError("cluster_shares must be the clusters' shares of the data: >= 2 numbers >= 0 summing to 1.")
        super().__init__(generator, discriminator, num_classes=len(shares), **kwargs)
        self.cluster_shares = shares

    def fake_condition(self, batch_size):
        """Clusters drawn with their shares of the data (seeded like the noise)."""
        # Inverse CDF by comparisons (XLA compiles this; it has no kernel for tf.random.stateless_categorical).
        bounds = tf.constant(np.cumsum(self.cluster_shares)[:-1], tf.float32)
        u = tf.random.stateless_uniform((batch_size, 1), seed=self._replica_seed())
        return tf.reduce_sum(tf.cast(u >= bounds[None, :], tf.int32), axis=1)

    def generate(self, noise: np.ndarray | int, labels=None, batch_size: int = 500, seed: int = 0) -> np.ndarray:
        """Samples for noise ``(n, latent_dim)`` (or ``n`` fresh draws); without ``labels`` each sample's
        cluster is drawn with the clusters' shares (``seed``), so the samples follow the whole data."""
        noise = self._checked_noise(noise)
        if labels is None:
            labels = np.random.default_rng(seed).choice(self.num_classes, len(noise), p=self.cluster_shares)
        return super().generate(noise, labels, batch_size)


class PackedGAN(GAN):
    """PacGAN (Lin et al. 2018): the discriminator scores ``pack`` samples concatenated, all real or all
    fake, so a generator that repeats itself is easy to spot.  Only ``score`` differs from :class:`GAN`;
    the discriminator takes ``pack`` times the features of one sample.  Taught in ``11_mode_collapse_lab``."""

    def __init__(self, generator, discriminator, pack: int = 4, **kwargs):
        self.pack = check_positive_int("pack", pack, " (samples judged together)")
        super().__init__(generator, discriminator, **kwargs)

    def _image_shape(self, discriminator) -> tuple:
        shape = tuple(discriminator.input_shape)
        if len(shape) != 2 or shape[-1] % self.pack:
            raise ValueError(f"A packing discriminator takes flat vectors of pack x features, got input {shape}.")
        return (None, shape[-1] // self.pack)

    def score(self, images, condition, training: bool = False):
        features = self._image_shape(self.discriminator)[-1]
        return self.discriminator(ops.reshape(images, (-1, features * self.pack)), training=training)


TOY_MODELS = ("gan-minimax", "gan", "wgan", "wgan-gp", "pacgan", "self-cond")


PACK = 4  # PacGAN4: the discriminator judges 4 samples at once


N_CRITIC = 5  # critic updates per generator update in the WGAN rows


CLUSTERS = 100  # k-means clusters of the self-conditioned GAN: more than any mixture of the lab has modes


def build_toy_generator(latent_dim: int = 16, hidden: int = 256, depth: int = 3, num_classes: int | None = None):
    """MLP ``z -> (x, y)``: ``depth`` ReLU layers of ``hidden`` units, a linear output.  With ``num_classes``
    it takes ``[z, cluster]`` and concatenates a 16-number embedding of the cluster to ``z``."""
    import keras
    from keras import layers

    z = keras.Input((latent_dim,), name="z")
    inputs, x = [z], z
    if num_classes is not None:
        cluster = keras.Input((), dtype="int32", name="cluster")
        inputs.append(cluster)
        x = layers.Concatenate()([z, layers.Embedding(num_classes, 16, name="cluster_embedding")(cluster)])
    for _ in range(depth):
        x = layers.Dense(hidden, activation="relu")(x)
    return keras.Model(inputs if num_classes else z, layers.Dense(2, dtype="float32")(x), name="generator")


def build_toy_discriminator(pack: int = 1, hidden: int = 256, depth: int = 3, num_classes: int | None = None):
    """MLP over ``pack`` points at once (``2 * pack`` inputs): LeakyReLU layers, one raw score (no sigmoid).
    With ``num_classes`` it takes ``[points, cluster]`` and adds a projection term (lesson 04)."""
    import keras
    from keras import layers

    points = keras.Input((2 * pack,), name="points")
    x = points
    for _ in range(depth):
        x = layers.LeakyReLU(0.2)(layers.Dense(hidden)(x))
    score = layers.Dense(1, dtype="float32")(x)
    if num_classes is None:
        return keras.Model(points, score, name="discriminator")
    cluster = keras.Input((), dtype="int32", name="cluster")
    projection = LabelProjection(num_classes, name="cluster_projection")([x, cluster])
    return keras.Model([points, cluster], layers.Add()([score, projection]), name="discriminator")


def cluster_points(points: np.ndarray, k: int = CLUSTERS, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """k-means of the (scaled) training points: each point's cluster ``(N,)`` int32, and the clusters' shares."""
    from sklearn.cluster import KMeans

    if not isinstance(k, int) or k < 2:
        raise ValueError(f"k must be a whole number of clusters >= 2, got {k!r}.")
    fitted = KMeans(k, n_init=1, random_state=seed).fit(points[:20_000])
    labels = fitted.predict(points).astype(np.int32)
    return labels, np.bincount(labels, minlength=k) / len(labels)


def toy_gan(model: str, seed: int = 0, setup=None, latent_dim: int = 16, steps: int | None = None, cluster_shares=None):
    """A compiled GAN of the lab: ``gan-minimax`` (saturating loss), ``gan`` (non-saturating), ``pacgan``
    (PacGAN4, non-saturating), ``wgan`` (weight clipping 0.01, RMSprop 5e-5), ``wgan-gp`` (λ = 10,
    Adam 1e-4, β = (0, 0.9)) or ``self-cond`` (a GAN conditioned on the data's clusters, whose
    ``cluster_shares`` it needs; see :func:`cluster_points`).  The critics take 5 updates per generator
    update.  With ``steps`` (generator updates), every learning rate decays to 0 over the run (cosine):
    the modes are narrow (std 0.01 on the ring, 0.05 on the grid), and a generator still taking large steps at the
    end scatters its samples."""
    import keras

    if model not in TOY_MODELS:
        raise ValueError(f"Unknown toy model {model!r}; choose one of {', '.join(TOY_MODELS)}.")
    if (model == "self-cond") != (cluster_shares is not None):
        raise ValueError("cluster_shares are needed by the self-conditioned GAN (self-cond) and by no other model.")

    def rate(base: float, updates_per_step: int = 1):
        if steps is None:
            return base
        return keras.optimizers.schedules.CosineDecay(base, decay_steps=int(steps) * updates_per_step)

    keras.utils.set_random_seed(seed)
    compile_kwargs = setup.compile_kwargs(small=True) if setup is not None else {}
    if model in ("wgan", "wgan-gp"):
        generator, critic = build_toy_generator(latent_dim), build_toy_discriminator()
        if model == "wgan":
            gan = WassersteinGAN(
                generator, critic, n_critic=N_CRITIC, gp_weight=0.0, clip_value=0.01, seed=seed, name=model
            )
            opts = [keras.optimizers.RMSprop(rate(5e-5, N_CRITIC)), keras.optimizers.RMSprop(rate(5e-5))]
        else:
            gan = WassersteinGAN(generator, critic, n_critic=N_CRITIC, gp_weight=10.0, seed=seed, name=model)
            opts = [keras.optimizers.Adam(rate(1e-4, k), beta_1=0.0, beta_2=0.9) for k in (N_CRITIC, 1)]
        gan.compile(d_optimizer=opts[0], g_optimizer=opts[1], **compile_kwargs)
        return gan
    if model == "pacgan":
        gan = PackedGAN(
            build_toy_generator(latent_dim), build_toy_discriminator(pack=PACK), pack=PACK, seed=seed, name=model
        )
    elif model == "self-cond":
        k = len(cluster_shares)
        players = build_toy_generator(latent_dim, num_classes=k), build_toy_discriminator(num_classes=k)
        gan = SelfConditionedGAN(*players, cluster_shares=cluster_shares, seed=seed, name=model)
    else:
        gan = GAN(build_toy_generator(latent_dim), build_toy_discriminator(), seed=seed, name=model)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(rate(1e-3), beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(rate(1e-3), beta_1=0.5),
        g_loss="minimax" if model == "gan-minimax" else "non_saturating",
        **compile_kwargs,
    )
    return gan


def run_toy(
    model: str,
    dataset: str = "ring",
    modes: int | None = None,
    std: float | None = None,
    steps: int | None = None,
    seed: int = 0,
    setup=None,
    frames: int = 0,
) -> dict:
    """Train one lab model on one mixture and count its modes on 2,500 samples (the papers' protocol).

    ``steps`` counts discriminator (critic) updates, so every model gets the same number of them and
    about the same time: the WGAN rows make 5 per generator update, so they take ``steps / 5`` generator
    updates.  Returns the mode counts, ``seconds`` of training, and with ``frames`` > 0 that many
    ``(step, samples)`` snapshots for a film."""
    import time

    mixture = toy_dataset(dataset, modes=modes, std=std)
    plan = budget("toy", steps=steps)
    generator_steps = max(1, plan.steps // N_CRITIC) if model in ("wgan", "wgan-gp") else plan.steps
    # The networks see the data scaled into [-1, 1] (the grid spans -4 ... 4); samples are scaled back.
    scale = float(np.abs(mixture.means).max())
    points = mixture.sample(100_000, seed=seed) / scale
    labels, shares = cluster_points(points, seed=seed) if model == "self-cond" else (None, None)
    gan = toy_gan(model, seed=seed, setup=setup, steps=generator_steps, cluster_shares=shares)
    snapshots: list[tuple[int, np.ndarray]] = []
    noise = np.random.default_rng(seed + 1).standard_normal((N_EVAL_SAMPLES, gan.latent_dim)).astype(np.float32)
    per_call = max(1, generator_steps // frames) if frames else generator_steps
    started = time.perf_counter()
    done = 0
    while done < generator_steps:
        done = min(generator_steps, done + per_call)
        train(
            gan,
            points,
            labels=labels,
            steps=done,
            steps_per_epoch=min(per_call, plan.steps_per_epoch),
            batch_size=plan.batch_size,
            seed=seed,
            verbose=0,
        )
        if frames:
            snapshots.append((done, gan.generate(noise[:500]) * scale))
    seconds = time.perf_counter() - started
    result = count_modes(gan.generate(noise) * scale, mixture)
    result.update(
        model=model,
        dataset=dataset,
        std=mixture.std,
        steps=plan.steps,
        generator_steps=generator_steps,
        seed=seed,
        seconds=round(seconds, 1),
    )
    if frames:
        result["frames"] = snapshots
    return result


# The published tables the lab is compared with: (modes captured, high-quality share) on ring and grid.
PUBLISHED = {
    "GAN (PacGAN 2018, Table 1)": {"ring": (6.3, 0.982), "grid": (17.3, 0.948)},
    "PacGAN4 (PacGAN 2018, Table 1)": {"ring": (7.8, 0.959), "grid": (24.8, 0.936)},
    "VEEGAN (2017)": {"ring": (8.0, 0.529), "grid": (24.6, 0.40)},
}


def lab_table(results: list[dict]) -> dict[str, dict[str, dict[str, float]]]:
    """Mean over seeds of :func:`run_toy` results: ``{model: {dataset: {modes, modes_total,
    high_quality, all_modes_every_seed, seconds, seeds}}}``."""
    table: dict[str, dict[str, dict[str, float]]] = {}
    for r in results:
        table.setdefault(r["model"], {}).setdefault(r["dataset"], {"runs": []})["runs"].append(r)
    for per_dataset in table.values():
        for dataset, cell in per_dataset.items():
            runs = cell.pop("runs")
            per_dataset[dataset] = {
                "modes": float(np.mean([r["modes_captured"] for r in runs])),
                "modes_total": runs[0]["modes_total"],
                "high_quality": float(np.mean([r["high_quality_share"] for r in runs])),
                "all_modes_every_seed": all(r["modes_captured"] == r["modes_total"] for r in runs),
                "seconds": float(np.mean([r["seconds"] for r in runs])),
                "seeds": len(runs),
            }
    return table


def format_lab_table(table: dict, published: dict | None = PUBLISHED) -> str:
    """The lab's table beside the published rows: modes captured and high-quality share, ring and grid."""
    lines = [f"{'model':34}{'ring modes':>11}{'ring HQ':>9}{'grid modes':>12}{'grid HQ':>9}"]
    for name, row in (published or {}).items():
        (rm, rq), (gm, gq) = row["ring"], row["grid"]
        lines.append(f"{name:34}{rm:11.1f}{rq:9.1%}{gm:12.1f}{gq:9.1%}")
    for model, cells in table.items():
        parts = []
        for dataset in DATASETS:
            c = cells.get(dataset)
            parts.append(
                f"{c['modes']:{11 if dataset == 'ring' else 12}.1f}{c['high_quality']:9.1%}" if c else " " * 20
            )
        lines.append(f"{model + ' (this course)':34}" + "".join(parts))
    return "\n".join(lines)


LAB_RECORD = SHIPPED_DIR / "toy_lab.json"


def lab_record() -> dict:
    """The measured lab (``data/toy_lab.json``, made by ``scripts/make_toy_table.py``): its command, the
    mean ``table``, every run and the best model's runs on changed mixtures."""
    import json

    if not LAB_RECORD.exists():
        raise FileNotFoundError(
            f"{LAB_RECORD} is missing: `git checkout -- data/toy_lab.json`, or remake it with "
            "`python scripts/make_toy_table.py` (the record keeps each run's seconds)."
        )
    return json.loads(LAB_RECORD.read_text())


def _toy_axes(ax, mixture, points, title):
    # the means under the points: a mode's samples (std 0.01 to 0.1) are smaller than a marker and must stay visible
    ax.scatter(mixture.means[:, 0], mixture.means[:, 1], marker="x", s=16, color="C3", lw=0.7, zorder=1)
    ax.scatter(points[:, 0], points[:, 1], s=2, alpha=0.4, color="C0", rasterized=True, zorder=2)
    span = float(np.abs(mixture.means).max()) * 1.35
    ax.set_xlim(-span, span)
    ax.set_ylim(-span, span)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=8)


def toy_scatter(samples: dict[str, np.ndarray], mixture, counts: dict[str, dict] | None = None):
    """One panel per named sample set: the points, and the mixture's means as red crosses."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(samples), figsize=(2.3 * len(samples), 2.5), squeeze=False)
    for ax, (name, points) in zip(axes[0], samples.items(), strict=True):
        title = name
        if counts and name in counts:
            c = counts[name]
            title += f"\n{c['modes_captured']}/{c['modes_total']} modes, {c['high_quality_share']:.0%} HQ"
        _toy_axes(ax, mixture, np.asarray(points), title)
    fig.tight_layout()
    return fig


def toy_film(frames, mixture, max_frames: int = 8):
    """Lesson 11: generated points at moments of training (``(step, points)`` pairs), e.g. a GAN hopping
    from mode to mode."""
    import matplotlib.pyplot as plt

    frames = list(frames)
    if len(frames) > max_frames:
        frames = [frames[int(i)] for i in np.linspace(0, len(frames) - 1, max_frames)]
    fig, axes = plt.subplots(1, len(frames), figsize=(1.9 * len(frames), 2.1), squeeze=False)
    for ax, (step, points) in zip(axes[0], frames, strict=True):
        _toy_axes(ax, mixture, np.asarray(points), f"step {step}")
    fig.tight_layout()
    return fig
