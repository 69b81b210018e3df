"""Lesson 05's mode-collapse lab: 2-D mixtures of Gaussians and the PacGAN / VEEGAN mode counter.

**ring**: ``K`` Gaussians (8 in the papers) with means ``(cos 2 pi i/K, sin 2 pi i/K)`` and std 0.01;
**grid**: ``side x side`` Gaussians (25 in the papers) with means on ``{-4, -2, 0, 2, 4}^2`` and std 0.05.
A generated point is *high quality* if it lies within 3 standard deviations of its nearest mean; a mode
is *captured* if at least one high-quality point is nearest to it (PacGAN, Lin et al. 2018, Table 1).
Taught in ``05_wgan_gp``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .config import SHIPPED_DIR

DATASETS = ("ring", "grid")
N_EVAL_SAMPLES = 2500  # the papers' protocol


@dataclass(frozen=True)
class ToyMixture:
    """An even mixture of isotropic 2-D Gaussians."""

    name: str
    means: np.ndarray  # (modes, 2)
    std: float

    @property
    def modes(self) -> int:
        return len(self.means)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` points ``(n, 2)`` float32; each mode equally likely."""
        if not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"n must be a positive whole number, got {n!r}.")
        rng = np.random.default_rng(seed)
        which = rng.integers(0, self.modes, int(n))
        return (self.means[which] + self.std * rng.standard_normal((int(n), 2))).astype(np.float32)


def _check_std(std) -> float:
    if not isinstance(std, int | float) or isinstance(std, bool) or not std > 0:
        raise ValueError(f"std must be a positive number, got {std!r}.")
    return float(std)


def ring(modes: int = 8, std: float = 0.01) -> ToyMixture:
    """``modes`` Gaussians evenly spaced on the unit circle."""
    if not isinstance(modes, int) or isinstance(modes, bool) or modes < 2:
        raise ValueError(f"a ring needs at least 2 modes, got modes={modes!r}.")
    angles = 2 * np.pi * np.arange(modes) / modes
    return ToyMixture("ring", np.stack([np.cos(angles), np.sin(angles)], axis=1), _check_std(std))


def grid(modes: int = 25, std: float = 0.05) -> ToyMixture:
    """``side x side = modes`` Gaussians on a square grid with spacing 2, centred at 0 (5 x 5: -4 ... 4)."""
    side = math.isqrt(modes) if isinstance(modes, int) and not isinstance(modes, bool) and modes >= 0 else 0
    if side < 2 or side * side != modes:
        raise ValueError(
            f"a grid needs a square number of modes of at least 4 (4, 9, 16, 25, ...), got modes={modes!r}."
        )
    axis = 2.0 * (np.arange(side) - (side - 1) / 2)
    xs, ys = np.meshgrid(axis, axis, indexing="ij")
    return ToyMixture("grid", np.stack([xs.ravel(), ys.ravel()], axis=1), _check_std(std))


def toy_dataset(name: str, modes: int | None = None, std: float | None = None) -> ToyMixture:
    """``ring`` or ``grid`` with the papers' defaults unless ``modes`` / ``std`` are given."""
    builders = {"ring": ring, "grid": grid}
    if name not in builders:
        raise ValueError(f"Unknown toy dataset {name!r}; choose one of {', '.join(DATASETS)}.")
    kwargs = {k: v for k, v in (("modes", modes), ("std", std)) if v is not None}
    return builders[name](**kwargs)


def count_modes(samples: np.ndarray, mixture: ToyMixture, n_std: float = 3.0) -> dict:
    """The PacGAN protocol on generated points ``(N, 2)``: modes captured, high-quality share, per-mode counts."""
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ValueError(f"samples must be 2-D points of shape (N, 2), got {samples.shape}.")
    if len(samples) == 0:
        raise ValueError("count_modes needs at least one sample.")
    if not np.all(np.isfinite(samples)):
        raise ValueError("samples contain NaN or infinity: the generator diverged.")
    distances = np.linalg.norm(samples[:, None, :] - mixture.means[None, :, :], axis=2)  # (N, modes)
    nearest = distances.argmin(axis=1)
    high_quality = distances[np.arange(len(samples)), nearest] <= n_std * mixture.std
    per_mode = np.bincount(nearest[high_quality], minlength=mixture.modes)
    return {
        "modes_captured": int(np.sum(per_mode > 0)),
        "modes_total": int(mixture.modes),
        "high_quality_share": float(high_quality.mean()),
        "per_mode": per_mode.tolist(),
    }


# -- the models of the lab ----------------------------------------------------------------
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

    from .models import LabelProjection

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
    the modes are 0.01 wide, and a generator still taking large steps at the end scatters its samples."""
    import keras

    from .training import GAN, PackedGAN, SelfConditionedGAN, WassersteinGAN

    if model not in TOY_MODELS:
        raise ValueError(f"Unknown toy model {model!r}; choose one of {', '.join(TOY_MODELS)}.")
    if (model == "self-cond") != (cluster_shares is not None):
        raise ValueError("cluster_shares are needed by the self-conditioned GAN (self-cond) and by no other model.")

    def rate(base: float, updates_per_step: int = 1):
        if steps is None:
            return base
        return keras.optimizers.schedules.CosineDecay(base, decay_steps=int(steps) * updates_per_step)

    keras.utils.set_random_seed(seed)
    compile_kwargs = setup.compile_kwargs(convolutional=False) if setup is not None else {}
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

    from .config import budget
    from .training import train

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
    """Mean over seeds of :func:`run_toy` results: ``{model: {dataset: {modes, high_quality, seconds, runs}}}``."""
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
            "`python scripts/make_toy_table.py` (about 45 minutes)."
        )
    return json.loads(LAB_RECORD.read_text())
