"""Checks of lesson 02's exercises."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from ..tools.exercise import CORRECT, NOT_ATTEMPTED, WRONG, CheckResult, _not_attempted, _numeric_answer, _result


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
    if isinstance(n, float | np.floating) and float(n).is_integer():
        n = int(n)
    if not isinstance(n, int | np.integer) or isinstance(n, bool):
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


# -- section 4: a training step written by hand --------------------------------------------------
def _players(seed: int = 0):
    """A tiny generator (2 -> 3, with batch normalisation like the course's generators) and discriminator
    (3 -> 1 logit) with fixed weights, and SGD for each.  The batch norm makes a generator called without
    ``training=True`` (Keras 3 then runs it in inference mode) give other fakes, so the check sees it."""
    import keras

    generator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(3), keras.layers.BatchNormalization(), keras.layers.Activation("tanh")],
        name="tiny_g",
    )
    discriminator = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)], name="tiny_d"
    )
    rng = np.random.default_rng(seed)
    for model in (generator, discriminator):
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dense):
                layer.set_weights([rng.normal(0.0, 0.8, w.shape).astype("float32") for w in layer.get_weights()])
    return generator, discriminator, keras.optimizers.SGD(0.5), keras.optimizers.SGD(0.5)


def _trainable(model) -> list[np.ndarray]:
    """The weights a step trains (batch norm's moving statistics left out: how often a step runs the generator in
    training mode changes them, not the step)."""
    return [np.array(w) for w in model.trainable_weights]


def _step_data(seed: int = 1):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (6, 3)).astype("float32"), rng.standard_normal((6, 2)).astype("float32")


def _reference_step(
    generator,
    discriminator,
    g_optimizer,
    d_optimizer,
    real,
    z,
    simultaneous: bool = False,
    g_loss: str = "non_saturating",
    swap_labels: bool = False,
    apply_d: bool = True,
    apply_g: bool = True,
    reduce: str = "mean",
    g_from_d_loss: bool = False,
    d_scale: float = 1.0,
    g_inference: tuple[str, ...] = (),
):
    """One GAN step, right (``simultaneous`` False: G against the updated D, as the course's trainer; True: both
    losses from one forward pass, as the TensorFlow DCGAN tutorial) or with one known mistake: ``d_scale`` 0.5
    averages D's two terms instead of adding them; ``g_inference`` names the steps ("d", "g") whose generator call
    omits ``training=True``."""
    import tensorflow as tf
    from keras import ops

    average = ops.sum if reduce == "sum" else ops.mean

    def d_objective(real_logits, fake_logits):
        if swap_labels:
            real_logits, fake_logits = fake_logits, real_logits
        return d_scale * (average(ops.softplus(-real_logits)) + average(ops.softplus(fake_logits)))

    def g_objective(fake_logits):
        return -average(ops.softplus(fake_logits)) if g_loss == "minimax" else average(ops.softplus(-fake_logits))

    with tf.GradientTape(persistent=True) as g_tape, tf.GradientTape() as d_tape:
        fake = generator(z) if "d" in g_inference else generator(z, training=True)
        d_loss = d_objective(discriminator(real, training=True), discriminator(fake, training=True))
        g_old = g_objective(discriminator(fake, training=True))
    d_vars, g_vars = discriminator.trainable_variables, generator.trainable_variables
    d_grads = d_tape.gradient(d_loss, d_vars)
    if g_from_d_loss:
        simultaneous, g_old = True, d_loss
    if simultaneous:
        g_grads, g_value = g_tape.gradient(g_old, g_vars), g_old
    if apply_d:
        d_optimizer.apply(d_grads, d_vars)
    if not simultaneous:
        with tf.GradientTape() as tape:
            again = generator(z) if "g" in g_inference else generator(z, training=True)
            g_value = g_objective(discriminator(again, training=True))
        g_grads = tape.gradient(g_value, g_vars)
    if apply_g:
        g_optimizer.apply(g_grads, g_vars)
    return float(d_loss), float(g_value)


def _dtype_setting() -> tuple[str, str]:
    """What the reference step's numbers depend on besides its fixed weights and data: Keras's float type and policy."""
    import keras

    return keras.config.floatx(), keras.mixed_precision.global_policy().name


@functools.lru_cache(maxsize=64)
def _reference_outcome(dtype_setting: tuple[str, str], kind: tuple) -> tuple[list[list[np.ndarray]], tuple]:
    """The weights of both players after :func:`_reference_step` of ``kind`` (its keyword arguments, as sorted pairs)
    on fresh :func:`_players` and :func:`_step_data`, and its losses.  They are fixed, so they are computed once per
    ``kind`` and float setting (``dtype_setting``, part of the key) and kept: a wrong answer is compared with up to 22
    of them, each of which builds both players again (a wrong answer that matches none of them took 1.0 s a check on
    a 2-core CPU, 0.05 s once they are kept).  The arrays are read-only."""
    real, z = _step_data()
    reference = _players()
    losses = _reference_step(*reference, real, z, **dict(kind))
    weights = [_trainable(m) for m in reference[:2]]
    for array in (a for player in weights for a in player):
        array.flags.writeable = False
    return weights, losses


_STEP_MISTAKES = (
    (dict(g_loss="minimax"), "the generator used the minimax loss log(1 - D(G(z))); the step asks for -log D(G(z))."),
    (dict(swap_labels=True), "the discriminator's labels are swapped: label real images 1 and fakes 0."),
    (dict(reduce="sum"), "you summed the losses over the batch: take the mean (the step size must not grow with it)."),
    (
        dict(g_from_d_loss=True),
        "the generator descended the discriminator's loss, which helps D: G minimises its own loss, -log D(G(z)).",
    ),
    (
        dict(d_scale=0.5),
        "you halved D's loss (averaged its real and fake terms): the step asks for their sum, "
        "softplus(-D(x)) + softplus(D(G(z))), each term a mean over the batch.",
    ),
    *(
        (
            dict(g_inference=steps),
            "the generator ran in inference mode: pass training=True to every call of both players. Without it "
            "Keras 3 runs batch normalisation on its moving statistics instead of the batch's.",
        )
        for steps in (("d", "g"), ("g",), ("d",))
    ),
    (dict(apply_d=False), "the discriminator never changed: its gradients were computed but never applied."),
    (dict(apply_g=False), "the generator never changed: its gradients were computed but never applied."),
)


def check_train_step(fn: Callable | None, called: str = "my_train_step") -> CheckResult:
    """Lesson 02, section 4: ``my_train_step(generator, discriminator, g_optimizer, d_optimizer, real, z)`` does one
    GAN step -- a discriminator update on the binary cross-entropy (real 1, fake 0), then a generator update on the
    non-saturating loss -- and returns ``(d_loss, g_loss)``.  Run on tiny networks with fixed weights and compared,
    weight by weight, with a reference step; G's loss may be taken against the updated D (the course's trainer) or
    from the same forward pass as D's (the TensorFlow tutorial): both are standard."""
    name = "a training step"
    if _not_attempted(fn):
        return _result(
            name, NOT_ATTEMPTED, f"write {called}(generator, discriminator, g_optimizer, d_optimizer, real, z)."
        )
    real, z = _step_data()
    players = _players()
    before = [_trainable(m) for m in players[:2]]
    try:
        returned = fn(*players, real, z)
    except NotImplementedError:
        return _result(name, NOT_ATTEMPTED, "the function still raises NotImplementedError.")
    except Exception as exc:
        return _result(name, WRONG, f"{called}(...) raised {exc!r}.")
    try:
        d_loss, g_loss = (float(np.asarray(v)) for v in returned)
    except (TypeError, ValueError):
        what = type(returned).__name__
        return _result(name, WRONG, f"return the two losses as a pair, (d_loss, g_loss); got one {what}.")
    after = [_trainable(m) for m in players[:2]]

    def same(weights, model_weights) -> bool:
        pairs = (pair for w, m in zip(weights, model_weights, strict=True) for pair in zip(w, m, strict=True))
        return all(np.allclose(a, b, rtol=0, atol=1e-5) for a, b in pairs)

    def outcome(**kind):
        return _reference_outcome(_dtype_setting(), tuple(sorted(kind.items())))

    if same(after, before):
        return _result(name, WRONG, "no weight changed: apply each optimizer to its player's gradients.")
    for simultaneous, how in ((False, "against the updated discriminator"), (True, "in one forward pass with D's")):
        weights, (d_ref, g_ref) = outcome(simultaneous=simultaneous)
        if same(after, weights):
            if not np.isclose(d_loss, d_ref, atol=1e-4):
                return _result(
                    name, WRONG, f"the updates are right but the returned d_loss is {d_loss:.4f}, not {d_ref:.4f}."
                )
            if not np.isclose(g_loss, g_ref, atol=1e-4):
                return _result(
                    name, WRONG, f"the updates are right but the returned g_loss is {g_loss:.4f}, not {g_ref:.4f}."
                )
            return _result(name, CORRECT, f"both players moved as one GAN step moves them (G's loss {how}).")
    for simultaneous in (False, True):
        for kind, why in _STEP_MISTAKES:
            if same(after, outcome(simultaneous=simultaneous, **kind)[0]):
                return _result(name, WRONG, why)
    if same(after[1:], [before[1]]):
        return _result(name, WRONG, "the discriminator never changed: apply d_optimizer to its gradients.")
    if same(after[:1], [before[0]]):
        return _result(name, WRONG, "the generator never changed: apply g_optimizer to its gradients.")
    return _result(
        name,
        WRONG,
        "the weights after your step are not those of one GAN step: D descends softplus(-D(x)) + softplus(D(G(z))), "
        "then G descends softplus(-D(G(z))), each with its own optimizer on its own variables.",
    )
