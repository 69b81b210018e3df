import functools
import warnings

import keras
import numpy as np
import pytest
from keras import ops
from seed_drill_answers import TABLE as SEED_DRILLS

from gan_lessons import (
    conditional,
    dcgan,
    evaluation,
    exercise,
    interview,
    kde,
    mode_collapse,
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


def _penalty_at_fake_points(critic, real, fake, weights):
    return wgan.solutions.gradient_penalty(critic, real, fake, ops.zeros_like(weights))


def _squared_norm_penalty(critic, real, fake, weights):
    """Lesson 05 wrong answer: (||g||² - 1)², the squared norm instead of the norm."""
    import tensorflow as tf

    mixed = weights * real + (1.0 - weights) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed)
    return tf.reduce_mean(tf.square(tf.reduce_sum(tf.square(tape.gradient(scores, mixed)), axis=1) - 1.0))


def _trainers_swapped_labels(generator, discriminator):
    """Lesson 09 wrong answer: D trained with real labelled 0 and fake 1."""
    return _swapped_d(generator, discriminator), interview.solutions.make_trainers(generator, discriminator)[1]


def _swapped_d(generator, discriminator):
    import tensorflow as tf

    opt = keras.optimizers.Adam(2e-4, beta_1=0.5)

    def train_d(real, fake):
        with tf.GradientTape() as tape:
            loss = ops.mean(ops.softplus(discriminator(real))) + ops.mean(ops.softplus(-discriminator(fake)))
        opt.apply(tape.gradient(loss, discriminator.trainable_variables), discriminator.trainable_variables)
        return loss

    return train_d


def _trainers_g_step_moves_d(generator, discriminator):
    """Lesson 09 wrong answer: the generator's step updates every variable, D's included."""
    import tensorflow as tf

    train_d, _ = interview.solutions.make_trainers(generator, discriminator)
    opt = keras.optimizers.Adam(2e-4, beta_1=0.5)

    def train_g(noise):
        variables = generator.trainable_variables + discriminator.trainable_variables
        with tf.GradientTape() as tape:
            loss = ops.mean(ops.softplus(-discriminator(generator(noise))))
        opt.apply(tape.gradient(loss, variables), variables)
        return loss

    return train_d, train_g


def _clip_before_update(critic, optimizer, real, fake, clip=0.01):
    import tensorflow as tf

    for weight in critic.trainable_variables:
        weight.assign(ops.clip(weight, -clip, clip))
    with tf.GradientTape() as tape:
        loss = ops.mean(critic(fake)) - ops.mean(critic(real))
    optimizer.apply(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)
    return loss


def _clip_without_update(critic, optimizer, real, fake, clip=0.01):
    for weight in critic.trainable_variables:
        weight.assign(ops.clip(weight, -clip, clip))
    return 0.0


def _nearest(points, means):
    """Each point's distance to its nearest mean, and that mean's index (lesson 11's wrong answers)."""
    distances = np.linalg.norm(np.asarray(points)[:, None, :] - np.asarray(means)[None, :, :], axis=2)
    return distances.min(axis=1), distances.argmin(axis=1)


def _modes_of_any_sample(points, means, std):
    """Lesson 11 wrong answer: every nearest sample captures its mode, high quality or not."""
    distance, nearest = _nearest(points, means)
    return len(set(nearest.tolist())), float(np.mean(distance <= 3 * std))


def _modes_in_a_box(points, means, std):
    """Lesson 11 wrong answer: within 3 std along each axis (a square), not in distance (a disc)."""
    _, nearest = _nearest(points, means)
    inside = np.all(np.abs(np.asarray(points) - np.asarray(means)[nearest]) <= 3 * std, axis=1)
    return len(set(nearest[inside].tolist())), float(inside.mean())


def _modes_strictly_inside(points, means, std):
    """Lesson 11 valid variant: strictly within 3 std (no sample lies on the circle), numpy numbers."""
    distance, nearest = _nearest(points, means)
    inside = distance < 3 * std
    return np.int64(np.unique(nearest[inside]).size), np.float32(inside.mean())


def _modes_with_squared_distance(points, means, std):
    """Lesson 11 wrong answer: the squared distance compared with 3 std."""
    distance, nearest = _nearest(points, means)
    inside = distance**2 <= 3 * std
    return len(set(nearest[inside].tolist())), float(inside.mean())


def _penalty_with_tf_norm(critic, real, fake, weights, axis=1):
    """Lesson 05: the plain ``tf.norm`` (no epsilon under the square root); with ``axis=1``, per sample, a valid
    variant; with ``axis=0`` (:func:`_penalty_with_norms_per_feature`), one norm per feature across the batch, wrong."""
    import tensorflow as tf

    mixed = weights * real + (1.0 - weights) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed)
    return tf.reduce_mean(tf.square(tf.norm(tape.gradient(scores, mixed), axis=axis) - 1.0))


def _penalty_with_norms_per_feature(critic, real, fake, weights):
    """Lesson 05 wrong answer: tf.norm(g, axis=0), one norm per feature across the batch."""
    return _penalty_with_tf_norm(critic, real, fake, weights, axis=0)


# Lesson 05's critic: output activations that keep the score bounded or on one side (the check must reject each).
_ONE_SIGNED_OR_BOUNDED = [
    keras.activations.sigmoid,
    ops.sigmoid,
    "hard_sigmoid",
    "softsign",
    "relu",
    "softplus",
    "exponential",
]


def _critic_ending_in(activation, *after):
    def build():
        return keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(16),
                keras.layers.LayerNormalization(),
                keras.layers.LeakyReLU(0.2),
                keras.layers.Dense(1, activation=activation),
                *after,
            ]
        )

    build.__name__ = f"critic_ending_in_{getattr(activation, '__name__', activation)}"
    return build


def _critic_with_activation_layers():
    """Lesson 05 valid variant: Activation layers inside, a linear Dense(1) out."""
    return keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(32),
            keras.layers.LayerNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.Dense(1),
        ]
    )


def _critic_ending_in_linear_activation():
    """Lesson 05 valid variant: a final Activation("linear") changes nothing."""
    return keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(32),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(1),
            keras.layers.Activation("linear"),
        ]
    )


def _critic_with_sigmoid_hidden_units():
    """Lesson 05 valid variant (functional): sigmoid hidden units are fine; only the output must be linear."""
    points = keras.Input((2,))
    hidden = keras.layers.Dense(32, activation="sigmoid")(points)
    return keras.Model(points, keras.layers.Dense(1)(hidden))


class _StyleBlock(keras.layers.Layer):
    """Lesson 06: conv -> noise -> AdaIN, with parts a variant swaps."""

    def __init__(self, filters, use_bias=True, noise=None, adain=None, **kwargs):
        super().__init__(name=kwargs.pop("name", "style_block"), **kwargs)  # no leading "_": a valid scope name
        self.conv = keras.layers.Conv2D(filters, 3, padding="same", use_bias=use_bias)
        self.noise = stylegan.NoiseInjection() if noise is None else noise
        self.adain = stylegan.AdaIN() if adain is None else adain

    def call(self, inputs):
        x, w = inputs
        return self.adain([self.noise(self.conv(x)), w])


class _StyleBlockWithoutConvBias(_StyleBlock):
    """Lesson 06 valid variant: Conv2D(use_bias=False), 568 parameters; AdaIN removes a per-channel bias anyway."""

    def __init__(self, filters):
        super().__init__(filters, use_bias=False)


class _StyleBlockWithStartingNoise(_StyleBlock):
    """Lesson 06 valid variant: the noise strengths start at 0.1, not 0 (the task does not ask for 0)."""

    def __init__(self, filters):
        super().__init__(filters, noise=stylegan.NoiseInjection(initial_strength=0.1))


class _Style(keras.layers.Layer):
    """A style from w, ``x * scale + bias``, applied to ``normalise(x)``: AdaIN when that is instance norm."""

    def __init__(self, normalise=lambda x: x, **kwargs):
        super().__init__(**kwargs)
        self.normalise = normalise

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        self.channels = x_shape[-1]
        self.dense = keras.layers.Dense(2 * self.channels)
        self.dense.build(w_shape)

    def call(self, inputs):
        x, w = inputs
        style = self.dense(w)
        scale, bias = style[:, None, None, : self.channels], style[:, None, None, self.channels :]
        return self.normalise(x) * scale + bias


def _over(axes):
    def normalise(x):
        mean = ops.mean(x, axis=axes, keepdims=True)
        return (x - mean) / (ops.std(x, axis=axes, keepdims=True) + 1e-8)

    return normalise


class _StyleBlockWithoutNorm(_StyleBlock):
    """Lesson 06 wrong answer: x * scale + bias on the raw conv output, no instance norm (576 parameters)."""

    def __init__(self, filters):
        super().__init__(filters, adain=_Style(name="style"))


class _StyleBlockNormalisingChannels(_StyleBlock):
    """Lesson 06 wrong answer: each pixel normalised over the channels, not each map over its pixels."""

    def __init__(self, filters):
        super().__init__(filters, adain=_Style(_over(-1), name="style"))


class _StyleBlockWithNoiseAfterAdaIN(_StyleBlock):
    def call(self, inputs):
        x, w = inputs
        return self.noise(self.adain([self.conv(x), w]))


class _StyleBlockWithUnscaledNoise(_StyleBlock):
    """Lesson 06 wrong answer: the flawed block's unit noise, in a block with tracked layers."""

    def call(self, inputs):
        x, w = inputs
        features = self.conv(x)
        return self.adain([features + keras.random.normal(ops.shape(features)), w])


class _OneStrength(keras.layers.Layer):
    """StyleGAN2's noise: one learned strength for the whole layer."""

    def build(self, input_shape):
        self.strength = self.add_weight(shape=(), initializer="zeros", name="strength")

    def call(self, x):
        shape = ops.shape(x)
        return x + keras.random.normal((shape[0], shape[1], shape[2], 1), dtype=x.dtype) * ops.cast(
            self.strength, x.dtype
        )


class _StyleBlockWithOneStrength(_StyleBlock):
    def __init__(self, filters):
        super().__init__(filters, noise=_OneStrength(name="noise"))


CASES = [
    # check, reference, wrong answers
    # lesson 01
    (
        theory.checks.check_optimal_discriminator,
        theory.solutions.D_STAR,
        [
            [2 / 7, 1 / 2, 5 / 7],  # p_g / (p_data + p_g)
            [0.286, 0.5, 0.714],  # the same, rounded
            [2.5, 1.0, 0.4],  # the ratio p_data / p_g
            [0.5, 0.3, 0.2],  # p_data itself
            [0.5, 0.5],
            "abc",
        ],
    ),
    (
        theory.checks.check_value_at_optimum,
        theory.solutions.VALUE_AT_OPTIMUM,
        [
            theory.solutions.VALUE_AT_OPTIMUM / np.log(2),  # in bits
            -2 * np.log(2),  # the perfect generator's value
            -theory.solutions.VALUE_AT_OPTIMUM,  # the sign flipped
            -4 * np.log(2) - theory.solutions.VALUE_AT_OPTIMUM,  # -2 log 2 - 2 JSD
            theory.solutions.VALUE_AT_OPTIMUM / 2,  # one of the two sums
            -1.8032,  # D* and 1 - D* swapped
            -1.25,  # rounded too far
            "x",
        ],
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
        [
            lambda g, d: (lambda r, f: 0.0, lambda z: 0.0),  # nothing trained
            interview.drills.buggy("keras3-freeze"),  # the Keras 2 recipe: D frozen for good
            _trainers_swapped_labels,  # D pushed the wrong way
            _trainers_g_step_moves_d,  # G's step updates every variable
        ],
    ),
    (
        interview.checks.check_weight_clipping,
        interview.solutions.critic_update,
        [
            lambda c, o, r, f, clip: 0.0,  # no update, no clipping
            interview.drills.buggy("clip-gradients"),  # gradients clipped instead of weights
            _clip_before_update,  # weights clipped, then updated out of range
            _clip_without_update,  # clipped, but the update never applied
        ],
    ),
    (
        interview.checks.check_digit_image,
        interview.solutions.digit_image,
        [
            lambda g, i: g[0, :, :, 0],  # another image
            lambda g, i: g[i : i + 1],  # a batch of one, (1, 28, 28, 1)
            lambda g, i: np.zeros((28, 28)),  # a blank image
            interview.drills.buggy("empty-slice"),  # `:0`, no channel at all
            lambda g, i: g[i, :, :, 0].T,  # a (28, 28) that only looks right
        ],
    ),
    (
        interview.checks.check_loss_report,
        interview.solutions.report,
        [
            lambda h: f"d_loss {h['d_loss'][0]:.4f}",  # the first value
            interview.drills.buggy("format-a-list"),  # :.4f on a list
            lambda h: str(h),  # every value, every digit
            lambda h: f"d_loss {h['d_loss'][-1]:.2f} g_loss {h['g_loss'][-1]:.2f}",  # two decimals
        ],
    ),
    (
        interview.checks.check_interpolation_weights,
        interview.solutions.interpolation_weights,
        [
            lambda n, seed=0: np.full((n, 1, 1, 1), 0.5),  # always the midpoint
            lambda n, seed=0: np.random.default_rng(seed).uniform(size=n),  # one weight each, but flat
            interview.drills.buggy("normal-interpolation"),  # N(0, 1): off the segment
            lambda n, seed=0: np.random.default_rng(seed).uniform(0, 0.5, (n, 1, 1, 1)),  # half the segment
        ],
    ),
    (
        interview.checks.check_gan_losses,
        interview.solutions.gan_losses,
        [
            lambda r, f: (ops.mean(ops.softplus(-r)) + ops.mean(ops.softplus(f)), ops.mean(ops.softplus(f))),  # G: 0
            interview.drills.buggy("swapped-labels"),
            lambda r, f: (
                ops.mean(ops.softplus(-r)) + ops.mean(ops.softplus(f)),
                -ops.mean(ops.softplus(f)),
            ),  # minimax
            lambda r, f: (ops.sum(ops.softplus(-r)) + ops.sum(ops.softplus(f)), ops.mean(ops.softplus(-f))),  # sums
        ],
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
            functools.partial(vanilla.checks._reference_step, d_scale=0.5),  # D's two terms averaged
            functools.partial(vanilla.checks._reference_step, g_inference=("d", "g")),  # no training=True anywhere
            functools.partial(vanilla.checks._reference_step, g_inference=("g",)),  # none in G's step
            lambda *args: (vanilla.solutions.train_step(*args)[0], 0.0),  # a returned loss that only looks right
        ],
    ),
    (vanilla.checks.check_first_layer_params, vanilla.solutions.FIRST_LAYER_PARAMS, [100 * 256, 256, 2.5]),
    (vanilla.checks.check_equilibrium_output, vanilla.solutions.D_AT_EQUILIBRIUM, [0.0, 1.0, 0.25, "half"]),
    (dcgan.checks.check_transposed_output_size, dcgan.solutions.UPSAMPLED_SIZE, [16, 17, 4, 7, "14 pixels"]),
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
    (kde.checks.check_halving_factor, kde.solutions.HALVING_FACTOR, [2**30, 2**33, 2**35, 34, 1.6e10, 32, 2, "lots"]),
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
            dict(zip(conditional.checks.GAN_FAMILY_ROLES, ["cGAN", "InfoGAN", "ACGAN"], strict=True)),
            dict(zip(conditional.checks.GAN_FAMILY_ROLES, ["GAN", "AC-GAN", "InfoGAN"], strict=True)),
            dict(zip(conditional.checks.GAN_FAMILY_ROLES, ["cGAN", "AC", "InfoGAN"], strict=True)),
            {"cGAN": "the discriminator is given the label"},
            "cGAN",
        ],
    ),
    (conditional.checks.check_projection_logit, conditional.solutions.PROJECTION_LOGIT, [-1.5, 3.0, 0.0, "big"]),
    (
        stylegan.checks.check_style_block,
        stylegan.solutions.FixedStyleBlock,
        [
            stylegan.checks.FlawedStyleBlock,
            _NoStrength,
            _IgnoresStyle,
            _StyleBlockWithoutNorm,
            _StyleBlockNormalisingChannels,
            _StyleBlockWithNoiseAfterAdaIN,
            _StyleBlockWithUnscaledNoise,
            _StyleBlockWithOneStrength,  # StyleGAN2's one strength per layer: the exercise asks for one per channel
        ],
    ),
    (
        stylegan.checks.check_adain_output,
        stylegan.solutions.ADAIN_FIRST_VALUE,
        [7.0, 4.0, 8.0, -2.0, -1.0, 3.586, "three"],  # 3.586: the sample std
    ),
    (stylegan.checks.check_truncated_w, stylegan.solutions.TRUNCATED_W, [1.5, 3.0, 1.0, "half"]),
    (wgan.checks.check_w1_shift, 3.0, [np.log(2), 4.5, 9.0, 1.0, "far"]),
    (
        wgan.checks.check_gradient_penalty,
        wgan.solutions.gradient_penalty,
        [
            _one_sided_penalty,
            _penalty_at_real_points,
            _penalty_at_fake_points,
            _squared_norm_penalty,
            _penalty_with_norms_per_feature,
        ],
    ),
    (
        wgan.checks.check_critic,
        wgan.solutions.fixed_critic,
        [
            wgan.sigmoid_critic,
            _sigmoid_critic_without_batch_norm,
            interview.drills.buggy("batch-norm-critic"),  # linear output, but batch norm
            lambda: keras.Sequential(
                [keras.Input((2,)), keras.layers.Dense(8), keras.layers.Dense(1, activation="tanh")]
            ),
            *(_critic_ending_in(activation) for activation in _ONE_SIGNED_OR_BOUNDED),
            _critic_ending_in("sigmoid", keras.layers.Rescaling(100.0)),  # bounded and one-signed
            _critic_ending_in("sigmoid", keras.layers.Lambda(lambda t: 200.0 * t - 100.0)),  # both signs, bounded
        ],
    ),
    (
        mode_collapse.checks.check_mode_count,
        mode_collapse.solutions.count_modes,
        [
            _modes_of_any_sample,
            _modes_in_a_box,
            _modes_with_squared_distance,
            lambda points, means, std: mode_collapse.solutions.count_modes(points, means, std / 3),  # 1 std
            lambda points, means, std: mode_collapse.solutions.count_modes(points, means, std)[::-1],  # swapped
            lambda points, means, std: {"modes_captured": 1, "high_quality_share": 0.4},  # not a pair
            lambda points, means, std: (1, 0.4),  # the small case's answer, whatever the points
        ],
    ),
    (translation.checks.check_receptive_field, translation.solutions.RECEPTIVE_FIELD, [91, 20, 16, 18, 34, "big"]),
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
            lambda a, b, g, f: np.mean(np.abs(g(f(a)) - a)) + np.mean(np.abs(f(g(b)) - b)),  # composed the wrong way
            lambda a, b, g, f: 10 * translation.solutions.cycle_loss(a, b, g, f),  # weighted by lambda = 10
        ],
    ),
]

CASES += [(check, reference, wrong) for check, reference, wrong, _ in SEED_DRILLS]  # lesson 09's seed-error drills


@pytest.mark.parametrize("check, reference, wrong", CASES, ids=lambda x: getattr(x, "__name__", ""))
def test_check_accepts_reference_and_rejects_wrong_answers(check, reference, wrong):
    assert check(reference).status == exercise.CORRECT
    for answer in wrong:
        result = check(answer)
        assert result.status == exercise.WRONG, answer
        assert result.message


def test_every_check_of_every_lesson_is_tested_here():
    lessons = (
        theory,
        vanilla,
        dcgan,
        conditional,
        wgan,
        stylegan,
        kde,
        evaluation,
        interview,
        translation,
        mode_collapse,
    )
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
        fake = generator(z, training=True)
        real_logits, fake_logits = discriminator(real, training=True), discriminator(fake, training=True)
        d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
    grads = tape.gradient(d_loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables, strict=True))
    with tf.GradientTape() as tape:
        fake_logits = discriminator(generator(z, training=True), training=True)
        g_loss = bce(tf.ones_like(fake_logits), fake_logits)
    grads = tape.gradient(g_loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables, strict=True))
    return d_loss, g_loss


def _step_scoring_one_batch(generator, discriminator, g_optimizer, d_optimizer, real, z):
    """Lesson 02 valid variant for a discriminator without batch norm: real and fake scored in one call."""
    import tensorflow as tf

    n = len(real)
    with tf.GradientTape() as tape:
        logits = discriminator(ops.concatenate([real, generator(z, training=True)], axis=0), training=True)
        d_loss = ops.mean(ops.softplus(-logits[:n])) + ops.mean(ops.softplus(logits[n:]))
    d_optimizer.apply(tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)
    with tf.GradientTape() as tape:
        generator(z, training=True)  # an extra training-mode pass moves only batch norm's moving statistics
        g_loss = ops.mean(ops.softplus(-discriminator(generator(z, training=True), training=True)))
    g_optimizer.apply(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables)
    return d_loss, g_loss


def _step_as_first_written(generator, discriminator, g_optimizer, d_optimizer, real, z):
    """Lesson 02 wrong answer: the step as the exercise once spelled it, G's loss from ``discriminator(generator(z))``
    with no ``training=True`` -- the generator's batch norm then runs on its moving statistics."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        fake = generator(z, training=True)
        d_loss = ops.mean(ops.softplus(-discriminator(real))) + ops.mean(ops.softplus(discriminator(fake)))
    d_optimizer.apply(tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)
    with tf.GradientTape() as tape:
        g_loss = ops.mean(ops.softplus(-discriminator(generator(z))))
    g_optimizer.apply(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables)
    return d_loss, g_loss


def _step_with_halved_d_loss(generator, discriminator, g_optimizer, d_optimizer, real, z):
    """Lesson 02 wrong answer: D's loss averaged, 0.5 (real + fake), where the step asks for the sum."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        fake = generator(z, training=True)
        real_term = ops.mean(ops.softplus(-discriminator(real, training=True)))
        d_loss = 0.5 * (real_term + ops.mean(ops.softplus(discriminator(fake, training=True))))
    d_optimizer.apply(tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)
    with tf.GradientTape() as tape:
        g_loss = ops.mean(ops.softplus(-discriminator(generator(z, training=True), training=True)))
    g_optimizer.apply(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables)
    return d_loss, g_loss


@pytest.mark.parametrize(
    "variant",
    [
        _step_with_keras_bce,
        _step_scoring_one_batch,
        # both losses from one forward pass, as the TensorFlow DCGAN tutorial updates the players
        functools.partial(vanilla.checks._reference_step, simultaneous=True),
    ],
)
def test_train_step_check_accepts_the_standard_variants(variant):
    result = vanilla.checks.check_train_step(variant)
    assert result.status == exercise.CORRECT, result.message


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_step_as_first_written, "training=True"),
        (functools.partial(vanilla.checks._reference_step, g_inference=("d",)), "training=True"),
        (functools.partial(vanilla.checks._reference_step, simultaneous=True, g_inference=("d",)), "training=True"),
        (_step_with_halved_d_loss, "halved"),
        (functools.partial(vanilla.checks._reference_step, simultaneous=True, d_scale=0.5), "halved"),
    ],
)
def test_train_step_check_names_the_missing_training_flag_and_the_halved_loss(wrong, says):
    result = vanilla.checks.check_train_step(wrong)
    assert result.status == exercise.WRONG and says in result.message, result.message


def test_the_train_step_check_keeps_its_reference_steps_for_each_float_setting(float32_policy):
    """The reference steps a wrong answer is compared with are computed once and kept, per float type and policy: the
    kept weights are those of a fresh step, cannot be changed in place, and another policy computes its own."""
    checks = vanilla.checks
    checks._reference_outcome.cache_clear()
    kind = (("apply_g", False), ("simultaneous", False))
    weights, losses = checks._reference_outcome(checks._dtype_setting(), kind)
    real, z = checks._step_data()
    fresh = checks._players()
    assert checks._reference_step(*fresh, real, z, apply_g=False) == losses
    for kept, model in zip(weights, fresh[:2], strict=True):
        assert all(np.array_equal(a, b) for a, b in zip(kept, checks._trainable(model), strict=True))
    with pytest.raises(ValueError, match="read-only"):
        weights[0][0][...] = 0.0
    assert checks._reference_outcome(checks._dtype_setting(), kind)[0] is weights  # kept, not computed again
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    assert checks._dtype_setting() != ("float32", "float32")
    misses = checks._reference_outcome.cache_info().misses
    checks._reference_outcome(checks._dtype_setting(), kind)
    assert checks._reference_outcome.cache_info().misses == misses + 1


def test_the_train_step_check_has_batch_norm_in_its_generator():
    generator = vanilla.checks._players()[0]
    assert any(isinstance(layer, keras.layers.BatchNormalization) for layer in generator.layers)


@pytest.mark.parametrize(
    "variant",
    [
        lambda a, b, g, f: ops.mean(ops.abs(a - f(g(a)))) + ops.mean(ops.abs(b - g(f(b)))),  # keras ops, a - f(g(a))
        lambda a, b, g, f: float(np.abs(f(g(a)) - a).mean() + np.abs(g(f(b)) - b).mean()),  # a plain float
    ],
)
def test_cycle_loss_check_accepts_equivalent_forms(variant):
    assert translation.checks.check_cycle_loss(variant).status == exercise.CORRECT


# -- every check: at least three plausible wrong answers (CASES) and at least one valid variant (VARIANTS) --------
def _slerp_by_quaternion_free_formula(z0, z1, t):
    """Lesson 03 valid variant: slerp through the angle computed with arctan2, not arccos."""
    z0, z1 = np.asarray(z0, np.float64), np.asarray(z1, np.float64)
    cross = np.linalg.norm(z0) * np.linalg.norm(z1)
    omega = np.arctan2(np.sqrt(max(cross**2 - np.dot(z0, z1) ** 2, 0.0)), np.dot(z0, z1))
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


def _kde_density_with_scipy(x, points, bandwidth):
    from scipy.stats import norm

    return float(np.mean(norm.pdf(x, loc=np.asarray(points), scale=bandwidth)))


def _pick_bandwidth_with_score_samples(train, valid, grid):
    from sklearn.neighbors import KernelDensity

    scores = [KernelDensity(bandwidth=h).fit(train).score_samples(valid).mean() for h in grid]
    return grid[int(np.argmax(scores))]


class _StyleBlockWithNoiseFirst(keras.layers.Layer):
    """Lesson 06 valid variant: the three tracked parts (conv, learned-strength noise, AdaIN), built another way."""

    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = keras.layers.Conv2D(filters, 3, padding="same")
        self.noise, self.adain = stylegan.NoiseInjection(), stylegan.AdaIN()

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        out = (*x_shape[:-1], self.conv.filters)
        self.conv.build(x_shape)
        self.noise.build(out)
        self.adain.build([out, w_shape])

    def call(self, inputs):
        x, w = inputs
        return self.adain([self.noise(self.conv(x)), w])


def _critic_without_norm():
    return keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(32), keras.layers.LeakyReLU(0.2), keras.layers.Dense(1)]
    )


def _trainers_with_apply_gradients(generator, discriminator):
    """Lesson 09 valid variant: Keras' apply_gradients(zip(...)) and the logits' own BCE."""
    d_opt, g_opt = keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3)

    def train_d(real, fake):
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = ops.mean(ops.softplus(-discriminator(real))) + ops.mean(ops.softplus(discriminator(fake)))
        variables = discriminator.trainable_variables
        d_opt.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    def train_g(noise):
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = ops.mean(ops.softplus(-discriminator(generator(noise))))
        variables = generator.trainable_variables
        g_opt.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return train_d, train_g


def _clip_with_tf(critic, optimizer, real, fake, clip=0.01):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real))
    grads = tape.gradient(loss, critic.trainable_variables)
    optimizer.apply_gradients(zip(grads, critic.trainable_variables, strict=True))
    for weight in critic.trainable_variables:
        weight.assign(tf.clip_by_value(weight, -clip, clip))
    return loss


VARIANTS = {
    theory.checks.check_optimal_discriminator: [
        np.array([5 / 7, 0.5, 2 / 7]),
        (0.714286, 0.5, 0.285714),
        [0.714, 0.5, 0.286],  # rounded to three decimals
    ],
    theory.checks.check_value_at_optimum: [np.float32(theory.solutions.VALUE_AT_OPTIMUM), -1.253, -1.2535],
    theory.checks.check_gradient_ratio: [19, np.float64(19.0)],
    evaluation.checks.check_fid_1d: [np.float64(evaluation.solutions.FID_1D)],
    evaluation.checks.check_precision_toy: [1 / 2, np.float32(0.5)],
    evaluation.checks.check_copy_detector: [" Memorised_Fraction "],
    interview.checks.check_keras3_trainers: [_trainers_with_apply_gradients],
    interview.checks.check_weight_clipping: [_clip_with_tf],
    interview.checks.check_digit_image: [
        lambda g, i: np.squeeze(g[i], axis=-1),
        lambda g, i: g[i][..., 0],
        lambda g, i: g[i],  # (28, 28, 1): imshow draws (M, N, 1) too
        lambda g, i: (g[i] + 1) / 2,  # rescaled to [0, 1] for display
    ],
    interview.checks.check_loss_report: [lambda h: f"D {h['d_loss'][-1]:.4f} / G {h['g_loss'][-1]:.4f}"],
    interview.checks.check_interpolation_weights: [
        lambda n, seed=0: np.random.default_rng(seed).uniform(0, 1, (n, 1, 1, 1)),
    ],
    interview.checks.check_gan_losses: [
        lambda r, f: (np.logaddexp(0, -r).mean() + np.logaddexp(0, f).mean(), np.logaddexp(0, -f).mean()),  # NumPy
        lambda r, f: (  # Keras' BCE with labels: the same numbers
            keras.losses.BinaryCrossentropy(from_logits=True)(np.ones_like(r), r)
            + keras.losses.BinaryCrossentropy(from_logits=True)(np.zeros_like(f), f),
            keras.losses.BinaryCrossentropy(from_logits=True)(np.ones_like(f), f),
        ),
        # the mirrored game: D's logit means "fake" (real 0, fake 1) and G wants its fakes called 0
        lambda r, f: (np.logaddexp(0, r).mean() + np.logaddexp(0, -f).mean(), np.logaddexp(0, f).mean()),
    ],
    vanilla.checks.check_generator_loss: [lambda logits: -ops.mean(ops.log_sigmoid(logits))],
    vanilla.checks.check_first_layer_params: [np.int64(25_856), 25_856.0],
    vanilla.checks.check_equilibrium_output: [1 / 2, np.float32(0.5)],
    vanilla.checks.check_train_step: [functools.partial(vanilla.checks._reference_step, simultaneous=True)],
    dcgan.checks.check_transposed_output_size: [np.int64(14), 14.0],
    dcgan.checks.check_slerp: [_slerp_by_quaternion_free_formula],
    dcgan.checks.check_checkerboard_kernels: [(2, 4, 6), {6, 4, 2}, np.array([2, 4, 6])],
    dcgan.checks.check_first_conv_params: [np.int64(dcgan.solutions.FIRST_CONV_PARAMS)],
    kde.checks.check_kde_density: [_kde_density_with_scipy],
    kde.checks.check_pick_bandwidth: [_pick_bandwidth_with_score_samples],
    kde.checks.check_dimension_effect: ["B", " b"],
    kde.checks.check_halving_factor: [2.0**34, 17e9, 1.7e10],  # the lesson's rounded "17 billion" too
    conditional.checks.check_embedding_params: [np.int64(500)],
    conditional.checks.check_one_hot_condition: [
        lambda z, y: np.hstack([z, (np.arange(10) == np.asarray(y)[:, None]).astype("float32")]),
        lambda z, y: ops.concatenate([z, ops.one_hot(y, 10)], axis=1),
    ],
    conditional.checks.check_gan_family: [
        {role: name.lower() for role, name in conditional.solutions.GAN_FAMILY.items()},  # any case
        dict(zip(conditional.checks.GAN_FAMILY_ROLES, ["CGAN", "ACGAN", "infogan"], strict=True)),
        dict(zip(conditional.checks.GAN_FAMILY_ROLES, ["c-GAN", "AC GAN", "Info-GAN"], strict=True)),
    ],
    conditional.checks.check_projection_logit: [np.float32(1.5)],
    stylegan.checks.check_style_block: [
        _StyleBlockWithNoiseFirst,
        _StyleBlockWithoutConvBias,
        _StyleBlockWithStartingNoise,
        stylegan.StyledConv,  # the package's block: a LeakyReLU between the noise and AdaIN
    ],
    stylegan.checks.check_adain_output: [np.float64(stylegan.solutions.ADAIN_FIRST_VALUE)],
    stylegan.checks.check_truncated_w: [2, np.float32(2.0)],
    wgan.checks.check_w1_shift: [3, np.float32(3.0)],
    wgan.checks.check_gradient_penalty: [_mirrored_penalty, _penalty_with_tf_norm],
    wgan.checks.check_critic: [
        _critic_without_norm,
        interview.solutions.critic_without_sigmoid,
        _critic_with_activation_layers,
        _critic_ending_in_linear_activation,
        _critic_with_sigmoid_hidden_units,
    ],
    mode_collapse.checks.check_mode_count: [
        lambda points, means, std: [  # the package's counter, as a list
            (c := wgan.count_modes(points, wgan.ToyMixture("ring", np.asarray(means), std)))["modes_captured"],
            c["high_quality_share"],
        ],
        _modes_strictly_inside,
    ],
    translation.checks.check_receptive_field: [
        np.int64(70),
        70.0,
        translation.receptive_field(translation.checks.PIX2PIX_PATCHGAN),
    ],
    translation.checks.check_cycle_loss: [
        lambda a, b, g, f: ops.mean(ops.abs(a - f(g(a)))) + ops.mean(ops.abs(b - g(f(b)))),
    ],
}

VARIANTS.update({check: valid for check, _, _, valid in SEED_DRILLS})


def test_every_check_is_tested_with_three_wrong_answers_and_a_valid_variant():
    assert set(VARIANTS) == {check for check, _, _ in CASES}
    assert all(VARIANTS.values()), [check.__name__ for check, valid in VARIANTS.items() if not valid]
    few = {check.__name__: len(wrong) for check, _, wrong in CASES if len(wrong) < 3}
    assert not few, f"fewer than three wrong answers: {few}"


@pytest.mark.parametrize(
    "check, variant",
    [(check, variant) for check, variants in VARIANTS.items() for variant in variants],
    ids=lambda x: getattr(x, "__name__", ""),
)
def test_check_accepts_a_valid_variant(check, variant):
    result = check(variant)
    assert result.status == exercise.CORRECT, result.message


# -- reviewed checks: each predictable mistake gets its own message, and the valid variants pass ----------------------
def _says(result, status, *parts):
    assert result.status == status, result.message
    for part in parts:
        assert part in result.message, result.message


def test_transposed_size_names_padding_valid_only_for_its_size():
    # (7 - 1) x 2 + 4 = 16 is padding 'valid'; 17 is not, and must not be explained as it
    _says(dcgan.checks.check_transposed_output_size(16), exercise.WRONG, "'valid'")
    wrong = dcgan.checks.check_transposed_output_size(17)
    _says(wrong, exercise.WRONG, "input side x stride")
    assert "valid" not in wrong.message


def test_gradient_penalty_case_tells_the_norm_axes_and_the_points_apart():
    real, fake, weights = (np.asarray(t, np.float64) for t in wgan.checks._penalty_case()[1:])
    mixed = weights * real + (1 - weights) * fake
    values = wgan.checks._penalties(mixed)
    assert not np.isclose(values["right"], values["per feature"])  # off-diagonal gradients
    at_fake = wgan.checks._penalties(fake)["right"]
    assert len({round(v, 6) for v in (values["right"], values["one-sided"], at_fake)}) == 3


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_penalty_with_norms_per_feature, "per feature, across the batch (axis 0)"),
        (lambda c, r, f, w: _penalty_with_norms_per_feature(c, r, f, 1.0 - w), "axis 0"),  # the mirrored convention
        (_one_sided_penalty, "one-sided"),
        (lambda c, r, f, w: _one_sided_penalty(c, r, f, 1.0 - w), "one-sided"),
        (_penalty_at_fake_points, "at the fake points"),
        (_penalty_at_real_points, "at the real points"),
        (_squared_norm_penalty, "squared norm"),
    ],
)
def test_gradient_penalty_check_names_each_mistake(wrong, says):
    _says(wgan.checks.check_gradient_penalty(wrong), exercise.WRONG, says)


@pytest.mark.parametrize(
    "build, says",
    [
        (_critic_ending_in("relu"), "one side (all ≥ 0)"),
        (_critic_ending_in("exponential"), "one side"),
        (_critic_ending_in(keras.activations.sigmoid), "one side"),
        (_critic_ending_in("sigmoid", keras.layers.Rescaling(100.0)), "one side"),
        (_critic_ending_in("softsign"), "squashed"),
        (_critic_ending_in("tanh"), "squashed"),
        (_critic_ending_in("sigmoid", keras.layers.Lambda(lambda t: 200.0 * t - 100.0)), "[-100, 100]"),
    ],
)
def test_critic_check_rejects_a_bounded_or_one_signed_output_by_its_behaviour(build, says):
    _says(wgan.checks.check_critic(build), exercise.WRONG, says)


@pytest.mark.parametrize("drill_id", ["sigmoid-critic", "batch-norm-critic"])
@pytest.mark.parametrize("valid", [_critic_with_activation_layers, _critic_ending_in_linear_activation])
def test_critic_drills_accept_activation_layers_before_a_linear_output(drill_id, valid):
    _says(interview.drills.check(drill_id, valid), exercise.CORRECT)


def test_the_shipped_critics_pass_the_critic_check():
    for build in (wgan.solutions.fixed_critic, interview.solutions.critic_without_sigmoid):
        _says(wgan.checks.check_critic(build), exercise.CORRECT)


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_StyleBlockWithoutNorm, "over its height and width"),
        (_StyleBlockNormalisingChannels, "not the channels"),
        (_NoStrength, "no noise strength found"),
        (_StyleBlockWithUnscaledNoise, "at full strength"),
        (_StyleBlockWithNoiseAfterAdaIN, "after AdaIN"),
        (_StyleBlockWithOneStrength, "StyleGAN2"),
        (_IgnoresStyle, "the style is ignored"),
    ],
)
def test_style_block_check_names_each_mistake(wrong, says):
    _says(stylegan.checks.check_style_block(wrong), exercise.WRONG, says)


class _StyleBlockRaising(_StyleBlock):
    """Lesson 06: a block whose call fails before it calls any of its layers."""

    def call(self, inputs):
        raise ValueError("not yet")


class _StyleBlockWithASpareLayer(_StyleBlock):
    """Lesson 06: a right block that also makes a Dense layer it never calls."""

    def __init__(self, filters):
        super().__init__(filters)
        self.spare = keras.layers.Dense(4)


class _StyleBlockWithSpareLayersInAList(_StyleBlock):
    """Lesson 06: a right block that keeps two layers in a list and a dict, and never calls them."""

    def __init__(self, filters):
        super().__init__(filters)
        self.extras = [keras.layers.Dense(4)]
        self.by_name = {"skip": keras.layers.Conv2D(filters, 1)}


def test_style_block_check_names_a_layer_made_but_never_called_instead_of_keras_warning():
    # A student who makes NoiseInjection in __init__ but adds raw noise in call: Keras would warn that the block
    # "has unbuilt state"; the check says which layer call never uses, and nothing else is printed.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # what Keras would have printed
        result = stylegan.checks.check_style_block(_StyleBlockWithUnscaledNoise)
        _says(result, exercise.WRONG, "at full strength", "(self.noise is made in __init__ but never called")
        spare = stylegan.checks.check_style_block(_StyleBlockWithASpareLayer)
        _says(spare, exercise.CORRECT, "(self.spare is made in __init__ but never called")
        kept = stylegan.checks.check_style_block(_StyleBlockWithSpareLayersInAList)
        _says(kept, exercise.CORRECT, "(self.extras[0] and self.by_name['skip'] are made in __init__ but never called")
        # A block whose call fails never built its layers either; the check reports the error alone.
        _says(stylegan.checks.check_style_block(_StyleBlockRaising), exercise.WRONG, "raised ValueError", "not yet")
        assert "never called" not in stylegan.checks.check_style_block(_StyleBlockRaising).message
    for whole in (stylegan.solutions.FixedStyleBlock, _StyleBlockWithoutNorm, stylegan.checks.FlawedStyleBlock):
        assert "never called" not in stylegan.checks.check_style_block(whole).message, whole


def test_style_block_check_uses_up_no_automatic_layer_name():
    """The check learns Keras's own layer attributes from a layer it names: a student's next unnamed layer is called
    what it would have been without the check."""

    def number(name):  # "layer" is 0, "layer_3" is 3
        return int(name.rpartition("_")[2]) if "_" in name else 0

    before = keras.layers.Layer().name
    for _ in range(2):
        stylegan.checks.check_style_block(stylegan.solutions.FixedStyleBlock)
    assert number(keras.layers.Layer().name) == number(before) + 1


def test_style_block_check_accepts_a_bias_free_conv_and_noise_that_starts_on():
    block = _StyleBlockWithoutConvBias(8)
    block([np.zeros(stylegan.checks.STYLE_BLOCK_INPUT[0], "float32"), np.ones((2, 16), "float32")])
    assert block.count_params() == 568  # as many as a block with a conv bias but no noise strengths
    _says(stylegan.checks.check_style_block(_StyleBlockWithoutConvBias), exercise.CORRECT)
    _says(stylegan.checks.check_style_block(_StyleBlockWithStartingNoise), exercise.CORRECT, "start")


def test_style_block_drill_accepts_one_noise_strength_per_layer():
    _says(interview.drills.check("zero-parameter-block", _StyleBlockWithOneStrength), exercise.CORRECT, "StyleGAN2")
    _says(interview.drills.check("zero-parameter-block", _StyleBlockWithoutConvBias), exercise.CORRECT)
    _says(interview.drills.check("zero-parameter-block", _StyleBlockWithoutNorm), exercise.WRONG, "height and width")


def test_stylegan_number_exercises_hint_the_predictable_slips():
    for typed in (3.586, 5 - np.sqrt(2)):
        _says(stylegan.checks.check_adain_output(typed), exercise.WRONG, "population std")
    _says(stylegan.checks.check_truncated_w(1.0), exercise.WRONG, "add it back to w_mean")


def test_digit_image_check_accepts_the_channel_axis_and_names_the_mistakes():
    _says(interview.checks.check_digit_image(lambda g, i: g[i]), exercise.CORRECT, "(28, 28, 1)")
    _says(interview.checks.check_digit_image(lambda g, i: g[i : i + 1]), exercise.WRONG, "shape (1, 28, 28, 1)")
    _says(interview.checks.check_digit_image(lambda g, i: np.zeros((28, 28))), exercise.WRONG, "not the pixels")
    _says(interview.checks.check_digit_image(lambda g, i: g[i, :, :, :0]), exercise.WRONG, "empty")


@pytest.mark.parametrize(
    "answer, says", [(16, "ignores the strides"), (18, "the course's 3-layer PatchGAN"), (20, "ignores the strides")]
)
def test_receptive_field_check_names_each_mistake(answer, says):
    _says(translation.checks.check_receptive_field(answer), exercise.WRONG, says)


def test_the_packages_default_patchgan_is_the_known_mistake_18():
    assert translation.receptive_field() == 18


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda a, b, g, f: np.mean(np.abs(g(f(a)) - a)) + np.mean(np.abs(f(g(b)) - b)), "the other way round"),
        (lambda a, b, g, f: np.mean(np.abs(g(f(a)) - a)) + np.mean(np.abs(g(f(b)) - b)), "the other way round"),
        (lambda a, b, g, f: 10 * translation.solutions.cycle_loss(a, b, g, f), "weighted it by 10"),
    ],
)
def test_cycle_loss_check_names_the_order_and_the_weight(wrong, says):
    _says(translation.checks.check_cycle_loss(wrong), exercise.WRONG, says)


def _modes_within(threshold):
    def count(points, means, std):
        distance, nearest = _nearest(points, means)
        inside = distance <= threshold(std)
        return len(set(nearest[inside].tolist())), float(inside.mean())

    return count


@pytest.mark.parametrize(
    "threshold, says",
    [
        (lambda std: std, "not 1."),
        (lambda std: 2 * std, "not 2."),
        (lambda std: 3 * std**2, "3 times the variance"),
        (lambda std: std**2, "not std²"),
        (lambda std: std / 2, "another multiple of std"),
    ],
)
def test_mode_count_check_names_the_threshold_used(threshold, says):
    _says(mode_collapse.checks.check_mode_count(_modes_within(threshold)), exercise.WRONG, says)


def test_precision_drill_tests_every_real_ball_not_only_the_nearest():
    import seed_drill_answers

    result = interview.seed_checks.check_precision_metric(seed_drill_answers._precision_nearest_ball_only)
    _says(result, exercise.WRONG, "*any* real point's k-NN ball")


@pytest.mark.parametrize(
    "options, says",
    [
        (dict(at="real"), "taken at the real points"),
        (dict(at="normal"), "N(0, 1)"),
        (dict(norm_axes=[1, 2, 3]), "shape (batch, 2)"),
    ],
)
def test_gradient_penalty_update_check_sees_where_the_penalty_is_taken(options, says):
    import seed_drill_answers

    update = seed_drill_answers._critic_update(lambda n: (n - 1.0) ** 2, **options)
    _says(interview.seed_checks.check_gradient_penalty_update(update), exercise.WRONG, says)


def test_gradient_penalty_update_check_says_one_sided_only_when_the_step_shows_it():
    from seed_drill_answers import _critic_update

    one_sided = _critic_update(lambda n: ops.relu(n - 1.0) ** 2)
    _says(interview.seed_checks.check_gradient_penalty_update(one_sided), exercise.WRONG, "both sides of 1")
    logging = _critic_update(lambda n: (n - 1.0) ** 2, returns="wasserstein")
    _says(interview.seed_checks.check_gradient_penalty_update(logging), exercise.CORRECT, "Wasserstein term alone")
    no_penalty = _critic_update(lambda n: 0.0 * n)
    result = interview.seed_checks.check_gradient_penalty_update(no_penalty)
    _says(result, exercise.WRONG, "no gradient penalty")
    assert "both sides" not in result.message
