"""Pictures of the course: image grids, maps, loss curves, the training film, interpolations."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def image_grid(images: np.ndarray, ncols: int | None = None, pad: int = 1) -> np.ndarray:
    """Tile images ``(N, H, W, 1)`` in [-1, 1] into one 2-D array in [0, 1], the gaps (and any empty tiles) at 1:
    under the course's ``gray_r``, which draws the digits' -1 background white, they are dark, as dark as full ink."""
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
        lines = ax.get_lines() + twin.get_lines()
    else:
        lines = ax.get_lines()
    # one legend below the axes, where it hides no curve
    ax.legend(lines, [line.get_label() for line in lines], loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4)
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


def show_maps(maps: dict[str, np.ndarray], size: float = 3.0):
    """Display 2-D maps ``(H, W)`` or ``(H, W, 1)`` side by side, each with its own colour scale and bar:
    e.g. the mean of many samples beside their per-pixel standard deviation."""
    import matplotlib.pyplot as plt

    if not maps:
        raise ValueError("maps is empty: give at least one {title: array}.")
    fig, axes = plt.subplots(1, len(maps), figsize=(size * 1.25 * len(maps), size), squeeze=False)
    for ax, (title, values) in zip(axes[0], maps.items(), strict=True):
        values = np.asarray(values, np.float32)
        values = values[..., 0] if values.ndim == 3 and values.shape[-1] == 1 else values
        if values.ndim != 2:
            raise ValueError(f"map {title!r} must be (H, W) or (H, W, 1), got {values.shape}.")
        fig.colorbar(ax.imshow(values, cmap="viridis"), ax=ax, fraction=0.046)
        ax.set_title(title)
        ax.set_axis_off()
    plt.show()
    return fig
