"""Reference answers of lesson 10's exercises."""

from __future__ import annotations

from keras import ops

RECEPTIVE_FIELD = 70  # lesson 10, exercise 1: 1 + 3 * (1 + 2 + 4 + 8 + 8)


def cycle_loss(a, b, g, f):
    """Lesson 10, exercise 2: mean |f(g(a)) - a| + mean |g(f(b)) - b|."""
    return ops.mean(ops.abs(f(g(a)) - a)) + ops.mean(ops.abs(g(f(b)) - b))
