"""Lesson 07, ``07_kde_baseline``: the kernel-density baseline with scikit-learn.

Where the code is:
- ``baseline``: the exact Gaussian KDE, the bandwidth by cross-validation, the digit KDE, the dimension and
  bandwidth sweeps;
- ``plots``: the lesson's plots;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
from .baseline import (
    DEFAULT_BANDWIDTHS,
    BandwidthSearch,
    DigitKDE,
    bandwidth_sweep,
    bimodal_1d,
    bimodal_density,
    choose_bandwidth,
    dimension_sweep,
    exact_kernel_density,
    fit_digit_kde,
    gaussian_kde_log_density,
)
from .plots import (
    bandwidth_curve,
    dimension_sweep_plot,
    distance_histograms,
    kde_1d_panels,
)
