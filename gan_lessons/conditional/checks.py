"""Checks of lesson 04's exercises."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tools.exercise import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, _call, _check_number, _not_attempted, _result


def check_embedding_params(n) -> CheckResult:
    """Lesson 04, exercise 1: parameters of the generator's ``Embedding(10, 50)``."""
    each_digit = "each of the 10 digits gets its own vector of 50 numbers."
    return _check_number(
        "parameters of the label embedding",
        n,
        "set embedding_params to a whole number.",
        10 * 50,
        "one learned vector of 50 numbers per digit: a lookup table, no bias.",
        [(10 * 50 + 50, "an embedding is a lookup table: it has no bias."), (10, each_digit), (50, each_digit)],
        "{value} is not it: rows (digits) x columns (embedding size).",
    )


def check_one_hot_condition(fn: Callable | None) -> CheckResult:
    """Lesson 04, exercise 2: ``my_condition(z, labels)`` = ``z`` followed by the one-hot labels (10 digits)."""
    name = "concatenating one-hot labels to z"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_condition(z, labels) and run the check again.")
    rng = np.random.default_rng(4)
    z, labels = rng.standard_normal((6, 8)).astype(np.float32), np.array([0, 3, 9, 3, 1, 7])
    got, early = _call(name, fn, "my_condition(z, labels)", z, labels)
    if early is not None:
        return early
    got = np.asarray(got, dtype=np.float64)
    if got.shape == (6, 9):
        return _result(name, WRONG, "you appended the label as one number: a digit is a category, use 10 columns.")
    if got.shape != (6, 18):
        return _result(name, WRONG, f"for z of shape (6, 8) expect (6, 8 + 10), got {got.shape}.")
    expected = np.concatenate([z, np.eye(10)[labels]], axis=1)
    if np.allclose(got, expected):
        return _result(name, CORRECT, "the generator now sees which digit to draw in 10 extra inputs.")
    if np.allclose(got[:, :8], z) and np.allclose(got[:, 8:].sum(axis=1), 1):
        return _result(name, WRONG, "z is right but the one-hot columns do not mark the given labels.")
    return _result(name, WRONG, "put z first, then the one-hot labels (np.eye(10)[labels]).")


GAN_FAMILY_ROLES = (
    "the discriminator is given the label",
    "the discriminator predicts the label with an extra classifier head",
    "no labels: latent codes made informative by maximising mutual information",
)


def check_gan_family(answer) -> CheckResult:
    """Lesson 04, exercise 3: match each role of GAN_FAMILY_ROLES with "cGAN", "AC-GAN" or "InfoGAN"."""
    name = "cGAN, AC-GAN, InfoGAN"
    if _not_attempted(answer):
        return _result(name, NOT_ATTEMPTED, "set family to a dict from each role to 'cGAN', 'AC-GAN' or 'InfoGAN'.")
    expected = dict(zip(GAN_FAMILY_ROLES, ("cGAN", "AC-GAN", "InfoGAN"), strict=True))
    if not isinstance(answer, dict) or set(answer) != set(GAN_FAMILY_ROLES):
        roles = "gl.conditional.checks.GAN_FAMILY_ROLES"
        return _result(name, WRONG, f"give a dict whose keys are the three roles of {roles}.")

    def spelling(text) -> str:  # "AC-GAN", "ACGAN", "ac gan" and "AC_GAN" name the same family
        return "".join(ch for ch in str(text).lower() if ch.isalnum())

    wrong = [role for role in GAN_FAMILY_ROLES if spelling(answer[role]) != spelling(expected[role])]
    if not wrong:
        return _result(name, CORRECT, "cGAN conditions D, AC-GAN makes D classify, InfoGAN needs no labels at all.")
    return _result(name, WRONG, f"not right yet: '{wrong[0]}'.")


def check_projection_logit(value) -> CheckResult:
    """Lesson 04, exercise 4: a projection discriminator's logit for features phi = (1, 2), unconditional
    weights w = (0.5, -1) (no bias) and label embedding e_y = (2, 0.5)."""
    return _check_number(
        "a projection discriminator's logit",
        value,
        "set projection_logit to a number.",
        1.5,
        "w.phi + e_y.phi = -1.5 + 3 = 1.5: the label term turned 'fake' into 'real'.",
        [
            (-1.5, "that is only the unconditional part w.phi; add the label term e_y.phi."),
            (3.0, "that is only the label term e_y.phi; add the unconditional part w.phi."),
        ],
        "{value} is not it: logit = w . phi + e_y . phi (two dot products).",
    )
