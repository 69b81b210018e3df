"""Wrong answers and valid variants for the checks of lesson 09's drills made from circulating errors
(gan_lessons.interview.seed_checks): test_exercises.py adds TABLE to its CASES and VARIANTS, where every check
must reject at least three plausible wrong answers (the drill's own snippet among them) and accept a valid one."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from gan_lessons import interview
from gan_lessons.interview import seed_checks
from gan_lessons.interview import solutions as fixes


def _discriminator(*middle, last_activation=None, kernel=4):
    def build():
        return keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                layers.Conv2D(32, kernel, strides=2, padding="same"),
                layers.LeakyReLU(0.2),
                *middle,
                layers.Conv2D(64, kernel, strides=2, padding="same"),
                layers.LeakyReLU(0.2),
                layers.Flatten(),
                layers.Dense(1, activation=last_activation),
            ]
        )

    return build


def _pooling_discriminator():
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, padding="same"),
            layers.LeakyReLU(0.2),
            layers.AveragePooling2D(2),
            layers.Conv2D(64, 3, padding="same"),
            layers.LeakyReLU(0.2),
            layers.AveragePooling2D(2),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )


def _functional_discriminator():
    images = keras.Input((28, 28, 1))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(32, 3, strides=(2, 2), padding="same")(images))
    x = layers.Dropout(0.3)(x)
    x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 3, strides=(2, 2), padding="same")(x))
    return keras.Model(images, layers.Dense(1)(layers.Flatten()(x)))


def _distances(a, b):
    return np.linalg.norm(np.asarray(a, float)[:, None] - np.asarray(b, float)[None], axis=-1)


def _recall(real, fake, k=3):  # the roles swapped: reals inside the fake manifold
    radii = np.sort(_distances(fake, fake), axis=1)[:, k]
    return float(np.mean(np.any(_distances(real, fake) <= radii[None, :], axis=1)))


def _precision_self_neighbour(real, fake, k=3):  # the radius counts each point as its own nearest neighbour
    radii = np.sort(_distances(real, real), axis=1)[:, k - 1]
    return float(np.mean(np.any(_distances(fake, real) <= radii[None, :], axis=1)))


def _nearest_distance(real, fake, k=3):  # a distance, not a share
    return float(_distances(fake, real).min(axis=1).mean())


def _precision_with_sklearn(real, fake, k=3):
    from sklearn.neighbors import NearestNeighbors

    radii = NearestNeighbors(n_neighbors=k + 1).fit(real).kneighbors(real)[0][:, k]
    return float(np.mean(np.any(_distances(fake, real) <= radii[None, :], axis=1)))


def _generator(*layers_list):
    def build(latent_dim=64):
        return keras.Sequential([keras.Input((latent_dim,)), *layers_list])

    return build


def _mlp_generator(latent_dim=64):
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(256, activation="relu"),
            layers.Dense(784, activation="tanh"),
            layers.Reshape((28, 28, 1)),
        ]
    )


def _linear_output_generator(latent_dim=64):
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(7 * 7 * 32),
            layers.Reshape((7, 7, 32)),
            layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(1, 4, strides=2, padding="same"),
        ]
    )


def _sigmoid_output_generator(latent_dim=64):  # images in [0, 1]: never negative, unlike the real ones
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(7 * 7 * 32),
            layers.Reshape((7, 7, 32)),
            layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="sigmoid"),
        ]
    )


def _resize_generator(latent_dim=64):
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(7 * 7 * 32),
            layers.Reshape((7, 7, 32)),
            layers.UpSampling2D(2),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.UpSampling2D(2),
            layers.Conv2D(1, 3, padding="same", activation="tanh"),
        ]
    )


def _precision_nearest_ball_only(real, fake, k=3):  # tests only the ball of each fake's nearest real point
    radii = np.sort(_distances(real, real), axis=1)[:, k]
    distances = _distances(fake, real)
    nearest = distances.argmin(axis=1)
    return float(np.mean(distances[np.arange(len(nearest)), nearest] <= radii[nearest]))


def _critic_update(penalty_of_norm, inside_tape=True, apply=True, at="interpolates", returns="loss", norm_axes=(1,)):
    """A WGAN-GP update with the penalty ``penalty_of_norm(||grad||)`` (a wrong answer unless it is (n - 1)^2),
    taken ``at`` the interpolates (or at "real" points only, or at interpolates of "normal" weights), returning the
    "loss" or its "wasserstein" term, the gradient's norm over ``norm_axes``."""

    def update(critic, optimizer, real, fake, gp_weight=10.0):
        if at == "normal":
            weights = tf.random.normal((len(real), 1))
        else:
            weights = tf.ones((len(real), 1)) if at == "real" else tf.random.uniform((len(real), 1))
        x_hat = weights * real + (1 - weights) * fake

        def penalty():
            with tf.GradientTape() as inner:
                inner.watch(x_hat)
                scores = critic(x_hat)
            norms = tf.sqrt(tf.reduce_sum(inner.gradient(scores, x_hat) ** 2, axis=norm_axes))
            return tf.reduce_mean(penalty_of_norm(norms))

        outside = None if inside_tape else tf.stop_gradient(penalty())
        with tf.GradientTape() as tape:
            wasserstein = ops.mean(critic(fake)) - ops.mean(critic(real))
            loss = wasserstein + gp_weight * (penalty() if inside_tape else outside)
        if apply:
            optimizer.apply(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)
        return wasserstein if returns == "wasserstein" else loss

    return update


def _mirrored_update(critic, optimizer, real, fake, gp_weight=10.0):
    """Valid: x_hat = (1 - w) real + w fake, the penalty with tf.norm, Keras' apply_gradients."""
    weights = tf.random.uniform((len(real), 1))
    x_hat = (1 - weights) * real + weights * fake
    with tf.GradientTape() as tape:
        with tf.GradientTape() as inner:
            inner.watch(x_hat)
            scores = critic(x_hat)
        penalty = tf.reduce_mean((tf.norm(inner.gradient(scores, x_hat), axis=1) - 1.0) ** 2)
        loss = tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real)) + gp_weight * penalty
    optimizer.apply_gradients(
        zip(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables, strict=True)
    )
    return loss


def _bce_over_both(real_logits, fake_logits):  # valid: one BCE over the concatenated batch (half the sum)
    logits = ops.concatenate([real_logits, fake_logits])
    labels = ops.concatenate([ops.ones_like(real_logits), ops.zeros_like(fake_logits)])
    return keras.losses.BinaryCrossentropy(from_logits=True)(labels, logits)


TABLE = [
    (
        seed_checks.check_strided_discriminator,
        fixes.strided_discriminator,
        [
            interview.drills.buggy("max-pool-discriminator"),
            _pooling_discriminator,  # average pooling: every pixel counts, but still pooling
            _discriminator(last_activation="sigmoid"),  # a probability out
            _discriminator(kernel=1),  # stride 2 with 1x1 kernels: three pixels in four never reach the logit
        ],
        [_discriminator(layers.Dropout(0.3), kernel=3), _functional_discriminator],
    ),
    (
        seed_checks.check_precision_metric,
        fixes.precision,
        [
            interview.drills.buggy("precision-unique"),
            _recall,
            _precision_self_neighbour,
            _nearest_distance,
            _precision_nearest_ball_only,
        ],
        [_precision_with_sklearn, lambda real, fake, k=3: seed_checks.precision_recall(real, fake, k)["precision"]],
    ),
    (
        seed_checks.check_upsampling_generator,
        fixes.upsampling_generator,
        [
            interview.drills.buggy("swapped-strides"),
            _mlp_generator,
            _linear_output_generator,
            _sigmoid_output_generator,
        ],
        [_resize_generator],
    ),
    (
        seed_checks.check_gradient_penalty_update,
        fixes.gradient_penalty_update,
        [
            interview.drills.buggy("clip-only-wgan-gp"),
            _critic_update(lambda n: 0.0 * n),  # no penalty
            _critic_update(lambda n: tf.nn.relu(n - 1.0) ** 2),  # one-sided
            _critic_update(lambda n: (n**2 - 1.0) ** 2),  # the squared norm
            _critic_update(lambda n: -((n - 1.0) ** 2)),  # subtracted
            _critic_update(lambda n: (n - 1.0) ** 2, inside_tape=False),  # its gradient never reaches the critic
            _critic_update(lambda n: (n - 1.0) ** 2, apply=False),  # never applied
            _critic_update(lambda n: (n - 1.0) ** 2, at="real"),  # at the real points only
            _critic_update(lambda n: (n - 1.0) ** 2, at="normal"),  # interpolation weights from N(0, 1)
            _critic_update(lambda n: (n - 1.0) ** 2, norm_axes=[1, 2, 3]),  # the image version on (batch, 2) points
        ],
        [
            _mirrored_update,
            _critic_update(lambda n: (n - 1.0) ** 2, returns="wasserstein"),  # the W term returned, for logging
        ],
    ),
    (
        seed_checks.check_discriminator_loss,
        fixes.discriminator_loss,
        [
            interview.drills.buggy("d-loss-sign"),
            lambda r, f: ops.mean(ops.softplus(r)) + ops.mean(ops.softplus(-f)),  # labels swapped
            lambda r, f: ops.mean(ops.softplus(-r)),  # the fake term missing
            lambda r, f: ops.mean(ops.softplus(-r)) - ops.mean(ops.softplus(-f)),  # the minimax G term, subtracted
        ],
        [_bce_over_both, lambda r, f: np.logaddexp(0, -r).mean() + np.logaddexp(0, f).mean()],
    ),
]
