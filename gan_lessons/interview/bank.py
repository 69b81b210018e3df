"""Interview preparation: the question bank, the graded quiz and the debugging scenarios of lesson 09.

The bank is data, ``interview.toml`` beside this module: open questions with model answers, multiple-choice
questions with one correct option and an explanation, and debugging scenarios.  Filter it by topic or lesson with
:func:`questions`, :func:`mcqs` and :func:`scenarios`.  The quiz grades with :func:`grade` (a plain function call),
:func:`text_quiz` (typed answers, no widgets needed) or :func:`quiz` (ipywidgets).  The ``reproduce_...`` functions
of :mod:`gan_lessons.interview.debugging` re-create several scenarios with tiny runs.  The spot-the-bug drills are
in :mod:`gan_lessons.interview.drills`.
Taught in ``09_interview_prep``.
"""

from __future__ import annotations

import functools
import random
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.validate import check_positive_int
from ..tools.notebook import show_markdown, with_static_view

BANK_FILE = Path(__file__).with_name("interview.toml")


TOPICS = {
    "basics": "what a GAN is, the two players, implicit models",
    "theory": "the value function, D*, JSD, equilibrium, disjoint supports",
    "losses": "non-saturating, BCE from logits, Wasserstein, hinge, least squares",
    "mode-collapse": "causes, detection and remedies",
    "training": "tricks, balance, freezing, mixed precision, checkpoints",
    "dcgan": "architecture, checkerboard artefacts, latent interpolation",
    "conditional": "conditional GANs, projection, AC-GAN",
    "wgan": "the dual, the critic, clipping, gradient penalty, spectral norm",
    "stylegan": "mapping network, AdaIN, noise, mixing, truncation",
    "translation": "pix2pix, PatchGAN, CycleGAN, SRGAN",
    "evaluation": "FID, IS, KID, precision and recall, memorisation",
    "families": "GANs vs VAEs vs diffusion vs KDE",
    "ethics": "deepfakes, detection, responsible release",
    "architectures": "ProGAN, BigGAN, SAGAN, minibatch std, EMA of the generator",
    "applications": "inversion and editing, discrete data, semi-supervised learning, small data",
}

LEVELS = {
    "junior": "definitions and standard practice",
    "senior": "trade-offs, debugging, why it works",
    "research": "recent methods, theory, open problems",
}


LESSONS = (
    "01_theory",
    "02_vanilla_gan",
    "03_dcgan",
    "04_conditional_gan",
    "05_wgan_gp",
    "06_stylegan_block",
    "07_kde_baseline",
    "08_evaluating_gans",
    "09_interview_prep",
    "10_image_translation",
    "11_mode_collapse_lab",
)


LETTERS = "abcdefgh"


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    lesson: str
    level: str
    question: str
    answer: str
    follow_ups: tuple[str, ...] = ()  # ids of the questions an interviewer would ask next

    def markdown(self, answer: bool = True) -> str:
        """The question, and its answer folded away (click to open) in a notebook."""
        link = f'<a href="{self.lesson}.ipynb">lesson {self.lesson}</a>'  # notebooks sit side by side
        text = f"<details><summary><b>{self.question}</b> <i>({self.topic}, {self.level}; {link})</i></summary>\n\n"
        return text + (self.answer.strip() if answer else "(answer hidden)") + "\n</details>\n"


@dataclass(frozen=True)
class MCQ:
    id: str
    topic: str
    lesson: str
    level: str
    question: str
    options: tuple[str, ...]
    answer: str  # the letter of the correct option
    explanation: str

    def text(self) -> str:
        lines = [f"[{self.id}] {self.question}"]
        lines += [f"  {letter}) {option}" for letter, option in zip(LETTERS, self.options, strict=False)]
        return "\n".join(lines)

    def shuffled(self, rng: random.Random) -> MCQ:
        """The same question with its options in a random order (and the key's letter moved with its option):
        each attempt shows a new order, so no one can answer by position."""
        order = list(range(len(self.options)))
        rng.shuffle(order)
        key = LETTERS.index(self.answer)
        return replace(self, options=tuple(self.options[i] for i in order), answer=LETTERS[order.index(key)])


@dataclass(frozen=True)
class Scenario:
    id: str
    topic: str
    lesson: str
    symptom: str
    diagnosis: str
    fixes: str
    reproduce: str | None = None  # the name of a function of gan_lessons.interview.debugging that reproduces it

    def markdown(self) -> str:
        return (
            f"**Symptom.** {self.symptom}\n\n**Diagnosis.** {self.diagnosis.strip()}\n\n"
            f"**Fixes.** {self.fixes.strip()}\n\n*Taught in lesson {self.lesson}.*\n"
        )


@dataclass(frozen=True)
class Bank:
    questions: tuple[Question, ...]
    mcqs: tuple[MCQ, ...]
    scenarios: tuple[Scenario, ...]


@functools.cache
def load_bank(path: str | Path = BANK_FILE) -> Bank:
    """Read and check the bank: known topics and lessons, unique ids, non-empty answers, one correct option."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"The question bank {path} is not valid TOML: {error}.") from None

    def entries(kind, make, fixed=lambda e: e):
        made = []
        for entry in raw.get(kind, []):
            try:
                made.append(make(**fixed(entry)))
            except TypeError as error:  # a missing or unknown field
                raise ValueError(f"{entry.get('id', '?')} ([[{kind}]]): {error}.") from None
        return tuple(made)

    bank = Bank(
        entries("question", Question, lambda e: {**e, "follow_ups": tuple(e.get("follow_ups", ()))}),
        entries("mcq", MCQ, lambda e: {**e, "options": tuple(e.get("options", ()))}),
        entries("scenario", Scenario),
    )
    ids = [entry.id for group in (bank.questions, bank.mcqs, bank.scenarios) for entry in group]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"The question bank repeats ids: {repeated}.")
    for entry in (*bank.questions, *bank.mcqs, *bank.scenarios):
        if entry.topic not in TOPICS or entry.lesson not in LESSONS:
            raise ValueError(f"{entry.id}: unknown topic {entry.topic!r} or lesson {entry.lesson!r}.")
    for entry in (*bank.questions, *bank.mcqs):
        if entry.level not in LEVELS:
            raise ValueError(f"{entry.id}: level must be one of {', '.join(LEVELS)}, got {entry.level!r}.")
    question_ids = {q.id for q in bank.questions}
    for question in bank.questions:
        if not question.question.strip() or not question.answer.strip():
            raise ValueError(f"{question.id}: a question needs its text and a non-empty model answer.")
        if not set(question.follow_ups) <= question_ids - {question.id}:
            raise ValueError(f"{question.id}: follow_ups must name other questions, got {list(question.follow_ups)}.")
    for mcq in bank.mcqs:
        if len(mcq.options) < 2 or mcq.answer not in LETTERS[: len(mcq.options)] or not mcq.explanation.strip():
            raise ValueError(f"{mcq.id}: needs >= 2 options, one correct letter among them and an explanation.")
    return bank


def _check_topic(topic: str | None) -> None:
    if topic is not None and topic not in TOPICS:
        raise ValueError(f"Unknown topic {topic!r}; choose one of {', '.join(TOPICS)}.")


def _check_level(level: str | None) -> None:
    if level is not None and level not in LEVELS:
        raise ValueError(f"Unknown level {level!r}; choose one of {', '.join(LEVELS)}.")


def questions(
    topic: str | None = None, lesson: str | None = None, ids: Iterable[str] | None = None, level: str | None = None
) -> list[Question]:
    """The open questions, optionally of one topic (see ``TOPICS``), one lesson (``"05_wgan_gp"``), one level
    (``"junior"``, ``"senior"``, ``"research"``) or with these ids."""
    _check_topic(topic)
    _check_level(level)
    if lesson is not None and lesson not in LESSONS:
        raise ValueError(f"Unknown lesson {lesson!r}; choose one of {', '.join(LESSONS)}.")
    chosen = [
        q
        for q in load_bank().questions
        if topic in (None, q.topic) and lesson in (None, q.lesson) and level in (None, q.level)
    ]
    if ids is not None:
        wanted = list(ids)
        unknown = sorted(set(wanted) - {q.id for q in load_bank().questions})
        if unknown:
            raise ValueError(f"No questions with ids {unknown}; see [q.id for q in interview.questions()].")
        chosen = [q for q in chosen if q.id in wanted]
    return chosen


def mcqs(topic: str | None = None, level: str | None = None) -> list[MCQ]:
    """The multiple-choice questions (options in the bank's order), optionally of one topic or level."""
    _check_topic(topic)
    _check_level(level)
    return [q for q in load_bank().mcqs if topic in (None, q.topic) and level in (None, q.level)]


def show_mcqs(ids: Iterable[str]) -> None:
    """Print these multiple-choice questions with their options in the bank's order (the order
    :func:`grade` uses when given an id)."""
    for mcq_id in ids:
        print(_mcq(mcq_id).text(), end="\n\n")


def scenarios() -> list[Scenario]:
    return list(load_bank().scenarios)


def show_scenario(scenario_id: str) -> None:
    """Display one debugging scenario: symptom, diagnosis, fixes."""
    by_id = {s.id: s for s in load_bank().scenarios}
    if scenario_id not in by_id:
        raise ValueError(f"No scenario {scenario_id!r}; choose one of {', '.join(by_id)}.")
    show_markdown(by_id[scenario_id].markdown())


def show_questions(
    topic: str | None = None, lesson: str | None = None, ids: Iterable[str] | None = None, answers: bool = True
) -> None:
    """Display the questions (answers folded, click to open) in a notebook; print them elsewhere."""
    show_markdown("\n".join(q.markdown(answers) for q in questions(topic, lesson, ids)))


@dataclass(frozen=True)
class Grade:
    id: str
    chosen: str | None
    right: str
    explanation: str

    @property
    def correct(self) -> bool:
        return self.chosen == self.right

    def __str__(self) -> str:
        if self.chosen is None:
            return f"✏️ {self.id}: not answered yet."
        mark = "✅ correct" if self.correct else f"❌ you chose ({self.chosen}), the answer is ({self.right})"
        return f"{mark} [{self.id}]: {self.explanation.strip()}"

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def _mcq(mcq_id: str) -> MCQ:
    by_id = {q.id: q for q in load_bank().mcqs}
    if mcq_id not in by_id:
        raise ValueError(f"No multiple-choice question {mcq_id!r}; see interview.mcqs() for the ids.")
    return by_id[mcq_id]


def grade(mcq: str | MCQ, choice) -> Grade:
    """Grade one answer: ``choice`` is a letter (``"b"``), or ``None``/``...`` for no answer.  ``mcq`` is the
    question as shown — an :class:`MCQ`, perhaps shuffled — or its id (options in the bank's order)."""
    mcq = mcq if isinstance(mcq, MCQ) else _mcq(mcq)
    if choice is None or choice is Ellipsis:
        return Grade(mcq.id, None, mcq.answer, mcq.explanation)
    letters = LETTERS[: len(mcq.options)]
    chosen = str(choice).strip().lower().strip("()")
    if chosen not in letters:
        raise ValueError(f"Answer {mcq.id} with one of the letters {', '.join(letters)}, got {choice!r}.")
    return Grade(mcq.id, chosen, mcq.answer, mcq.explanation)


@dataclass(frozen=True)
class Score:
    grades: tuple[Grade, ...]

    @property
    def correct(self) -> int:
        return sum(g.correct for g in self.grades)

    def __str__(self) -> str:
        answered = [g for g in self.grades if g.chosen is not None]
        lines = [str(g) for g in self.grades]
        lines.append(f"Score: {self.correct} / {len(self.grades)} ({len(answered)} answered).")
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def grade_all(answers: Mapping[str, str | None]) -> Score:
    """Grade a dict ``{mcq id: letter}``; questions answered ``None`` or ``...`` count as not answered."""
    return Score(tuple(grade(mcq_id, choice) for mcq_id, choice in answers.items()))


def pick(
    topic: str | None = None, n: int | None = None, seed: int | None = None, level: str | None = None
) -> list[MCQ]:
    """``n`` multiple-choice questions of a topic and level (all by default) in a random order, each with its
    options shuffled: a new draw at every call, or the same one for the same ``seed``."""
    if n is not None:
        check_positive_int("n", n)
    rng = random.Random(seed)  # seed None: the system's entropy, so every attempt differs
    chosen = mcqs(topic, level)
    rng.shuffle(chosen)
    return [mcq.shuffled(rng) for mcq in chosen[:n]]


def text_quiz(
    topic: str | None = None,
    n: int | None = None,
    seed: int | None = None,
    ask: Callable[[str], str] | None = None,
    on_grade: Callable[[Grade], object] | None = None,
    level: str | None = None,
) -> Score:
    """The quiz as plain text prompts: each question is printed and ``ask`` (``input`` by default) reads a letter;
    an empty answer skips it.  Works in any terminal or notebook, with or without widgets.  ``on_grade`` is called
    with each grade (``practice.Progress().record_grade`` saves them)."""
    ask = ask or input
    grades = []
    for mcq in pick(topic, n, seed, level):
        print(mcq.text())
        reply = ask("Your answer (letter, empty to skip): ").strip()
        try:
            result = grade(mcq, reply or None)
        except ValueError as error:
            print(error)
            result = grade(mcq, None)
        print(result, end="\n\n")
        grades.append(result)
        if on_grade is not None:
            on_grade(result)
    score = Score(tuple(grades))
    print(f"Score: {score.correct} / {len(grades)}.")
    return score


def quiz(
    topic: str | None = None,
    n: int | None = None,
    seed: int | None = None,
    on_grade: Callable[[Grade], object] | None = None,
    level: str | None = None,
):
    """An ipywidgets quiz: each question with its options, a choice of letter and a Check button that grades it
    and explains (and passes the grade to ``on_grade``).  Without ipywidgets, it prints the questions."""
    chosen = pick(topic, n, seed, level)
    try:
        import ipywidgets as widgets
    except ImportError:
        show_mcqs(mcq.id for mcq in chosen)  # the bank's order, which grade('<id>', ...) uses
        print("ipywidgets is not installed: answer with interview.grade('<id>', '<letter>').")
        return None
    boxes, pages = [], []
    for mcq in chosen:
        options = "<br>".join(f"<b>{letter})</b> {text}" for letter, text in zip(LETTERS, mcq.options, strict=False))
        page = f"<b>{mcq.question}</b><br>{options}"
        pages.append(f"<p>{page}</p>")
        choice = widgets.ToggleButtons(options=list(LETTERS[: len(mcq.options)]), value=None, description="Answer:")
        feedback = widgets.HTMLMath("")
        button = widgets.Button(description="Check", button_style="info")

        def check(_, mcq=mcq, choice=choice, feedback=feedback):
            result = grade(mcq, choice.value)
            feedback.value = str(result) if choice.value is not None else "Choose a letter first."
            if on_grade is not None and choice.value is not None:
                on_grade(result)

        button.on_click(check)
        boxes.append(widgets.VBox([widgets.HTMLMath(page), widgets.HBox([choice, button]), feedback]))
    # without a kernel (on GitHub, say) the questions show as text, unanswered
    return with_static_view(widgets.VBox(boxes), html_text="".join(pages))
