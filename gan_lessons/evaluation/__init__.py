"""Lesson 08, ``08_evaluating_gans``: what each metric catches (the metrics themselves are
:mod:`gan_lessons.tools.metrics`, used from lesson 03 on).

Where the code is:
- ``sample_sets``: sample sets with a known flaw;
- ``failures``: which metric moves for which flaw, computed;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
from .failures import (
    BETTER,
    FLOORS,
    format_moves,
    metric_moves,
)
from .sample_sets import (
    blurred,
    collapsed,
    copies,
    dropped_classes,
    kde_style,
    with_noise,
)
