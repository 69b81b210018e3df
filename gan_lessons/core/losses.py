"""GAN losses, written from the discriminator's *logits* (numerically stable).

With ``D(x) = sigmoid(l)``:  ``-log D(x) = softplus(-l)`` and
``-log(1 - D(x)) = softplus(l)``.  Working with logits avoids ``log(0)`` when the
discriminator is confident.  Taught in ``02_vanilla_gan`` (theory in ``01_theory``).
"""

from __future__ import annotations

from collections.abc import Callable

from keras import ops


def _f32(x):
    return ops.cast(x, "float32")


def discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy of D: real labelled 1, fake labelled 0 (mean over the batch).

    Minimising it maximises ``E[log D(x)] + E[log(1 - D(G(z)))]``, the value function.
    """
    return ops.mean(ops.softplus(-_f32(real_logits))) + ops.mean(ops.softplus(_f32(fake_logits)))


def generator_loss_minimax(fake_logits):
    """The original (saturating) generator loss: minimise ``E[log(1 - D(G(z)))]``.

    Its gradient vanishes when D confidently rejects the fakes -- exactly the
    situation at the start of training.
    """
    return -ops.mean(ops.softplus(_f32(fake_logits)))


def generator_loss_non_saturating(fake_logits):
    """The non-saturating generator loss: minimise ``-E[log D(G(z))]`` (what everyone uses)."""
    return ops.mean(ops.softplus(-_f32(fake_logits)))


# -- lesson 05: critics (WGAN, WGAN-GP) and other losses -------------------------------------
def critic_loss(real_scores, fake_scores):
    """WGAN critic loss ``E[f(G(z))] - E[f(x)]``: minimising it maximises the Wasserstein estimate
    ``E[f(x)] - E[f(G(z))]``.  Scores are raw numbers, not probabilities: no sigmoid anywhere."""
    return ops.mean(_f32(fake_scores)) - ops.mean(_f32(real_scores))


def wasserstein_generator_loss(fake_scores):
    """The WGAN generator loss ``-E[f(G(z))]``: raise the critic's score of the fakes."""
    return -ops.mean(_f32(fake_scores))


def hinge_discriminator_loss(real_logits, fake_logits):
    """Hinge loss (SAGAN, BigGAN): ``E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]``; G uses the WGAN loss."""
    return ops.mean(ops.relu(1.0 - _f32(real_logits))) + ops.mean(ops.relu(1.0 + _f32(fake_logits)))


def least_squares_discriminator_loss(real_logits, fake_logits):
    """LSGAN (Mao et al. 2017): ``E[(D(x) - 1)^2] / 2 + E[D(G(z))^2] / 2``, on raw outputs."""
    return 0.5 * ops.mean(ops.square(_f32(real_logits) - 1.0)) + 0.5 * ops.mean(ops.square(_f32(fake_logits)))


def least_squares_generator_loss(fake_logits):
    """LSGAN generator loss ``E[(D(G(z)) - 1)^2] / 2``."""
    return 0.5 * ops.mean(ops.square(_f32(fake_logits) - 1.0))


def interpolation_weights(batch_size, ndim: int, seed):
    """One weight per sample from U[0, 1], shaped ``(batch, 1, ..., 1)`` to broadcast over an image.

    Per *sample* (not per pixel), and *uniform* (not normal): the interpolates lie on the straight
    segments between real and fake points.  The optimal critic has gradient norm 1 on the segments between
    optimally coupled points (Gulrajani et al. 2017, Prop. 1); sampling uniformly along segments between random
    real-fake pairs is the paper's tractable heuristic, motivated by that."""
    import keras

    shape = (batch_size,) + (1,) * (ndim - 1)
    return keras.random.uniform(shape, minval=0.0, maxval=1.0, seed=seed)


def gradient_penalty(critic: Callable, real, fake, weights):
    """WGAN-GP's two-sided penalty ``E[(||grad f(x_hat)|| - 1)^2]`` at ``x_hat = w x + (1 - w) G(z)``.

    The norm is ``sqrt(sum g^2 + 1e-12)``: the derivative of a plain square root is infinite at 0, and
    a critic that is flat at an interpolate would turn the whole update into NaN."""
    import tensorflow as tf

    real, fake = _f32(real), _f32(fake)
    mixed = weights * real + (1.0 - weights) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = _f32(critic(mixed))
    grads = tape.gradient(scores, mixed)
    axes = list(range(1, len(mixed.shape)))
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=axes) + 1e-12)
    return ops.mean(ops.square(norms - 1.0))


# -- the losses ``GAN.compile`` takes by name ---------------------------------------------
GENERATOR_LOSSES: dict[str, Callable] = {
    "non_saturating": generator_loss_non_saturating,
    "minimax": generator_loss_minimax,
    "hinge": wasserstein_generator_loss,  # SAGAN and BigGAN pair the hinge D loss with -E[D(G(z))]
    "least_squares": least_squares_generator_loss,
}
DISCRIMINATOR_LOSSES: dict[str, Callable] = {
    "bce": discriminator_loss,
    "hinge": hinge_discriminator_loss,
    "least_squares": least_squares_discriminator_loss,
}


def _get_loss(kind: str, losses: dict[str, Callable], name_or_fn: str | Callable, takes: str) -> Callable:
    if callable(name_or_fn):
        return name_or_fn
    if name_or_fn not in losses:
        raise ValueError(
            f"Unknown {kind} loss {name_or_fn!r}; choose one of {', '.join(losses)} "
            f"or pass a function {takes} -> scalar loss."
        )
    return losses[name_or_fn]


def get_generator_loss(name_or_fn: str | Callable) -> Callable:
    """A generator loss by name (``"non_saturating"``, ``"minimax"``, ``"hinge"``, ``"least_squares"``),
    or a callable ``fake_logits -> loss`` as is."""
    return _get_loss("generator", GENERATOR_LOSSES, name_or_fn, "fake_logits")


def get_discriminator_loss(name_or_fn: str | Callable) -> Callable:
    """A discriminator loss by name (``"bce"``, ``"hinge"``, ``"least_squares"``), or a callable
    ``(real_logits, fake_logits) -> loss`` as is."""
    return _get_loss("discriminator", DISCRIMINATOR_LOSSES, name_or_fn, "(real_logits, fake_logits)")
