"""Lesson 09, ``09_interview_prep``: interview questions, the graded quiz, debugging scenarios and
spot-the-bug drills.

Where the code is:
- ``bank``: the question bank (``interview.toml``), the quiz and its grading;
- ``debugging``: the debugging scenarios, reproduced with tiny runs;
- ``drills``: the spot-the-bug drills, runnable; ``checks`` checks their fixes (``solutions``: the fixes).

``bank`` loads no TensorFlow, so ``gan-lessons quiz`` starts at once; the other modules load on first use
(``gl.interview.drills``).
"""

import importlib

from .bank import (
    LESSONS,
    MCQ,
    TOPICS,
    Bank,
    Grade,
    Question,
    Scenario,
    Score,
    grade,
    grade_all,
    load_bank,
    mcqs,
    pick,
    questions,
    quiz,
    scenarios,
    show_questions,
    show_scenario,
    text_quiz,
)

_LAZY = ("checks", "debugging", "drills", "solutions")


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
