"""Lesson 07's plots: the bandwidth, the dimension sweep and the distances to the training set."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


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
    # Far too small a bandwidth scores so badly that the peak would look flat: then show the peak and both flanks
    # (from a third of the best h to ten times it) and say how many bandwidths fall below the chart.
    h, ll = np.asarray(search.bandwidths, float), np.asarray(search.mean_log_likelihood, float)
    near = ll[(h >= 0.99 * h[best] / np.sqrt(10)) & (h <= 1.01 * h[best] * 10)]  # (1%: a log grid's rounding)
    if np.ptp(near) > 0 and np.ptp(ll) > 5 * np.ptp(near):
        pad = 0.15 * np.ptp(near)
        ax.set_ylim(near.min() - pad, ll.max() + pad)
        below = int(np.sum(ll < near.min() - pad))
        ax.text(0.03, 0.05, f"{below} bandwidths score below the chart", transform=ax.transAxes, fontsize=7)
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
