"""Practice that persists: the mock interview, spaced repetition and a mastery summary (lesson 09).

Every answer — an open question rated by yourself, or a graded multiple-choice one — is saved to a small JSON file
(:func:`progress_path`: ``~/.gan_lessons/progress.json``, or your Google Drive in Colab once it is mounted, or the
path in ``$GAN_LESSONS_PROGRESS``).  Each question sits in a Leitner box: a good answer (self-rating 2 or 3, or a
correct choice) moves it up a box and it comes back after 1, 3, 7, 16 or 35 days; a weak one sends it back to box 0,
due at once.  :func:`mock_interview` (``gan-lessons interview``) draws due questions first, then new ones, and
follows a question with the follow-ups an interviewer would ask next.  Loads no TensorFlow.
Taught in ``09_interview_prep``.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..tools.notebook import with_static_view
from .bank import TOPICS, Grade, Question, load_bank, questions

PROGRESS_ENV = "GAN_LESSONS_PROGRESS"
DRIVE = Path("/content/drive/MyDrive")  # where Colab mounts Google Drive
INTERVALS_DAYS = (0, 1, 3, 7, 16, 35)  # box 0 is due at once; a good answer moves a question up one box
GOOD = 2  # self-ratings 0 blank, 1 partial, 2 good, 3 complete: 2 and 3 count as known
RATINGS = "0 blank, 1 partial, 2 good, 3 complete"


class ProgressError(ValueError):
    """The progress file cannot be read: the message says where it is and what to do."""


def progress_path() -> Path:
    """Where progress is kept: ``$GAN_LESSONS_PROGRESS``, else Google Drive when Colab has mounted it (so a new
    runtime keeps it), else ``~/.gan_lessons/progress.json``."""
    if os.environ.get(PROGRESS_ENV):
        return Path(os.environ[PROGRESS_ENV]).expanduser()
    if DRIVE.is_dir():
        return DRIVE / "gan_lessons" / "progress.json"
    return Path.home() / ".gan_lessons" / "progress.json"


def shown(path: Path) -> str:
    """A path as a reader should see it: ``~/...`` inside the home folder (no user name in a stored notebook)."""
    try:
        return "~/" + Path(path).expanduser().resolve().relative_to(Path.home().resolve()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Attempt:
    id: str
    rating: int  # 0..3 (a multiple-choice answer: 3 if correct, 0 if not)
    seconds: float | None
    when: str  # ISO time, UTC


class Progress:
    """Attempts and Leitner boxes, read from and saved to ``path`` after every answer (atomically: an
    interrupted save leaves the previous file whole)."""

    def __init__(self, path: str | Path | None = None, now: Callable[[], datetime.datetime] | None = None):
        self.path = Path(path) if path is not None else progress_path()
        self._now = now or (lambda: datetime.datetime.now(datetime.UTC))
        self.attempts: list[Attempt] = []
        self.boxes: dict[str, int] = {}
        self.due: dict[str, str] = {}
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self.attempts = [Attempt(**a) for a in raw["attempts"]]
            self.boxes, self.due = dict(raw["boxes"]), dict(raw["due"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ProgressError(
                f"The progress file {self.path} cannot be read ({type(error).__name__}: {error}). Move it away or "
                f"delete it to start afresh, or point ${PROGRESS_ENV} at another file."
            ) from None

    def record(self, item_id: str, rating: int, seconds: float | None = None) -> Attempt:
        """Save one answer: ``rating`` 0..3; 2 or more moves the question up a box, less sends it back to box 0."""
        if not isinstance(rating, int) or isinstance(rating, bool) or not 0 <= rating <= 3:
            raise ValueError(f"rating must be a whole number from 0 to 3 ({RATINGS}), got {rating!r}.")
        now = self._now()
        box = min(self.boxes.get(item_id, 0) + 1, len(INTERVALS_DAYS) - 1) if rating >= GOOD else 0
        attempt = Attempt(item_id, rating, None if seconds is None else round(float(seconds), 1), now.isoformat())
        self.attempts.append(attempt)
        self.boxes[item_id] = box
        self.due[item_id] = (now + datetime.timedelta(days=INTERVALS_DAYS[box])).isoformat()
        self._save()
        return attempt

    def record_grade(self, grade: Grade) -> Attempt | None:
        """Save a graded multiple-choice answer (an unanswered one is not saved)."""
        return None if grade.chosen is None else self.record(grade.id, 3 if grade.correct else 0)

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        state = {"attempts": [a.__dict__ for a in self.attempts], "boxes": self.boxes, "due": self.due}
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(state, indent=1), encoding="utf-8")
        os.replace(partial, self.path)

    def last_rating(self, item_id: str) -> int | None:
        ratings = [a.rating for a in self.attempts if a.id == item_id]
        return ratings[-1] if ratings else None

    def is_due(self, item_id: str) -> bool:
        return item_id in self.due and datetime.datetime.fromisoformat(self.due[item_id]) <= self._now()

    def missed(self) -> list[str]:
        """Ids whose last answer was weak (rating under 2, or a wrong choice), oldest first."""
        seen = dict.fromkeys(a.id for a in self.attempts)
        return [i for i in seen if (self.last_rating(i) or 0) < GOOD]

    def mastery(self) -> list[dict]:
        """Per topic: how many of its questions and MCQs were answered, how many are known (last answer good),
        how many are due again."""
        bank = load_bank()
        rows = []
        for topic in TOPICS:
            ids = [e.id for e in (*bank.questions, *bank.mcqs) if e.topic == topic]
            answered = [i for i in ids if self.last_rating(i) is not None]
            known = [i for i in answered if self.last_rating(i) >= GOOD]
            due = [i for i in answered if self.is_due(i)]
            rows.append(
                {"topic": topic, "items": len(ids), "answered": len(answered), "known": len(known), "due": len(due)}
            )
        return rows

    def summary(self) -> str:
        lines = [f"{'topic':14} {'known':>6} {'answered':>9} {'of':>4} {'due':>4}"]
        for row in self.mastery():
            lines.append(f"{row['topic']:14} {row['known']:6d} {row['answered']:9d} {row['items']:4d} {row['due']:4d}")
        total = sum(r["known"] for r in self.mastery())
        lines.append(f"{total} of {sum(r['items'] for r in self.mastery())} known; progress in {shown(self.path)}")
        return "\n".join(lines)


def next_question(
    pool: Iterable[Question], progress: Progress, asked: set[str], previous: Question | None, rng: random.Random
) -> Question | None:
    """The next question of a mock interview: a follow-up of the previous one if any is left (an interviewer digs
    deeper), else one that is due again, else a new one, else any not asked in this session; ``None`` when none
    is left."""
    pool = [q for q in pool if q.id not in asked]
    if not pool:
        return None
    by_id = {q.id: q for q in pool}
    if previous is not None:
        follow = [by_id[i] for i in previous.follow_ups if i in by_id]
        if follow:
            return follow[0]
    for group in (
        [q for q in pool if progress.is_due(q.id)],
        [q for q in pool if progress.last_rating(q.id) is None],
        pool,
    ):
        if group:
            return rng.choice(group)
    return None


def _ask_rating(ask: Callable[[str], str]) -> int | None:
    while True:
        reply = ask(f"Rate your answer ({RATINGS}; q to stop): ").strip().lower()
        if reply in ("q", "quit"):
            return None
        if reply in ("0", "1", "2", "3"):
            return int(reply)
        print("Type 0, 1, 2 or 3 (or q).")


def mock_interview(
    topic: str | None = None,
    level: str | None = None,
    n: int = 5,
    seed: int | None = None,
    retry: bool = False,
    progress: Progress | None = None,
    ask: Callable[[str], str] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> list[Attempt]:
    """A mock interview in the terminal: ``n`` open questions of a topic and level (all by default), chosen by
    :func:`next_question`; each is timed from the question to your Enter, then the model answer is shown and you
    rate yourself.  ``retry``: only the questions you last answered weakly.  Every answer is saved to ``progress``."""
    ask = ask or input
    progress = progress if progress is not None else Progress()
    pool = questions(topic=topic, level=level)
    if retry:
        missed = set(progress.missed())
        pool = [q for q in pool if q.id in missed]
        if not pool:
            print("Nothing to retry: no question of this selection was answered weakly.")
            return []
    rng, asked, previous, attempts = random.Random(seed), set(), None, []
    while len(attempts) < n:
        question = next_question(pool, progress, asked, previous, rng)
        if question is None:
            break
        asked.add(question.id)
        follow = previous is not None and question.id in previous.follow_ups
        kind = f"{question.topic}, {question.level}" + (", a follow-up" if follow else "")
        print(f"\nQuestion {len(attempts) + 1} of {n} ({kind}):")
        print(question.question)
        start = clock()
        ask("Answer aloud (or type), then press Enter to see the model answer: ")
        seconds = clock() - start
        print(f"\nYou took {seconds:.0f} s. Model answer (lesson {question.lesson}):\n{question.answer.strip()}\n")
        rating = _ask_rating(ask)
        if rating is None:
            break
        attempts.append(progress.record(question.id, rating, seconds))
        previous = question
    print(f"\n{len(attempts)} answered. Mastery so far:\n{progress.summary()}")
    return attempts


def mock_interview_widget(
    topic: str | None = None, level: str | None = None, seed: int | None = None, progress: Progress | None = None
):
    """The mock interview as ipywidgets: the question, *Show the model answer* (which stops the clock), a rating
    from 0 to 3 that saves the answer, and *Next question* (a follow-up when there is one).

    The rating is four plain buttons, enabled once the answer is shown: JupyterLab's ``ToggleButtons`` keeps the
    ``disabled`` state its buttons were drawn with (ipywidgets issue 2847): in the browser the rating stayed disabled
    after the answer was shown (browser_tests/test_widgets.py)."""
    import ipywidgets as widgets

    progress = progress if progress is not None else Progress()
    pool, rng, asked = questions(topic=topic, level=level), random.Random(seed), set()
    state: dict = {"question": None, "start": None, "seconds": None}
    head, body = widgets.HTMLMath(), widgets.HTMLMath()
    reveal = widgets.Button(description="Show the model answer", button_style="info")
    buttons = [widgets.Button(description=text[0], tooltip=text, disabled=True) for text in RATINGS.split(", ")]
    for button in buttons:
        button.layout.width = "4em"
    rating = widgets.HBox([widgets.Label("Your rating:"), *buttons])
    next_button = widgets.Button(description="Next question")
    note = widgets.HTML(f"<i>Ratings: {RATINGS}. Saved to {shown(progress.path)}.</i>")

    def show_next(_=None):
        question = next_question(pool, progress, asked, state["question"], rng)
        if question is None:
            head.value, body.value = "<b>No questions left in this selection.</b>", ""
            return
        asked.add(question.id)
        state.update(question=question, start=time.monotonic(), seconds=None)
        head.value = f"<b>{question.question}</b> <i>({question.topic}, {question.level})</i>"
        body.value = ""
        enable_rating(False)

    def enable_rating(enabled: bool) -> None:
        for button in buttons:
            button.disabled = not enabled

    def show_answer(_):
        if state["question"] is not None and state["seconds"] is None:
            state["seconds"] = time.monotonic() - state["start"]
            body.value = f"<p>You took {state['seconds']:.0f} s.</p>" + state["question"].answer.strip()
            enable_rating(True)

    def save(button):
        if state["seconds"] is not None and not button.disabled:
            progress.record(state["question"].id, int(button.description), state["seconds"])
            enable_rating(False)

    reveal.on_click(show_answer)
    next_button.on_click(show_next)
    for button in buttons:
        button.on_click(save)
    show_next()
    box = widgets.VBox([head, reveal, body, rating, next_button, note])
    return with_static_view(box, html_text=f"<p>{head.value}</p><p><i>(a mock interview: run the cell)</i></p>")
