"""Checks of lesson 09's drills made from errors that circulate in GAN answers and tutorials (the "seed errors"):
pooling in a DCGAN discriminator, precision read as "the share of unique images", strided and fractionally-strided
convolutions swapped, a "WGAN-GP" that only clips weights, and a discriminator loss with a flipped sign.

Each check runs the fix on inputs designed so that the plausible wrong answers give different numbers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..tools.exercise import CORRECT, WRONG, CheckResult, _attempt, _mean_softplus, _not_attempted, _result, _weights
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


def _precision_cases() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{case: (real, fake)}`` on which the plausible wrong precisions differ from the right one."""
    grid = np.stack([np.arange(40.0), np.zeros(40)], axis=1)  # reals 1 apart: each one's 3rd neighbour is 2 away
    # A tight cluster (3rd-neighbour radii 0.2 and 0.3) beside sparse reals (radii 4 to 6): the fake at x = 1 lies
    # outside its nearest real's ball (0.7 from x = 0.3) but inside the ball of the real at x = 5 (4 away, radius 4.7).
    mixed = np.stack([np.array([0.0, 0.1, 0.2, 0.3, 5.0, 7.0, 9.0, 11.0]), np.zeros(8)], axis=1)
    return {
        "30 copies of one real point": (grid, np.repeat(grid[:1], 30, axis=0)),
        "30 points 1.5 above the reals": (grid, grid[5:35] + [0.0, 1.5]),
        "30 points far from every real": (grid, grid[:30] + [0.0, 50.0]),
        "15 near, 15 far": (grid, np.concatenate([grid[5:20] + [0.0, 0.5], grid[:15] + [0.0, 50.0]])),
        "reals of unequal spacing": (mixed, np.array([[0.05, 0.0], [1.0, 0.0], [8.0, 0.0], [30.0, 0.0]])),
    }


def check_precision_metric(precision: Callable | None) -> CheckResult:
    """Drill "precision-unique": ``precision(real, fake, k=3)`` is the share of fakes inside the real manifold
    (Kynkäänniemi et al., 2019), not the share of unique fakes."""
    name = "precision of a generator"
    cases = _precision_cases()
    got = {}
    for case, (real, fake) in cases.items():
        call = "precision(real, fake, k=3)"
        value, early = _attempt(name, precision, f"write {call}.", call, real, fake, 3)
        if early is not None:
            return early
        try:
            got[case] = float(np.asarray(value))
        except (TypeError, ValueError):
            return _result(name, WRONG, f"return one number, got {value!r}.")
    expected = {case: precision_recall(real, fake, k=3)["precision"] for case, (real, fake) in cases.items()}
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
    if wrong == ["reals of unequal spacing"] and abs(got[wrong[0]] - 0.5) < 1e-9:
        return _result(
            name,
            WRONG,
            "a fake counts when it lies inside *any* real point's k-NN ball, not only its nearest real's: where the "
            "reals are unevenly spaced, a fake outside its nearest real's small ball can lie in a farther one's.",
        )
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
    if images.min() > -0.5:  # tanh of large inputs reaches both ends; a sigmoid stays in [0, 1]
        return _result(
            name,
            WRONG,
            f"the outputs never go below {images.min():.2f}, as a sigmoid's [0, 1]; the real images lie in [-1, 1]: "
            "end with tanh.",
        )
    return _result(name, CORRECT, "the image grows 7 -> 14 -> 28 by learned upsampling and ends in tanh.")


def _kinked_critic(a: float):
    """f(x) = a·ψ(x₁), ψ' = 1 on [-1, 1], 3 beyond 1 and 5 below -1: a gradient of norm ``a`` between reals at
    x₁ = 1⁺ and fakes at x₁ = -1⁻, and larger at (and beyond) the points themselves."""
    import keras
    from keras import ops

    class Kinked(keras.layers.Layer):
        def build(self, input_shape):
            self.a = self.add_weight(shape=(), initializer=keras.initializers.Constant(a), name="a")

        def call(self, x):
            t = x[:, :1]
            return self.a * (t + 2 * ops.relu(t - 1) - 4 * ops.relu(-1 - t))

    return keras.Sequential([keras.Input((2,)), Kinked(dtype="float32")])


def _run_update(name: str, critic_update: Callable, critic, real, fake):
    """``(loss, None)`` from one update with SGD(0.1) and gp_weight 10, else ``(None, the result to return)``."""
    import re

    import keras

    call = "critic_update(critic, keras.optimizers.SGD(0.1), real, fake, gp_weight=10.0)"
    prompt = "write critic_update(critic, optimizer, real, fake, gp_weight=10.0)."
    raised = []

    def update(*args):
        try:
            return critic_update(*args)
        except NotImplementedError:
            raise
        except Exception as exc:
            raised.append(exc)
            raise

    run = critic_update if _not_attempted(critic_update) else update
    loss, early = _attempt(name, run, prompt, call, critic, keras.optimizers.SGD(0.1), real, fake, 10.0)
    if raised:  # TensorFlow's errors say what went wrong in their text, not in their repr
        text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", str(raised[0])).strip()
        message = f"{call} raised {type(raised[0]).__name__}: {text}"
        if any(word in text for word in ("dimension", "axis", "rank")):
            message += ". The points are of shape (batch, 2): take the gradient's norm over axis 1."
        return None, _result(name, WRONG, message)
    return loss, early


def check_gradient_penalty_update(critic_update: Callable | None) -> CheckResult:
    """Drill "clip-only-wgan-gp": ``critic_update(critic, optimizer, real, fake, gp_weight=10.0)`` applies one
    WGAN-GP step: loss ``mean f(fake) - mean f(real) + gp_weight (||grad f(x̂)|| - 1)^2``, no clipping; returns the
    loss (or, for logging, its Wasserstein term).  Checked by the step it takes: on a linear critic, whose gradient is
    its weight vector everywhere (so the penalty is known exactly), then on a kinked one, where it shows where the
    penalty is taken."""
    import keras

    name = "a WGAN-GP critic update"
    keras.utils.set_random_seed(0)
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, dtype="float32")])  # whatever the policy
    w0, b0 = np.array([[0.3], [-0.4]], "float32"), np.zeros(1, "float32")  # ||w|| = 0.5: a one-sided penalty is 0
    critic.set_weights([w0, b0])
    rng = np.random.default_rng(0)
    real, fake = rng.normal(1, 1, (32, 2)).astype("float32"), rng.normal(-1, 1, (32, 2)).astype("float32")
    loss, early = _run_update(name, critic_update, critic, real, fake)
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
    w, gap = w0[:, 0].astype(np.float64), (fake.mean(axis=0) - real.mean(axis=0)).astype(np.float64)
    norm = float(np.linalg.norm(w))
    pull = 2 * (norm - 1) * w / norm  # the gradient of (||w|| - 1)^2
    steps = {  # the weights after one step of SGD(0.1), right and by known slips
        "right": w - 0.1 * (gap + 10 * pull),
        "not applied": w,
        "no penalty below 1": w - 0.1 * gap,
        "squared norm": w - 0.1 * (gap + 10 * 4 * (norm**2 - 1) * w),
        "subtracted": w - 0.1 * (gap - 10 * pull),
        "unweighted": w - 0.1 * (gap + pull),
        "summed": w - 0.1 * (gap + 32 * 10 * pull),
    }
    took = next((step for step, value in steps.items() if np.allclose(w_after, value, atol=1e-5)), None)
    try:
        loss = float(np.asarray(loss))
    except (TypeError, ValueError):
        return _result(name, WRONG, f"return the critic's loss (a number), got {loss!r}.")
    wasserstein = float(gap @ w)
    loss_right = wasserstein + 10 * (norm - 1) ** 2
    slips = {
        "squared norm": "the penalty uses the squared norm: it is (||grad|| - 1)^2, with the norm itself.",
        "subtracted": "the penalty is subtracted: the critic must pay it, so add it to its loss.",
        "unweighted": "the penalty is not weighted: multiply it by gp_weight (10).",
        "summed": "the penalty is summed over the batch: take its mean.",
    }
    if took in slips:
        return _result(name, WRONG, slips[took])
    if took == "not applied":
        return _result(
            name, WRONG, "the critic's weights did not move: the update was never applied; apply the gradients."
        )
    if took is None:
        return _result(
            name,
            WRONG,
            f"after one step of SGD(0.1) the weights are {np.round(w_after, 4)}, expected "
            f"{np.round(steps['right'], 4)}: "
            "minimise mean f(fake) - mean f(real) + gp_weight * mean (||grad f(x̂)|| - 1)^2, all inside the tape.",
        )
    # The kinked critic: ||grad f|| = 2 on the segments between its reals and fakes, 6 at the reals, 10 at the fakes.
    real_k, fake_k = (
        np.stack([np.full(64, x1), rng.standard_normal(64)], axis=1).astype("float32") for x1 in (1.00001, -1.00001)
    )
    kinked = _kinked_critic(2.0)
    _, early = _run_update(name, critic_update, kinked, real_k, fake_k)
    if early is not None:
        return early
    psi = (float(real_k[0, 0]) * 3 - 2, float(fake_k[0, 0]) * 5 + 4)  # ψ at the reals and at the fakes
    # The penalty's gradient with respect to a, per sample: 2 (a ψ' - 1) ψ'.
    penalty = ((2.0 - float(_weights(kinked)[0])) / 0.1 - (psi[1] - psi[0])) / 10
    if took == "no penalty below 1":
        if abs(penalty - 2) < 0.05:
            return _result(
                name,
                WRONG,
                "there is no penalty where ||grad f|| = 0.5, only where it is above 1: WGAN-GP penalises "
                "(||grad|| - 1)^2 on both sides of 1.",
            )
        if abs(loss - loss_right) < 1e-4:
            return _result(
                name,
                WRONG,
                "the loss is right but the step ignores the penalty: compute the penalty inside the tape, so that its "
                "gradient reaches the critic's weights too.",
            )
        return _result(name, WRONG, "the step has no gradient penalty: add gp_weight * mean (||grad f(x̂)|| - 1)^2.")
    where = {30.0: "at the real points", 90.0: "at the fake points", 60.0: "at the real and the fake points"}
    for value, at in where.items():
        if abs(penalty - value) < 0.5:
            return _result(
                name,
                WRONG,
                f"the penalty is taken {at}: it belongs at random points x̂ on the segments "
                "between them, x̂ = ε·real + (1 - ε)·fake with ε ~ U[0, 1] per sample.",
            )
    if abs(penalty - 2) > 0.05:
        return _result(
            name,
            WRONG,
            "on a critic whose gradient norm is 2 between the real and the fake points and larger beyond them, your "
            "step penalises points off the segments: draw one ε ~ U[0, 1] per sample (N(0, 1) puts most x̂ "
            "outside) and take x̂ = ε·real + (1 - ε)·fake.",
        )
    if abs(loss - loss_right) < 1e-4:
        return _result(name, CORRECT, "no clipping; the two-sided penalty is in the loss and in its gradient.")
    if abs(loss - wasserstein) < 1e-4:
        return _result(
            name,
            CORRECT,
            "no clipping, and the two-sided penalty is in the step. You return the Wasserstein term alone: fine for "
            "logging, but the critic's loss also has gp_weight × penalty.",
        )
    return _result(name, WRONG, f"the step is right, but the returned loss is {loss:.4f}; expected {loss_right:.4f}.")


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
        return _result(name, WRONG, "the labels are swapped: label real images 1 and fakes 0.")
    if abs(value - softplus(-real)) < 1e-4:
        return _result(name, WRONG, "the fake term is missing: D must also push D(G(z)) towards 0.")
    return _result(name, WRONG, f"the loss is {value:.4f}; expected {right:.4f} (or half of it).")
