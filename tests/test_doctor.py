"""Issue 23: `gan-lessons doctor`, quiet start-up, and a benchmark synchronised on any device."""

import json
import subprocess
import sys
import textwrap

import pytest

from gan_lessons import cli, doctor
from gan_lessons.core import quiet

NOISE = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "I0000 00:00:1796032385.642391    8430 port.cc:153] oneDNN custom operations are on. You may see slightly",
    "I0000 00:00:1796032385.642728    8430 cudart_stub.cc:31] Could not find cuda drivers on your machine.",
    "W0000 00:00:1796032385.642728    8430 cuda_dnn.cc:8310] Unable to register cuDNN factory",
    "To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow with the",
    "E0000 00:00:1796032391.755808    8430 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error",
]
KEPT = [
    "E0000 00:00:1796032391.755808    8430 cuda_executor.cc:12] could not allocate 4.0 GiB: out of memory",
    "F0000 00:00:1796032391.755808    8430 fatal.cc:1] check failed",
    "Traceback (most recent call last):",
    "error: samples.npz does not exist.",
]


def test_startup_noise_is_told_from_real_errors():
    assert all(quiet.is_startup_noise(line) for line in NOISE)
    assert not any(quiet.is_startup_noise(line) for line in KEPT)


@pytest.mark.parametrize("show", ["", "1"])
def test_native_lines_are_held_back_and_everything_else_passes(show):
    """What C++ writes to file descriptor 2 inside the block: noise dropped, the rest passed on (all of it with
    GAN_LESSONS_TF_LOGS=1); a Python exception raised inside still reaches the caller."""
    code = textwrap.dedent(
        f"""
        import os, sys
        from gan_lessons.core.quiet import quiet_native_logs
        try:
            with quiet_native_logs():
                os.write(2, {(chr(10).join(NOISE + KEPT) + chr(10))!r}.encode())
                print("from python", file=sys.stderr)
                raise KeyError("inside")
        except KeyError:
            print("caught", file=sys.stderr)
        """
    )
    env = {"GAN_LESSONS_TF_LOGS": show, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    lines = done.stderr.splitlines()
    expected = NOISE + KEPT if show else KEPT
    assert lines == [*expected, "from python", "caught"]


def test_a_cli_command_shows_the_course_lines_not_tensorflows():
    done = subprocess.run(
        [sys.executable, "-m", "gan_lessons", "info"], capture_output=True, text=True, check=True, timeout=300
    )
    assert "Device:" in done.stdout
    assert not any(quiet.is_startup_noise(line) for line in done.stderr.splitlines()), done.stderr


@pytest.fixture(scope="module")
def report():
    return doctor.diagnose(bench=True)  # about 20 s on a 2-core CPU: done once


def test_doctor_reports_everything_in_one_screen(report):
    screen = doctor.format_report(report)
    for part in ("tensorflow", "keras", "python", "device", "precision", "speed", "MNIST", "checkpoints"):
        assert part in screen
    assert report["ready"] and screen.strip().splitlines()[-1].startswith("Ready for class.")  # not in Colab
    assert len(screen.splitlines()) <= 25  # one screen


def test_doctor_json_says_what_was_timed_and_synchronised(report, capsys):
    speed = report["speed"]
    assert speed["synchronised"].startswith("both") and speed["statistic"] == "median" and speed["repeats"] == 2
    assert speed["package_images_per_s"] > 0 and speed["reference_images_per_s"] > 0
    assert cli.main(["doctor", "--json", "--no-bench"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert "speed" not in line and line["ready"] is True
    assert [v["package"] for v in line["versions"]] == ["python", "tensorflow", "keras"]


def test_doctor_declares_the_packages_range():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
    declared = {d.split(">")[0].split("<")[0].split("=")[0]: d for d in project["dependencies"]}
    assert doctor.declared_range("tensorflow") in declared["tensorflow"]
    assert doctor.declared_range("keras") in declared["keras"]
    assert doctor.declared_range("python") == project["requires-python"]


def test_doctor_says_what_to_do_when_not_ready(monkeypatch, capsys):
    """An old Keras, and Colab without a GPU and without Drive: the report says NO and what to do."""
    from gan_lessons.tools import notebook

    real_check = doctor.version_check

    def old_keras(package, version, specifier):
        return real_check(package, *(("3.0.0", ">=3.5") if package == "keras" else (version, specifier)))

    monkeypatch.setattr(doctor, "version_check", old_keras)
    monkeypatch.setattr(notebook, "in_colab", lambda: True)
    monkeypatch.setattr(doctor, "DRIVE", doctor.Path("/nonexistent/MyDrive"))
    report = doctor.diagnose(bench=False)
    assert report["ready"] is False
    assert any("keras 3.0.0 is outside the declared range >=3.5" in t for t in report["todo"])
    if report["device"]["device"] == "CPU":
        assert any("Change runtime type" in t for t in report["todo"])
    assert any("drive.mount" in a for a in report["advice"])
    screen = doctor.format_report(report)
    assert "NO  keras" in screen and screen.strip().endswith(f"({report['seconds']:g} s)")
    assert "Not ready" in screen


def test_doctor_with_drive_mounted(monkeypatch, tmp_path):
    from gan_lessons.tools import notebook

    monkeypatch.setattr(notebook, "in_colab", lambda: True)
    monkeypatch.setattr(doctor, "DRIVE", tmp_path)
    status = doctor.checkpoint_status()
    assert status["where"] == "drive" and "advice" not in status


def test_benchmark_refuses_no_warmup():
    from gan_lessons import dcgan

    with pytest.raises(ValueError, match="warmup must be"):
        dcgan.bench.speed(repeats=1, steps=1, warmup=0)
