import functools

import keras
import numpy as np
import pytest
from keras import ops

from gan_lessons import (
    conditional,
    dcgan,
    evaluation,
    exercise,
    interview,
    kde,
    stylegan,
    theory,
    translation,
    vanilla,
    wgan,
)


def _stub(fake_logits):
    raise NotImplementedError


class _NoStrength(keras.layers.Layer):
    """Lesson 06 wrong answer: tracked conv and AdaIN, but noise without a learned strength."""

    def __init__(self, filters):
        super().__init__()
        self.conv, self.adain = keras.layers.Conv2D(filters, 3, padding="same"), stylegan.AdaIN()

    def call(self, inputs):
        x, w = inputs
        return self.adain([self.conv(x), w])


def _one_sided_penalty(critic, real, fake, weights):
    """Lesson 05 wrong answer: only norms above 1 are penalised."""
    import tensorflow as tf

    mixed = weights * real + (1.0 - weights) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed)
    norms = tf.norm(tape.gradient(scores, mixed), axis=1)
    return tf.reduce_mean(tf.square(tf.maximum(norms - 1.0, 0.0)))


def _penalty_at_real_points(critic, real, fake, weights):
    return wgan.solutions.gradient_penalty(critic, real, fake, ops.ones_like(weights))


def _sigmoid_critic_without_batch_norm():
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(8), keras.layers.Dense(1, activation="sigmoid")])


class _IgnoresStyle(stylegan.solutions.FixedStyleBlock):
    """Lesson 06 wrong answer: right weights, but the style is computed from a constant."""

    def call(self, inputs):
        x, w = inputs
        return self.adain([self.noise(self.conv(x)), keras.ops.zeros_like(w)])


CASES = [
    # check, reference, wrong answers
    # lesson 01
    (theory.checks.check_optimal_discriminator, theory.solutions.D_STAR, [[2 / 7, 1 / 2, 5 / 7], [0.5, 0.5], "abc"]),
    (
        theory.checks.check_value_at_optimum,
        theory.solutions.VALUE_AT_OPTIMUM,
        [theory.solutions.VALUE_AT_OPTIMUM / np.log(2), -2 * np.log(2), "x"],
    ),
    (theory.checks.check_gradient_ratio, theory.solutions.GRADIENT_RATIO, [1 / 19, 0.95, "19x"]),
    # lesson 08
    (evaluation.checks.check_fid_1d, evaluation.solutions.FID_1D, [9.0, 11, "ten"]),
    (evaluation.checks.check_precision_toy, evaluation.solutions.PRECISION_TOY, [1.0, 0.0, "half"]),
    (evaluation.checks.check_copy_detector, evaluation.solutions.COPY_METRIC, ["fid", "precision", "accuracy"]),
    # lesson 09's drills: each check also rejects the drill's own flawed snippet (test_drills.py)
    (
        interview.checks.check_keras3_trainers,
        interview.solutions.make_trainers,
        [lambda g, d: (lambda r, f: 0.0, lambda z: 0.0)],
    ),
    (interview.checks.check_weight_clipping, interview.solutions.critic_update, [lambda c, o, r, f, clip: 0.0]),
    (
        interview.checks.check_digit_image,
        interview.solutions.digit_image,
        [lambda g, i: g[i], lambda g, i: g[0, :, :, 0]],
    ),
    (interview.checks.check_loss_report, interview.solutions.report, [lambda h: f"d_loss {h['d_loss'][0]:.4f}"]),
    (
        interview.checks.check_interpolation_weights,
        interview.solutions.interpolation_weights,
        [lambda n, seed=0: np.full((n, 1, 1, 1), 0.5), lambda n, seed=0: np.random.default_rng(seed).uniform(size=n)],
    ),
    (
        interview.checks.check_gan_losses,
        interview.solutions.gan_losses,
        [lambda r, f: (ops.mean(ops.softplus(-r)) + ops.mean(ops.softplus(f)), ops.mean(ops.softplus(f)))],
    ),
    (
        vanilla.checks.check_generator_loss,
        vanilla.solutions.generator_loss,
        [
            lambda logits: ops.mean(-ops.softplus(logits)),  # the minimax loss instead
            lambda logits: -ops.mean(ops.log(ops.sigmoid(logits))),  # unstable: inf for confident D
            lambda logits: ops.sum(ops.softplus(-logits)),
        ],
    ),  # sum instead of mean
    (
        vanilla.checks.check_train_step,
        vanilla.solutions.train_step,
        [
            functools.partial(vanilla.checks._reference_step, g_loss="minimax"),
            functools.partial(vanilla.checks._reference_step, swap_labels=True),
            functools.partial(vanilla.checks._reference_step, apply_g=False),  # an update never applied
            functools.partial(vanilla.checks._reference_step, reduce="sum"),
            functools.partial(vanilla.checks._reference_step, g_from_d_loss=True),
            lambda *args: (vanilla.solutions.train_step(*args)[0], 0.0),  # a returned loss that only looks right
        ],
    ),
    (vanilla.checks.check_first_layer_params, vanilla.solutions.FIRST_LAYER_PARAMS, [100 * 256, 256, 2.5]),
    (vanilla.checks.check_equilibrium_output, vanilla.solutions.D_AT_EQUILIBRIUM, [0.0, 1.0, 0.25, "half"]),
    (dcgan.checks.check_transposed_output_size, dcgan.solutions.UPSAMPLED_SIZE, [16, 4, 7, "14 pixels"]),
    (
        dcgan.checks.check_slerp,
        dcgan.solutions.slerp,
        [
            lambda z0, z1, t: (1 - t) * z0 + t * z1,  # linear, not spherical
            lambda z0, z1, t: z0,
            lambda z0, z1, t: np.concatenate([z0, z1]),  # wrong shape
        ],
    ),
    (dcgan.checks.check_checkerboard_kernels, dcgan.solutions.EVEN_KERNELS, [[3, 5], [4], [2, 3, 4, 5, 6], "four"]),
    (dcgan.checks.check_first_conv_params, dcgan.solutions.FIRST_CONV_PARAMS, [1024, 50_240, 17, "many"]),
    (
        kde.checks.check_kde_density,
        kde.solutions.kde_density,
        [
            lambda x, pts, h: float(np.sum(np.exp(-0.5 * ((x - pts) / h) ** 2)) / (h * np.sqrt(2 * np.pi))),  # sum
            lambda x, pts, h: float(np.mean(np.exp(-0.5 * ((x - pts) / h) ** 2))),  # unnormalised kernels
            lambda x, pts, h: float(np.mean(np.exp(-0.5 * ((x - pts) / h**2) ** 2)) / (h**2 * np.sqrt(2 * np.pi))),
            lambda x, pts, h: np.zeros(3),  # not one number
        ],
    ),
    (
        kde.checks.check_pick_bandwidth,
        kde.solutions.pick_bandwidth,
        [
            lambda train, valid, grid: kde.solutions.pick_bandwidth(train, train, grid),  # scored the training data
            lambda train, valid, grid: grid[-1],
            lambda train, valid, grid: "small",
        ],
    ),
    (kde.checks.check_dimension_effect, kde.solutions.DIMENSION_EFFECT, ["a", "c", "d", "e", 2]),
    (kde.checks.check_halving_factor, kde.solutions.HALVING_FACTOR, [2**30, 32, 2, "lots"]),
    (conditional.checks.check_embedding_params, conditional.solutions.EMBEDDING_PARAMS, [550, 10, 50, 5000, "ten"]),
    (
        conditional.checks.check_one_hot_condition,
        conditional.solutions.one_hot_condition,
        [
            lambda z, y: np.concatenate([z, y[:, None]], axis=1),  # the label as one number
            lambda z, y: np.concatenate([np.eye(10)[y], z], axis=1),  # one-hot first
            lambda z, y: np.concatenate([z, np.eye(10)[(y + 1) % 10]], axis=1),  # wrong columns
            lambda z, y: z,
        ],
    ),
    (
        conditional.checks.check_gan_family,
        conditional.solutions.GAN_FAMILY,
        [
            dict(zip(conditional.checks.GAN_FAMILY_ROLES, ["AC-GAN", "cGAN", "InfoGAN"], strict=True)),
            {"cGAN": "the discriminator is given the label"},
            "cGAN",
        ],
    ),
    (conditional.checks.check_projection_logit, conditional.solutions.PROJECTION_LOGIT, [-1.5, 3.0, 0.0, "big"]),
    (
        stylegan.checks.check_style_block,
        stylegan.solutions.FixedStyleBlock,
        [stylegan.checks.FlawedStyleBlock, _NoStrength, _IgnoresStyle],
    ),
    (stylegan.checks.check_adain_output, stylegan.solutions.ADAIN_FIRST_VALUE, [7.0, 4.0, 8.0, -2.0, -1.0, "three"]),
    (stylegan.checks.check_truncated_w, stylegan.solutions.TRUNCATED_W, [1.5, 3.0, 1.0, "half"]),
    (wgan.checks.check_w1_shift, 3.0, [np.log(2), 4.5, 9.0, 1.0, "far"]),
    (
        wgan.checks.check_gradient_penalty,
        wgan.solutions.gradient_penalty,
        [_one_sided_penalty, _penalty_at_real_points],
    ),
    (wgan.checks.check_critic, wgan.solutions.fixed_critic, [wgan.sigmoid_critic, _sigmoid_critic_without_batch_norm]),
    (translation.checks.check_receptive_field, translation.solutions.RECEPTIVE_FIELD, [91, 20, 34, "big"]),
    (
        translation.checks.check_cycle_loss,
        translation.solutions.cycle_loss,
        [
            lambda a, b, g, f: np.mean(np.abs(f(g(a)) - a)),  # one direction only
            lambda a, b, g, f: np.mean((f(g(a)) - a) ** 2) + np.mean((g(f(b)) - b) ** 2),  # L2
            lambda a, b, g, f: np.mean(f(g(a)) - a) + np.mean(g(f(b)) - b),  # signed: errors cancel
            lambda a, b, g, f: np.sqrt(np.mean((f(g(a)) - a) ** 2)) + np.sqrt(np.mean((g(f(b)) - b) ** 2)),  # RMSE
            lambda a, b, g, f: abs(np.mean(f(g(a)) - a)) + abs(np.mean(g(f(b)) - b)),  # |.| after the mean
            lambda a, b, g, f: (np.mean(np.abs(f(g(a)) - a)) + np.mean(np.abs(g(f(b)) - b))) / 2,  # averaged cycles
        ],
    ),
]


@pytest.mark.parametrize("check, reference, wrong", CASES, ids=lambda x: getattr(x, "__name__", ""))
def test_check_accepts_reference_and_rejects_wrong_answers(check, reference, wrong):
    assert check(reference).status == exercise.CORRECT
    for answer in wrong:
        result = check(answer)
        assert result.status == exercise.WRONG, answer
        assert result.message


def test_every_check_of_every_lesson_is_tested_here():
    lessons = (theory, vanilla, dcgan, conditional, wgan, stylegan, kde, evaluation, interview, translation)
    checks = {name for lesson in lessons for name in dir(lesson.checks) if name.startswith("check_")}
    assert checks == {check.__name__ for check, _, _ in CASES}


@pytest.mark.parametrize("check", [c for c, _, _ in CASES])
def test_check_says_not_attempted(check):
    assert check(...).status == "not attempted yet"
    assert check(None).status == "not attempted yet"


def test_unfinished_function_is_not_attempted():
    assert vanilla.checks.check_generator_loss(_stub).status == "not attempted yet"


def test_minimax_mistake_gets_a_hint():
    result = vanilla.checks.check_generator_loss(lambda logits: ops.mean(-ops.softplus(logits)))
    assert "minimax" in result.message


def test_result_prints_readably():
    text = str(vanilla.checks.check_first_layer_params(vanilla.solutions.FIRST_LAYER_PARAMS))
    assert "correct" in text and "bias" in text
    assert np.isclose(float(vanilla.solutions.generator_loss(np.zeros((3, 1), "float32"))), np.log(2))


def _mirrored_penalty(critic, real, fake, weights):
    """Lesson 05 valid variant: x̂ = (1 - w)·real + w·fake, as the WGAN-GP authors' code writes it."""
    return wgan.solutions.gradient_penalty(critic, real, fake, 1.0 - weights)


def _penalty_with_tf_norm(critic, real, fake, weights):
    """Lesson 05 valid variant: the plain norm, no epsilon under the square root."""
    import tensorflow as tf

    mixed = weights * real + (1.0 - weights) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed)
    return tf.reduce_mean(tf.square(tf.norm(tape.gradient(scores, mixed), axis=1) - 1.0))


@pytest.mark.parametrize("variant", [_mirrored_penalty, _penalty_with_tf_norm])
def test_gradient_penalty_check_accepts_either_convention(variant):
    result = wgan.checks.check_gradient_penalty(variant)
    assert result.status == exercise.CORRECT, result.message


def test_gradient_penalty_check_rejects_the_mirrored_convention_done_wrong():
    def mirrored_one_sided(critic, real, fake, weights):
        return _one_sided_penalty(critic, real, fake, 1.0 - weights)

    def mirrored_summed(critic, real, fake, weights):
        return 2.0 * _mirrored_penalty(critic, real, fake, weights)

    for wrong in (mirrored_one_sided, mirrored_summed):
        assert wgan.checks.check_gradient_penalty(wrong).status == exercise.WRONG


def _step_with_keras_bce(generator, discriminator, g_optimizer, d_optimizer, real, z):
    """Lesson 02 valid variant: Keras' BinaryCrossentropy(from_logits=True) and apply_gradients(zip(...))."""
    import tensorflow as tf

    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    with tf.GradientTape() as tape:
        real_logits, fake_logits = discriminator(real), discriminator(generator(z))
        d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
    grads = tape.gradient(d_loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables, strict=True))
    with tf.GradientTape() as tape:
        fake_logits = discriminator(generator(z))
        g_loss = bce(tf.ones_like(fake_logits), fake_logits)
    grads = tape.gradient(g_loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables, strict=True))
    return d_loss, g_loss


@pytest.mark.parametrize(
    "variant",
    [
        _step_with_keras_bce,
        # both losses from one forward pass, as the TensorFlow DCGAN tutorial updates the players
        functools.partial(vanilla.checks._reference_step, simultaneous=True),
    ],
)
def test_train_step_check_accepts_the_standard_variants(variant):
    result = vanilla.checks.check_train_step(variant)
    assert result.status == exercise.CORRECT, result.message


@pytest.mark.parametrize(
    "variant",
    [
        lambda a, b, g, f: ops.mean(ops.abs(a - f(g(a)))) + ops.mean(ops.abs(b - g(f(b)))),  # keras ops, a - f(g(a))
        lambda a, b, g, f: float(np.abs(f(g(a)) - a).mean() + np.abs(g(f(b)) - b).mean()),  # a plain float
    ],
)
def test_cycle_loss_check_accepts_equivalent_forms(variant):
    assert translation.checks.check_cycle_loss(variant).status == exercise.CORRECT
