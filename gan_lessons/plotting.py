"""Pictures of the course: image grids, loss curves, the training film, interpolations."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def image_grid(images: np.ndarray, ncols: int | None = None, pad: int = 1) -> np.ndarray:
    """Tile images ``(N, H, W, 1)`` in [-1, 1] into one 2-D array in [0, 1] (background 1 = white gap)."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"images must have shape (N, H, W, 1), got {images.shape}.")
    n, h, w, _ = images.shape
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = math.ceil(n / ncols)
    grid = np.ones((nrows * (h + pad) - pad, ncols * (w + pad) - pad), dtype=np.float32)
    pixels = np.clip((images[..., 0] + 1.0) / 2.0, 0.0, 1.0)
    for i in range(n):
        r, c = divmod(i, ncols)
        grid[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = pixels[i]
    return grid


def _figure_of_grid(images, title=None, ncols=None, size=4.0):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(image_grid(images, ncols), cmap="gray_r", vmin=0, vmax=1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def show_grid(images: np.ndarray, title: str | None = None, ncols: int | None = None, size: float = 4.0):
    """Display a grid of images (in a notebook)."""
    import matplotlib.pyplot as plt

    fig = _figure_of_grid(images, title, ncols, size)
    plt.show()
    return fig


def save_grid(images: np.ndarray, path, title: str | None = None, ncols: int | None = None) -> Path:
    """Write a grid of images as a small PNG."""
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = _figure_of_grid(images, title, ncols, size=4.0)
    fig.savefig(path, dpi=72, bbox_inches="tight")
    plt.close(fig)
    return path


def plot_losses(history: dict[str, Sequence[float]], steps_per_epoch: int = 1, ax=None):
    """Both players' losses on one axis (x = training step), with D's outputs on a twin axis."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5))
    if not history:
        raise ValueError("The history is empty: train first (it holds the losses per epoch).")
    n = len(next(iter(history.values())))
    x = np.arange(1, n + 1) * steps_per_epoch
    for key in ("d_loss", "g_loss"):
        if key in history:
            ax.plot(x, history[key], label=key)
    ax.set_xlabel("training step")
    ax.set_ylabel("loss")
    if "D_real" in history:
        twin = ax.twinx()
        twin.plot(x, history["D_real"], ":", color="tab:green", label="mean D(real)")
        twin.plot(x, history["D_fake"], ":", color="tab:red", label="mean D(fake)")
        twin.set_ylim(0, 1)
        twin.set_ylabel("D output")
        twin.legend(loc="upper right")
    ax.legend(loc="upper left")
    return ax


def training_film(frames: Sequence[tuple[int, np.ndarray]], n_images: int = 8, max_frames: int = 8):
    """One row per moment of training (from the fixed-noise callback): how the samples grew."""
    import matplotlib.pyplot as plt

    if not frames:
        raise ValueError("No frames recorded: pass a SampleGrid callback to training first.")
    idx = np.unique(np.linspace(0, len(frames) - 1, min(max_frames, len(frames))).round().astype(int))
    chosen = [frames[i] for i in idx]
    fig, axes = plt.subplots(len(chosen), 1, figsize=(n_images * 0.8, len(chosen) * 0.9), squeeze=False)
    for ax, (step, images) in zip(axes[:, 0], chosen, strict=True):
        ax.imshow(image_grid(images[:n_images], ncols=n_images), cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_ylabel(f"step {step}", rotation=0, ha="right", va="center", fontsize=8)
    fig.suptitle("The same noise over training")
    return fig


def interpolate(z0: np.ndarray, z1: np.ndarray, n: int = 10, kind: str = "linear") -> np.ndarray:
    """Points between two noise vectors: ``"linear"`` or ``"spherical"`` (slerp), shape ``(n, dim)``."""
    z0, z1 = np.asarray(z0, np.float32), np.asarray(z1, np.float32)
    if z0.shape != z1.shape or z0.ndim != 1:
        raise ValueError(f"z0 and z1 must be 1-D vectors of one length, got {z0.shape} and {z1.shape}.")
    t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]
    if kind == "linear":
        return (1 - t) * z0 + t * z1
    if kind == "spherical":
        cos = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1))
        omega = np.arccos(np.clip(cos, -1.0, 1.0))
        if omega < 1e-6:
            return (1 - t) * z0 + t * z1
        return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
    raise ValueError(f"Unknown interpolation {kind!r}; use 'linear' or 'spherical'.")


def gan_1d_strip(frames, x_grid, p_data, n_frames: int = 4):
    """Snapshots of a 1-D GAN (from ``theory.train_gan_1d``): p_data, G's samples as a density,
    D(x) and the D*(x) that this G would call for, side by side (lesson 01)."""
    import matplotlib.pyplot as plt

    from .theory import kde_density

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
        ax.set_title(f"step {frame['step']}")
        ax.set_ylim(0, 1.05)
    axes[0, 0].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def sample_rows(sets: dict[str, np.ndarray], n: int = 10):
    """One row of ``n`` images per named set, to compare sample sets at a glance."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(sets), 1, figsize=(n * 0.7, len(sets) * 0.8), squeeze=False)
    for ax, (name, images) in zip(axes[:, 0], sets.items(), strict=True):
        ax.imshow(image_grid(images[:n], ncols=n), cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_ylabel(name, rotation=0, ha="right", va="center", fontsize=8)
    return fig


# -- lesson 07: the kernel-density baseline -------------------------------------------------
def kde_1d_panels(train: np.ndarray, bandwidths: dict[str, float], density=None, x_grid=None):
    """One panel per named bandwidth: the training data, the KDE fitted with it and (dashed) the true density."""
    import matplotlib.pyplot as plt
    from sklearn.neighbors import KernelDensity

    train = np.asarray(train, np.float64).reshape(-1, 1)
    x = np.linspace(train.min() - 2, train.max() + 2, 400) if x_grid is None else np.asarray(x_grid, np.float64)
    fig, axes = plt.subplots(1, len(bandwidths), figsize=(3.6 * len(bandwidths), 2.8), sharey=True, squeeze=False)
    for ax, (name, h) in zip(axes[0], bandwidths.items(), strict=True):
        fitted = KernelDensity(bandwidth=h).fit(train)
        ax.hist(train[:, 0], bins=40, density=True, color="0.85", label="training data")
        if density is not None:
            ax.plot(x, density(x), "k--", lw=1, label="true density")
        ax.plot(x, np.exp(fitted.score_samples(x[:, None])), "C0", lw=1.5, label="KDE")
        ax.set_title(f"{name}: h = {h:.3g}")
        ax.set_xlabel("x")
    axes[0, 0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def bandwidth_curve(search, ax=None, label: str | None = None):
    """Cross-validated held-out log-likelihood per point against the bandwidth (log axis), best marked."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3))
    ax.semilogx(search.bandwidths, search.mean_log_likelihood, "o-", ms=3, label=label)
    best = int(np.argmax(search.mean_log_likelihood))
    ax.plot(search.bandwidths[best], search.mean_log_likelihood[best], "r*", ms=12)
    ax.set_xlabel("bandwidth h")
    ax.set_ylabel("held-out log-likelihood per point")
    ax.set_title(f"cross-validation picks h = {search.bandwidth:.3g}")
    return ax.figure


def dimension_sweep_plot(rows: Sequence[dict]):
    """Lesson 07: likelihood (training vs held-out) and sample quality against the PCA dimension."""
    import matplotlib.pyplot as plt

    d = [r["dimensions"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    left.plot(d, [r["train_ll"] for r in rows], "o-", label="training digits")
    left.plot(d, [r["held_out_ll"] for r in rows], "s-", label="held-out digits")
    left.set_xscale("log")
    left.set_xlabel("PCA dimensions d")
    left.set_ylabel("log p(x) per pixel (nats)")
    left.legend(fontsize=8)
    right.plot(d, [r["confident"] for r in rows], "o-", color="C2")
    right.set_xscale("log")
    right.set_xlabel("PCA dimensions d")
    right.set_ylabel("confidently classified", color="C2")
    twin = right.twinx()
    twin.plot(d, [r["fid"] for r in rows], "s--", color="C3")
    twin.set_ylabel("classifier-feature FID", color="C3")
    fig.tight_layout()
    return fig


def distance_histograms(distances: dict[str, np.ndarray], threshold: float | None = None, bins: int = 40):
    """Overlaid histograms of nearest-training-digit distances, one per named sample set."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    top = max(float(np.max(v)) for v in distances.values())
    edges = np.linspace(0.0, top, bins + 1)
    for name, values in distances.items():
        ax.hist(values, bins=edges, histtype="step", lw=1.5, density=True, label=name)
    if threshold is not None:
        ax.axvline(threshold, color="k", ls=":", label="memorisation threshold")
    ax.set_xlabel("distance to the nearest training digit (pixels, images in [-1, 1])")
    ax.set_ylabel("density")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


# -- lesson 05: the mode-collapse lab ---------------------------------------------------------
def _toy_axes(ax, mixture, points, title):
    ax.scatter(points[:, 0], points[:, 1], s=2, alpha=0.4, color="C0", rasterized=True)
    ax.scatter(mixture.means[:, 0], mixture.means[:, 1], marker="x", s=25, color="C3", lw=1)
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
    """Lesson 05: generated points at moments of training (``(step, points)`` pairs), e.g. a GAN hopping
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


def wasserstein_curve(history: dict[str, Sequence[float]], steps_per_epoch: int, quality=None):
    """The critic's Wasserstein estimate per epoch and, on a twin axis, the FID points of
    :class:`gan_lessons.training.QualityCurve` -- they should fall together (lesson 05)."""
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
        f = np.asarray(critic.predict(x[:, None], verbose=0)).ravel()
        twin.plot(x, f - f[0], color="C3", label="critic f(x)")
        twin.set_ylabel("f(x) - f(x_min)", color="C3")
        ax.set_title(name, fontsize=9)
        ax.set_yticks([])
    axes[0][0].legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    return fig
