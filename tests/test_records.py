"""Every number the prose quotes from another run agrees with the record that run wrote.

A lesson prints what it measures itself. What it quotes from elsewhere -- a shipped model's scores, a training
time, lesson 05's lab table -- comes from a record in ``data/`` written by the command that measured it
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


PCT0, PCT1, F0, F1, F2 = _pct(0), _pct(1), _fixed(0), _fixed(1), _fixed(2)
P2P, CYC, SR = "pix2pix_generator.json", "cyclegan_generator.json", "srgan_generator.json"
DCGAN, CGAN, STYLE = "dcgan_generator.json", "cgan_generator.json", "stylegan_generator.json"
CLF, TOY = "digit_classifier.json", "toy_lab.json"
L08, L10 = "notebooks/08_evaluating_gans.ipynb", "notebooks/10_image_translation.ipynb"

# (where, sentence with {} for each number, [(record, key path, format), ...])
QUOTES = [
    # lesson 08: the judge, and where a trained GAN lands
    (L08, "remakes them in about {} seconds", [(CLF, "seconds", F0)]),
    (
        L08,
        "for lesson 03's DCGAN, FID {},\nprecision {} and recall {}.",
        [(DCGAN, "scores.fid", F1), (DCGAN, "scores.precision", F2), (DCGAN, "scores.recall", F2)],
    ),
    # lesson 10: the shipped translation models
    (L10, "6,000 steps, about {} minutes on a CPU", [(P2P, "train_seconds", _minutes)]),
    (L10, "2,000 steps, about {} minutes on a CPU", [(CYC, "train_seconds", _minutes)]),
    (
        L10,
        "read as the true digit {} of the time (FID {}), against\n  {} (FID {}) for the edge maps",
        [(P2P, "scores.accuracy", PCT1), (P2P, "scores.fid", F1), (P2P, "scores.baseline.accuracy", PCT1),
         (P2P, "scores.baseline.fid", F0)],
    ),
    (
        L10,
        "**{}** of translated scikit-learn digits read correctly ({} by the\n  independent reader; {} untranslated), "
        "FID {} against {} untranslated",
        [(CYC, "scores.accuracy", PCT1), (CYC, "scores.independent_accuracy", PCT1),
         (CYC, "scores.baseline.accuracy", PCT1), (CYC, "scores.fid", F0), (CYC, "scores.baseline.fid", F0)],
    ),
    (
        L10,
        "The shipped upscaler: {} read (bicubic: {}), FID {} (bicubic: {})",
        [(SR, "scores.accuracy", PCT1), (SR, "scores.baseline.accuracy", PCT1), (SR, "scores.fid", F1),
         (SR, "scores.baseline.fid", F0)],
    ),
]


def _value(record: str, key: str):
    value = json.loads((DATA / record).read_text())
    for part in key.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def _prose(where: str) -> str:
    path = ROOT / where
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text()


@pytest.mark.parametrize("where, sentence, numbers", QUOTES, ids=lambda x: x if isinstance(x, str) else "")
def test_quoted_numbers_agree_with_their_record(where, sentence, numbers):
    values = [fmt(_value(record, key)) for record, key, fmt in numbers]
    expected = sentence.format(*values)
    assert expected in _prose(where), f"{where} should say: {expected!r} (from {[n[:2] for n in numbers]})"


def test_the_formats_round_as_the_prose_does():
    assert PCT1(0.956) == "95.6 %" and PCT0(0.649) == "65 %" and F1(17.857) == "17.9" and _minutes(564.7) == "9"
    assert not math.isnan(_value(DCGAN, "scores.fid"))
