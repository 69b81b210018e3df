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


GENERATOR_LOSSES: dict[str, Callable] = {
    "non_saturating": generator_loss_non_saturating,
    "minimax": generator_loss_minimax,
}


def get_generator_loss(name_or_fn: str | Callable) -> Callable:
    """A generator loss by name (``"non_saturating"`` or ``"minimax"``), or a callable as is."""
    if callable(name_or_fn):
        return name_or_fn
    if name_or_fn not in GENERATOR_LOSSES:
        raise ValueError(
            f"Unknown generator loss {name_or_fn!r}; choose one of {', '.join(GENERATOR_LOSSES)} "
            "or pass a function fake_logits -> scalar loss."
        )
    return GENERATOR_LOSSES[name_or_fn]
