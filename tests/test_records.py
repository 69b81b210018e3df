"""Every number the prose quotes from another run agrees with the record that run wrote.

A lesson prints what it measures itself. What it quotes from elsewhere -- a shipped model's scores, a training
time, lesson 11's lab table -- comes from a record in ``data/`` written by the command that measured it
(``scripts/make_pretrained.py``, ``scripts/make_classifier.py``, ``scripts/make_toy_table.py``), and each such
quote is listed here: the sentence with ``{}`` where the numbers go, and for each number the record, its key and
how the prose rounds it. The test fills in the record's values and looks for the sentence in the Markdown of the
notebook (or in README.md). Change a record and the prose must follow; change the prose and this list must.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def _pct(digits: int):
    return lambda v: f"{100 * v:.{digits}f} %"


def _fixed(digits: int):
    return lambda v: f"{v:.{digits}f}"


def _minutes(v: float) -> str:
    return f"{round(v / 60)}"


def _mib(v: float) -> str:
    return f"{v / 2**20:.1f} MiB"


def _run_seconds(pick, runs: str = "runs"):
    """``pick`` over the seconds of the record's ``runs`` (the toy lab's: its table runs, or its
    ``variants_of_self-cond``, the runs on changed mixtures)."""
    return lambda record: pick(run["seconds"] for run in record[runs])


def _share(model: str, dataset: str, seed: int):
    """The high-quality share of one lab run, from the record's runs."""

    def pick(record):
        return next(r["high_quality_share"] for r in record["runs"] if (r["model"], r["dataset"], r["seed"]) == key)

    key = (model, dataset, seed)
    return pick


def _most_high_quality(*models: str):
    return lambda record: max(r["high_quality_share"] for r in record["runs"] if r["model"] in models)


def _modes(model: str, dataset: str, seeds):
    """The modes one lab model captured, per seed, from the record's runs."""

    def pick(record):
        ours = [r for r in record["runs"] if r["model"] == model and r["dataset"] == dataset]
        runs = {r["seed"]: r["modes_captured"] for r in ours}
        return [runs[seed] for seed in seeds]

    return pick


def _search_shares(runs: slice, reader: str = "independent_accuracy"):
    """The last validation share of the content-weight search's ``runs`` (0-2: the three plain weights, 3: the
    class-aware run, 4: the pixel-loss network), by ``reader``."""
    return lambda record: [run["validation"][-1][reader] for run in record["runs"][runs]]


def _plain_spread(record) -> float:
    shares = _search_shares(slice(0, 3))(record)
    return round(100 * (max(shares) - min(shares)), 1)


def _late_readings(record) -> list[dict]:
    """The CycleGAN's last four validation readings (from 2,480 steps to the end of the run)."""
    return record["validation"][-4:]


def _late_spread(record, reader: str | None = None) -> float:
    """How far the CycleGAN's share moved over its last four validation readings: by ``reader``, or the larger
    of the two readers' ranges."""
    readers = [reader] if reader else ["accuracy", "independent_accuracy"]
    spreads = [[row[r] for row in _late_readings(record)] for r in readers]
    return max(round(100 * (max(s) - min(s)), 1) for s in spreads)


PIXEL_ONLY = "pixel loss only"  # scripts/compare_upscalers.py's run without an adversary
_FROM_PIXEL = "SRGAN started from the pixel-loss network"


def _variant_shares(pixel_only: bool, variant: str | None = None, reader: str = "independent_accuracy"):
    """The validation shares of the upscaler comparison's runs, seed by seed: the pixel-loss network's, or the SRGAN
    runs' (all four variants, or one ``variant``), by ``reader``."""

    def pick(record):
        runs = [r for r in record["runs"] if (r["variant"] == PIXEL_ONLY) == pixel_only]
        return [r[reader] for r in runs if variant in (None, r["variant"])]

    return pick


PCT0, PCT1, F0, F1, F2 = _pct(0), _pct(1), _fixed(0), _fixed(1), _fixed(2)
P2P, CYC, SR = "pix2pix_generator.json", "cyclegan_generator.json", "srgan_generator.json"
SR_SEARCH, SR_VARIANTS = "srgan_content_weight.json", "srgan_variants.json"
DCGAN, CGAN, STYLE = "dcgan_generator.json", "cgan_generator.json", "stylegan_generator.json"
CLF, TOY = "digit_classifier.json", "toy_lab.json"
READER = "independent_reader.json"
DEVICE = "cpu_device_choices.json"
L03, L04 = "notebooks/03_dcgan.ipynb", "notebooks/04_conditional_gan.ipynb"
L05 = "notebooks/05_wgan_gp.ipynb"
BANK = "gan_lessons/interview/interview.toml"  # the question bank
L06, L11 = "notebooks/06_stylegan_block.ipynb", "notebooks/11_mode_collapse_lab.ipynb"
L08, L10 = "notebooks/08_evaluating_gans.ipynb", "notebooks/10_image_translation.ipynb"

# (where, sentence with {} for each number, [(record, key path, format), ...])
README, DATA_README = "README.md", "data/README.md"
QUOTES = [
    # README: the course map, the command line and the evaluation paragraph
    (README, "({} read as asked)", [(CGAN, "scores.label_accuracy", PCT1)]),
    (README, "captures every mode with {} high-quality samples", [(TOY, "table.self-cond.ring.high_quality", PCT1)]),
    (README, "captures every mode with {} high-quality samples", [(TOY, "table.self-cond.grid.high_quality", PCT1)]),
    (README, "(FID {} vs DCGAN {})", [(STYLE, "scores.fid", F1), (DCGAN, "scores.fid", F1)]),
    (
        README,
        "{} of translations read as the right digit, {} untranslated",
        [(CYC, "scores.accuracy", PCT1), (CYC, "scores.baseline.accuracy", PCT1)],
    ),
    (README, "7,000 steps, about {} minutes on a 2-core CPU", [(DCGAN, "train_seconds", _minutes)]),
    (README, "conditional DCGAN, 7,000 steps, about {} minutes", [(CGAN, "train_seconds", _minutes)]),
    (README, "style-based generator, 5,000 steps, about {} minutes", [(STYLE, "train_seconds", _minutes)]),
    (README, "6,000 steps, about {} minutes", [(P2P, "train_seconds", _minutes)]),
    (README, "3,000 steps, about {} minutes", [(CYC, "train_seconds", _minutes)]),
    (README, "{} test accuracy, remade by", [(CLF, "test_accuracy", PCT1)]),
    (
        README,
        "DCGAN (7,000 steps, {} s): FID {}, precision {}, recall {}, {} confident, all {} classes",
        [
            (DCGAN, "train_seconds", F0),
            (DCGAN, "scores.fid", F1),
            (DCGAN, "scores.precision", F2),
            (DCGAN, "scores.recall", F2),
            (DCGAN, "scores.confident", PCT0),
            (DCGAN, "scores.classes_covered", F0),
        ],
    ),
    (
        README,
        "conditional GAN (7,000 steps, {} s): FID {}, precision {}, recall {}, {} confident, {} read as the requested",
        [
            (CGAN, "train_seconds", F0),
            (CGAN, "scores.fid", F1),
            (CGAN, "scores.precision", F2),
            (CGAN, "scores.recall", F2),
            (CGAN, "scores.confident", PCT0),
            (CGAN, "scores.label_accuracy", PCT1),
        ],
    ),
    (
        README,
        "style-based generator (5,000 steps, {} s): FID {}, precision {}, recall {}, {} confident, all {} classes",
        [
            (STYLE, "train_seconds", F0),
            (STYLE, "scores.fid", F1),
            (STYLE, "scores.precision", F2),
            (STYLE, "scores.recall", F2),
            (STYLE, "scores.confident", PCT0),
            (STYLE, "scores.classes_covered", F0),
        ],
    ),
    (README, "7,000 steps of batch 64, trained in {} s", [(DCGAN, "train_seconds", F0)]),
    # data/README.md: what each shipped file is
    (DATA_README, "(about {} s on a 2-core CPU)", [(CLF, "seconds", F0)]),
    (DATA_README, "({} on the 1,000 test digits)", [(CLF, "test_accuracy", PCT1)]),
    (DATA_README, "`independent_reader.weights.h5` ({}, float16)", [(READER, "bytes", _mib)]),
    (
        DATA_README,
        "(784-1024-512-10, {} parameters) that shares nothing",
        [(READER, "parameters", lambda v: f"{v:,}")],
    ),
    (
        DATA_README,
        "zooms, {} s on a 2-core CPU; {} of the 1,000 test digits and {} of the 1,000 reference digits read correctly",
        [(READER, "seconds", F0), (READER, "test_accuracy", PCT1), (READER, "reference_accuracy", PCT1)],
    ),
    (
        DATA_README,
        "`dcgan_generator.weights.h5` ({}, float16) | lesson 03's pretrained DCGAN generator: "
        "7,000 steps of batch 64 on the 5,000 offline digits, {} s on a 2-core CPU; FID {}, all {} digits",
        [
            (DCGAN, "bytes", _mib),
            (DCGAN, "train_seconds", F0),
            (DCGAN, "scores.fid", F1),
            (DCGAN, "scores.classes_covered", F0),
        ],
    ),
    (
        DATA_README,
        "{} s on a 2-core CPU; FID {}, {} of samples read as the requested digit",
        [(CGAN, "train_seconds", F0), (CGAN, "scores.fid", F1), (CGAN, "scores.label_accuracy", PCT1)],
    ),
    (
        DATA_README,
        "{} s on a 2-core CPU; FID {}, {} confidently classified, all {} digits",
        [
            (STYLE, "train_seconds", F0),
            (STYLE, "scores.fid", F1),
            (STYLE, "scores.confident", PCT0),
            (STYLE, "scores.classes_covered", F0),
        ],
    ),
    (
        DATA_README,
        "{} s on a 2-core CPU; {} of 1,000 held-out outputs read as the true digit (edge maps: {}), FID {} ({})",
        [
            (P2P, "train_seconds", F0),
            (P2P, "scores.accuracy", PCT1),
            (P2P, "scores.baseline.accuracy", PCT1),
            (P2P, "scores.fid", F1),
            (P2P, "scores.baseline.fid", F1),
        ],
    ),
    (
        DATA_README,
        "content weight {} (chosen on a validation split: `srgan_content_weight.json`), {} s on a 2-core CPU; {} read "
        "correctly by the "
        "independent reader (bicubic {}), {} by the course classifier whose features its content loss uses "
        "(bicubic {}), FID {} ({})",
        [
            (SR_SEARCH, "chosen_content_weight", F0),
            (SR, "train_seconds", lambda v: f"{v:,.0f}"),
            (SR, "scores.independent_accuracy", PCT1),
            (SR, "scores.baseline.independent_accuracy", PCT1),
            (SR, "scores.accuracy", PCT1),
            (SR, "scores.baseline.accuracy", PCT1),
            (SR, "scores.fid", F1),
            (SR, "scores.baseline.fid", F0),
        ],
    ),
    (
        DATA_README,
        "then moved within {} points), {} s on a 2-core CPU; {} of 500 held-out scikit-learn digits read as "
        "their true digit after translation "
        "({} by the independent reader; {} and {} untranslated), FID {} ({})",
        [
            (CYC, _late_spread, F1),
            (CYC, "train_seconds", F0),
            (CYC, "scores.accuracy", PCT1),
            (CYC, "scores.independent_accuracy", PCT1),
            (CYC, "scores.baseline.accuracy", PCT1),
            (CYC, "scores.baseline.independent_accuracy", PCT1),
            (CYC, "scores.fid", F1),
            (CYC, "scores.baseline.fid", F1),
        ],
    ),
    (
        DATA_README,
        "read by the independent reader at {}, {}, {}, {} and {}; chosen: {} | "
        "`python scripts/select_content_weight.py` (about {} minutes",
        [
            *[(SR_SEARCH, f"runs.{i}.validation.-1.independent_accuracy", PCT1) for i in range(5)],
            (SR_SEARCH, "chosen_content_weight", F0),
            (SR_SEARCH, lambda record: sum(run["seconds"] for run in record["runs"]), _minutes),
        ],
    ),
    (
        DATA_README,
        "(36 table runs of {}–{} s, {} minutes, and {} runs on changed mixtures of {}–{} s, {} minutes, "
        "on a 2-core CPU",
        [
            (TOY, _run_seconds(min), F0),
            (TOY, _run_seconds(max), F0),
            (TOY, _run_seconds(sum), _minutes),
            (TOY, lambda record: len(record["variants_of_self-cond"]), F0),
            (TOY, _run_seconds(min, "variants_of_self-cond"), F0),
            (TOY, _run_seconds(max, "variants_of_self-cond"), F0),
            (TOY, _run_seconds(sum, "variants_of_self-cond"), _minutes),
        ],
    ),
    (
        "scripts/make_toy_table.py",
        "(the 36 table runs of data/toy_lab.json took {} minutes",
        [(TOY, _run_seconds(sum), _minutes)],
    ),
    # lesson 03: the shipped DCGAN
    ("notebooks/03_dcgan.ipynb", "(`data/dcgan_generator.weights.h5`, {} in float16)", [(DCGAN, "bytes", _mib)]),
    (
        L03,
        "has XLA slowing the package's\nconvolutional step from {} to {} images/s",
        [
            (DEVICE, "dcgan_step.float32.package_images_per_s", F0),
            (DEVICE, "dcgan_step.float32_xla.package_images_per_s", F0),
        ],
    ),
    (
        L03,
        "mixed bfloat16 sped the same step\nup to {} images/s",
        [(DEVICE, "dcgan_step.mixed_bfloat16.package_images_per_s", F0)],
    ),
    # lesson 04: the conditional GAN against lesson 03's DCGAN
    (L04, "({} accurate on held-out real digits", [(CLF, "test_accuracy", PCT1)]),
    (
        L04,
        "FID {} against {}, {} of samples confidently classified against {}",
        [
            (CGAN, "scores.fid", F1),
            (DCGAN, "scores.fid", F1),
            (CGAN, "scores.confident", PCT0),
            (DCGAN, "scores.confident", PCT0),
        ],
    ),
    (L04, "Recall is lower ({} against {})", [(CGAN, "scores.recall", F2), (DCGAN, "scores.recall", F2)]),
    (L04, "reads the requested digit in {} of the pretrained cGAN's", [(CGAN, "scores.label_accuracy", PCT1)]),
    (L04, "its FID ({}) beats the unconditional DCGAN's ({})", [(CGAN, "scores.fid", F1), (DCGAN, "scores.fid", F1)]),
    # lesson 11 (read after 05): the mode-collapse lab's record
    (L11, "each run took {} to {} s", [(TOY, _run_seconds(min), F0), (TOY, _run_seconds(max), F0)]),
    (L11, "the ring keeps {} of its 8 modes on average", [(TOY, "table.gan-minimax.ring.modes", F1)]),
    (
        L11,
        "one seed ends\n  on {} mode",
        [(TOY, _modes("gan-minimax", "ring", [0, 1, 2]), lambda v: "a single" if min(v) == 1 else f"{min(v)}")],
    ),
    (L11, "The non-saturating GAN keeps {} ring modes", [(TOY, "table.gan.ring.modes", F1)]),
    (L11, "at most {} of any of their runs' samples", [(TOY, _most_high_quality("wgan", "wgan-gp"), PCT1)]),
    (L11, "(at most {} high quality);", [(TOY, _most_high_quality("wgan", "wgan-gp"), PCT1)]),
    (
        L11,
        "the saturating loss kept {} grid modes with {} high quality with seed 1, "
        "but a single ring mode with {} with seed 2",
        [
            (TOY, _modes("gan-minimax", "grid", [1]), lambda v: str(v[0])),
            (TOY, _share("gan-minimax", "grid", 1), PCT0),
            (TOY, _share("gan-minimax", "ring", 2), PCT1),
        ],
    ),
    (
        L11,
        "WGAN-GP's {} grid modes on average ({} with seed 1)",
        [(TOY, "table.wgan-gp.grid.modes", F1), (TOY, _modes("wgan-gp", "grid", [1]), lambda v: str(v[0]))],
    ),
    (
        L11,
        "on the grid it gets all {} modes with seed 0 but collapses to {}–{}\n  modes with seeds 1 and 2",
        [
            (TOY, _modes("gan", "grid", [0]), lambda v: str(v[0])),
            (TOY, _modes("gan", "grid", [1, 2]), lambda v: str(min(v))),
            (TOY, _modes("gan", "grid", [1, 2]), lambda v: str(max(v))),
        ],
    ),
    (
        L11,
        "keeps all 8 ring modes in every seed ({} high quality) and {} of the 25 grid modes, but its grid samples are "
        "diffuse\n  ({})",
        [
            (TOY, "table.pacgan.ring.high_quality", PCT0),
            (TOY, "table.pacgan.grid.modes", F1),
            (TOY, "table.pacgan.grid.high_quality", PCT0),
        ],
    ),
    (
        L11,
        "are above our two plain-GAN rows' — `gan`\n  {} and {}, `gan-minimax` {} and {} —",
        [
            (TOY, "table.gan.ring.high_quality", PCT1),
            (TOY, "table.gan.grid.high_quality", PCT1),
            (TOY, "table.gan-minimax.ring.high_quality", PCT1),
            (TOY, "table.gan-minimax.grid.high_quality", PCT1),
        ],
    ),
    (
        L11,
        "packing was the only change from `gan`,\n  whose grid samples were sharper on average ({} high quality",
        [(TOY, "table.gan.grid.high_quality", PCT1)],
    ),
    (L11, "captures every mode in every seed with {} of its", [(TOY, "table.self-cond.ring.high_quality", PCT1)]),
    (L11, "captures every mode in every seed with {} of its", [(TOY, "table.self-cond.grid.high_quality", PCT1)]),
    (
        L11,
        "The high-quality share is {} for 12 ring modes",
        [(TOY, "variants_of_self-cond.0.high_quality_share", PCT1)],
    ),
    (
        L11,
        "and {} and {} for twice the spread",
        [(TOY, f"variants_of_self-cond.{i}.high_quality_share", PCT1) for i in (1, 3)],
    ),
    (L11, "but drops to {} on the 7 × 7 grid", [(TOY, "variants_of_self-cond.2.high_quality_share", PCT0)]),
    # lessons 03 and 04: the training time alone, beside a stored run that shared the cores
    (L03, "(`gan-lessons train dcgan`) took about {} minutes", [(DCGAN, "train_seconds", _minutes)]),
    (
        L05,
        "where the DCGAN's record made {} in {}.",
        [(DCGAN, "steps", lambda v: f"{v:,}"), (DCGAN, "train_seconds", _minutes)],
    ),
    (L04, "(`gan-lessons train cgan`) took about {} minutes", [(CGAN, "train_seconds", _minutes)]),
    (L04, "the optimizers and the {} steps are lesson 03's", [(CGAN, "steps", "{:,}".format)]),
    # lesson 09's bank quotes the shipped CycleGAN, and the CPU speeds of its mixed-precision answer
    (
        BANK,
        "{} of its\ntranslations read as the input's digit (`data/cyclegan_generator.json`; {} untranslated)",
        [(CYC, "scores.accuracy", PCT1), (CYC, "scores.baseline.accuracy", PCT1)],
    ),
    (
        BANK,
        "mixed bfloat16 ran the DCGAN step at {} images/s against {} in float32",
        [
            (DEVICE, "dcgan_step.mixed_bfloat16.package_images_per_s", F0),
            (DEVICE, "dcgan_step.float32.package_images_per_s", F0),
        ],
    ),
    # lesson 06: the style-based generator against the DCGAN
    (L06, "for 5,000 steps ({} minutes on a 2-core CPU", [(STYLE, "train_seconds", _minutes)]),
    (
        L06,
        "({} against {}) and on confidently classified samples ({} against {})",
        [
            (STYLE, "scores.fid", F1),
            (DCGAN, "scores.fid", F1),
            (STYLE, "scores.confident", PCT0),
            (DCGAN, "scores.confident", PCT0),
        ],
    ),
    # lesson 07: the KDE against the shipped DCGAN
    ("notebooks/07_kde_baseline.ipynb", "the DCGAN's FID: {} in its record", [(DCGAN, "scores.fid", F1)]),
    # lesson 08: the judge, and where a trained GAN lands
    (L08, "remakes them in about {} seconds", [(CLF, "seconds", F0)]),
    (
        L08,
        "for lesson 03's DCGAN, FID {},\nprecision {} and recall {}.",
        [(DCGAN, "scores.fid", F1), (DCGAN, "scores.precision", F2), (DCGAN, "scores.recall", F2)],
    ),
    (L08, "and so is its density ({} against", [(DCGAN, "scores.density", F2)]),
    # lesson 10: the shipped translation models
    (
        L10,
        "the three weights lie within {} points of each other ({} to {}), less than one and a half standard errors",
        [
            (SR_SEARCH, _plain_spread, F1),
            (SR_SEARCH, lambda r: min(_search_shares(slice(0, 3))(r)), lambda v: f"{100 * v:.1f}"),
            (SR_SEARCH, lambda r: max(_search_shares(slice(0, 3))(r)), PCT1),
        ],
    ),
    (
        L10,
        "picked {}, and the shipped upscaler uses it. The pixel-loss network trained for the same 2,000 steps "
        "reads {},",
        [(SR_SEARCH, "chosen_content_weight", F0), (SR_SEARCH, "runs.4.validation.-1.independent_accuracy", PCT1)],
    ),
    (
        L10,
        "pixel-loss network's digits\n({}) about as well as the adversarial runs' ({} to {})",
        [
            (SR_SEARCH, "runs.4.validation.-1.accuracy", PCT1),
            (SR_SEARCH, lambda r: min(_search_shares(slice(0, 4), "accuracy")(r)), lambda v: f"{100 * v:.1f}"),
            (SR_SEARCH, lambda r: max(_search_shares(slice(0, 4), "accuracy")(r)), PCT1),
        ],
    ),
    (
        L10,
        "trained, with seeds {} and {}, the pixel-loss\nnetwork and four SRGAN variants for {} generator steps each "
        "in all",
        [(SR_VARIANTS, "seeds.0", F0), (SR_VARIANTS, "seeds.1", F0), (SR_VARIANTS, "steps", lambda v: f"{v:,}")],
    ),
    (
        L10,
        "the recipe; pixel weights {} and {}, where the adversary\ncounts less;",
        [
            (SR_VARIANTS, "variants.SRGAN, pixel weight 10.pixel_weight", F0),
            (SR_VARIANTS, "variants.SRGAN, pixel weight 100.pixel_weight", F0),
        ],
    ),
    (
        L10,
        "the pixel-loss network read {} and {}, the eight SRGAN runs {} to {}: each fewer digits than the pixel-loss "
        "network of\nits seed. Starting from the pixel-loss network did not close the gap ({} and {}).",
        [
            (SR_VARIANTS, lambda r: _variant_shares(True)(r)[0], PCT1),
            (SR_VARIANTS, lambda r: _variant_shares(True)(r)[1], PCT1),
            (SR_VARIANTS, lambda r: min(_variant_shares(False)(r)), lambda v: f"{100 * v:.1f}"),
            (SR_VARIANTS, lambda r: max(_variant_shares(False)(r)), PCT1),
            (SR_VARIANTS, lambda r: _variant_shares(False, _FROM_PIXEL)(r)[0], PCT1),
            (SR_VARIANTS, lambda r: _variant_shares(False, _FROM_PIXEL)(r)[1], PCT1),
        ],
    ),
    (
        DATA_README,
        "pixel weights {} and {}, the recipe started from the pixel-loss network at half the steps), {} steps each, "
        "seeds {} and {}, read on the validation split; by the independent reader the pixel-loss network {} and {}, "
        "the SRGAN runs {} to {} | `python scripts/compare_upscalers.py` (about {} minutes",
        [
            (SR_VARIANTS, "variants.SRGAN, pixel weight 10.pixel_weight", F0),
            (SR_VARIANTS, "variants.SRGAN, pixel weight 100.pixel_weight", F0),
            (SR_VARIANTS, "steps", lambda v: f"{v:,}"),
            (SR_VARIANTS, "seeds.0", F0),
            (SR_VARIANTS, "seeds.1", F0),
            (SR_VARIANTS, lambda r: _variant_shares(True)(r)[0], PCT1),
            (SR_VARIANTS, lambda r: _variant_shares(True)(r)[1], PCT1),
            (SR_VARIANTS, lambda r: min(_variant_shares(False)(r)), lambda v: f"{100 * v:.1f}"),
            (SR_VARIANTS, lambda r: max(_variant_shares(False)(r)), PCT1),
            (SR_VARIANTS, _run_seconds(sum), _minutes),
        ],
    ),
    (
        L10,
        "from 2,480 steps to 3,000, where the budget stops\nfor time, it moved within {} points by the course "
        "classifier and {} points by the independent reader",
        [
            (CYC, lambda r: _late_spread(r, "accuracy"), F1),
            (CYC, lambda r: _late_spread(r, "independent_accuracy"), F1),
        ],
    ),
    (
        L10,
        "in the search of the content weight above it read {} against {} at the same weight,",
        [
            (SR_SEARCH, "runs.3.validation.-1.independent_accuracy", PCT1),
            (SR_SEARCH, "runs.1.validation.-1.independent_accuracy", PCT1),
        ],
    ),
    (L10, "6,000 steps, about {} minutes on a CPU", [(P2P, "train_seconds", _minutes)]),
    (L10, "3,000 steps, about {} minutes on a 2-core CPU", [(CYC, "train_seconds", _minutes)]),
    (
        L10,
        "read as the true digit {} of the time (FID {}), against\n  {} (FID {}) for the edge maps",
        [
            (P2P, "scores.accuracy", PCT1),
            (P2P, "scores.fid", F1),
            (P2P, "scores.baseline.accuracy", PCT1),
            (P2P, "scores.baseline.fid", F0),
        ],
    ),
    (
        L10,
        "for the edge maps themselves; by the independent reader, {} against {}.",
        [(P2P, "scores.independent_accuracy", PCT1), (P2P, "scores.baseline.independent_accuracy", PCT1)],
    ),
    (
        L10,
        "(6,000 steps, section 5's scoreboard) reads {} and {}\nagainst 95.6 % and 92.4 % at 600 steps ({} of "
        "1,000 digits by the course classifier both times, not necessarily the same ones, and not the same model: the "
        "independent\nreader and the FID tell "
        "them apart); what it mostly gains is FID ({} against 4.9)",
        [
            (P2P, "scores.accuracy", PCT1),
            (P2P, "scores.independent_accuracy", PCT1),
            (P2P, "scores.accuracy", lambda v: f"{round(v * 1000)}"),  # "both times": test_repository holds the 600
            (P2P, "scores.fid", F1),
        ],
    ),
    (
        L10,
        "**{}** of translated scikit-learn digits read correctly ({} by the\n  independent reader; {} untranslated), "
        "FID {} against {} untranslated",
        [
            (CYC, "scores.accuracy", PCT1),
            (CYC, "scores.independent_accuracy", PCT1),
            (CYC, "scores.baseline.accuracy", PCT1),
            (CYC, "scores.fid", F0),
            (CYC, "scores.baseline.fid", F0),
        ],
    ),
    (
        L10,
        "The shipped upscaler: {} read by the independent reader (bicubic: {}; the course classifier,\n"
        "  whose features the content loss uses, reads {} against {}), FID {} (bicubic: {})",
        [
            (SR, "scores.independent_accuracy", PCT1),
            (SR, "scores.baseline.independent_accuracy", PCT1),
            (SR, "scores.accuracy", PCT1),
            (SR, "scores.baseline.accuracy", PCT1),
            (SR, "scores.fid", F1),
            (SR, "scores.baseline.fid", F0),
        ],
    ),
]


def _value(record: str, key):
    value = json.loads((DATA / record).read_text())
    if callable(key):  # a figure the prose derives from the record, e.g. the shortest run
        return key(value)
    for part in key.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _prose(where: str) -> str:
    path = ROOT / where
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text()


@pytest.mark.parametrize("where, sentence, numbers", QUOTES, ids=[f"{q[0]}: {q[1][:40]}" for q in QUOTES])
def test_quoted_numbers_agree_with_their_record(where, sentence, numbers):
    values = [fmt(_value(record, key)) for record, key, fmt in numbers]
    expected = sentence.format(*values)
    assert expected in _prose(where), f"{where} should say: {expected!r} (from {[n[:2] for n in numbers]})"


def test_the_formats_round_as_the_prose_does():
    assert PCT1(0.956) == "95.6 %" and PCT0(0.649) == "65 %" and F1(17.857) == "17.9" and _minutes(564.7) == "9"
    assert not math.isnan(_value(DCGAN, "scores.fid"))


def test_lesson_10s_reading_of_the_content_weight_search_holds():
    """What lesson 10 concludes from the search: the three weights lie within one and a half standard errors of
    one another by the independent reader, and no adversarial run reads more digits than the pixel-loss network."""
    record = json.loads((DATA / SR_SEARCH).read_text())
    plain = _search_shares(slice(0, 3))(record)
    standard_error = math.sqrt(max(plain) * (1 - max(plain)) / 1000)
    assert max(plain) - min(plain) < 1.5 * standard_error
    assert _search_shares(slice(4, 5))(record)[0] >= max(_search_shares(slice(0, 4))(record))


def test_lesson_10s_reading_of_the_upscaler_comparison_holds():
    """Lesson 10, section 4: with each seed, the pixel-loss network read more validation digits than every one of the
    four SRGAN variants (eight runs in all) -- by the independent reader, the judge the comparison quotes -- and the
    record holds every variant of the script at every seed, for the same steps."""
    record = json.loads((DATA / SR_VARIANTS).read_text())
    variants, seeds = list(record["variants"]), record["seeds"]
    assert variants[0] == PIXEL_ONLY and record["variants"][PIXEL_ONLY] is None and len(variants) == 5
    assert [(r["variant"], r["seed"]) for r in record["runs"]] == [(v, s) for s in seeds for v in variants]
    assert record["variants"][_FROM_PIXEL] == {"pixel_weight": 1.0, "started_from_pixel_network": True}
    assert len(_variant_shares(False)(record)) == 8  # "the eight SRGAN runs"
    share = {(r["variant"], r["seed"]): r["independent_accuracy"] for r in record["runs"]}
    for seed in seeds:
        assert all(share[(v, seed)] < share[(PIXEL_ONLY, seed)] for v in variants[1:]), seed
    words = {2: "two", 4: "four", 8: "eight"}  # the summary and the McNemar paragraph count them in words
    summary = f"with {words[len(seeds)]} seeds, more often than each of {words[len(variants) - 1]} SRGAN variants"
    assert summary in _prose(L10)
    runs = words[len(_variant_shares(False)(record))]
    assert f"where each of {runs} SRGAN runs read fewer\ndigits than the pixel-loss network of its seed" in _prose(L10)


def test_lesson_10s_setup_cell_gives_the_training_times_of_its_records():
    """The comment of lesson 10's parameter cell (code, so not in QUOTES' Markdown) quotes the range of the three
    shipped models' training times, in minutes."""
    records = [json.loads((DATA / name).read_text()) for name in (P2P, CYC, SR)]
    minutes = sorted(int(_minutes(record["train_seconds"])) for record in records)
    search = json.loads((DATA / SR_SEARCH).read_text())["runs"]
    assert search[3]["run"].startswith("class-aware, content_weight=10") and search[1]["content_weight"] == 10
    cells = json.loads((ROOT / L10).read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert f"(each {minutes[0]} to {minutes[-1]} minutes on a 2-core CPU, checkpointed" in code


def test_lesson_10s_reading_of_the_cyclegan_curve_holds():
    """Lesson 10 (and data/README.md): by both readers the CycleGAN's validation share rose until about 2,500 steps,
    then moved less than two standard errors of a share of 300 digits over the last four readings, 2,480 to 3,000."""
    record = json.loads((DATA / CYC).read_text())
    steps = [row["step"] for row in record["validation"]]
    assert [row["step"] for row in _late_readings(record)] == [2480, 2728, 2976, 3000] and steps[-1] == record["steps"]
    for reader in ("accuracy", "independent_accuracy"):
        late = [row[reader] for row in _late_readings(record)]
        standard_error = math.sqrt(max(late) * (1 - max(late)) / 300)
        assert _late_spread(record, reader) / 100 < 2 * standard_error
        assert max(late) > record["validation"][0][reader] + 0.1  # it did rise before: by more than 10 points
    assert round(100 * math.sqrt(0.93 * 0.07 / 300), 1) == 1.5  # the standard error the lesson quotes


def test_the_device_helpers_cpu_defaults_rest_on_their_record():
    """``core/device.py`` turns XLA off for convolutions and the lab's small networks on a CPU and says why: on a
    2-core CPU it slowed the DCGAN step and whole lab runs, and sped up lesson 02's MLP step
    (``scripts/measure_device_choices.py`` wrote the record)."""
    record = json.loads((DATA / "cpu_device_choices.json").read_text())
    dcgan, mlp, lab = record["dcgan_step"], record["mlp_step_ms"], record["lab_run_s"]
    assert record["command"].startswith("python scripts/measure_device_choices.py")
    assert dcgan["float32_xla"]["package_images_per_s"] < dcgan["float32"]["package_images_per_s"]
    assert dcgan["float32_xla"]["ratio"] < dcgan["float32"]["ratio"]  # against the same tutorial loop, same load
    assert mlp["xla_on"] < mlp["xla_off"]
    assert all(lab[model]["xla_on"] > lab[model]["xla_off"] for model in ("gan", "wgan-gp"))  # whole lab runs
    assert dcgan["mixed_bfloat16"]["ratio"] > dcgan["float32"]["ratio"]  # bfloat16 was faster: the docstring says so
    text = (ROOT / "gan_lessons" / "core" / "device.py").read_text()
    assert "on a 2-core CPU XLA slowed the DCGAN step and sped up lesson 02's\n  MLP step" in text
    assert "and it slowed whole runs of lesson 11's lab, small networks on 2-D points" in text
    assert '"(on a 2-core CPU it slowed the DCGAN step and lesson 11\'s lab: data/cpu_device_choices.json)"' in text
    assert "on a 2-core CPU it slowed the DCGAN step" in text
    assert "on a 2-core CPU\n  bfloat16 ran the DCGAN step faster, but no lesson has been trained" in text
    # the question bank's mixed-precision answer quotes both speeds (QUOTES) and no longer calls a CPU slower
    assert "On a CPU mixed precision is slower" not in (ROOT / BANK).read_text()
