"""Lesson 06, ``06_stylegan_block``: a style-based generator.

Where the code is:
- ``layers``: equalised learning rate, AdaIN, noise injection, the styled block;
- ``generator``: the synthesis network, the generator, mixing, truncation and the recipe;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
from .generator import (
    N_STYLES,
    RECIPE,
    build_style_generator,
    build_synthesis_network,
    compiled_gan,
    digit_inheritance,
    halves,
    interpolation_step_sizes,
    mean_w,
    mix_styles,
    mixing_grid,
    relative_change,
    reseed_noise,
    truncate,
    truncated_styles,
)
from .layers import (
    PACKAGE,
    AdaIN,
    ConstantInput,
    EqualizedDense,
    NoiseInjection,
    PixelNorm,
    SelectStyle,
    StyledConv,
    build_mapping_network,
)
