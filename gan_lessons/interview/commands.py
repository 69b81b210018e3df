"""Lesson 09 on the command line: ``gan-lessons quiz``, ``questions``, ``interview``, ``progress`` and ``drill``.

    gan-lessons quiz [--topic T] [--level L] [-n N] [--seed S] [--progress FILE]
        graded MCQs, options shuffled, answers saved
    gan-lessons questions [--topic T] [--level L] [--answers]
        the open questions (and model answers)
    gan-lessons interview [--topic T] [--level L] [-n N] [--seed S] [--retry] [--progress FILE]
        a timed mock interview, self-rated, saved
    gan-lessons progress [--progress FILE]
        mastery per topic, and what is due
    gan-lessons drill [ID] [--check FILE.py]
        the spot-the-bug drills; --check runs your fix

``--progress FILE`` is where answers and ratings are kept (default: ``$GAN_LESSONS_PROGRESS``, else Google Drive when
Colab has mounted it, else ``~/.gan_lessons/progress.json``).

Only ``drill`` loads TensorFlow (its checks run your code); the others start at once.
"""

from __future__ import annotations

import argparse
import runpy
from pathlib import Path

from .bank import LEVELS, TOPICS, questions, text_quiz
from .practice import Progress, mock_interview, shown


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", choices=sorted(TOPICS), default=None, help="only this topic's questions")
    parser.add_argument("--level", choices=list(LEVELS), default=None, help="only this level's questions")


def _progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        type=Path,
        default=None,
        help="the progress file (default: $GAN_LESSONS_PROGRESS, else Google Drive in Colab, else "
        "~/.gan_lessons/progress.json)",
    )


def add_commands(sub, positive_int) -> None:
    """Add lesson 09's commands to the ``gan-lessons`` parser's subcommands."""
    quiz = sub.add_parser("quiz", help="lesson 09's graded multiple-choice quiz (type a letter; answers are saved)")
    _selection(quiz)
    quiz.add_argument("-n", type=positive_int, default=None, help="ask only N questions")
    quiz.add_argument("--seed", type=int, default=None, help="the same draw and option order for the same seed")
    _progress_option(quiz)

    listing = sub.add_parser("questions", help="lesson 09's interview questions (with --answers, the model answers)")
    _selection(listing)
    listing.add_argument("--answers", action="store_true", help="print the model answers too")

    interview = sub.add_parser(
        "interview", help="a mock interview: timed open questions, model answers, self-rating, follow-ups, saved"
    )
    _selection(interview)
    interview.add_argument("-n", type=positive_int, default=5, help="how many questions (default 5)")
    interview.add_argument("--seed", type=int, default=None, help="the same draw for the same seed")
    interview.add_argument("--retry", action="store_true", help="only the questions you last answered weakly")
    _progress_option(interview)

    progress = sub.add_parser("progress", help="what you know per topic, and what is due for review")
    _progress_option(progress)

    drill = sub.add_parser("drill", help="lesson 09's spot-the-bug drills: list, show one, or --check your fix")
    drill.add_argument("id", nargs="?", default=None, help="the drill to show (none: list them)")
    drill.add_argument("--check", type=Path, default=None, help="a Python file defining your fix: run it, check it")


def _quiz(args) -> int:
    progress = Progress(args.progress)
    try:
        text_quiz(args.topic, args.n, args.seed, on_grade=progress.record_grade, level=args.level)
    except (EOFError, KeyboardInterrupt):
        print("\nQuiz stopped; the answers given are saved.")
    return 0


def _questions(args) -> int:
    for q in questions(args.topic, level=args.level):
        print(f"[{q.topic}, {q.level}, lesson {q.lesson}] {q.question}")
        if args.answers:
            print(q.answer.strip(), end="\n\n")
    return 0


def _interview(args) -> int:
    progress = Progress(args.progress)
    try:
        mock_interview(args.topic, args.level, args.n, args.seed, args.retry, progress)
    except (EOFError, KeyboardInterrupt):
        print(f"\nInterview stopped; the answers rated so far are saved in {shown(progress.path)}.")
    return 0


def _progress(args) -> int:
    print(Progress(args.progress).summary())
    return 0


def _drill(args) -> int:
    from . import drills

    if args.id is None:
        for found in drills.DRILLS:
            print(f"{found.id:24} {found.title} (lesson {found.lesson})")
        print("\nShow one: gan-lessons drill ID; check your fix: gan-lessons drill ID --check my_fix.py")
        return 0
    found = drills.drill(args.id)
    if args.check is None:
        print(f"{found.title}\n\n{found.snippet.strip()}\n\nYour task. {found.task}")
        print(f"\nWrite `{found.fix_name}` in a file and run: gan-lessons drill {found.id} --check FILE.py")
        return 0
    if not args.check.is_file():
        raise ValueError(f"No file {args.check}: write your `{found.fix_name}` in a Python file and pass its path.")
    namespace = runpy.run_path(str(args.check))  # the user's own file, run as they would run it
    if found.fix_name not in namespace:
        raise ValueError(f"{args.check} defines no `{found.fix_name}`: the drill checks a `{found.fix_name}`.")
    result = drills.check(found.id, namespace[found.fix_name])
    print(result)
    return 0 if result.status == "correct" else 1


COMMANDS = {
    "quiz": _quiz,
    "questions": _questions,
    "interview": _interview,
    "progress": _progress,
    "drill": _drill,
}
