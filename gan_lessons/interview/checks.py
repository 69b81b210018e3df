"""Checks of lesson 09's spot-the-bug drills (:mod:`gan_lessons.interview.drills`)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from ..tools.exercise import (
    CORRECT,
    NOT_ATTEMPTED,
    WRONG,
    CheckResult,
    _attempt,
    _call,
    _mean_softplus,
    _moved,
    _not_attempted,
    _result,
    _weights,
)
from .seed_checks import (  # noqa: F401 - the drills made from circulating errors, re-exported: every check is here
    check_discriminator_loss,
    check_gradient_penalty_update,
    check_precision_metric,
    check_strided_discriminator,
    check_upsampling_generator,
)


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

    def d_objective():  # binary cross-entropy of D: real labelled 1, fake labelled 0
        fake = np.asarray(generator(noise))
        return float(
            np.mean(np.logaddexp(0, -np.asarray(discriminator(real), np.float64)))
            + np.mean(np.logaddexp(0, np.asarray(discriminator(fake), np.float64)))
        )

    def g_objective():  # the non-saturating generator loss, -log D(G(z))
        return float(np.mean(np.logaddexp(0, -np.asarray(discriminator(generator(noise)), np.float64))))

    d_before, d_loss_before = _weights(discriminator), d_objective()
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
    if not d_objective() < d_loss_before:
        return _result(
            name,
            WRONG,
            "train_d changed the discriminator the wrong way: its loss on real (label 1) and fake (label 0) images "
            "went up. Check the labels and that the optimizer descends the loss.",
        )
    g_before, d_before, g_loss_before = _weights(generator), _weights(discriminator), g_objective()
    _, early = _call(name, train_g, "train_g(noise)", noise)
    if early is not None:
        return early
    if not _moved(g_before, _weights(generator)):
        return _result(name, WRONG, "train_g did not change the generator.")
    if _moved(d_before, _weights(discriminator)):
        return _result(name, WRONG, "train_g changed the discriminator: the generator's step must update G only.")
    if not g_objective() < g_loss_before:
        return _result(
            name, WRONG, "train_g moved the generator the wrong way: D now finds its fakes *less* real (target 1)."
        )
    return _result(name, CORRECT, "each step updates its own player, each in the right direction.")


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
    """Drill "empty-slice": ``digit_image(generated, i)`` returns image ``i`` as an array ``plt.imshow`` draws:
    ``(28, 28)``, or ``(28, 28, 1)`` (imshow draws ``(M, N, 1)`` too)."""
    name = "one image to plot"
    generated = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    prompt = "write digit_image(generated, i)."
    image, early = _attempt(name, digit_image, prompt, "digit_image(generated, 1)", generated, 1)
    if early is not None:
        return early
    try:
        image = np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError):
        return _result(name, WRONG, f"return an array of pixels, got {type(image).__name__}.")
    if image.size == 0:
        return _result(name, WRONG, f"it is empty, shape {image.shape}: `:0` is a slice of no channels; index 0.")
    if image.shape not in ((28, 28), (28, 28, 1)):
        return _result(
            name,
            WRONG,
            f"shape {image.shape}: imshow draws one image, (28, 28) or (28, 28, 1); index the batch with i.",
        )
    pixels = image.reshape(28, 28)
    # the pixels of image i, maybe rescaled for display (a positive affine map of them)
    if not pixels.std() > 0 or not np.corrcoef(pixels.ravel(), generated[1, :, :, 0].ravel())[0, 1] > 1 - 1e-4:
        return _result(name, WRONG, "those are not the pixels of image i (another index, or transposed?).")
    return _result(name, CORRECT, f"a {image.shape} array of image i, ready for plt.imshow(..., cmap='gray').")


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
    if "1.3" in text or "0.9" in text:
        return _result(name, WRONG, f"only the last value of each list, please: {text!r} shows the earlier ones too.")
    if "0.69314" in text or "2.07944" in text:
        return _result(name, WRONG, f"four decimals, as :.4f gives: {text!r} shows more.")
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
    1 and fake 0 (a sum or a mean of its two terms), G wants its fakes labelled 1 (non-saturating).  The mirrored game
    (D labels real 0 and fake 1, G wants its fakes labelled 0) is accepted too: it is the same game."""
    name = "GAN losses and labels"
    real = np.array([[2.0], [-1.0], [0.5]], np.float32)
    fake = np.array([[-3.0], [1.0], [0.0]], np.float32)
    softplus = _mean_softplus
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

    d_flipped = softplus(real) + softplus(-fake)  # D's logit read as "fake": real labelled 0, fakes 1
    if near(d_loss, d_flipped) or near(d_loss, d_flipped / 2):
        if near(g_loss, softplus(fake)):  # G then wants its fakes labelled 0, "real": the same game, mirrored
            return _result(
                name,
                CORRECT,
                "consistent: D's logit here means 'fake' (real 0, fake 1) and G wants its fakes called real (0) -- the "
                "same game, mirrored. The usual convention, Keras' and this course's, labels real 1 and fake 0.",
            )
        return _result(
            name,
            WRONG,
            "D labels real images 0 and fakes 1 while G also wants its fakes labelled 1: G is helping D. Label real 1 "
            "and fake 0 for D, and keep G's target 1.",
        )
    if not (near(d_loss, d_right) or near(d_loss, d_right / 2)):
        return _result(name, WRONG, f"d_loss {d_loss:.4f}; expected {d_right:.4f} (or half of it).")
    if near(g_loss, softplus(fake)):
        return _result(
            name, WRONG, "the generator's target is the fake label 0: it would help D. It wants its fakes called 1."
        )
    if not near(g_loss, softplus(-fake)):
        return _result(name, WRONG, f"g_loss {g_loss:.4f}; expected {softplus(-fake):.4f}, -mean log D(G(z)).")
    return _result(name, CORRECT, "D: real 1, fake 0; G: its fakes labelled 1, the non-saturating loss.")
