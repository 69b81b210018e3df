"""Lesson 05, ``05_wgan_gp``: WGAN and WGAN-GP; and the code of lesson 11's mode-collapse lab.

Where the code is:
- ``critic``: the WGAN trainer, the critic, the 1-D critics, the quality curve and the recipe;
- ``mixtures``: the 2-D mixtures of lesson 11's lab and the mode counter;
- ``lab``: lesson 11's models, runs and table (its WGAN rows train this folder's critic);
- ``checks``: the checks of lesson 05's exercises (``solutions``: their reference answers; lesson 11's are in
  :mod:`gan_lessons.mode_collapse`).
"""

from . import checks, solutions
from .critic import (
    RECIPE,
    QualityCurve,
    WassersteinGAN,
    build_wgan_critic,
    compiled_gan,
    critics_1d,
    sigmoid_critic,
    train_critic_1d,
    wasserstein_curve,
)
from .lab import (
    CLUSTERS,
    LAB_RECORD,
    N_CRITIC,
    PACK,
    PUBLISHED,
    TOY_MODELS,
    PackedGAN,
    SelfConditionedGAN,
    build_toy_discriminator,
    build_toy_generator,
    cluster_points,
    format_lab_table,
    lab_record,
    lab_table,
    run_toy,
    toy_film,
    toy_gan,
    toy_scatter,
)
from .mixtures import (
    DATASETS,
    N_EVAL_SAMPLES,
    ToyMixture,
    count_modes,
    grid,
    ring,
    toy_dataset,
)
