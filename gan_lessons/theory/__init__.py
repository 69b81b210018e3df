"""Lesson 01, ``01_theory``: the minimax game, the optimal discriminator and Jensen-Shannon.

Where the code is:
- ``maths``: the mathematics of the game, exact and numpy-only;
- ``experiments``: the proofs by experiment (a Keras D*, a 1-D GAN);
- ``explorer``: the interactive D* explorer;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
from .experiments import (
    build_discriminator_1d,
    build_generator_1d,
    discriminator_gap,
    discriminator_on_grid,
    gan_1d,
    gan_1d_strip,
    kde_density,
    train_discriminator_1d,
    train_gan_1d,
)
from .explorer import (
    DATA_MEANS,
    DATA_STDS,
    X_GRID,
    optimal_discriminator_figure,
    theory_explorer,
)
from .maths import (
    LOG2,
    as_distribution,
    gaussian_mixture_pdf,
    generator_gradient_magnitudes,
    grid_distribution,
    js_divergence,
    kl_divergence,
    optimal_discriminator,
    optimal_value,
    parallel_lines,
    sample_gaussian_mixture,
    value_function,
    wasserstein_1d,
)
