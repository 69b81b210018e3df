"""The machinery of the exercise checks: a :class:`CheckResult` and the helpers every
lesson's ``checks`` module uses.  A check takes the student's answer and returns a result whose status is
"not attempted yet" (the answer is still ``...``, ``None`` or raises ``NotImplementedError``),
"correct", or "wrong" with what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NOT_ATTEMPTED = "not attempted yet"


CORRECT = "correct"


WRONG = "wrong"


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        mark = {CORRECT: "✅", WRONG: "❌", NOT_ATTEMPTED: "✏️"}[self.status]
        return f"{mark} {self.exercise}: {self.status} — {self.message}"

    def _repr_pretty_(self, printer, cycle):  # how IPython shows it
        printer.text(str(self))


def _not_attempted(answer) -> bool:
    return answer is None or answer is Ellipsis


def _result(exercise: str, status: str, message: str) -> CheckResult:
    return CheckResult(exercise, status, message)


def _numeric_answer(name: str, answer, prompt: str) -> tuple[float | None, CheckResult | None]:
    """``(value, None)`` for a numeric answer, else ``(None, the result to return)``."""
    if _not_attempted(answer):
        return None, _result(name, NOT_ATTEMPTED, prompt)
    try:
        return float(answer), None
    except (TypeError, ValueError):
        return None, _result(name, WRONG, f"give a number, got {answer!r}.")


def _check_number(
    name: str, answer, prompt: str, expected: float, right: str, mistakes=(), otherwise: str = "", rel: float = 1e-9
) -> CheckResult:
    """A numeric answer: correct within ``rel`` (relative, at least 1e-9 absolute), else the message of a
    known ``(wrong value, why)`` mistake, else ``otherwise`` (``{value}`` is replaced by the answer)."""
    value, early = _numeric_answer(name, answer, prompt)
    if early is not None:
        return early

    def near(target: float) -> bool:
        return abs(value - target) <= max(rel * abs(target), 1e-9)

    if near(expected):
        return _result(name, CORRECT, right)
    for wrong, why in mistakes:
        if near(wrong):
            return _result(name, WRONG, why)
    return _result(name, WRONG, otherwise.format(value=f"{value:g}"))


def _call(name: str, fn, call_text: str, *args):
    """``(value, None)`` from the student's function, else ``(None, the result to return)``: not attempted
    while it raises NotImplementedError, wrong (saying what it raised) for any other error."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, _result(name, NOT_ATTEMPTED, "the function still raises NotImplementedError.")
    except Exception as exc:
        return None, _result(name, WRONG, f"{call_text} raised {exc!r}.")


def _attempt(name: str, fn, prompt: str, call_text: str, *args):
    """:func:`_call` for a student's function that may still be ``...``: then "not attempted" with ``prompt``."""
    if _not_attempted(fn):
        return None, _result(name, NOT_ATTEMPTED, prompt)
    return _call(name, fn, call_text, *args)


def _mean_softplus(x) -> float:
    """``mean(log(1 + e^x))`` in float64: binary cross-entropy from logits, for checking a loss by hand."""
    return float(np.mean(np.logaddexp(0.0, np.asarray(x, np.float64))))


def _weights(model) -> list[np.ndarray]:
    return [np.array(w) for w in model.weights]


def _moved(before, after) -> bool:
    return any(not np.allclose(a, b, rtol=0, atol=1e-9) for a, b in zip(before, after, strict=True))
