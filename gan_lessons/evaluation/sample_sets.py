"""Controlled sample sets with known flaws, to see which metric catches which failure.

Each function takes real digits ``(N, 28, 28, 1)`` in [-1, 1] and returns a set of
the same kind with one deliberate defect.  Taught in ``08_evaluating_gans``.
"""

from __future__ import annotations

import numpy as np

from ..kde.baseline import fit_digit_kde


def _rng(seed):
    return np.random.default_rng(seed)


def with_noise(images: np.ndarray, std: float = 0.3, seed: int = 0) -> np.ndarray:
    """Gaussian pixel noise (std in units of the [-1, 1] range), clipped back into range."""
    return np.clip(images + _rng(seed).normal(0.0, std, images.shape), -1, 1).astype(np.float32)


def blurred(images: np.ndarray, sigma: float = 1.2) -> np.ndarray:
    """Gaussian blur of each digit (sigma in pixels)."""
    from scipy.ndimage import gaussian_filter

    return gaussian_filter(images, sigma=(0, sigma, sigma, 0)).astype(np.float32)


def dropped_classes(
    images: np.ndarray, labels: np.ndarray, keep=(0, 1, 2, 3, 4), n: int | None = None, seed: int = 0
) -> np.ndarray:
    """Mode dropping: only the digits in ``keep``, resampled to ``n`` images."""
    pool = images[np.isin(labels, keep)]
    n = len(images) if n is None else n
    return pool[_rng(seed).choice(len(pool), n, replace=len(pool) < n)]


def collapsed(images: np.ndarray, n_distinct: int = 10, n: int | None = None, seed: int = 0) -> np.ndarray:
    """Mode collapse: ``n_distinct`` digits repeated (each copy slightly jittered by noise)."""
    rng = _rng(seed)
    n = len(images) if n is None else n
    few = images[rng.choice(len(images), n_distinct, replace=False)]
    return with_noise(few[rng.integers(0, n_distinct, n)], std=0.02, seed=seed)


def copies(train_images: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """Memorisation: exact copies of training digits."""
    return train_images[_rng(seed).choice(len(train_images), n, replace=False)]


def kde_style(
    train_images: np.ndarray, n: int, components: int = 30, bandwidth: float = 1.5, seed: int = 0
) -> np.ndarray:
    """A classic density-estimation baseline: PCA to ``components`` dimensions, a Gaussian kernel
    density there with a fixed ``bandwidth``, samples mapped back to pixels
    (:func:`gan_lessons.kde.fit_digit_kde`; lesson 07 chooses the bandwidth by cross-validation)."""

    return fit_digit_kde(train_images, n_components=components, bandwidth=bandwidth, seed=seed).sample(n, seed=seed)
