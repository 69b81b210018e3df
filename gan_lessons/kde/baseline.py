"""The classic baseline: kernel density estimation with scikit-learn.

A KDE puts a small Gaussian on every training point; its density is their average, and a
sample is a training point plus Gaussian noise of width ``bandwidth``.  Unlike a GAN it
gives ``log p(x)``, and its one knob, the bandwidth, is chosen by cross-validated held-out
log-likelihood instead of guessed.  On digits it works in a PCA space of a few dozen
dimensions: lesson 07's sweep (2 to 100 dimensions) shows the gap between training and held-out
likelihood growing with the dimension.  Taught in ``07_kde_baseline``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..core.validate import check_positive_int
from ..tools.classifier import features_and_probabilities, reference_features
from ..tools.metrics import MIN_SAMPLES, confident_share, fid, memorisation, nearer_train_share

DEFAULT_BANDWIDTHS = np.logspace(-1.5, 1.0, 11)


def _check_bandwidths(bandwidths) -> np.ndarray:
    grid = np.asarray(DEFAULT_BANDWIDTHS if bandwidths is None else bandwidths, dtype=np.float64)
    if grid.ndim != 1 or len(grid) < 2 or not np.all(grid > 0):
        raise ValueError(f"bandwidths must be at least two positive numbers, got {bandwidths!r}.")
    return np.sort(grid)


def gaussian_kde_log_density(points: np.ndarray, x: np.ndarray, bandwidth: float) -> np.ndarray:
    """``log p(x)`` of each row of ``x`` under the Gaussian KDE on ``points`` (both ``(n, d)``), computed exactly:
    ``log mean_i N(x; points_i, bandwidth^2 I)``, a log-sum-exp over every point, a few rows of ``x`` at a time.

    scikit-learn's ``KernelDensity.score_samples`` prunes its tree with bounds that can be wrong far from the data
    (scikit-learn issues #7492 and #27186): on lesson 07's digits in 20 PCA dimensions it scored an all-ink image at
    -75 nats instead of -147, and the error changed with the number of BLAS threads.  Held-out points in a few dozen
    dimensions are far from the data in just that way, so the course scores them here."""
    from scipy.special import logsumexp

    points, x = np.asarray(points, np.float64), np.asarray(x, np.float64)
    if points.ndim != 2 or x.ndim != 2 or points.shape[1] != x.shape[1]:
        raise ValueError(f"points and x must be (n, d) with the same d, got {points.shape} and {x.shape}.")
    if not bandwidth > 0:
        raise ValueError(f"bandwidth must be positive, got {bandwidth!r}.")
    d = points.shape[1]
    squared = np.sum(points**2, axis=1)
    norm = np.log(len(points)) + 0.5 * d * np.log(2 * np.pi * bandwidth**2)
    out = np.empty(len(x))
    chunk = max(1, 2**22 // max(1, len(points)))  # rows of `x` at a time: about 32 MB of squared distances
    for start in range(0, len(x), chunk):
        rows = x[start : start + chunk]
        d2 = np.maximum(np.sum(rows**2, axis=1)[:, None] + squared[None, :] - 2.0 * rows @ points.T, 0.0)
        out[start : start + chunk] = logsumexp(-0.5 * d2 / bandwidth**2, axis=1) - norm
    return out


@functools.cache
def _exact_kernel_density_class():
    from sklearn.neighbors import KernelDensity

    class ExactKernelDensity(KernelDensity):
        """scikit-learn's Gaussian ``KernelDensity`` with exact ``score_samples`` (and so ``score``)."""

        def fit(self, X, y=None, sample_weight=None):
            if sample_weight is not None or self.kernel != "gaussian":
                raise ValueError("the exact KDE is a Gaussian KDE without sample weights.")
            super().fit(X)
            self.points_ = np.asarray(X, np.float64)
            return self

        def score_samples(self, X):
            return gaussian_kde_log_density(self.points_, X, float(getattr(self, "bandwidth_", self.bandwidth)))

    return ExactKernelDensity


def exact_kernel_density(bandwidth: float = 1.0):
    """scikit-learn's Gaussian ``KernelDensity`` (fit, sample, ``GridSearchCV``) whose ``score_samples`` and ``score``
    are exact (:func:`gaussian_kde_log_density`) instead of its tree's approximation."""
    return _exact_kernel_density_class()(kernel="gaussian", bandwidth=bandwidth)


def bimodal_1d(n: int, seed: int = 0) -> np.ndarray:
    """``n`` draws ``(n, 1)`` of lesson 07's 1-D data: an even mixture of N(0, 1) and N(5, 1)."""
    rng = np.random.default_rng(seed)
    centres = np.where(rng.random(n) < 0.5, 0.0, 5.0)
    return (centres + rng.standard_normal(n))[:, None]


def bimodal_density(x) -> np.ndarray:
    """The true density of :func:`bimodal_1d` at the points ``x`` (any shape)."""
    x = np.asarray(x, dtype=np.float64)
    return 0.5 * (np.exp(-0.5 * x**2) + np.exp(-0.5 * (x - 5.0) ** 2)) / np.sqrt(2 * np.pi)


@dataclass(frozen=True)
class BandwidthSearch:
    """The bandwidth with the best cross-validated held-out log-likelihood, and the whole curve."""

    bandwidth: float
    bandwidths: np.ndarray
    mean_log_likelihood: np.ndarray  # per point, averaged over the validation folds


def choose_bandwidth(x: np.ndarray, bandwidths=None, folds: int = 3, seed: int = 0) -> BandwidthSearch:
    """Grid search over Gaussian-kernel bandwidths (``GridSearchCV`` over ``KernelDensity``)."""
    from sklearn.model_selection import GridSearchCV, KFold

    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be (samples, features), e.g. x[:, None] for 1-D data; got shape {x.shape}.")
    if not isinstance(folds, int) or folds < 2 or len(x) < 2 * folds:
        raise ValueError(f"need folds >= 2 and at least two points per fold; got folds={folds!r} for {len(x)} points.")
    grid = _check_bandwidths(bandwidths)
    search = GridSearchCV(
        exact_kernel_density(),
        {"bandwidth": grid},
        cv=KFold(folds, shuffle=True, random_state=seed),
    ).fit(x)
    per_point = search.cv_results_["mean_test_score"] / (len(x) / folds)  # score() sums over the fold
    return BandwidthSearch(float(search.best_params_["bandwidth"]), grid, per_point)


@dataclass
class DigitKDE:
    """PCA to ``n_components`` dimensions, then a Gaussian KDE there.  Images in [-1, 1]."""

    pca: object
    kde: object
    image_shape: tuple[int, ...]
    search: BandwidthSearch | None
    residual_variance: float  # per pixel, of the training digits off the PCA space

    @property
    def bandwidth(self) -> float:
        return float(self.kde.bandwidth)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` images ``(n, *image_shape)`` float32, clipped to [-1, 1]."""
        check_positive_int("n", n)
        codes = self.kde.sample(int(n), random_state=seed)
        images = self.pca.inverse_transform(codes).reshape(int(n), *self.image_shape)
        return np.clip(images, -1.0, 1.0).astype(np.float32)

    def codes(self, images: np.ndarray) -> np.ndarray:
        """PCA codes ``(N, n_components)`` of images: the space the KDE lives in."""
        images = np.asarray(images, dtype=np.float64)
        return self.pca.transform(images.reshape(len(images), -1))

    def reconstruct(self, images: np.ndarray) -> np.ndarray:
        """Images as the model sees them: projected on the PCA space and back, clipped to [-1, 1]."""
        images = np.asarray(images)
        flat = self.pca.inverse_transform(self.codes(images))
        return np.clip(flat, -1.0, 1.0).reshape(images.shape).astype(np.float32)

    def memorisation(self, samples: np.ndarray, train: np.ndarray, unseen: np.ndarray) -> dict[str, float]:
        """:func:`gan_lessons.tools.metrics.memorisation` against the *reconstructed* training digits.

        A KDE sample is a training digit's PCA code plus noise.  Compared with the original digits,
        PCA's blur hides how close it stays to its source; compared with the reconstructions, a
        sample made with a tiny bandwidth is at distance ~0 from one -- a copy."""

        return memorisation(samples, self.reconstruct(train), self.reconstruct(unseen))

    def log_likelihood(self, images: np.ndarray) -> np.ndarray:
        """``log p`` of each image's PCA code under the KDE (nats), shape ``(N,)``."""
        return self.kde.score_samples(self.codes(images))

    def pixel_log_likelihood(self, images: np.ndarray) -> np.ndarray:
        """``log p(x)`` in pixel space (nats per image), comparable across PCA dimensions.

        The PCA axes are orthonormal, so an image splits into its code (``d`` numbers, scored by the
        KDE) and a residual off the PCA space (``D - d`` numbers), modelled as Gaussian noise with the
        training digits' residual variance per pixel.  The sum of the two log-densities is a proper
        density over all ``D`` pixels, whatever ``d`` is -- what a dimension sweep must compare."""
        images = np.asarray(images, dtype=np.float64)
        flat = images.reshape(len(images), -1)
        codes = self.pca.transform(flat)
        residual = flat - self.pca.inverse_transform(codes)
        off = flat.shape[1] - codes.shape[1]
        var = self.residual_variance
        gaussian = -0.5 * np.sum(residual**2, axis=1) / var - 0.5 * off * np.log(2 * np.pi * var)
        return self.kde.score_samples(codes) + gaussian


def fit_digit_kde(
    images: np.ndarray,
    n_components: int = 30,
    bandwidth: float | None = None,
    bandwidths=None,
    folds: int = 3,
    seed: int = 0,
) -> DigitKDE:
    """Fit PCA + KDE to images ``(N, H, W, C)`` in [-1, 1]; the bandwidth by cross-validation
    unless given."""
    from sklearn.decomposition import PCA

    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 4:
        raise ValueError(f"images must be (N, height, width, channels), got shape {images.shape}.")
    flat = images.reshape(len(images), -1)
    if not isinstance(n_components, int) or not 1 <= n_components <= min(flat.shape):
        raise ValueError(f"n_components must be a whole number from 1 to {min(flat.shape)}, got {n_components!r}.")
    if bandwidth is not None and not bandwidth > 0:
        raise ValueError(f"bandwidth must be positive, got {bandwidth!r}.")
    pca = PCA(n_components=n_components, random_state=seed).fit(flat)
    codes = pca.transform(flat)
    search = None
    if bandwidth is None:
        search = choose_bandwidth(codes, bandwidths, folds=folds, seed=seed)
        bandwidth = search.bandwidth
    kde = exact_kernel_density(float(bandwidth)).fit(codes)
    off = flat.shape[1] - n_components
    residual_variance = float(np.sum((flat - pca.inverse_transform(codes)) ** 2) / (len(flat) * off)) if off else 1.0
    return DigitKDE(pca, kde, tuple(images.shape[1:]), search, max(residual_variance, 1e-6))


def _check_sample_count(n_samples) -> None:
    if not isinstance(n_samples, int) or n_samples < MIN_SAMPLES:
        raise ValueError(f"n_samples must be a whole number >= {MIN_SAMPLES} for a stable FID, got {n_samples!r}.")


def dimension_sweep(
    train: np.ndarray,
    held_out: np.ndarray,
    dimensions=(2, 5, 10, 20, 30, 50, 100),
    n_samples: int = 1000,
    seed: int = 0,
) -> list[dict]:
    """Fit a digit KDE (bandwidth by cross-validation) in each PCA dimension and measure it.

    One row per dimension: the bandwidth, the pixel-space log-likelihood per pixel of training and
    held-out digits (their gap is the overfitting), the fit time, and the quality of ``n_samples``
    samples by the digit classifier (confident share, classifier-feature FID against the reference
    digits).  Lesson 07's curse-of-dimensionality table."""
    import time

    _check_sample_count(n_samples)
    rows = []
    pixels = int(np.prod(np.shape(train)[1:]))
    stride = max(1, len(train) // len(held_out))
    train_subset = np.asarray(train)[::stride][: len(held_out)]  # spread over the set (splits are sorted by class)
    for d in dimensions:
        started = time.perf_counter()
        model = fit_digit_kde(train, n_components=int(d), seed=seed)
        seconds = time.perf_counter() - started
        features, probabilities = features_and_probabilities(model.sample(n_samples, seed=seed + 1))
        train_ll = model.pixel_log_likelihood(train_subset).mean() / pixels
        held_out_ll = model.pixel_log_likelihood(held_out).mean() / pixels
        rows.append(
            {
                "dimensions": int(d),
                "bandwidth": model.bandwidth,
                "train_ll": float(train_ll),
                "held_out_ll": float(held_out_ll),
                "gap": float(train_ll - held_out_ll),
                "confident": confident_share(probabilities),
                "fid": fid(features, reference_features()),
                "seconds": seconds,
            }
        )
    return rows


def bandwidth_sweep(
    train: np.ndarray,
    unseen: np.ndarray,
    bandwidths=(0.001, 0.3, 1.0, 2.0, 3.0, 5.0, 10.0),
    n_components: int = 30,
    n_samples: int = 1000,
    seed: int = 0,
) -> list[dict]:
    """One digit KDE per bandwidth (in ``n_components`` PCA dimensions) and what its ``n_samples`` samples do: the
    share whose nearest real digit is a training digit rather than an ``unseen`` one (the data-copying test of
    :func:`gan_lessons.tools.metrics.nearer_train_share`), their classifier-feature FID and their confident share.
    Lesson 07 asks whether any bandwidth escapes the test with samples that still look like digits."""
    _check_sample_count(n_samples)
    rows = []
    for h in _check_bandwidths(bandwidths):
        samples = fit_digit_kde(train, n_components=n_components, bandwidth=float(h), seed=seed).sample(
            n_samples, seed=seed + 1
        )
        features, probabilities = features_and_probabilities(samples)
        rows.append(
            {
                "bandwidth": float(h),
                "nearer_train": nearer_train_share(samples, train, unseen),
                "fid": fid(features, reference_features()),
                "confident": confident_share(probabilities),
            }
        )
    return rows
