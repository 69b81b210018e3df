"""Reference answers of lesson 02's exercises."""

from __future__ import annotations

from keras import ops


def generator_loss(fake_logits):
    """Lesson 02, exercise 1: -mean(log sigmoid(l)) written stably as mean(softplus(-l))."""
    return ops.mean(ops.softplus(-ops.cast(fake_logits, "float32")))


FIRST_LAYER_PARAMS = 100 * 256 + 256  # lesson 02, exercise 2


D_AT_EQUILIBRIUM = 0.5  # lesson 02, exercise 3
