"""Lesson 11, ``11_mode_collapse_lab``: the mode-collapse lab (read after lesson 05).

Where the code is:
- the lab itself lives beside lesson 05's critic, whose WGAN and WGAN-GP it trains:
  :mod:`gan_lessons.wgan.mixtures` (the ring and the grid, the PacGAN / VEEGAN mode counter) and
  :mod:`gan_lessons.wgan.lab` (the six models, one run, the table, the plots); the lesson calls them as
  ``gl.wgan.count_modes``, ``gl.wgan.run_toy``, ...;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
