"""Automatic checks for the exercise cells of the lessons.

Each ``check_...`` function takes the student's answer and returns a
:class:`CheckResult` whose status is ``"not attempted"`` (the answer is still
``...``, ``None`` or raises ``NotImplementedError``), ``"correct"``, or
``"wrong"`` with what is wrong.  Reference answers live in
:mod:`gan_lessons.solutions`; the tests prove every check accepts its
reference and rejects a wrong answer.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .metrics import TABLE_COLUMNS

NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"
WRONG = "wrong"


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        mark = {CORRECT: "✅", WRONG: "❌", NOT_ATTEMPTED: "✏️"}[self.status]
        return f"{mark} {self.exercise}: {self.status} — {self.message}"

    def _repr_pretty_(self, printer, cycle):  # how IPython shows it
        printer.text(str(self))


def _not_attempted(answer) -> bool:
    return answer is None or answer is Ellipsis


def _result(exercise: str, status: str, message: str) -> CheckResult:
    return CheckResult(exercise, status, message)


def _numeric_answer(name: str, answer, prompt: str) -> tuple[float | None, CheckResult | None]:
    """``(value, None)`` for a numeric answer, else ``(None, the result to return)``."""
    if _not_attempted(answer):
        return None, _result(name, NOT_ATTEMPTED, prompt)
    try:
        return float(answer), None
    except (TypeError, ValueError):
        return None, _result(name, WRONG, f"give a number, got {answer!r}.")


def _check_number(
    name: str, answer, prompt: str, expected: float, right: str, mistakes=(), otherwise: str = "", rel: float = 1e-9
) -> CheckResult:
    """A numeric answer: correct within ``rel`` (relative, at least 1e-9 absolute), else the message of a
    known ``(wrong value, why)`` mistake, else ``otherwise`` (``{value}`` is replaced by the answer)."""
    value, early = _numeric_answer(name, answer, prompt)
    if early is not None:
        return early

    def near(target: float) -> bool:
        return abs(value - target) <= max(rel * abs(target), 1e-9)

    if near(expected):
        return _result(name, CORRECT, right)
    for wrong, why in mistakes:
        if near(wrong):
            return _result(name, WRONG, why)
    return _result(name, WRONG, otherwise.format(value=f"{value:g}"))


def check_generator_loss(fn: Callable | None, called: str = "my_generator_loss") -> CheckResult:
    """Lesson 02, exercise 1: the non-saturating generator loss from logits, ``-mean(log D(G(z)))``.
    ``called``: the function's name in the messages."""
    name = "non-saturating generator loss"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, f"write {called}(fake_logits) and run the check again.")
    cases = [
        np.array([[-8.0], [3.0], [0.5]], np.float32),  # first: here the minimax loss and -(the right loss) differ
        np.array([[0.0], [0.0]], np.float32),
        np.linspace(-30, 30, 61, dtype=np.float32)[:, None],
        np.array([[-200.0], [-100.0], [40.0]], np.float32),  # a very confident D: log(sigmoid) underflows
    ]
    for logits in cases:
        expected = float(np.mean(np.logaddexp(0.0, -logits.astype(np.float64))))
        try:
            got = float(np.asarray(fn(logits)))
        except NotImplementedError:
            return _result(name, NOT_ATTEMPTED, "the function still raises NotImplementedError.")
        except Exception as exc:
            return _result(name, WRONG, f"calling it on logits of shape {logits.shape} raised {exc!r}.")
        if not np.isfinite(got):
            return _result(
                name,
                WRONG,
                f"it returned {got} for logits from {logits.min()} to {logits.max()}: "
                "compute -log(sigmoid(l)) as softplus(-l) to stay finite.",
            )
        if abs(got - expected) > 1e-4 * max(1.0, abs(expected)):
            hint = ""
            if abs(got + float(np.mean(np.logaddexp(0.0, logits.astype(np.float64))))) < 1e-3:
                hint = " That is the minimax (saturating) loss log(1 - D); the exercise asks for -log D."
            elif abs(got + expected) < 1e-4 * max(1.0, abs(expected)):
                hint = " That is -(the right loss): minimising it pushes D(G(z)) down, helping the discriminator."
            return _result(
                name, WRONG, f"for logits {logits.ravel()[:3]}... expected {expected:.5f}, got {got:.5f}.{hint}"
            )
    return _result(name, CORRECT, "it matches -mean(log sigmoid(logits)) and stays finite for confident D.")


def check_first_layer_params(n) -> CheckResult:
    """Lesson 02, exercise 2: trainable parameters of the generator's first Dense layer
    (latent_dim = 100, 256 units)."""
    name = "parameters of the first Dense layer"
    if _not_attempted(n):
        return _result(name, NOT_ATTEMPTED, "set first_layer_params to a whole number.")
    expected = 100 * 256 + 256
    if not isinstance(n, int | np.integer):
        return _result(name, WRONG, f"give a whole number, got {n!r}.")
    if n == expected:
        return _result(name, CORRECT, "100 x 256 weights plus 256 biases.")
    if n == 100 * 256:
        return _result(name, WRONG, "you counted the weights; a Dense layer also has one bias per unit.")
    return _result(name, WRONG, f"{n} is not it: a Dense layer has inputs x units weights plus units biases.")


def check_equilibrium_output(p) -> CheckResult:
    """Lesson 02, exercise 3: what the optimal D outputs on every x once p_g = p_data."""
    name = "D at the equilibrium"
    value, early = _numeric_answer(name, p, "set d_at_equilibrium to a number.")
    if early is not None:
        return early
    if abs(value - 0.5) < 1e-6:
        return _result(name, CORRECT, "D*(x) = p_data / (p_data + p_g) = 1/2: it can only guess.")
    if value in (0.0, 1.0):
        return _result(name, WRONG, "a perfect generator cannot be told apart, so D cannot be certain either way.")
    return _result(name, WRONG, f"{value} is not it: use D*(x) = p_data(x) / (p_data(x) + p_g(x)) with p_g = p_data.")


# -- lesson 01 -----------------------------------------------------------------------
EXERCISE_P_DATA = (0.5, 0.3, 0.2)  # the pair of distributions of lesson 01's exercises
EXERCISE_P_G = (0.2, 0.3, 0.5)


def check_optimal_discriminator(d) -> CheckResult:
    """Lesson 01, exercise 1: D* for ``EXERCISE_P_DATA`` and ``EXERCISE_P_G``, one value per outcome."""
    from . import theory

    name = "optimal discriminator"
    if _not_attempted(d):
        return _result(name, NOT_ATTEMPTED, "set d_star_answer to a list of three numbers.")
    expected = theory.optimal_discriminator(EXERCISE_P_DATA, EXERCISE_P_G)
    try:
        got = np.asarray(d, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return _result(name, WRONG, f"give three numbers, got {d!r}.")
    if got.shape != expected.shape:
        return _result(name, WRONG, f"give one value per outcome (3), got {got.size}.")
    if np.allclose(got, expected, atol=1e-4):
        return _result(name, CORRECT, "D*(x) = p_data / (p_data + p_g) = (5/7, 1/2, 2/7).")
    if np.allclose(got, 1 - expected, atol=1e-4):
        return _result(name, WRONG, "you computed p_g / (p_data + p_g): D* is the probability of 'real'.")
    return _result(name, WRONG, f"expected {np.round(expected, 4).tolist()}, got {np.round(got, 4).tolist()}.")


def check_value_at_optimum(v) -> CheckResult:
    """Lesson 01, exercise 2: V(G, D*) for the same pair, in nats."""
    from . import theory

    name = "V(G, D*)"
    got, early = _numeric_answer(name, v, "set value_answer to a number.")
    if early is not None:
        return early
    expected = -2 * theory.LOG2 + 2 * theory.js_divergence(EXERCISE_P_DATA, EXERCISE_P_G)
    if abs(got - expected) < 1e-4:
        return _result(name, CORRECT, f"{expected:.4f} = -2 log 2 + 2 JSD: the pair is not yet equal.")
    if abs(got - expected / np.log(2)) < 1e-3:
        return _result(name, WRONG, "that is in bits: the course uses natural logarithms (nats).")
    return _result(name, WRONG, f"{got:.4f} is not it: plug D* into Σ p_data log D + Σ p_g log(1 − D).")


def check_gradient_ratio(r) -> CheckResult:
    """Lesson 01, exercise 3: at D(G(z)) = 0.05, how many times larger is the non-saturating gradient
    (with respect to the logit) than the minimax one?"""
    name = "non-saturating vs minimax gradient"
    got, early = _numeric_answer(name, r, "set ratio_answer to a number.")
    if early is not None:
        return early
    if abs(got - 19.0) < 1e-3:
        return _result(name, CORRECT, "(1 − D) / D = 0.95 / 0.05 = 19: where G is bad it learns 19 times faster.")
    if abs(got - 1 / 19) < 1e-3:
        return _result(name, WRONG, "that is the inverse ratio (minimax over non-saturating).")
    return _result(name, WRONG, f"{got} is not it: the gradients are D for minimax and 1 − D for non-saturating.")


# -- lesson 08 -----------------------------------------------------------------------
def check_fid_1d(value) -> CheckResult:
    """Lesson 08, exercise 1: the Fréchet distance between N(0, 2²) and N(3, 1²)."""
    return _check_number(
        "Fréchet distance of two 1-D Gaussians",
        value,
        "set fid_answer to a number.",
        10.0,
        "(0 − 3)² + 2² + 1² − 2·√(2²·1²) = 9 + 1 = 10.",
        [(9.0, "that is only the means' part: the spreads differ too (σ = 2 vs 1).")],
        "{value} is not it: in 1-D the formula is (μ1 − μ2)² + (σ1 − σ2)².",
        rel=1e-6,
    )


def check_precision_toy(value) -> CheckResult:
    """Lesson 08, exercise 2: precision (k = 1) of fakes [0.5, 10] against reals [0, 1, 2, 3]."""
    name = "precision on a toy example"
    got, early = _numeric_answer(name, value, "set precision_answer to a number between 0 and 1.")
    if early is not None:
        return early
    if abs(got - 0.5) < 1e-9:
        return _result(name, CORRECT, "each real ball has radius 1; 0.5 is inside one, 10 in none: 1 of 2.")
    return _result(
        name,
        WRONG,
        f"{got} is not it: draw a ball of radius 1 (distance to the nearest other real "
        "point) around each real point and count the fakes inside any ball.",
    )


METRIC_NAMES = TABLE_COLUMNS  # the columns of lesson 08's table


def check_copy_detector(metric) -> CheckResult:
    """Lesson 08, exercise 3: which metric flags a generator that outputs training digits verbatim?"""
    name = "the metric that catches copies"
    if _not_attempted(metric):
        return _result(name, NOT_ATTEMPTED, f"set copy_metric to one of {', '.join(METRIC_NAMES)}.")
    if metric not in METRIC_NAMES:
        return _result(name, WRONG, f"choose one of {', '.join(METRIC_NAMES)}.")
    if metric == "memorised_fraction":
        return _result(
            name, CORRECT, "copies have perfect statistics (FID ~ real) but sit at distance 0 from a training digit."
        )
    return _result(name, WRONG, f"copies of real digits look perfect to {metric}: look at the 'copies' row.")


# -- lesson 03 -----------------------------------------------------------------------
def check_transposed_output_size(size) -> CheckResult:
    """Lesson 03, exercise 1: side of the map a Conv2DTranspose(kernel 4, stride 2, padding "same")
    makes from a 7x7 map."""
    name = "transposed convolution output size"
    value, early = _numeric_answer(name, size, "set upsampled_size to a whole number.")
    if early is not None:
        return early
    if value == 14:
        return _result(name, CORRECT, "with padding 'same' a transposed convolution multiplies the size by the stride.")
    if value in (16, 17):
        return _result(name, WRONG, "that is padding 'valid' ((7 - 1) x 2 + 4 = 16); 'same' gives size x stride.")
    if value in (3, 4):
        return _result(
            name, WRONG, "a stride-2 *transposed* convolution upsamples; you computed a strided convolution."
        )
    return _result(name, WRONG, f"{value:g} is not it: with padding 'same' the output side is input side x stride.")


def check_slerp(fn: Callable | None) -> CheckResult:
    """Lesson 03, exercise 2: spherical interpolation ``slerp(z0, z1, t)`` of two noise vectors."""
    from .plotting import interpolate

    name = "spherical interpolation"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_slerp(z0, z1, t) and run the check again.")
    rng = np.random.default_rng(3)
    z0, z1 = rng.standard_normal(100).astype(np.float32), rng.standard_normal(100).astype(np.float32)
    expected = interpolate(z0, z1, n=5, kind="spherical")
    for i, t in enumerate(np.linspace(0.0, 1.0, 5)):
        try:
            got = np.asarray(fn(z0, z1, float(t)), dtype=np.float64)
        except NotImplementedError:
            return _result(name, NOT_ATTEMPTED, "the function still raises NotImplementedError.")
        except Exception as exc:
            return _result(name, WRONG, f"my_slerp(z0, z1, {t}) raised {exc!r}.")
        if got.shape != z0.shape:
            return _result(name, WRONG, f"return one vector of shape {z0.shape}, got {got.shape}.")
        if not np.allclose(got, expected[i], atol=1e-3):
            linear = (1 - t) * z0 + t * z1
            if np.allclose(got, linear, atol=1e-3):
                return _result(
                    name, WRONG, "that is linear interpolation: its midpoint has a smaller norm than z0, z1."
                )
            return _result(name, WRONG, f"at t = {t} the result differs from slerp; check sin((1-t)w) and sin(tw).")
    return _result(name, CORRECT, "the path follows the great circle, so its norm stays near sqrt(100) = 10.")


def check_checkerboard_kernels(kernels) -> CheckResult:
    """Lesson 03, exercise 3: which kernel sizes of a stride-2 transposed convolution overlap evenly
    (no checkerboard), among 2, 3, 4, 5 and 6."""
    name = "kernels without checkerboard"
    if _not_attempted(kernels):
        return _result(name, NOT_ATTEMPTED, "set even_kernels to a list of kernel sizes, e.g. [3, 5].")
    try:
        chosen = {int(k) for k in kernels}
    except (TypeError, ValueError):
        return _result(name, WRONG, f"give a list of whole numbers, got {kernels!r}.")
    if chosen == {2, 4, 6}:
        return _result(name, CORRECT, "a kernel divisible by the stride covers every output pixel equally often.")
    if chosen & {3, 5}:
        return _result(name, WRONG, "with kernel 3 or 5 and stride 2, every other pixel gets one more contribution.")
    return _result(name, WRONG, "count, for each output pixel, how many kernel taps land on it: which k make it even?")


def check_first_conv_params(n) -> CheckResult:
    """Lesson 03, exercise 4: parameters of the DCGAN discriminator's first convolution
    (4x4 kernel, 1 input channel, 64 filters, with bias)."""
    name = "parameters of the first convolution"
    value, early = _numeric_answer(name, n, "set first_conv_params to a whole number.")
    if early is not None:
        return early
    if value == 4 * 4 * 1 * 64 + 64:
        return _result(name, CORRECT, "4 x 4 x 1 x 64 weights + 64 biases: it does not depend on the image size.")
    if value == 4 * 4 * 1 * 64:
        return _result(name, WRONG, "you counted the weights; each filter also has a bias.")
    if value > 10_000:
        return _result(name, WRONG, "a convolution shares its kernel over the image: the image size does not enter.")
    return _result(name, WRONG, f"{value:g} is not it: kernel height x width x input channels x filters, plus biases.")


# -- lesson 07 -----------------------------------------------------------------------
def _call(name: str, fn, call_text: str, *args):
    """``(value, None)`` from the student's function, else ``(None, the result to return)``: not attempted
    while it raises NotImplementedError, wrong (saying what it raised) for any other error."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, _result(name, NOT_ATTEMPTED, "the function still raises NotImplementedError.")
    except Exception as exc:
        return None, _result(name, WRONG, f"{call_text} raised {exc!r}.")


def _attempt(name: str, fn, prompt: str, call_text: str, *args):
    """:func:`_call` for a student's function that may still be ``...``: then "not attempted" with ``prompt``."""
    if _not_attempted(fn):
        return None, _result(name, NOT_ATTEMPTED, prompt)
    return _call(name, fn, call_text, *args)


def check_kde_density(fn: Callable | None) -> CheckResult:
    """Lesson 07, exercise 1: ``my_kde_density(x, points, bandwidth)``, a 1-D Gaussian KDE at ``x``."""
    from scipy.stats import norm

    name = "a Gaussian KDE by hand"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_kde_density(x, points, bandwidth) and run the check again.")
    points = np.array([-1.0, 0.0, 0.5, 3.0])
    for x, h in ((0.2, 0.5), (3.0, 1.0), (-2.0, 2.0)):
        got, early = _call(name, fn, f"my_kde_density({x}, points, {h})", x, points, h)
        if early is not None:
            return early
        try:
            got = float(got)
        except (TypeError, ValueError):
            return _result(name, WRONG, f"return one number (a density), got {got!r}.")
        expected = float(np.mean(norm.pdf(x, loc=points, scale=h)))
        if abs(got - expected) <= 1e-6 * max(1.0, expected):
            continue
        if abs(got - expected * len(points)) < 1e-6:
            return _result(name, WRONG, "you summed the kernels: average them (divide by n) so it integrates to 1.")
        if abs(got - expected * h * np.sqrt(2 * np.pi)) < 1e-6:
            return _result(name, WRONG, "each kernel needs its normalisation 1 / (h sqrt(2 pi)).")
        if abs(got - float(np.mean(norm.pdf(x, loc=points, scale=h**2)))) < 1e-6:
            return _result(name, WRONG, "the bandwidth h is the kernel's standard deviation, not its variance.")
        return _result(name, WRONG, f"at x = {x}, h = {h} the density is {expected:.5f}, you gave {got:.5f}.")
    return _result(name, CORRECT, "p(x) = mean over training points of N(x; x_i, h^2): as KernelDensity computes it.")


def check_pick_bandwidth(fn: Callable | None) -> CheckResult:
    """Lesson 07, exercise 2: ``my_pick_bandwidth(train, valid, grid)`` returns the grid value whose KDE,
    fitted on ``train``, gives ``valid`` the highest log-likelihood."""
    from sklearn.neighbors import KernelDensity

    from .kde import bimodal_1d

    name = "choosing a bandwidth"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_pick_bandwidth(train, valid, grid) and run the check again.")
    train, valid = bimodal_1d(300, seed=11), bimodal_1d(300, seed=12)
    grid = np.logspace(-2, 1, 13)
    got, early = _call(name, fn, "my_pick_bandwidth(train, valid, grid)", train, valid, grid)
    if early is not None:
        return early
    try:
        got = float(got)
    except (TypeError, ValueError):
        return _result(name, WRONG, f"return one bandwidth from the grid, got {got!r}.")
    valid_ll = [KernelDensity(bandwidth=h).fit(train).score(valid) for h in grid]
    train_ll = [KernelDensity(bandwidth=h).fit(train).score(train) for h in grid]
    best = float(grid[int(np.argmax(valid_ll))])
    if abs(got - best) < 1e-9 * best:
        return _result(name, CORRECT, f"h = {best:.3g}: held-out likelihood punishes both a spiky and a flat KDE.")
    if abs(got - float(grid[int(np.argmax(train_ll))])) < 1e-12:
        return _result(
            name, WRONG, "you scored the training points: their likelihood only grows as h shrinks. Score `valid`."
        )
    return _result(name, WRONG, f"{got:.3g} is not the grid value with the highest log-likelihood of `valid`.")


DIMENSION_EFFECT_CHOICES = {
    "a": "PCA with more components throws away more of each digit.",
    "b": "In more dimensions the training points are far apart and the kernels cover a vanishing share of the "
    "space: the density piles up around the training digits, which it scores well, and new digits fall between.",
    "c": "Cross-validation picks a larger bandwidth in more dimensions, which favours the training digits.",
    "d": "The digit classifier cannot read images made from many PCA components.",
}


def check_dimension_effect(choice) -> CheckResult:
    """Lesson 07, exercise 3: why the gap between training and held-out likelihood grows with the dimension."""
    name = "the dimension effect"
    options = ", ".join(DIMENSION_EFFECT_CHOICES)
    if _not_attempted(choice):
        return _result(name, NOT_ATTEMPTED, f"set dimension_answer to one of {options}.")
    key = str(choice).strip().lower()
    if key not in DIMENSION_EFFECT_CHOICES:
        return _result(name, WRONG, f"choose one of {options}.")
    if key == "b":
        return _result(name, CORRECT, "the curse of dimensionality: a KDE needs exponentially many points as d grows.")
    why = {
        "a": "more components keep *more* of each digit, not less.",
        "c": "look at the table: the chosen bandwidth does not grow steadily, and a larger h would favour new digits.",
        "d": "the gap is between two likelihoods; the classifier plays no part in it.",
    }
    return _result(name, WRONG, why[key])


def check_halving_factor(factor) -> CheckResult:
    """Lesson 07, exercise 4: the best bandwidth shrinks like n^(-1/(d+4)); by what factor must n grow to
    halve it in d = 30 dimensions?"""
    return _check_number(
        "data needed to halve the bandwidth",
        factor,
        "set halving_factor to a number.",
        2.0**34,
        "2^(d+4) = 2^34, about 17 billion times more digits; in 1-D, 2^5 = 32.",
        [(2.0**30, "the exponent is d + 4, not d."), (32.0, "that is the 1-D answer (2^(1+4)); here d = 30.")],
        "{value} is not it: solve (k n)^(-1/(d+4)) = n^(-1/(d+4)) / 2 for k.",
        rel=0.01,
    )


# -- lesson 04 -----------------------------------------------------------------------
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
        return _result(name, WRONG, "give a dict whose keys are the three roles of gl.exercises.GAN_FAMILY_ROLES.")
    wrong = [role for role in GAN_FAMILY_ROLES if str(answer[role]).strip().lower() != expected[role].lower()]
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


# -- lesson 06 -----------------------------------------------------------------------
STYLE_BLOCK_INPUT = ((2, 7, 7, 4), (2, 16))  # x and w the check feeds to the student's block


def check_style_block(block_class, called: str = "MyStyleBlock") -> CheckResult:
    """Lesson 06, exercise 1: a fixed ``FlawedStyleBlock`` -- ``block_class(filters)`` called on ``[x, w]``
    must convolve (3x3), add noise with a learned per-channel strength, and apply AdaIN with ``w``.
    ``called``: the class's name in the messages."""
    import keras

    name = "a StyleGAN block built right"
    if _not_attempted(block_class):
        return _result(name, NOT_ATTEMPTED, f"write the class {called} and run the check again.")
    rng = np.random.default_rng(0)
    x = rng.standard_normal(STYLE_BLOCK_INPUT[0]).astype(np.float32)
    w_a, w_b = (rng.standard_normal(STYLE_BLOCK_INPUT[1]).astype(np.float32) for _ in range(2))
    try:
        block = block_class(8)
        out_a = keras.ops.convert_to_numpy(block([x, w_a]))
        out_b = keras.ops.convert_to_numpy(block([x, w_b]))
        out_a_again = keras.ops.convert_to_numpy(block([x, w_a]))
    except NotImplementedError:
        return _result(name, NOT_ATTEMPTED, "the class still raises NotImplementedError.")
    except Exception as exc:
        return _result(name, WRONG, f"calling {called}(8) on [x, w] raised {exc!r}.")
    if out_a.shape != (2, 7, 7, 8):
        return _result(name, WRONG, f"expected an output of shape (2, 7, 7, 8), got {out_a.shape}.")
    params = block.count_params()
    if params == 0:
        return _result(name, WRONG, "0 parameters: create the layers in __init__ (or build), not inside call.")
    conv, adain, noise = 9 * 4 * 8 + 8, 16 * 2 * 8 + 2 * 8, 8
    if params == conv + adain:
        return _result(name, WRONG, "the noise needs a learned strength per channel (8 more parameters).")
    if params != conv + adain + noise:
        return _result(
            name, WRONG, f"{params} parameters; a 3x3 conv + AdaIN + noise strengths have {conv + adain + noise}."
        )
    if np.allclose(out_a, out_b):
        return _result(name, WRONG, "the output does not change with w: the style is ignored.")
    if not np.allclose(out_a, out_a_again, atol=1e-5):
        return _result(
            name, WRONG, "with the noise strength at its start value 0, the same input must give the same output."
        )
    return _result(name, CORRECT, "tracked weights, a style that acts, and noise whose strength the network learns.")


def check_adain_output(value) -> CheckResult:
    """Lesson 06, exercise 2: AdaIN on the feature map [1, 3] with style scale 2 and bias 5: the first value."""
    return _check_number(
        "AdaIN by hand",
        value,
        "set adain_first_value to a number.",
        3.0,
        "mean 2, std 1: (1 - 2) / 1 = -1, then 2 x (-1) + 5 = 3.",
        [
            (7.0, "normalise first: subtract the map's mean (2) and divide by its std (1)."),
            (4.0, "the scale is missing: (x - mean) / std gives -1; multiply by the style scale 2, then add 5."),
            (8.0, "scale, then shift: 2 x (-1) + 5, not 2 x (-1 + 5)."),
            (-2.0, "the bias is missing: after scaling, add the style bias 5."),
        ],
        "{value} is not it: scale x (x - mean) / std + bias, per map.",
    )


def check_truncated_w(value) -> CheckResult:
    """Lesson 06, exercise 3: truncation with w_mean = 1, w = 3 and psi = 0.5 (one coordinate)."""
    return _check_number(
        "the truncation trick",
        value,
        "set truncated_w to a number.",
        2.0,
        "1 + 0.5 x (3 - 1) = 2: halfway to the average style.",
        [(1.5, "that is psi x w; truncation shrinks towards w_mean, not towards 0.")],
        "{value} is not it: w_mean + psi x (w - w_mean).",
    )


# -- lesson 05 -----------------------------------------------------------------------
def check_w1_shift(value) -> CheckResult:
    """Lesson 05, exercise 3: the earth mover's distance between N(0, 1) and N(3, 1)."""
    return _check_number(
        "W1 of a shift",
        value,
        "give W1(N(0, 1), N(3, 1)) as a number.",
        3.0,
        "correct: shifting a distribution by 3 moves every grain of sand 3, and nothing cheaper exists.",
        mistakes=[
            (math.log(2), "log 2 is where the Jensen-Shannon divergence saturates; W1 keeps growing with the shift."),
            (4.5, "4.5 is the KL divergence (shift² / 2); W1 grows linearly with the shift."),
            (9.0, "9 is the squared shift (W2²); W1 is the average distance moved, not its square."),
        ],
        otherwise="{value} is not it: how far does each point of N(0, 1) move to become N(3, 1)?",
    )


def _penalty_case():
    """A critic with a known gradient, f(x) = ||x||² / 2 (gradient x), and interpolates ``(2, 0)`` and
    ``(0, 0.25)``: norms 2 and 0.25, so the penalty is ((2 - 1)² + (0.25 - 1)²) / 2 = 0.78125."""
    import tensorflow as tf

    def critic(x):
        return 0.5 * tf.reduce_sum(tf.square(x), axis=1, keepdims=True)

    real = tf.constant([[3.0, 0.0], [0.0, 1.0]])
    fake = tf.constant([[1.0, 0.0], [0.0, 0.0]])
    weights = tf.constant([[0.5], [0.25]])
    return critic, real, fake, weights


def check_gradient_penalty(fn: Callable | None) -> CheckResult:
    """Lesson 05, exercise 1: ``my_gradient_penalty(critic, real, fake, weights)``, WGAN-GP's penalty."""
    name = "gradient penalty"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_gradient_penalty(critic, real, fake, weights).")
    value, early = _call(name, fn, "my_gradient_penalty(critic, real, fake, weights)", *_penalty_case())
    if early is not None:
        return early
    return _check_number(
        name,
        value,
        "my_gradient_penalty returned nothing: return the mean penalty.",
        0.78125,
        "correct: the two-sided penalty (||∇f(x̂)|| - 1)², per sample at its interpolate, averaged.",
        mistakes=[
            (0.5, "that is the one-sided penalty max(0, ||g|| - 1)²: WGAN-GP also penalises norms below 1."),
            (0.875, "you averaged |·|, not the square: the penalty is (||g|| - 1)²."),
            (0.125, "you averaged ||g|| - 1 without squaring it."),
            (0.53125, "your interpolates use 1 - w for the real points: x̂ = w·real + (1 - w)·fake."),
            (2.0, "that is the penalty at the real points: it belongs at the interpolates."),
            (2.0 * 0.78125, "you summed over the batch: take the mean."),
            (
                (math.sqrt(4.0625) - 1) ** 2,
                "one norm for the whole batch: the norm is per sample, over that sample's features.",
            ),
            (4.939453125, "you used the squared norm ||g||²: the penalty is on the norm itself."),
        ],
        otherwise="{value} is not it: interpolate, take the gradient of the critic there, its norm per sample, "
        "then the mean of (norm - 1)².",
        rel=1e-5,
    )


def check_critic(builder: Callable | None, called: str = "fixed_critic") -> CheckResult:
    """Lesson 05, exercise 2: ``fixed_critic()`` returns the drill's critic made a proper WGAN-GP critic.
    ``called``: the function's name in the messages (lesson 09's drills call it ``critic``)."""
    import keras

    name = "critic"
    if _not_attempted(builder):
        return _result(name, NOT_ATTEMPTED, f"write {called}() returning a keras model (2,) -> (1,).")
    critic, early = _call(name, builder, f"{called}()")
    if early is not None:
        return early
    if not isinstance(critic, keras.Model) or tuple(critic.input_shape) != (None, 2):
        return _result(name, WRONG, "return a keras model taking points of shape (batch, 2).")
    kinds = {type(layer).__name__ for layer in critic.layers}
    if "BatchNormalization" in kinds:
        return _result(name, WRONG, "batch norm is still there: it mixes the samples of a batch (use layer norm).")
    last = critic.layers[-1]
    if getattr(last, "activation", None) in (keras.activations.sigmoid, keras.activations.tanh) or kinds & {
        "Activation"
    }:
        return _result(name, WRONG, "the output is still squashed: a critic's score must be unbounded (linear).")
    scores = np.asarray(critic(np.random.default_rng(0).standard_normal((8, 2)).astype("float32")))
    if scores.shape != (8, 1):
        return _result(name, WRONG, f"the critic must give one score per point, shape (batch, 1), got {scores.shape}.")
    return _result(name, CORRECT, "correct: a linear output and no batch statistics; the penalty can now do its job.")


# -- lesson 10 -----------------------------------------------------------------------
PIX2PIX_PATCHGAN = ((4, 2), (4, 2), (4, 2), (4, 1), (4, 1))  # the paper's 70 x 70 PatchGAN


def check_receptive_field(value) -> CheckResult:
    """Lesson 10, exercise 1: the receptive field of the pix2pix paper's PatchGAN (kernels 4; strides 2, 2, 2, 1, 1)."""
    return _check_number(
        "PatchGAN receptive field",
        value,
        "give the receptive field in pixels as a number.",
        70.0,
        "correct: 1 + 3·(1 + 2 + 4 + 8 + 8) = 70, the paper's 70 x 70 PatchGAN.",
        mistakes=[
            (
                91.0,
                "a kernel grows the field by (k - 1) times the product of the strides before it, not its own.",
            ),
            (
                20.0,
                "adding the kernel sizes ignores the strides: after a stride-2 layer each step covers 2 input pixels.",
            ),
            (16.0, "the field is not the kernel times the number of layers: strides multiply the growth."),
        ],
        otherwise="{value} is not it: r = 1 + sum over layers of (k_i - 1) x (product of the earlier strides).",
    )


def check_cycle_loss(fn: Callable | None) -> CheckResult:
    """Lesson 10, exercise 2: ``my_cycle_loss(a, b, g, f)``: mean |f(g(a)) - a| + mean |g(f(b)) - b|."""
    name = "cycle loss"
    if _not_attempted(fn):
        return _result(name, NOT_ATTEMPTED, "write my_cycle_loss(a, b, g, f).")
    a = np.linspace(-1, 1, 32, dtype=np.float32).reshape(2, 4, 4, 1)
    b = a[::-1].copy()

    def g(x):
        return 2 * x + 0.1

    def f(x):
        return x / 2 + 0.1

    value, early = _call(name, fn, "my_cycle_loss(a, b, g, f)", a, b, g, f)
    if early is not None:
        return early
    return _check_number(
        name,
        value,
        "my_cycle_loss returned nothing: return the loss.",
        0.45,
        "correct: both cycles, A -> B -> A and B -> A -> B, each an L1 distance averaged over pixels.",
        mistakes=[
            (0.15, "only the A -> B -> A cycle: add the B -> A -> B one."),
            (0.3, "only the B -> A -> B cycle: add the A -> B -> A one."),
            (0.1125, "you squared the differences: CycleGAN's cycle loss is L1 (absolute values)."),
            (14.4, "you summed over the pixels: take the mean."),
        ],
        otherwise="{value} is not it: translate there and back, compare with the original (|.|), average, both ways.",
        rel=1e-5,
    )


# -- lesson 09: the spot-the-bug drills (gan_lessons.drills) ------------------------------------------------
def _weights(model) -> list[np.ndarray]:
    return [np.array(w) for w in model.weights]


def _moved(before, after) -> bool:
    return any(not np.allclose(a, b, rtol=0, atol=1e-9) for a, b in zip(before, after, strict=True))


def check_keras3_trainers(make_trainers: Callable | None) -> CheckResult:
    """Drill "keras3-freeze": ``make_trainers(generator, discriminator)`` returns ``(train_d(real, fake),
    train_g(noise))``; train_d must move the discriminator, train_g the generator and not the discriminator."""
    import keras

    name = "GAN trainers under Keras 3"
    if _not_attempted(make_trainers):
        return _result(name, NOT_ATTEMPTED, "write make_trainers(generator, discriminator).")
    keras.utils.set_random_seed(0)
    generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)])
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
    )
    rng = np.random.default_rng(0)
    real = rng.normal(2.0, 0.5, (32, 2)).astype("float32")
    noise = rng.standard_normal((32, 4)).astype("float32")
    trainers, early = _call(name, make_trainers, "make_trainers(generator, discriminator)", generator, discriminator)
    if early is not None:
        return early
    try:
        train_d, train_g = trainers
    except (TypeError, ValueError):
        return _result(name, WRONG, f"return the pair (train_d, train_g), got {trainers!r}.")
    d_before = _weights(discriminator)
    for _ in range(2):
        with warnings.catch_warnings():  # Keras warns about the frozen model of the Keras 2 recipe; the check says it
            warnings.filterwarnings("ignore", message="The model does not have any trainable weights")
            _, early = _call(name, train_d, "train_d(real, fake)", real, np.asarray(generator(noise)))
        if early is not None:
            return early
    if not _moved(d_before, _weights(discriminator)):
        return _result(
            name,
            WRONG,
            "train_d never changed the discriminator. Keras 3 reads `trainable` when it trains, not when it "
            "compiles: `discriminator.trainable = False` freezes its own updates too. Update each player's "
            "trainable_variables explicitly (a GradientTape per player).",
        )
    g_before, d_before = _weights(generator), _weights(discriminator)
    _, early = _call(name, train_g, "train_g(noise)", noise)
    if early is not None:
        return early
    if not _moved(g_before, _weights(generator)):
        return _result(name, WRONG, "train_g did not change the generator.")
    if _moved(d_before, _weights(discriminator)):
        return _result(name, WRONG, "train_g changed the discriminator: the generator's step must update G only.")
    return _result(name, CORRECT, "each step updates its own player, and the discriminator learns.")


def check_weight_clipping(critic_update: Callable | None) -> CheckResult:
    """Drill "clip-gradients": ``critic_update(critic, optimizer, real, fake, clip)`` leaves every weight of the
    critic in [-clip, clip] after a real update."""
    import keras

    name = "WGAN weight clipping"
    if _not_attempted(critic_update):
        return _result(name, NOT_ATTEMPTED, "write critic_update(critic, optimizer, real, fake, clip=0.01).")
    keras.utils.set_random_seed(0)
    init = keras.initializers.RandomNormal(stddev=0.05, seed=0)
    critic = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(16, activation="relu", kernel_initializer=init), keras.layers.Dense(1)]
    )
    rng = np.random.default_rng(0)
    real, fake = rng.normal(1, 1, (64, 2)).astype("float32"), rng.normal(-1, 1, (64, 2)).astype("float32")
    clip = 0.01
    clipped_start = [np.clip(w, -clip, clip) for w in _weights(critic)]
    args = critic, keras.optimizers.RMSprop(5e-3), real, fake, clip
    _, early = _call(name, critic_update, "critic_update(critic, optimizer, real, fake, 0.01)", *args)
    if early is not None:
        return early
    largest = max(float(np.abs(w).max()) for w in _weights(critic))
    if largest > clip + 1e-7:
        return _result(
            name,
            WRONG,
            f"after the update a weight is {largest:.3f}, outside [-0.01, 0.01]. Clipping the gradients only limits "
            "each step; WGAN keeps the critic Lipschitz by clipping its weights after every update.",
        )
    if not _moved(clipped_start, _weights(critic)):
        return _result(name, WRONG, "the weights are clipped but the update was never applied: apply the gradients.")
    return _result(name, CORRECT, "the update is applied and every weight is clipped into [-0.01, 0.01].")


def check_digit_image(digit_image: Callable | None) -> CheckResult:
    """Drill "empty-slice": ``digit_image(generated, i)`` returns image ``i`` as a 2-D array for ``plt.imshow``."""
    name = "one image to plot"
    generated = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    prompt = "write digit_image(generated, i)."
    image, early = _attempt(name, digit_image, prompt, "digit_image(generated, 1)", generated, 1)
    if early is not None:
        return early
    image = np.asarray(image)
    if image.size == 0:
        return _result(name, WRONG, f"it is empty, shape {image.shape}: `:0` is a slice of no channels; index 0.")
    if image.shape != (28, 28):
        return _result(name, WRONG, f"shape {image.shape}: imshow draws (28, 28), so drop the channel axis.")
    if abs(np.corrcoef(image.ravel(), generated[1, :, :, 0].ravel())[0, 1] - 1) > 1e-4:
        return _result(name, WRONG, "those are not the pixels of image i (maybe another index?).")
    return _result(name, CORRECT, "a (28, 28) array of image i, ready for plt.imshow(..., cmap='gray').")


def check_loss_report(report: Callable | None) -> CheckResult:
    """Drill "format-a-list": ``report(history)`` formats the last value of each loss list to 4 decimals."""
    name = "loss report"
    history = {"d_loss": [1.3, 0.6931472], "g_loss": [0.9, 2.0794415]}
    text, early = _attempt(name, report, "write report(history).", "report(history)", history)
    if early is not None:
        if "format" in early.message:
            return _result(name, WRONG, early.message + " A list has no :.4f format: format a number, e.g. [-1].")
        return early
    if not isinstance(text, str) or "0.6931" not in text or "2.0794" not in text:
        return _result(name, WRONG, f"expected the last losses 0.6931 and 2.0794 in the text, got {text!r}.")
    return _result(name, CORRECT, "the last value of each list, to 4 decimals.")


def check_interpolation_weights(weights: Callable | None) -> CheckResult:
    """Drill "normal-interpolation": ``interpolation_weights(batch_size, seed)``, one U[0, 1] weight per sample
    shaped ``(batch_size, 1, 1, 1)``."""
    name = "WGAN-GP interpolation weights"
    n = 20_000
    prompt = "write interpolation_weights(batch_size, seed=0)."
    values, early = _attempt(name, weights, prompt, f"interpolation_weights({n}, 0)", n, 0)
    if early is not None:
        return early
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (n, 1, 1, 1):
        return _result(name, WRONG, f"shape {values.shape}: one weight per sample, (batch_size, 1, 1, 1).")
    if values.min() < 0 or values.max() > 1:
        return _result(
            name,
            WRONG,
            f"weights from {values.min():.2f} to {values.max():.2f}: outside [0, 1] the point "
            "x = e·real + (1 - e)·fake leaves the segment between the real and the fake sample, where the "
            "penalty belongs. Draw e from U[0, 1].",
        )
    if abs(values.mean() - 0.5) > 0.02 or abs(values.var() - 1 / 12) > 0.01:
        return _result(
            name,
            WRONG,
            f"mean {values.mean():.3f} and variance {values.var():.3f}; U[0, 1] has 0.5 and 1/12 = 0.083.",
        )
    return _result(name, CORRECT, "uniform on [0, 1], one per sample: points all along each real-fake segment.")


def check_gan_losses(gan_losses: Callable | None) -> CheckResult:
    """Drill "swapped-labels": ``gan_losses(real_logits, fake_logits)`` returns ``(d_loss, g_loss)``: D labels real
    1 and fake 0 (a sum or a mean of its two terms), G wants its fakes labelled 1 (non-saturating)."""
    name = "GAN losses and labels"
    real = np.array([[2.0], [-1.0], [0.5]], np.float32)
    fake = np.array([[-3.0], [1.0], [0.0]], np.float32)

    def softplus(x):
        return float(np.mean(np.logaddexp(0.0, x.astype(np.float64))))

    prompt = "write gan_losses(real_logits, fake_logits)."
    pair, early = _attempt(name, gan_losses, prompt, "gan_losses(real_logits, fake_logits)", real, fake)
    if early is not None:
        return early
    try:
        d_loss, g_loss = (float(np.asarray(v)) for v in pair)
    except (TypeError, ValueError):
        return _result(name, WRONG, f"return the pair (d_loss, g_loss) of numbers, got {pair!r}.")
    d_right = softplus(-real) + softplus(fake)

    def near(a, b):
        return abs(a - b) < 1e-4

    if near(d_loss, softplus(real) + softplus(-fake)) or near(d_loss, (softplus(real) + softplus(-fake)) / 2):
        return _result(name, WRONG, "the discriminator's labels are swapped: real images are labelled 1, fakes 0.")
    if not (near(d_loss, d_right) or near(d_loss, d_right / 2)):
        return _result(name, WRONG, f"d_loss {d_loss:.4f}; expected {d_right:.4f} (or half of it).")
    if near(g_loss, softplus(fake)):
        return _result(
            name, WRONG, "the generator's target is the fake label 0: it would help D. It wants its fakes called 1."
        )
    if not near(g_loss, softplus(-fake)):
        return _result(name, WRONG, f"g_loss {g_loss:.4f}; expected {softplus(-fake):.4f}, -mean log D(G(z)).")
    return _result(name, CORRECT, "D: real 1, fake 0; G: its fakes labelled 1, the non-saturating loss.")
