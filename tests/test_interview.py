import re
import sys
from pathlib import Path

import numpy as np
import pytest

from gan_lessons import exercise, interview, stylegan, vanilla, wgan

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# The topics issue 11 asks the bank to cover.
REQUIRED_TOPICS = set(interview.TOPICS)


def test_bank_sizes():
    bank = interview.load_bank()
    assert len(bank.questions) >= 100
    assert len(bank.mcqs) >= 50
    assert len(bank.scenarios) >= 5
    assert len(interview.drills.DRILLS) >= 15


def test_every_question_has_an_answer_and_a_lesson_that_exists():
    for q in interview.questions():
        assert q.question.strip().endswith(("?", ".")), q.id
        assert len(q.answer.split()) >= 25, q.id  # a real answer, not a stub
        assert (NOTEBOOKS / f"{q.lesson}.ipynb").exists(), q.id


def test_every_topic_is_covered():
    assert {q.topic for q in interview.questions()} == REQUIRED_TOPICS
    assert len({q.topic for q in interview.mcqs()}) >= 10


def test_every_mcq_has_exactly_one_correct_option_and_an_explanation():
    for q in interview.mcqs():
        assert 3 <= len(q.options) <= 5, q.id
        assert len(set(q.options)) == len(q.options), q.id
        assert [letter == q.answer for letter in interview.bank.LETTERS[: len(q.options)]].count(True) == 1, q.id
        assert len(q.explanation.split()) >= 10, q.id
        assert (NOTEBOOKS / f"{q.lesson}.ipynb").exists(), q.id


def test_filters():
    wgan = interview.questions(topic="wgan")
    assert wgan and all(q.topic == "wgan" for q in wgan)
    lesson_05, stylegan_mcqs = interview.questions(lesson="05_wgan_gp"), interview.mcqs("stylegan")
    assert lesson_05 and all(q.lesson == "05_wgan_gp" for q in lesson_05)
    assert stylegan_mcqs and all(q.topic == "stylegan" for q in stylegan_mcqs)
    with pytest.raises(ValueError, match="Unknown topic 'gans'; choose one of basics"):
        interview.questions(topic="gans")
    with pytest.raises(ValueError, match="Unknown lesson"):
        interview.questions(lesson="99_magic")


def test_grade_right_wrong_and_unanswered():
    right = interview.grade("mcq-optimal-d", "b")
    assert right.correct and str(right).startswith("✅")
    wrong = interview.grade("mcq-optimal-d", "(C) ")
    assert not wrong.correct and "you chose (c), the answer is (b)" in str(wrong)
    assert interview.grade("mcq-optimal-d", ...).chosen is None
    assert "(b)" not in str(interview.grade("mcq-optimal-d", None))  # an unanswered question keeps its secret
    with pytest.raises(ValueError, match="one of the letters a, b, c, d"):
        interview.grade("mcq-optimal-d", "e")
    with pytest.raises(ValueError, match="No multiple-choice question 'nope'"):
        interview.grade("nope", "a")


def test_grade_all_scores():
    key = {q.id: q.answer for q in interview.mcqs()}
    assert interview.grade_all(key).correct == len(key)
    wrong = {i: ("a" if a != "a" else "b") for i, a in key.items()}
    assert interview.grade_all(wrong).correct == 0
    wrong_jsd = "b" if key["mcq-jsd"] != "b" else "c"
    assert "Score: 0 / 2 (1 answered)." in str(interview.grade_all({"mcq-jsd": wrong_jsd, "mcq-cycle": None}))


def test_text_quiz_without_widgets(capsys):
    asked = iter(q.answer for q in interview.pick("wgan", seed=5))  # the keys of the options as shown
    score = interview.text_quiz("wgan", seed=5, ask=lambda prompt: next(asked))
    assert score.correct == len(interview.mcqs("wgan")) > 0
    out = capsys.readouterr().out
    assert "a) " in out and f"Score: {score.correct} / {score.correct}." in out
    skipped = interview.text_quiz("wgan", n=2, seed=1, ask=lambda prompt: "")
    assert skipped.correct == 0 and all(g.chosen is None for g in skipped.grades)
    typo = interview.text_quiz("wgan", n=1, ask=lambda prompt: "z")
    assert typo.grades[0].chosen is None


def test_widget_quiz_grades_a_click():
    box = interview.quiz(topic="theory", n=2, seed=4)
    first = box.children[0]
    choice, button = first.children[1].children
    feedback = first.children[2]
    button.click()
    assert feedback.value == "Choose a letter first."
    q = interview.pick("theory", n=2, seed=4)[0]
    choice.value = q.answer
    button.click()
    assert feedback.value.startswith("✅")
    choice.value = next(x for x in choice.options if x != q.answer)
    button.click()
    assert feedback.value.startswith("❌")


def test_quiz_falls_back_to_text_without_ipywidgets(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    assert interview.quiz("wgan", n=1) is None
    assert "interview.grade('<id>', '<letter>')" in capsys.readouterr().out


def test_pick_is_reproducible_with_a_seed_and_new_without():
    assert interview.pick(n=5, seed=3) == interview.pick(n=5, seed=3)
    draws = {tuple((q.id, q.options) for q in interview.pick(n=5)) for _ in range(5)}
    assert len(draws) > 1  # without a seed, every attempt is a new draw
    orders = {q.options for _ in range(20) for q in interview.pick(seed=None) if q.id == "mcq-optimal-d"}
    assert len(orders) > 1  # ... with its options in a new order
    assert len(interview.pick(n=5)) == 5
    with pytest.raises(ValueError, match="n must be a positive whole number"):
        interview.pick(n=0)


Q = '[[question]]\nid="x"\ntopic="{topic}"\nlesson="05_wgan_gp"\nlevel="{level}"\nquestion="q"\nanswer="a"\n{extra}'


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '[[mcq]]\nid="x"\ntopic="wgan"\nlesson="05_wgan_gp"\nlevel="junior"\nquestion="q"\noptions=["a","b"]\n'
            'answer="c"\nexplanation="e"\n',
            "one correct letter",
        ),
        (Q.format(topic="gans", level="junior", extra=""), "unknown topic"),
        (Q.format(topic="wgan", level="junior", extra="") * 2, "repeats ids"),
        (Q.format(topic="wgan", level="expert", extra=""), "level must be one of junior, senior, research"),
        (
            Q.format(topic="wgan", level="junior", extra="").replace('answer="a"', 'answer="  "'),
            "non-empty model answer",
        ),
        (Q.format(topic="wgan", level="junior", extra='follow_ups=["x"]\n'), "follow_ups must name other questions"),
        ('[[question]]\nid="x"\ntopic="wgan"\nlesson="05_wgan_gp"\nquestion="q"\nanswer="a"\n', "missing 1 required"),
        ("[[question]\n", "not valid TOML"),
    ],
)
def test_a_broken_bank_fails_clearly(tmp_path, text, message):
    path = tmp_path / "bank.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        interview.load_bank(path)


def test_scenarios_reproducers_exist():
    names = [s.reproduce for s in interview.scenarios() if s.reproduce]
    assert len(names) >= 4
    assert all(callable(getattr(interview.debugging, name)) for name in names)


def test_reproduce_checkerboard():
    out = interview.debugging.reproduce_checkerboard()
    assert np.ptp(out["kernel 4"]) == 0
    assert set(np.unique(out["kernel 3"])) == {1.0, 2.0, 4.0}


def test_reproduce_d_wins():
    out = interview.debugging.reproduce_d_wins()
    stuck, moving = out["minimax"], out["non_saturating"]
    assert stuck["d_loss"] < 0.05 and stuck["d_of_fake"] < 0.01 and stuck["gradient"] < 0.01
    assert stuck["sample_mean"] < 2.0 < 3.0 < moving["sample_mean"]


def test_reproduce_unconstrained_critic():
    out = interview.debugging.reproduce_unconstrained_critic(checkpoints=(300, 600))
    assert out["gradient penalty"][-1] == pytest.approx(2.0, abs=0.4)
    assert out["no constraint"][-1] > out["no constraint"][0] > 10 * out["gradient penalty"][-1]


def test_reproduce_divergence():
    assert interview.debugging.reproduce_divergence().startswith("Training diverged at step")


REFERENCE_FIXES = {
    "keras3-freeze": interview.solutions.make_trainers,
    "clip-gradients": interview.solutions.critic_update,
    "sigmoid-critic": interview.solutions.critic_without_sigmoid,
    "batch-norm-critic": wgan.solutions.fixed_critic,
    "zero-parameter-block": stylegan.solutions.FixedStyleBlock,
    "empty-slice": interview.solutions.digit_image,
    "rmse-loss": vanilla.solutions.generator_loss,
    "format-a-list": interview.solutions.report,
    "gradient-ascent": vanilla.solutions.generator_loss,
    "normal-interpolation": interview.solutions.interpolation_weights,
    "swapped-labels": interview.solutions.gan_losses,
    "max-pool-discriminator": interview.solutions.strided_discriminator,
    "precision-unique": interview.solutions.precision,
    "swapped-strides": interview.solutions.upsampling_generator,
    "clip-only-wgan-gp": interview.solutions.gradient_penalty_update,
    "d-loss-sign": interview.solutions.discriminator_loss,
}


def test_every_drill_has_a_reference_fix():
    assert set(REFERENCE_FIXES) == {d.id for d in interview.drills.DRILLS}


@pytest.mark.parametrize("drill_id", list(REFERENCE_FIXES))
def test_drill_rejects_its_snippet_and_accepts_the_fix(drill_id):
    flawed = interview.drills.buggy(drill_id)
    result = interview.drills.check(drill_id, flawed)
    assert result.status == exercise.WRONG and result.message
    assert interview.drills.check(drill_id, REFERENCE_FIXES[drill_id]).status == exercise.CORRECT
    assert interview.drills.check(drill_id, ...).status == exercise.NOT_ATTEMPTED
    assert interview.drills.drill(drill_id).snippet.strip() in interview.drills.drill(drill_id).markdown()


def test_negated_generator_loss_gets_its_own_hint():
    result = interview.drills.check("gradient-ascent", interview.drills.buggy("gradient-ascent"))
    assert "pushes D(G(z)) down" in result.message


def test_drill_prompts_name_what_the_drill_defines():
    """Drills reuse the lessons' checks; their prompts name the drill's function, not the lesson's."""
    for found in interview.drills.DRILLS:
        message = interview.drills.check(found.id, ...).message
        named = re.search(r"write (?:the class )?([A-Za-z_]\w*)", message)
        assert named, f"{found.id}: {message!r} names nothing to write"
        assert re.search(rf"\b{named.group(1)}\b", found.snippet + found.task), f"{found.id}: {message!r}"


def test_unknown_drill():
    with pytest.raises(ValueError, match="No drill 'x'; choose one of keras3-freeze"):
        interview.drills.drill("x")


def test_questions_by_id():
    assert [q.id for q in interview.questions(ids=["fid", "what-is-a-gan"])] == ["what-is-a-gan", "fid"]
    with pytest.raises(ValueError, match=r"No questions with ids \['nope'\]"):
        interview.questions(ids=["nope"])


def test_the_bank_ships_inside_the_package():
    # A wheel (Colab installs one) carries only the package data that pyproject.toml names.
    root = Path(__file__).resolve().parents[1]
    with open(root / "pyproject.toml", "rb") as f:
        settings = interview.bank.tomllib.load(f)
    assert interview.bank.BANK_FILE.name in settings["tool"]["setuptools"]["package-data"]["gan_lessons.interview"]
    assert interview.bank.BANK_FILE.parent == root / "gan_lessons" / "interview"
    assert "gan_lessons.interview" in settings["tool"]["setuptools"]["packages"]


def test_cli_quiz_and_questions(monkeypatch, capsys):
    from gan_lessons import cli

    first = interview.pick("wgan", n=2, seed=7)
    replies = iter([first[0].answer, ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(replies))
    assert cli.main(["quiz", "--topic", "wgan", "-n", "2", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    assert f"✅ correct [{first[0].id}]" in out and "Score: 1 / 2." in out

    def closed(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", closed)
    assert cli.main(["quiz", "-n", "1"]) == 0
    assert "Quiz stopped; the answers given are saved." in capsys.readouterr().out
    assert cli.main(["questions", "--topic", "ethics", "--answers"]) == 0
    out = capsys.readouterr().out
    assert out.count("lesson 09_interview_prep] ") == len(interview.questions("ethics"))
    assert "C2PA" in out


def test_question_markdown_links_its_lesson_and_folds_the_answer():
    q = interview.questions(ids=["fid"])[0]
    text = q.markdown()
    assert '<a href="08_evaluating_gans.ipynb">' in text and text.startswith("<details>")
    assert text.index("</summary>") < text.index(q.answer.strip()[:40])
    assert q.answer.strip()[:40] not in q.markdown(answer=False)
