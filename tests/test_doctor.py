"""Issue 23: `gan-lessons doctor`, quiet start-up, and a benchmark synchronised on any device."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from gan_lessons import cli, doctor
from gan_lessons.core import quiet
from gan_lessons.doctor import full as doctor_full

NOISE = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "I0000 00:00:1796032385.642391    8430 port.cc:153] oneDNN custom operations are on. You may see slightly",
    "I0000 00:00:1796032385.642728    8430 cudart_stub.cc:31] Could not find cuda drivers on your machine.",
    "W0000 00:00:1796032385.642728    8430 cuda_dnn.cc:8310] Unable to register cuDNN factory",
    "To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow with the",
    "E0000 00:00:1796032391.755808    8430 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error",
    "E0000 00:00:1796099975.220404   15500 meta_optimizer.cc:967] remapper failed: INVALID_ARGUMENT: Mutation::Apply "
    "error: fanout 'gradient_tape/discriminator_3/leaky_re_lu_4_1/LeakyRelu/LeakyReluGrad_1' exist for missing node "
    "'discriminator_3/conv2d_1_2/BiasAdd'.",
]
KEPT = [
    "E0000 00:00:1796032391.755808    8430 cuda_executor.cc:12] could not allocate 4.0 GiB: out of memory",
    "F0000 00:00:1796032391.755808    8430 fatal.cc:1] check failed",
    "E0000 00:00:1796099975.220404   15500 meta_optimizer.cc:967] layout failed: INVALID_ARGUMENT: Size of values 0",
    "E0000 00:00:1796099975.220404   15500 other_optimizer.cc:12] remapper failed: INVALID_ARGUMENT: Mutation::Apply "
    "error: fanout",
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


def test_the_screen_says_which_models_xla_compiles(report):
    keys = ("xla_dense", "xla_conv", "xla_small")
    for flags, said in [
        ((True, False, False), "XLA dense models on images only;"),  # a CPU's own choices
        ((True, True, True), "XLA on;"),  # a GPU's, or xla=on forced
        ((False, False, False), "XLA off;"),
        ((True, True, False), "XLA dense models on images and conv models only;"),
    ]:
        screen = doctor.format_report({**report, "device": {**report["device"], **dict(zip(keys, flags, strict=True))}})
        assert said in screen, screen


def test_doctor_json_says_what_was_timed_and_synchronised(report, capsys):
    speed = report["speed"]
    assert speed["synchronised"].startswith("both") and speed["statistic"] == "median" and speed["repeats"] == 2
    assert speed["package_images_per_s"] > 0 and speed["reference_images_per_s"] > 0
    # one untimed execution each: the tutorial's loop runs one step, the package's steps_per_execution
    assert speed["warmup_steps"] == {"reference": 1, "package": report["device"]["steps_per_execution"]}
    assert cli.main(["doctor", "--json", "--no-bench"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert "speed" not in line and line["ready"] is True
    assert [v["package"] for v in line["versions"]] == ["python", "tensorflow", "keras", "ipywidgets"]


def test_doctor_declares_the_packages_range():
    from declared import project, requirements

    declared = requirements("pyproject.toml")
    assert doctor.declared_range("tensorflow") == str(declared["tensorflow"])
    assert doctor.declared_range("keras") == str(declared["keras"])
    assert doctor.declared_range("ipywidgets") == str(declared["ipywidgets"])
    assert doctor.version_check("ipywidgets", "7.7.1", doctor.declared_range("ipywidgets"))["ok"]  # Colab's
    assert not doctor.version_check("ipywidgets", "7.6.5", doctor.declared_range("ipywidgets"))["ok"]
    missing = doctor.version_check("ipywidgets", doctor._installed("no-such-distribution"), ">=7.7.1")
    assert missing == {"package": "ipywidgets", "version": "not installed", "declared": ">=7.7.1", "ok": False}
    assert doctor.declared_range("python") == project()["requires-python"]


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


# ---- GAN_LESSONS_DEVICE and doctor --full: the GPU check (issue 23, item 4) ----------------------------------

FORCED = "precision=mixed_bfloat16,xla=on"


@pytest.mark.device
def test_device_env_is_parsed_into_configure_device_arguments():
    from gan_lessons.core.device import forced_choices

    assert forced_choices("precision=mixed_bfloat16, xla=on,steps_per_execution=20") == {
        "mixed_precision": "mixed_bfloat16",
        "jit_compile": True,
        "steps_per_execution": 20,
    }
    assert forced_choices("XLA=Off,precision=auto") == {"jit_compile": False}  # auto forces nothing
    assert forced_choices("") == {} and forced_choices(" , ") == {}


@pytest.mark.device
@pytest.mark.parametrize(
    "value, problem",
    [
        ("precision", "'precision' is not key=value"),
        ("precision=", "'precision=' is not key=value"),
        ("precision=float8", "precision 'float8' is not one of"),
        ("gpu=on", "unknown key 'gpu'"),
        ("xla=yes", "xla 'yes' is not on or off"),
        ("steps_per_execution=0", "steps_per_execution '0' is not a positive integer"),
        ("steps_per_execution=2.5", "steps_per_execution '2.5' is not a positive integer"),
        ("xla=on,xla=off", "'xla' is given twice"),
    ],
)
def test_a_malformed_device_env_names_the_accepted_keys_and_values(monkeypatch, value, problem):
    from gan_lessons.core import device

    monkeypatch.setenv(device.DEVICE_ENV, value)
    with pytest.raises(ValueError) as raised:
        device.configure_device(verbose=False)
    message = str(raised.value)
    assert message.startswith(f"GAN_LESSONS_DEVICE={value!r}: {problem}")
    assert "precision (float32, mixed_float16, mixed_bfloat16), xla (on, off) and steps_per_execution" in message


@pytest.mark.device
def test_device_env_fills_only_the_arguments_left_at_auto(monkeypatch, capsys, float32_policy):
    import keras

    from gan_lessons.core import device

    monkeypatch.setattr(device, "_gpu_info", lambda: [])  # a CPU, whatever this machine has
    monkeypatch.setenv(device.DEVICE_ENV, "precision=mixed_bfloat16,xla=on,steps_per_execution=3")
    setup = device.configure_device(steps_per_execution=2)  # given: the caller's 2 wins over the variable's 3
    out = capsys.readouterr().out
    assert (setup.precision, setup.xla_for(True), setup.xla_for(False)) == ("mixed_bfloat16", True, True)
    assert setup.xla_for(False, small=True)  # xla=on: the lab's small networks too
    assert setup.steps_per_execution == 2 and setup.forced_by_env == ("precision", "xla")
    assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"
    assert "precision: mixed_bfloat16 (forced by GAN_LESSONS_DEVICE)" in out
    assert "on for small networks on 1-D and 2-D points (forced by GAN_LESSONS_DEVICE)" in out
    assert "steps_per_execution: 2\n" in out and "not applied to steps_per_execution" in out
    assert not any("XLA off for convolutions" in r for r in setup.reasons)  # the CPU's own reason is not given
    monkeypatch.delenv(device.DEVICE_ENV)
    auto = device.configure_device(verbose=False)
    assert (auto.precision, auto.xla_for(True), auto.steps_per_execution, auto.forced_by_env) == (
        "float32",
        False,
        4,
        (),
    )
    assert auto.xla_for(False) and not auto.xla_for(False, small=True)  # the CPU's own: XLA for the image MLP only


@pytest.mark.parametrize(
    "device_name, precision, expected",
    [
        ("CPU", "float32", "precision=mixed_bfloat16,xla=on"),  # forced: the CPU's own choice is float32
        ("GPU", "mixed_float16", "precision=mixed_float16,xla=on"),  # a T4: its own choice
        ("GPU", "mixed_bfloat16", "precision=mixed_bfloat16,xla=on"),  # an A100
        ("GPU", "float32", "precision=mixed_float16,xla=on"),  # a P100: no tensor cores, float16 still runs
    ],
)
def test_the_gpu_path_choices_for_each_device(monkeypatch, device_name, precision, expected):
    from gan_lessons.core.device import DEVICE_ENV, DeviceSetup

    gpus = ("gpu0",) if device_name == "GPU" else ()
    setup = DeviceSetup(device_name, gpus, precision, True, device_name == "GPU", device_name == "GPU", 4)
    monkeypatch.delenv(DEVICE_ENV, raising=False)
    spec, why = doctor.gpu_path_choices(setup)
    assert spec == expected and ("forced on this CPU" in why) == (device_name == "CPU")
    monkeypatch.setenv(DEVICE_ENV, "precision=mixed_float16,steps_per_execution=20")
    assert doctor.gpu_path_choices(setup) == (
        "precision=mixed_float16,steps_per_execution=20",
        f"{DEVICE_ENV} as the caller set it",
    )


def test_doctor_full_prints_one_json_line_with_every_part(monkeypatch, capsys, float32_policy):
    """The expensive parts replaced by stand-ins; each gets the same GAN_LESSONS_DEVICE value, and one failed or
    raising part makes the exit status 1 while the others still run."""
    from gan_lessons.core.device import DEVICE_ENV, configure_device

    monkeypatch.delenv(DEVICE_ENV, raising=False)
    monkeypatch.setenv("TF_FORCE_GPU_ALLOW_GROWTH", "unset by the test")
    monkeypatch.delenv("TF_FORCE_GPU_ALLOW_GROWTH")  # (set first, so that monkeypatch removes it again afterwards)
    seen = []

    def bench(spec, images=None):
        assert os.environ["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"  # the kernel and the test run can share a GPU
        seen.append(("bench", spec, images.shape))
        return {"status": "passed", "precision": "mixed_bfloat16", "xla": True, "ratio": 0.5,
                "package_images_per_s": 100.0, "reference_images_per_s": 200.0}  # fmt: skip

    def lesson(spec):
        seen.append(("lesson", spec))
        return {"status": "skipped", "reason": "no 02_vanilla_gan.ipynb here"}

    def tests(spec):
        seen.append(("tests", spec))
        raise RuntimeError("pytest vanished")

    monkeypatch.setattr(doctor_full, "forced_bench", bench)
    monkeypatch.setattr(doctor_full, "run_lesson", lesson)
    monkeypatch.setattr(doctor_full, "run_device_tests", tests)
    assert cli.main(["doctor", "--full", "--json", "--no-bench"]) == 1
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1
    full = json.loads(out)["full"]
    spec = full["device_env"]
    assert spec == doctor.gpu_path_choices(configure_device(verbose=False))[0]  # this machine's GPU path
    assert [s[:2] for s in seen] == [("bench", spec), ("lesson", spec), ("tests", spec)]
    assert seen[0][2] == (doctor.BENCH_IMAGES, 28, 28, 1)
    assert list(full["parts"]) == ["doctor", "bench", "lesson", "tests"]
    assert all(p["status"] in ("passed", "failed", "skipped") and p["seconds"] >= 0 for p in full["parts"].values())
    assert [p["status"] for p in full["parts"].values()] == ["passed", "passed", "skipped", "failed"]
    assert full["parts"]["tests"]["error"] == "RuntimeError: pytest vanished"
    assert full["passed"] is False and "ratio_auto" not in full["parts"]["bench"]  # --no-bench: no first ratio

    passed = {"status": "passed", "passed": 3, "command": "pytest"}
    monkeypatch.setattr(doctor_full, "run_device_tests", lambda spec: passed)
    assert cli.main(["doctor", "--full", "--no-bench"]) == 0  # a skipped part is no failure
    screen = capsys.readouterr().out
    assert f"GPU check (--full) under GAN_LESSONS_DEVICE={spec}" in screen
    assert "--  lesson  no 02_vanilla_gan.ipynb here" in screen and "ok  tests   3 device tests passed" in screen
    assert "(0.50x)" in screen and "GPU check passed." in screen

    # The caller's own GAN_LESSONS_DEVICE: the parts run under it; the report keeps this machine's own choices.
    monkeypatch.setenv(DEVICE_ENV, "precision=mixed_float16,xla=on")
    seen.clear()
    assert cli.main(["doctor", "--full", "--json", "--no-bench"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["full"]["device_env"] == "precision=mixed_float16,xla=on"
    assert {s[1] for s in seen} == {"precision=mixed_float16,xla=on"} and len(seen) == 2  # bench, lesson
    assert "forced_by_env" not in line["device"] and os.environ[DEVICE_ENV] == "precision=mixed_float16,xla=on"


def test_lesson_and_tests_parts_are_skipped_outside_a_clone(tmp_path):
    lesson = doctor.run_lesson(FORCED, notebook=tmp_path / "notebooks" / "02_vanilla_gan.ipynb")
    assert lesson["status"] == "skipped" and "not a clone" in lesson["reason"]
    tests = doctor.run_device_tests(FORCED, tests=tmp_path / "tests")
    assert tests["status"] == "skipped" and "no tests/ folder" in tests["reason"]


FORCED_TEST = """
import os

import pytest


@pytest.mark.device
def test_the_forced_choices_arrive():
    assert os.environ["GAN_LESSONS_DEVICE"] == "precision=mixed_bfloat16,xla=on"  # (a run under others ends here)
    from gan_lessons.core.device import configure_device  # (imports TensorFlow)

    setup = configure_device(verbose=False)
    assert setup.precision == "mixed_bfloat16" and setup.xla_for(True) and setup.forced_by_env == ("precision", "xla")


def test_not_marked_so_not_run():
    raise AssertionError("doctor --full runs only the tests marked device")
"""


def test_the_tests_part_runs_the_marked_tests_under_the_forced_choices(tmp_path):
    """A real run of the part, on a folder of two tests: only the marked one runs, in a child process that takes the
    forced choices from GAN_LESSONS_DEVICE; a marked test that fails makes the part fail, saying which."""
    folder = tmp_path / "tests"
    folder.mkdir()
    (folder / "test_forced.py").write_text(FORCED_TEST)
    result = doctor.run_part(lambda: doctor.run_device_tests(FORCED, tests=folder))
    assert result["status"] == "passed", result
    assert (result["passed"], result["deselected"]) == (1, 1) and result["seconds"] > 0
    failing = doctor.run_device_tests("precision=float32", tests=folder)
    assert failing["status"] == "failed" and failing["failed"] == 1
    assert "test_the_forced_choices_arrive" in failing["error"]


def _notebook(path, *sources):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbformat.write(nb, path)
    return path


def test_the_lesson_part_runs_a_notebook_in_a_kernel_under_the_forced_choices(tmp_path):
    """A real kernel: fast mode and GAN_LESSONS_DEVICE reach it, the notebook file is left as it was, and a cell's
    error fails the part with the error's text."""
    forced = _notebook(
        tmp_path / "forced.ipynb",
        "import os\nassert os.environ['GAN_LESSONS_FAST'] == '1'",
        "from gan_lessons.core.device import configure_device\nconfigure_device()",
    )
    before = forced.read_text()
    result = doctor.run_lesson(FORCED, notebook=forced)
    assert result["status"] == "passed", result
    assert result["took_forced_choices"] is True and result["cells"] == 2
    assert forced.read_text() == before
    not_forced = doctor.run_lesson("", notebook=_notebook(tmp_path / "plain.ipynb", "print('no device helper')"))
    assert not_forced["status"] == "passed"  # nothing to force, nothing to check
    said_nothing = doctor.run_lesson(FORCED, notebook=_notebook(tmp_path / "silent.ipynb", "print('hello')"))
    assert said_nothing["status"] == "failed" and "forced by GAN_LESSONS_DEVICE" in said_nothing["error"]
    broken = doctor.run_lesson(FORCED, notebook=_notebook(tmp_path / "broken.ipynb", "raise KeyError('boom')"))
    assert broken["status"] == "failed" and "KeyError" in broken["error"] and "boom" in broken["error"]


def test_gpu_check_script_runs_doctor_full_and_forces_float16_on_request(tmp_path):
    """scripts/gpu_check.sh with a stand-in interpreter that prints what it was given."""
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "gpu_check.sh"
    assert os.access(script, os.X_OK) and "set -euo pipefail" in script.read_text()
    stub = tmp_path / "python"
    stub.write_text('#!/bin/sh\necho "$GAN_LESSONS_DEVICE|$*"\nexit 3\n')
    stub.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "GAN_LESSONS_DEVICE"} | {"PYTHON": str(stub)}

    def run(*args, **extra):
        return subprocess.run([str(script), *args], capture_output=True, text=True, env=env | extra, timeout=60)

    plain = run()
    assert plain.stdout == "|-m gan_lessons doctor --full --json\n" and plain.returncode == 3  # the status passed on
    float16 = run("--float16", "--no-bench")
    assert float16.stdout == "precision=mixed_float16,xla=on|-m gan_lessons doctor --full --json --no-bench\n"
    own = run("--float16", GAN_LESSONS_DEVICE="precision=mixed_bfloat16,steps_per_execution=20")
    assert own.stdout.startswith("precision=mixed_bfloat16,steps_per_execution=20|")  # the caller's value wins
    missing = run(PYTHON=str(tmp_path / "no-python"))
    assert missing.returncode == 2 and "create the clone's environment" in missing.stderr
