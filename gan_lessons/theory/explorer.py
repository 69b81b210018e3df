"""Lesson 01's interactive D* explorer: move p_g and watch D*, the value and the
Jensen-Shannon divergence.  Taught in ``01_theory``.
"""

from __future__ import annotations

import numpy as np

from ..tools.notebook import with_static_view
from . import maths

# Lesson 01's running example: p_data is a two-Gaussian mixture, p_g a single Gaussian.
DATA_MEANS, DATA_STDS = (-2.0, 2.0), (0.6, 0.6)


X_GRID = np.linspace(-6.0, 6.0, 601)


def optimal_discriminator_figure(g_mean: float = 0.5, g_std: float = 1.5, ax=None) -> dict[str, float]:
    """Draw p_data, p_g = N(g_mean, g_std²) and D* on one axis; return V(G, D*) and JSD (nats)."""
    import matplotlib.pyplot as plt

    if g_std <= 0:
        raise ValueError(f"g_std must be positive, got {g_std}.")
    p_data = maths.gaussian_mixture_pdf(X_GRID, DATA_MEANS, DATA_STDS)
    p_g = maths.gaussian_mixture_pdf(X_GRID, [g_mean], [g_std])
    pd_cells, pg_cells = maths.grid_distribution(p_data), maths.grid_distribution(p_g)
    d_star = maths.optimal_discriminator(pd_cells, pg_cells)
    jsd = maths.js_divergence(pd_cells, pg_cells)
    value = maths.optimal_value(pd_cells, pg_cells)  # not value_function(..., d_star): D* rounds to 1 where p_g ≈ 0
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    ax.fill_between(X_GRID, p_data, alpha=0.3, label="p_data")
    ax.fill_between(X_GRID, p_g, alpha=0.3, label="p_g")
    ax.plot(X_GRID, d_star, "k", label="D*(x)")
    ax.axhline(0.5, color="gray", lw=0.5, ls=":")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("x")
    ax.set_title(f"V(G, D*) = {value:.4f}    JSD = {jsd:.4f}    (−2 log 2 = {-2 * maths.LOG2:.4f})")
    ax.legend(loc="upper right", fontsize=8)
    return {"value": value, "jsd": jsd}


def theory_explorer():
    """Sliders for p_g's mean and spread that redraw D*, V(G, D*) and JSD live (lesson 01)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    mean = widgets.FloatSlider(value=0.5, min=-4.0, max=4.0, step=0.1, description="p_g mean")
    std = widgets.FloatSlider(value=1.5, min=0.2, max=3.0, step=0.1, description="p_g std")

    def draw(g_mean, g_std):
        optimal_discriminator_figure(g_mean, g_std)
        plt.show()

    out = widgets.interactive_output(draw, {"g_mean": mean, "g_std": std})
    first, ax = plt.subplots(figsize=(7, 3))
    optimal_discriminator_figure(mean.value, std.value, ax=ax)
    return with_static_view(widgets.VBox([widgets.HBox([mean, std]), out]), figure=first)
