"""Checks of lesson 09's drills made from errors that circulate in GAN answers and tutorials (the "seed errors"):
pooling in a DCGAN discriminator, precision read as "the share of unique images", strided and fractionally-strided
convolutions swapped, a "WGAN-GP" that only clips weights, and a discriminator loss with a flipped sign.

Each check runs the fix on inputs designed so that the plausible wrong answers give different numbers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tools.exercise import CORRECT, WRONG, CheckResult, _attempt, _mean_softplus, _result, _weights
from ..tools.metrics import precision_recall


def _model(name: str, build: Callable, call_text: str):
    """``(model, None)`` from a function that builds a Keras model, else ``(None, the result to return)``."""
    import keras

    keras.utils.set_random_seed(0)
    model, early = _attempt(name, build, f"write {call_text}.", call_text)
    if early is None and not isinstance(model, keras.Model):
        return None, _result(name, WRONG, f"{call_text} must return a Keras model, got {type(model).__name__}.")
    return model, early


def _is(layer, kind: str) -> bool:
    return type(layer).__name__ == kind


def _activation(layer) -> str:
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", "") if activation is not None else ""


def _layers(model) -> list:
    """Every layer, nested models (a Sequential inside a Functional model) included."""
    found = []
    for layer in model.layers:
        found += _layers(layer) if hasattr(layer, "layers") else [layer]
    return found


def check_strided_discriminator(build: Callable | None) -> CheckResult:
    """Drill "max-pool-discriminator": ``discriminator()`` maps ``(batch, 28, 28, 1)`` to one logit per image,
    downsampling with strided convolutions (DCGAN: no pooling), and every input pixel reaches the logit."""
    import tensorflow as tf

    name = "a DCGAN discriminator"
    model, early = _model(name, build, "discriminator()")
    if early is not None:
        return early
    if tuple(model.input_shape[1:]) != (28, 28, 1) or tuple(model.output_shape[1:]) != (1,):
        shapes = f"{model.input_shape} -> {model.output_shape}"
        return _result(name, WRONG, f"map (batch, 28, 28, 1) to (batch, 1); got {shapes}.")
    layers = _layers(model)
    pooling = [type(layer).__name__ for layer in layers if "Pooling" in type(layer).__name__]
    if pooling:
        return _result(
            name, WRONG, f"{pooling[0]} is still there: DCGAN downsamples with strided convolutions, which learn how."
        )
    strided = [layer for layer in layers if _is(layer, "Conv2D") and max(layer.strides) > 1]
    if len(strided) < 2:
        return _result(name, WRONG, "downsample 28 -> 14 -> 7 with at least two convolutions of stride 2.")
    if "sigmoid" in [_activation(layer) for layer in layers[-2:]] or _is(layers[-1], "Activation"):
        return _result(name, WRONG, "end with a raw logit (no sigmoid): the loss takes logits, from_logits=True.")
    images = tf.constant(np.random.default_rng(0).uniform(-1, 1, (1, 28, 28, 1)).astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(images)
        logit = tf.reduce_sum(model(images, training=False))
    reached = float(np.mean(np.abs(tape.gradient(logit, images).numpy()) > 0))
    if reached < 0.9:
        return _result(
            name,
            WRONG,
            f"only {reached:.0%} of the input pixels reach the logit: a stride larger than the kernel skips pixels "
            "(use kernels of 3 or 4 with stride 2).",
        )
    return _result(name, CORRECT, "strided convolutions, no pooling, a logit out, and every pixel counts.")


def check_precision_metric(precision: Callable | None) -> CheckResult:
    """Drill "precision-unique": ``precision(real, fake, k=3)`` is the share of fakes inside the real manifold
    (Kynkäänniemi et al., 2019), not the share of unique fakes."""
    name = "precision of a generator"
    grid = np.stack([np.arange(40.0), np.zeros(40)], axis=1)  # reals 1 apart: each one's 3rd neighbour is 2 away
    cases = {
        "30 copies of one real point": np.repeat(grid[:1], 30, axis=0),
        "30 points 1.5 above the reals": grid[5:35] + [0.0, 1.5],
        "30 points far from every real": grid[:30] + [0.0, 50.0],
        "15 near, 15 far": np.concatenate([grid[5:20] + [0.0, 0.5], grid[:15] + [0.0, 50.0]]),
    }
    got = {}
    for case, fake in cases.items():
        call = "precision(real, fake, k=3)"
        value, early = _attempt(name, precision, f"write {call}.", call, grid, fake, 3)
        if early is not None:
            return early
        try:
            got[case] = float(np.asarray(value))
        except (TypeError, ValueError):
            return _result(name, WRONG, f"return one number, got {value!r}.")
    expected = {case: precision_recall(grid, fake, k=3)["precision"] for case, fake in cases.items()}
    if abs(got["30 copies of one real point"] - 1 / 30) < 1e-9:
        return _result(
            name,
            WRONG,
            "that is the share of unique samples. 30 copies of one real digit are all realistic (precision 1); "
            "uniqueness is part of diversity, which recall measures.",
        )
    if abs(got["30 points 1.5 above the reals"]) < 1e-9:
        return _result(
            name,
            WRONG,
            "points 1.5 from a real point fall outside its ball: the radius is the distance to the k-th nearest "
            "*other* real point (2 here); the point itself is its own 0-th neighbour.",
        )
    wrong = [case for case in cases if abs(got[case] - expected[case]) > 1e-9]
    if wrong:
        case = wrong[0]
        return _result(
            name,
            WRONG,
            f"for {case} precision is {expected[case]:.3f}, you gave {got[case]:.3f}: the share of fakes "
            "within the k-NN radius of at least one real point.",
        )
    return _result(name, CORRECT, "the share of fakes inside the union of the real points' k-NN balls.")


def check_upsampling_generator(build: Callable | None) -> CheckResult:
    """Drill "swapped-strides": ``generator(latent_dim=64)`` maps ``(batch, 64)`` to ``(batch, 28, 28, 1)`` in
    [-1, 1], growing 7 -> 14 -> 28 with fractionally-strided (transposed) convolutions or upsampling + convolution."""
    name = "a DCGAN generator"
    model, early = _model(name, build, "generator(latent_dim=64)")
    if early is not None:
        return early
    if tuple(model.output_shape[1:]) != (28, 28, 1):
        return _result(
            name,
            WRONG,
            f"the output is {model.output_shape[1:]}, not (28, 28, 1). A Conv2D with strides 2 halves the image; "
            "a generator grows it with Conv2DTranspose(strides=2) (fractionally strided) or UpSampling2D + Conv2D.",
        )
    layers = _layers(model)
    shrinking = [layer for layer in layers if _is(layer, "Conv2D") and max(layer.strides) > 1]
    if shrinking:
        return _result(name, WRONG, "a Conv2D with stride 2 downsamples: that belongs in the discriminator.")
    growing = [
        layer
        for layer in layers
        if (_is(layer, "Conv2DTranspose") and max(layer.strides) > 1) or _is(layer, "UpSampling2D")
    ]
    if len(growing) < 2:
        return _result(
            name, WRONG, "grow 7 -> 14 -> 28 with two upsampling layers (Conv2DTranspose(strides=2) or UpSampling2D)."
        )
    z = np.random.default_rng(0).standard_normal((4, 64)).astype("float32") * 100  # a linear output leaves [-1, 1]
    images = np.asarray(model(z, training=False))
    if np.abs(images).max() > 1 + 1e-6:
        return _result(name, WRONG, "end with tanh: generated images must lie in [-1, 1], like the real ones.")
    return _result(name, CORRECT, "the image grows 7 -> 14 -> 28 by learned upsampling and ends in tanh.")


def check_gradient_penalty_update(critic_update: Callable | None) -> CheckResult:
    """Drill "clip-only-wgan-gp": ``critic_update(critic, optimizer, real, fake, gp_weight=10.0)`` applies one
    WGAN-GP step: loss ``mean f(fake) - mean f(real) + gp_weight (||grad f|| - 1)^2``, no clipping; returns the loss.
    Checked on a linear critic, whose gradient is its weight vector everywhere (so the penalty is known exactly)."""
    import keras

    name = "a WGAN-GP critic update"
    keras.utils.set_random_seed(0)
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    w0, b0 = np.array([[0.3], [-0.4]], "float32"), np.zeros(1, "float32")  # ||w|| = 0.5: a one-sided penalty is 0
    critic.set_weights([w0, b0])
    rng = np.random.default_rng(0)
    real, fake = rng.normal(1, 1, (32, 2)).astype("float32"), rng.normal(-1, 1, (32, 2)).astype("float32")
    gap = fake.mean(axis=0) - real.mean(axis=0)
    norm = float(np.linalg.norm(w0))
    loss_right = float(gap @ w0[:, 0]) + 10 * (norm - 1) ** 2
    gradient = gap + 10 * 2 * (norm - 1) * w0[:, 0] / norm
    w_right = w0[:, 0] - 0.1 * gradient
    call = "critic_update(critic, keras.optimizers.SGD(0.1), real, fake, gp_weight=10.0)"
    prompt = "write critic_update(critic, optimizer, real, fake, gp_weight=10.0)."
    loss, early = _attempt(name, critic_update, prompt, call, critic, keras.optimizers.SGD(0.1), real, fake, 10.0)
    if early is not None:
        return early
    w_after = _weights(critic)[0][:, 0]
    if np.abs(w_after).max() <= 0.01 + 1e-7:
        return _result(
            name,
            WRONG,
            "the weights were clipped into [-0.01, 0.01]: that is the original WGAN. WGAN-GP drops clipping and adds "
            "the gradient penalty to the critic's loss.",
        )
    try:
        loss = float(np.asarray(loss))
    except (TypeError, ValueError):
        return _result(name, WRONG, f"return the critic's loss (a number), got {loss!r}.")
    no_penalty = loss_right - 10 * (norm - 1) ** 2
    if abs(loss - no_penalty) < 1e-4:
        return _result(
            name,
            WRONG,
            "the loss has no penalty here, where ||grad f|| = 0.5: WGAN-GP penalises (||grad|| - 1)^2 on both sides "
            "of 1, not only above it.",
        )
    if abs(loss - (no_penalty + 10 * (norm**2 - 1) ** 2)) < 1e-4:
        return _result(name, WRONG, "the penalty uses the squared norm: it is (||grad|| - 1)^2, with the norm itself.")
    if abs(loss - (no_penalty - 10 * (norm - 1) ** 2)) < 1e-4:
        return _result(name, WRONG, "the penalty is subtracted: the critic must pay it, so add it to its loss.")
    if abs(loss - loss_right) > 1e-4:
        return _result(name, WRONG, f"the loss is {loss:.4f}; expected {loss_right:.4f}.")
    if np.allclose(w_after, w0[:, 0], atol=1e-7):
        return _result(name, WRONG, "the loss is right but the update was never applied: apply the gradients.")
    if not np.allclose(w_after, w_right, atol=1e-5):
        return _result(
            name,
            WRONG,
            "the loss is right but the step is not its gradient step: compute the penalty inside the tape, so "
            "that its gradient reaches the critic's weights too.",
        )
    return _result(name, CORRECT, "no clipping; the two-sided penalty is in the loss and in its gradient.")


def check_discriminator_loss(loss_fn: Callable | None) -> CheckResult:
    """Drill "d-loss-sign": ``discriminator_loss(real_logits, fake_logits)`` is the binary cross-entropy with real
    labelled 1 and fake 0: ``mean softplus(-real) + mean softplus(fake)`` (or half of it, one BCE over both)."""
    name = "the discriminator's loss"
    real = np.array([[2.0], [-1.0], [0.5], [3.0]], np.float32)
    fake = np.array([[-3.0], [1.0], [0.0], [-0.5]], np.float32)
    softplus = _mean_softplus
    prompt = "write discriminator_loss(real_logits, fake_logits)."
    value, early = _attempt(name, loss_fn, prompt, "discriminator_loss(real_logits, fake_logits)", real, fake)
    if early is not None:
        return early
    try:
        value = float(np.asarray(value))
    except (TypeError, ValueError):
        return _result(name, WRONG, f"return one number, got {value!r}.")
    right = softplus(-real) + softplus(fake)
    if any(abs(value - v) < 1e-4 for v in (right, right / 2)):
        return _result(name, CORRECT, "-log D(x) - log(1 - D(G(z))): both terms are costs D pays.")
    if abs(value - (softplus(-real) - softplus(fake))) < 1e-4:
        return _result(
            name,
            WRONG,
            "the second term has the wrong sign: D maximises log(1 - D(G(z))), so its loss is -log(1 - D(G(z))); "
            "as written, D is rewarded for calling fakes real.",
        )
    if abs(value - (softplus(real) + softplus(-fake))) < 1e-4:
        return _result(name, WRONG, "the labels are swapped: real images are labelled 1, fakes 0.")
    if abs(value - softplus(-real)) < 1e-4:
        return _result(name, WRONG, "the fake term is missing: D must also push D(G(z)) towards 0.")
    return _result(name, WRONG, f"the loss is {value:.4f}; expected {right:.4f} (or half of it).")
