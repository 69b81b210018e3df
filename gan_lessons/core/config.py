"""Run budgets and fast mode: the one place that reads ``GAN_LESSONS_FAST``.

Every notebook and the CLI ask :func:`budget` how long to train.  In fast mode
(``GAN_LESSONS_FAST=1``, set by CI and by the test suite) the budgets shrink so
that the tests can run every lesson top to bottom; the code path is the same in
both modes -- only the numbers change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .validate import check_positive_int

FAST_ENV = "GAN_LESSONS_FAST"


def _shipped_dir() -> Path:
    """Where the shipped artefacts are (classifier, pretrained generators, their records, lesson 11's lab table).

    They live in the repository's ``data/``; a wheel (``pip install`` from git, as Colab's setup cell does) carries
    them inside the package as ``gan_lessons/shipped`` (pyproject.toml maps the one to the other)."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "shipped"
    return inside if inside.is_dir() else package.parent / "data"


SHIPPED_DIR = _shipped_dir()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def fast_mode() -> bool:
    """True when ``GAN_LESSONS_FAST`` asks for the shrunken CI budgets."""
    value = os.environ.get(FAST_ENV, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(
        f"{FAST_ENV}={os.environ[FAST_ENV]!r} is not understood: "
        "set it to 1 for fast mode or 0 (or leave it unset) for the full run."
    )


@dataclass(frozen=True)
class Budget:
    """How much training one model gets.

    ``steps`` counts training steps: generator updates (a WGAN-GP step also takes ``n_critic`` real batches for
    its critic; lesson 11's ``toy`` budget counts discriminator updates, ``bench`` the steps of one timed repeat);
    ``steps_per_epoch`` is
    how often Keras reports progress, the sample-grid callback fires and a
    checkpoint is written.
    """

    steps: int
    batch_size: int
    steps_per_epoch: int
    n_samples: int = 1000  # samples written by the CLI for evaluation

    def __post_init__(self) -> None:
        for name in ("steps", "batch_size", "steps_per_epoch", "n_samples"):
            value = getattr(self, name)
            check_positive_int(f"Budget.{name}", value)


# Full budgets aim to finish each lesson within 15 minutes on a 2-core CPU; notebooks/manifest.json records what each
# lesson's stored run took (some are over), data/*_generator.json each shipped model's training time. Fast budgets
# shrink every loop for the tests, in whole executions of the CPU's 4 steps where the full budget's epochs are: an
# epoch that ends between executions makes Keras build a second train function, one step per execution, which the
# full run never builds (lesson 05's fast WGAN-GP cell took 15.4 s with 10 steps in epochs of 5, 9.5 s with 8 in
# epochs of 4, on one thread).
_BUDGETS: dict[str, dict[str, Budget]] = {
    "vanilla": {
        "full": Budget(steps=24_000, batch_size=64, steps_per_epoch=500),
        "fast": Budget(steps=60, batch_size=32, steps_per_epoch=20),
    },
    "dcgan": {
        "full": Budget(steps=7_000, batch_size=64, steps_per_epoch=500),
        "fast": Budget(steps=40, batch_size=32, steps_per_epoch=20),
    },
    # WGAN-GP: 5 critic updates (with the penalty's double backprop) per generator step
    "wgan-gp": {
        "full": Budget(steps=1_800, batch_size=64, steps_per_epoch=200),
        "fast": Budget(steps=8, batch_size=32, steps_per_epoch=4),
    },
    # Lesson 10's image-to-image models (gan_lessons.translation); n_samples: held-out outputs written.
    "pix2pix": {  # training time: data/pix2pix_generator.json
        "full": Budget(steps=6_000, batch_size=32, steps_per_epoch=500),
        "fast": Budget(steps=8, batch_size=16, steps_per_epoch=4, n_samples=100),
    },
    "srgan": {  # training time: data/srgan_generator.json
        "full": Budget(steps=12_000, batch_size=32, steps_per_epoch=500),
        "fast": Budget(steps=8, batch_size=16, steps_per_epoch=4, n_samples=100),
    },
    # CycleGAN: four networks and the cycle passes per step (training time: data/cyclegan_generator.json). The steps
    # are capped at 3,000 for time and checked on the validation split (300 scikit-learn digits, not the 500 test
    # digits): by both readers its share read correctly rose until about 2,500 steps, then moved within the noise;
    # the curve is in data/cyclegan_generator.json ("validation").
    "cyclegan": {
        "full": Budget(steps=3_000, batch_size=16, steps_per_epoch=250, n_samples=500),
        "fast": Budget(steps=4, batch_size=8, steps_per_epoch=2, n_samples=100),
    },
    "stylegan": {
        "full": Budget(steps=5_000, batch_size=64, steps_per_epoch=500),
        "fast": Budget(steps=20, batch_size=32, steps_per_epoch=10),
    },
    "cgan": {
        "full": Budget(steps=7_000, batch_size=64, steps_per_epoch=500),
        "fast": Budget(steps=40, batch_size=32, steps_per_epoch=20),
    },
    # Lesson 11's mode-collapse lab: small MLPs on 2-D mixtures (gan_lessons.wgan.lab).
    "toy": {
        "full": Budget(steps=6_000, batch_size=256, steps_per_epoch=500, n_samples=2_500),
        "fast": Budget(steps=100, batch_size=256, steps_per_epoch=50, n_samples=2_500),
    },
    # Lesson 03's speed benchmark (gan_lessons.dcgan.bench): `steps` per timed repeat at the tutorial's
    # batch of 256 (fast: 32), `n_samples` timed repeats.
    "bench": {
        "full": Budget(steps=12, batch_size=256, steps_per_epoch=12, n_samples=5),
        "fast": Budget(steps=4, batch_size=32, steps_per_epoch=4, n_samples=1),
    },
    # Lesson 01: a discriminator trained alone against fixed p_data and p_g, then a 1-D GAN.
    "theory_discriminator": {
        "full": Budget(steps=3_000, batch_size=256, steps_per_epoch=3_000),
        "fast": Budget(steps=600, batch_size=256, steps_per_epoch=600),
    },
    "theory_gan_1d": {
        "full": Budget(steps=3_000, batch_size=256, steps_per_epoch=500),
        "fast": Budget(steps=300, batch_size=256, steps_per_epoch=50),
    },
    # Lesson 08: only n_samples is used (images per controlled sample set; two disjoint sets of held-out real digits
    # of that size must fit in the 1,000 test digits).
    "evaluation": {
        "full": Budget(steps=1, batch_size=500, steps_per_epoch=1, n_samples=500),
        "fast": Budget(steps=1, batch_size=500, steps_per_epoch=1, n_samples=400),
    },
    # Lesson 02's pitfall: the Keras 2 recipe run under Keras 3 (one train_on_batch per call).
    "keras2_pitfall": {
        "full": Budget(steps=300, batch_size=64, steps_per_epoch=300),
        "fast": Budget(steps=30, batch_size=64, steps_per_epoch=30),
    },
}


def models_with_budgets() -> list[str]:
    """Names of the models that have a training budget (also the CLI's choices)."""
    return sorted(_BUDGETS)


def budget(model: str, fast: bool | None = None, **overrides: int) -> Budget:
    """The training budget of ``model`` for the current mode.

    ``fast`` forces a mode (default: :func:`fast_mode`); ``overrides`` replace
    single fields, e.g. ``budget("vanilla", steps=500)``.
    """
    if model not in _BUDGETS:
        raise ValueError(f"No budget for model {model!r}. Known models: {', '.join(models_with_budgets())}.")
    mode = "fast" if (fast_mode() if fast is None else fast) else "full"
    chosen = _BUDGETS[model][mode]
    overrides = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(overrides) - set(Budget.__dataclass_fields__)
    if unknown:
        raise ValueError(
            f"Unknown budget field(s) {sorted(unknown)}; a budget has {sorted(Budget.__dataclass_fields__)}."
        )
    if overrides:
        chosen = replace(chosen, **overrides)
        if chosen.steps_per_epoch > chosen.steps:
            chosen = replace(chosen, steps_per_epoch=chosen.steps)
    return chosen
