"""Lesson 11's mode-collapse lab: 2-D mixtures of Gaussians and the PacGAN / VEEGAN mode counter.

**ring**: ``K`` Gaussians (8 in the papers) with means ``(cos 2 pi i/K, sin 2 pi i/K)`` and std 0.01;
**grid**: ``side x side`` Gaussians (25 in the papers) with means on ``{-4, -2, 0, 2, 4}^2`` and std 0.05.
A generated point is *high quality* if it lies within 3 standard deviations of its nearest mean; a mode
is *captured* if at least one high-quality point is nearest to it (PacGAN, Lin et al. 2018, Table 1).
Taught in ``11_mode_collapse_lab``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.validate import check_positive_int

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
        check_positive_int("n", n)
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
