"""Lesson 09, ``09_interview_prep``: interview questions, the graded quiz, debugging scenarios and
spot-the-bug drills.

Where the code is:
- ``bank``: the question bank (``interview.toml``), the quiz and its grading;
- ``debugging``: the debugging scenarios, reproduced with tiny runs;
- ``practice``: the mock interview, progress saved between sessions, spaced repetition, mastery per topic;
- ``drills``: the spot-the-bug drills, runnable; ``checks`` (and ``seed_checks``) check their fixes (``solutions``:
  the fixes);
- ``commands``: lesson 09 on the command line (``gan-lessons quiz/questions/interview/progress/drill``).

``bank`` and ``practice`` load no TensorFlow, so ``gan-lessons quiz`` and ``interview`` start at once; the other
modules load on first use (``gl.interview.drills``).
"""

import importlib

from .bank import (
    LESSONS,
    LEVELS,
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
    show_mcqs,
    show_questions,
    show_scenario,
    text_quiz,
)

_LAZY = ("checks", "commands", "debugging", "drills", "practice", "seed_checks", "solutions")


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
