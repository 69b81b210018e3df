"""The lessons' widgets in a real browser: JupyterLab (`gan-lessons lab`, fast mode) in headless Chromium.

Each test opens a lesson, runs only the cells its widget needs (the setup cell, the cells that define what the widget
is given, the widget's cell) through JupyterLab's interface, then uses the widget as a student would — arrow keys on
a slider, a click on a digit, a letter and *Check* in the quiz — and checks that the widget's output changed as it
should and that no error appeared anywhere (cells, widget outputs, the kernel's messages, the page).  The cell's
picture before and after goes to runs/browser-artefacts/.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import LabServer, LessonPage


def _image(lesson: LessonPage, index: int):
    """The picture in the widget's output area of cell ``index`` (its data: URL), or None while it is redrawn."""
    images = lesson.cell(index).locator(".widget-output img")
    return images.get_attribute("src", timeout=5_000) if images.count() == 1 else None


def _slider(lesson: LessonPage, index: int, label: str):
    return lesson.cell(index).locator(".widget-slider", has=lesson.page.locator("label", has_text=label))


def _press(lesson: LessonPage, slider, key: str, times: int) -> None:
    slider.locator(".noUi-handle").focus()
    for _ in range(times):
        lesson.page.keyboard.press(key)


def _check_slider_redraws(lesson: LessonPage, index: int, label: str, steps: int, readout: str, start: str) -> None:
    """Arrow keys move the slider ``label`` ``steps`` steps (its readout then shows ``readout``): the picture changes;
    the same number of steps back (readout ``start`` again) brings back the first picture, byte for byte."""
    slider = _slider(lesson, index, label)
    assert slider.count() == 1, f"no slider {label!r} in the widget"
    lesson.wait_for(lambda: _image(lesson, index) is not None, True, "the widget's picture is shown")
    first = _image(lesson, index)
    lesson.screenshot("before", index)
    _press(lesson, slider, "ArrowRight", steps)
    lesson.wait_for(lambda: slider.locator(".widget-readout").inner_text(), readout, f"the readout of {label!r}")
    moved = lesson.settle(lambda: _image(lesson, index), first, f"the picture after moving {label!r}")
    assert moved != first
    lesson.screenshot("after", index)
    lesson.assert_no_errors(f"after moving {label!r}")
    _press(lesson, slider, "ArrowLeft", steps)
    lesson.wait_for(lambda: slider.locator(".widget-readout").inner_text(), start, f"the readout of {label!r}")
    lesson.settle(lambda: _image(lesson, index), moved, f"the picture after moving {label!r} back")
    assert _image(lesson, index) == first, f"moving {label!r} back did not bring back the first picture"
    lesson.assert_no_errors(f"after moving {label!r} back")


def _run_with_shipped_generator(lesson: LessonPage, model: str, widget_call: str) -> int:
    """Run what the widgets of lessons 03 and 04 need -- the setup and parameters cells, the shipped ``model``
    generator, ``explore = pretrained`` (no training) -- then the widget's cell (the one calling ``widget_call``);
    returns that cell's index."""
    widget = lesson.index(contains=widget_call)
    needed = [
        lesson.index(tag="setup"),
        lesson.index(tag="parameters"),
        lesson.index(contains=f'pretrained = gl.pretrained.load_generator("{model}")'),
        lesson.index(contains="explore = pretrained"),
        widget,
    ]
    for index in needed:
        lesson.run(index)
    return widget


def test_lesson_01_d_star_explorer(open_lesson):
    lesson = open_lesson("01_theory.ipynb")
    widget = lesson.index(contains="gl.theory.theory_explorer()")
    for index in (lesson.index(tag="setup"), widget):
        lesson.run(index)
    cell = lesson.cell(widget)
    assert cell.locator(".widget-slider").count() == 2, "the explorer has two sliders (p_g mean, p_g std)"
    _check_slider_redraws(lesson, widget, "p_g mean", steps=5, readout="1.00", start="0.50")


def test_lesson_03_latent_explorer(open_lesson):
    lesson = open_lesson("03_dcgan.ipynb")
    widget = _run_with_shipped_generator(lesson, "dcgan", "gl.dcgan.latent_explorer(")
    assert lesson.cell(widget).locator(".widget-slider").count() == 5, "start z and four directions"
    _check_slider_redraws(lesson, widget, "direction 1", steps=4, readout="1.00", start="0.00")


def test_lesson_04_digit_picker(open_lesson):
    lesson = open_lesson("04_conditional_gan.ipynb")
    widget = _run_with_shipped_generator(lesson, "cgan", "gl.conditional.digit_picker(")
    cell = lesson.cell(widget)
    buttons = cell.locator(".widget-toggle-buttons button")
    assert buttons.all_inner_texts() == [str(d) for d in range(10)], "one button per digit"

    def active():
        return cell.locator(".widget-toggle-buttons button.mod-active").all_inner_texts()

    assert active() == ["7"], "the picker starts on 7"
    lesson.wait_for(lambda: _image(lesson, widget) is not None, True, "the digit's picture is shown")
    seven = _image(lesson, widget)
    lesson.screenshot("before", widget)
    buttons.filter(has_text="3").click()
    lesson.wait_for(active, ["3"], "the chosen digit")
    three = lesson.settle(lambda: _image(lesson, widget), seven, "the picture after choosing 3")
    assert three != seven
    lesson.screenshot("after", widget)
    lesson.assert_no_errors("after choosing 3")
    buttons.filter(has_text="7").click()
    lesson.wait_for(active, ["7"], "the chosen digit")
    lesson.settle(lambda: _image(lesson, widget), three, "the picture after choosing 7 again")
    assert _image(lesson, widget) == seven, "choosing 7 again did not bring back the first 7"
    lesson.assert_no_errors("after choosing 7 again")


def _parameters(lesson: LessonPage) -> dict:
    """The values of the lesson's parameters cell (plain literals), as the kernel has them."""
    values: dict = {}
    exec("".join(lesson.cells_json[lesson.index(tag="parameters")]["source"]), {}, values)
    return values


def _attempts(lab: LabServer) -> list[tuple[str, int]]:
    """The (question id, rating) pairs lesson 09's progress file holds (it is written by the kernel)."""
    if not lab.progress.exists():
        return []
    return [(a["id"], a["rating"]) for a in json.loads(lab.progress.read_text())["attempts"]]


def test_lesson_09_quiz_and_mock_interview(open_lesson, lab):
    from gan_lessons.interview import bank

    lesson = open_lesson("09_interview_prep.ipynb")
    quiz = lesson.index(contains="gl.interview.quiz(")
    mock = lesson.index(contains="mock_interview_widget(")
    for index in (lesson.index(tag="setup"), lesson.index(tag="parameters"), quiz, mock):
        lesson.run(index)
    params = _parameters(lesson)
    chosen = bank.pick(params["TOPIC"], params["QUIZ_QUESTIONS"], params["SEED"])  # what the widget shows

    # The quiz: one box per question, each with its letters, Check and an empty feedback line.  The first question
    # is answered right, the second checked without a letter, the third answered wrong; the feedback must be the
    # package's grade of the shown (shuffled) question, and the progress file must hold the two answers.
    cell = lesson.cell(quiz)
    boxes = cell.locator(".jp-OutputArea-output > .widget-vbox > .widget-vbox")
    assert boxes.count() == len(chosen) == params["QUIZ_QUESTIONS"]
    first, second, third = (boxes.nth(i) for i in range(3))

    def feedback(box):
        return box.locator(".widget-htmlmath").last.inner_text().strip()

    def answer(box, mcq, letter: str) -> None:
        box.locator(".widget-toggle-buttons").get_by_role("button", name=letter, exact=True).click()
        box.get_by_role("button", name="Check").click()
        mark = str(bank.grade(mcq, letter)).split("]:")[0] + "]"  # "✅ correct [id]" or "❌ you chose (a), ... [id]"
        lesson.wait_for(lambda: feedback(box).startswith(mark), True, f"the feedback (expected to start {mark!r})")

    assert [feedback(box) for box in (first, second, third)] == ["", "", ""]
    lesson.screenshot("quiz-before", [first, third])
    answer(first, chosen[0], chosen[0].answer)
    second.get_by_role("button", name="Check").click()  # no letter chosen
    lesson.wait_for(lambda: feedback(second), "Choose a letter first.", "the feedback to Check without a letter")
    wrong = next(letter for letter in bank.LETTERS if letter != chosen[2].answer)
    answer(third, chosen[2], wrong)
    lesson.screenshot("quiz-after", [first, third])
    lesson.assert_no_errors("after checking answers")
    saved = [(chosen[0].id, 3), (chosen[2].id, 0)]
    lesson.wait_for(lambda: _attempts(lab), saved, "the progress file after two graded answers")

    # The mock interview: show the model answer, rate it 2, which saves it.
    cell = lesson.cell(mock)
    body = cell.locator(".widget-htmlmath").nth(1)
    ratings = [cell.get_by_role("button", name=str(r), exact=True) for r in range(4)]

    def disabled():
        return [button.is_disabled() for button in ratings]

    assert body.inner_text().strip() == "" and disabled() == [True] * 4
    lesson.screenshot("mock-before", mock)
    cell.get_by_role("button", name="Show the model answer").click()
    lesson.wait_for(lambda: body.inner_text().strip().startswith("You took"), True, "the model answer")
    lesson.wait_for(disabled, [False] * 4, "the rating buttons' disabled states once the answer is shown")
    ratings[2].click()
    lesson.wait_for(disabled, [True] * 4, "the rating buttons' disabled states once the rating is saved")
    lesson.wait_for(lambda: len(_attempts(lab)), 3, "the number of answers in the progress file")
    assert _attempts(lab)[-1][1] == 2, "the mock interview's answer is saved with its rating"
    lesson.screenshot("mock-after", mock)
    lesson.assert_no_errors("after rating the mock interview's answer")
