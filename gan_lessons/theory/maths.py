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


def optimal_value(p_data, p_g) -> float:
    """V(G, D*) = Σ p_data log(p_data / (p_data + p_g)) + Σ p_g log(p_g / (p_data + p_g)), which equals
    −2 log 2 + 2 JSD(p_data ‖ p_g), computed without forming D*: where p_g is tiny against p_data, D* rounds to 1 in
    floating point and ``value_function(p_data, p_g, D*)`` would take log(1 − D*) = log 0."""
    p, q = _pair(p_data, p_g)
    total = p + q
    safe = np.where(total > 0, total, 1.0)
    return float(_xlogy(p, p / safe).sum() + _xlogy(q, q / safe).sum())


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
