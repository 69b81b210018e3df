"""Interactive explorers of the lessons (ipywidgets).  Each also works without a widget
front end: the drawing function is an ordinary function you can call with numbers."""

from __future__ import annotations

import numpy as np

from . import theory
from .notebook import with_static_view

# Lesson 01's running example: p_data is a two-Gaussian mixture, p_g a single Gaussian.
DATA_MEANS, DATA_STDS = (-2.0, 2.0), (0.6, 0.6)
X_GRID = np.linspace(-6.0, 6.0, 601)


def optimal_discriminator_figure(g_mean: float = 0.5, g_std: float = 1.5, ax=None) -> dict[str, float]:
    """Draw p_data, p_g = N(g_mean, g_std²) and D* on one axis; return V(G, D*) and JSD (nats)."""
    import matplotlib.pyplot as plt

    if g_std <= 0:
        raise ValueError(f"g_std must be positive, got {g_std}.")
    p_data = theory.gaussian_mixture_pdf(X_GRID, DATA_MEANS, DATA_STDS)
    p_g = theory.gaussian_mixture_pdf(X_GRID, [g_mean], [g_std])
    pd_cells, pg_cells = theory.grid_distribution(p_data), theory.grid_distribution(p_g)
    d_star = theory.optimal_discriminator(pd_cells, pg_cells)
    jsd = theory.js_divergence(pd_cells, pg_cells)
    value = theory.value_function(pd_cells, pg_cells, d_star)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    ax.fill_between(X_GRID, p_data, alpha=0.3, label="p_data")
    ax.fill_between(X_GRID, p_g, alpha=0.3, label="p_g")
    ax.plot(X_GRID, d_star, "k", label="D*(x)")
    ax.axhline(0.5, color="gray", lw=0.5, ls=":")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("x")
    ax.set_title(f"V(G, D*) = {value:.4f}    JSD = {jsd:.4f}    (−2 log 2 = {-2 * theory.LOG2:.4f})")
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


def _digit_figure(image: np.ndarray):
    """One generated image, ``(28, 28, C)`` in [-1, 1], as a small Matplotlib figure."""
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2.5, 2.5))
    plt.imshow(image[..., 0] if image.shape[-1] == 1 else (image + 1) / 2, cmap="gray_r", vmin=-1, vmax=1)
    plt.axis("off")
    return figure


def latent_explorer(generator, n_directions: int = 4, seed: int = 0, span: float = 3.0):
    """Sliders over the main directions of ``z`` (:func:`gan_lessons.latent.main_directions`)
    and a starting point; the digit redraws as they move (lesson 03)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from .latent import main_directions

    directions = main_directions(generator, n=n_directions, seed=seed)
    start = widgets.IntSlider(value=seed, min=0, max=99, description="start z")
    sliders = [
        widgets.FloatSlider(value=0.0, min=-span, max=span, step=0.25, description=f"direction {i + 1}")
        for i in range(n_directions)
    ]

    def image(start_seed, **amounts):
        z = np.random.default_rng(start_seed).standard_normal((1, generator.input_shape[-1])).astype(np.float32)
        z = z + sum(amounts[f"d{i}"] * directions[i] for i in range(n_directions))
        return np.asarray(generator.predict(z, verbose=0))[0]

    def draw(start_seed, **amounts):
        _digit_figure(image(start_seed, **amounts))
        plt.show()

    controls = {"start_seed": start, **{f"d{i}": s for i, s in enumerate(sliders)}}
    out = widgets.interactive_output(draw, controls)
    first = _digit_figure(image(start.value, **{f"d{i}": s.value for i, s in enumerate(sliders)}))
    return with_static_view(widgets.HBox([widgets.VBox([start, *sliders]), out]), figure=first)


def conditional_digit(generator, digit: int, style: int = 0, morph: float = 0.0) -> np.ndarray:
    """The image a conditional generator draws for ``digit`` at a point of its latent space: ``z`` moves
    along the great circle from the noise of seed ``style`` (``morph`` = 0) to that of ``style + 1``
    (``morph`` = 1).  Returns ``(28, 28, 1)`` in [-1, 1].  Lesson 04's digit picker calls it."""
    from .plotting import interpolate

    if not 0.0 <= morph <= 1.0:
        raise ValueError(f"morph must be between 0 and 1, got {morph!r}.")
    latent_dim = generator.input_shape[0][-1]
    ends = [np.random.default_rng(s).standard_normal(latent_dim).astype(np.float32) for s in (style, style + 1)]
    path = interpolate(ends[0], ends[1], n=101, kind="spherical")
    z = path[int(round(morph * 100))][None]
    return np.asarray(generator.predict([z, np.array([digit], np.int32)], verbose=0))[0]


def digit_picker(generator, num_classes: int = 10):
    """Lesson 04: buttons pick the digit, sliders pick the style (a noise seed) and move through the
    latent space; the conditional generator redraws the digit."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    digit = widgets.ToggleButtons(options=list(range(num_classes)), value=7, description="digit")
    digit.style.button_width = "2.2em"
    style = widgets.IntSlider(value=0, min=0, max=99, description="style (seed)")
    morph = widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.05, description="latent path")

    def draw(digit, style, morph):
        _digit_figure(conditional_digit(generator, digit, style, morph))
        plt.show()

    out = widgets.interactive_output(draw, {"digit": digit, "style": style, "morph": morph})
    first = _digit_figure(conditional_digit(generator, digit.value, style.value, morph.value))
    return with_static_view(widgets.VBox([digit, widgets.HBox([widgets.VBox([style, morph]), out])]), figure=first)
