"""Lesson 09's practice that persists: progress, spaced repetition, the mock interview, its CLI and widget,
and a quiz that test-taking tricks cannot beat."""

import collections
import datetime
import json
import random
import subprocess
import sys

import pytest

from gan_lessons import interview
from gan_lessons.interview import practice


class Clock:
    """A settable 'now' for spaced repetition."""

    def __init__(self):
        self.now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

    def __call__(self):
        return self.now

    def days(self, n):
        self.now += datetime.timedelta(days=n)


def test_a_good_answer_moves_up_a_box_and_a_weak_one_starts_again(tmp_path):
    clock = Clock()
    progress = practice.Progress(tmp_path / "p.json", now=clock)
    progress.record("fid", 3, seconds=41.26)
    assert progress.boxes["fid"] == 1 and not progress.is_due("fid")  # back in 1 day
    clock.days(1)
    assert progress.is_due("fid")
    progress.record("fid", 2)
    assert progress.boxes["fid"] == 2 and not progress.is_due("fid")
    clock.days(2)
    assert not progress.is_due("fid")  # box 2 waits 3 days
    clock.days(1)
    assert progress.is_due("fid")
    progress.record("fid", 1)  # weak: box 0, due at once, and listed as missed
    assert progress.boxes["fid"] == 0 and progress.is_due("fid") and progress.missed() == ["fid"]
    again = practice.Progress(tmp_path / "p.json", now=clock)  # saved after every answer
    assert [(a.id, a.rating) for a in again.attempts] == [("fid", 3), ("fid", 2), ("fid", 1)]
    assert again.attempts[0].seconds == 41.3 and again.boxes == {"fid": 0}
    for bad in (4, -1, 2.5, "2", True):
        with pytest.raises(ValueError, match="rating must be a whole number from 0 to 3"):
            progress.record("fid", bad)


def test_boxes_top_out_at_the_longest_interval(tmp_path):
    progress = practice.Progress(tmp_path / "p.json")
    for _ in range(10):
        progress.record("fid", 3)
    assert progress.boxes["fid"] == len(practice.INTERVALS_DAYS) - 1


def test_quiz_grades_are_saved_as_right_or_wrong(tmp_path):
    progress = practice.Progress(tmp_path / "p.json")
    mcq = interview.mcqs()[0]
    wrong = next(letter for letter in "abcd" if letter != mcq.answer)
    progress.record_grade(interview.grade(mcq.id, mcq.answer))
    progress.record_grade(interview.grade(mcq.id, None))  # unanswered: not saved
    assert [a.rating for a in progress.attempts] == [3]
    progress.record_grade(interview.grade(mcq.id, wrong))
    assert progress.last_rating(mcq.id) == 0 and progress.missed() == [mcq.id]


def test_mastery_counts_per_topic(tmp_path):
    progress = practice.Progress(tmp_path / "p.json")
    fid = interview.questions(ids=["fid"])[0]
    progress.record("fid", 3)
    progress.record("what-is-a-gan", 0)
    rows = {row["topic"]: row for row in progress.mastery()}
    assert rows[fid.topic]["known"] == 1 and rows[fid.topic]["answered"] == 1
    assert rows["basics"]["known"] == 0 and rows["basics"]["answered"] == 1 and rows["basics"]["due"] == 1
    assert sum(row["items"] for row in rows.values()) == len(interview.questions()) + len(interview.mcqs())
    assert "1 of" in progress.summary().splitlines()[-1]


def test_a_corrupt_progress_file_says_what_to_do(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    with pytest.raises(practice.ProgressError, match="cannot be read .* Move it away or delete it"):
        practice.Progress(path)
    path.write_text(json.dumps({"attempts": []}))
    with pytest.raises(ValueError, match="KeyError"):
        practice.Progress(path)


def test_progress_goes_to_drive_in_colab_and_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.delenv(practice.PROGRESS_ENV, raising=False)
    monkeypatch.setattr(practice, "DRIVE", tmp_path / "MyDrive")
    assert practice.progress_path().parent.name == ".gan_lessons"
    (tmp_path / "MyDrive").mkdir()
    assert practice.progress_path() == tmp_path / "MyDrive" / "gan_lessons" / "progress.json"
    monkeypatch.setenv(practice.PROGRESS_ENV, str(tmp_path / "mine.json"))
    assert practice.progress_path() == tmp_path / "mine.json"


def test_next_question_follows_up_then_due_then_new(tmp_path):
    clock = Clock()
    progress = practice.Progress(tmp_path / "p.json", now=clock)
    pool = interview.questions()
    with_follow_ups = next(q for q in pool if q.follow_ups)
    rng = random.Random(0)
    follow = practice.next_question(pool, progress, {with_follow_ups.id}, with_follow_ups, rng)
    assert follow.id == with_follow_ups.follow_ups[0]
    progress.record("fid", 0)  # due at once
    assert practice.next_question(pool, progress, set(), None, rng).id == "fid"
    assert practice.next_question(pool, progress, {"fid"}, None, rng).id not in progress.boxes  # then a new one
    assert practice.next_question(pool, progress, {q.id for q in pool}, None, rng) is None


def test_mock_interview_times_reveals_rates_and_saves(tmp_path, capsys):
    progress = practice.Progress(tmp_path / "p.json")
    replies = iter(["my answer", "x", "2", "", "0", "", "q"])
    ticks = iter([0.0, 12.0, 100.0, 103.0, 200.0, 250.0])
    attempts = practice.mock_interview(
        topic="wgan", n=3, seed=1, progress=progress, ask=lambda prompt: next(replies), clock=lambda: next(ticks)
    )
    out = capsys.readouterr().out
    assert [a.rating for a in attempts] == [2, 0] and [a.seconds for a in attempts] == [12.0, 3.0]
    assert "You took 12 s." in out and "Type 0, 1, 2 or 3" in out and "2 answered." in out
    first = interview.questions(ids=[attempts[0].id])[0]
    assert first.topic == "wgan" and first.answer.strip()[:60] in out
    retried = practice.mock_interview(
        topic="wgan", n=5, retry=True, progress=progress, ask=lambda prompt: "3", clock=lambda: 0.0
    )
    assert [a.id for a in retried] == [attempts[1].id]  # only the one answered weakly
    assert practice.mock_interview(topic="wgan", retry=True, progress=progress, ask=lambda p: "3") == []


def test_mock_interview_follows_up_in_the_same_session(tmp_path, monkeypatch):
    question = next(q for q in interview.questions() if q.follow_ups)
    progress = practice.Progress(tmp_path / "p.json")
    for follow_up in question.follow_ups:  # known and not due: only the follow-up rule can bring one now
        progress.record(follow_up, 3)
    pool = [q for q in interview.questions() if q.id in {question.id, *question.follow_ups}]
    monkeypatch.setattr(practice, "questions", lambda topic=None, level=None: pool)

    def ask(prompt):
        return "3" if prompt.startswith("Rate") else ""

    chain = practice.mock_interview(n=2, seed=0, progress=progress, ask=ask, clock=lambda: 0.0)
    assert [a.id for a in chain] == [question.id, question.follow_ups[0]]


def test_mock_interview_widget_reveals_then_saves_a_rating(tmp_path):
    progress = practice.Progress(tmp_path / "p.json")
    box = practice.mock_interview_widget(topic="evaluation", seed=0, progress=progress)
    head, reveal, body, rating, next_button, note = box.children
    buttons = rating.children[1:]
    assert [b.description for b in buttons] == ["0", "1", "2", "3"]
    assert "evaluation" in head.value and body.value == "" and all(b.disabled for b in buttons)
    buttons[2].click()  # disabled: a rating before the answer is shown saves nothing
    assert progress.attempts == []
    reveal.click()
    assert "You took" in body.value and not any(b.disabled for b in buttons)
    buttons[3].click()
    assert [a.rating for a in progress.attempts] == [3] and all(b.disabled for b in buttons)
    first = head.value
    next_button.click()
    assert head.value != first and body.value == "" and all(b.disabled for b in buttons)


def test_the_quiz_cannot_be_beaten_by_length_or_position():
    mcqs = interview.mcqs()
    longest = sum(len(q.options[interview.bank.LETTERS.index(q.answer)]) >= max(map(len, q.options)) for q in mcqs)
    assert longest / len(mcqs) < 0.4, f"the longest option is the key in {longest} of {len(mcqs)}"
    letters = collections.Counter(q.answer for q in mcqs)
    assert max(letters.values()) / len(mcqs) < 0.4, letters
    for seed in range(3):  # and as shown: options shuffled, the key moves with its option
        for shown in interview.pick(seed=seed):
            stored = interview.mcqs()[[q.id for q in mcqs].index(shown.id)]
            assert sorted(shown.options) == sorted(stored.options)
            assert (
                shown.options[interview.bank.LETTERS.index(shown.answer)]
                == stored.options[interview.bank.LETTERS.index(stored.answer)]
            )


def test_every_level_is_used_and_questions_follow_up():  # the bank's sizes: test_interview.test_bank_sizes
    bank = interview.load_bank()
    assert set(interview.bank.LEVELS) == {q.level for q in bank.questions}
    assert sum(bool(q.follow_ups) for q in bank.questions) >= 40


def test_cli_interview_progress_and_drills(monkeypatch, capsys, tmp_path):
    from gan_lessons import cli

    path = tmp_path / "p.json"
    replies = iter(["", "3", "", "1"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(replies))
    with pytest.raises(SystemExit):
        cli.main(["interview", "--level", "expert"])
    assert cli.main(["interview", "--topic", "evaluation", "-n", "2", "--progress", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Model answer" in out and "2 answered." in out
    assert cli.main(["progress", "--progress", str(path)]) == 0
    assert "evaluation" in capsys.readouterr().out and len(json.loads(path.read_text())["attempts"]) == 2
    path.write_text("garbage")
    assert cli.main(["progress", "--progress", str(path)]) == 1
    assert "Move it away or delete it" in capsys.readouterr().err

    assert cli.main(["drill"]) == 0
    listing = capsys.readouterr().out
    assert all(d.id in listing for d in interview.drills.DRILLS)
    assert cli.main(["drill", "d-loss-sign"]) == 0
    assert "log(1.0 - d_fake)" in capsys.readouterr().out
    fix = tmp_path / "fix.py"
    fix.write_text(
        "from keras import ops\n\n\ndef discriminator_loss(real_logits, fake_logits):\n"
        "    return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))\n"
    )
    assert cli.main(["drill", "d-loss-sign", "--check", str(fix)]) == 0
    assert "correct" in capsys.readouterr().out
    fix.write_text("def discriminator_loss(real_logits, fake_logits):\n    return 0.0\n")
    assert cli.main(["drill", "d-loss-sign", "--check", str(fix)]) == 1
    fix.write_text("x = 1\n")
    assert cli.main(["drill", "d-loss-sign", "--check", str(fix)]) == 1
    assert "defines no `discriminator_loss`" in capsys.readouterr().err
    assert cli.main(["drill", "zero-parameter-block"]) == 0
    assert "Write `StyleBlock`" in capsys.readouterr().out


def test_interview_and_progress_start_without_tensorflow(tmp_path):
    code = (
        "import sys\n"
        "from gan_lessons import cli\n"
        f"assert cli.main(['progress', '--progress', {str(tmp_path / 'p.json')!r}]) == 0\n"
        "assert cli.main(['questions', '--level', 'research']) == 0\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_explanations_name_options_by_content_not_by_letter():
    """Options are shuffled when shown, so "option c" in an explanation would point at the wrong one."""
    import re

    by_letter = re.compile(r"\b[Oo]ptions? \(?[a-e]\)?\b|\([a-e]\)|\b[a-e]\) ")
    assert [q.id for q in interview.mcqs() if by_letter.search(q.explanation)] == []


def test_readme_counts_are_the_bank_s():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    bank = interview.load_bank()
    assert f"a question bank of {len(bank.questions)} questions" in readme
    assert f"a graded quiz of {len(bank.mcqs)} multiple-choice questions" in readme
    assert f"{len(interview.drills.DRILLS)} spot-the-bug drills" in readme


def test_paths_in_the_home_folder_are_shown_with_a_tilde():
    from pathlib import Path

    assert practice.shown(Path.home() / ".gan_lessons" / "progress.json") == "~/.gan_lessons/progress.json"
    outside = Path("/") / "srv" / "progress.json"
    assert practice.shown(outside) == str(outside)
