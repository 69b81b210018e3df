"""Lesson 03: DCGAN models, exact resume, rotating checkpoints, tf.distribute, mixed precision, bench."""

import json
import re
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from gan_lessons import cli, data, dcgan, device, pretrained, shipped, training
from gan_lessons.core.config import budget


def _train(out, steps, *extra, checkpoint_every=8):
    args = ["train", "dcgan", "--out", str(out), "--steps", str(steps), "--samples", "64"]
    assert cli.main(args + ["--checkpoint-every", str(checkpoint_every), *extra]) == 0


def _samples(out):
    with np.load(out / "samples.npz") as f:
        return f["images"]


def test_dcgan_models_follow_the_guidelines():
    g, d = dcgan.build_dcgan_generator(latent_dim=16), dcgan.build_dcgan_discriminator()
    assert g.output_shape == (None, 28, 28, 1) and d.output_shape == (None, 1)
    kinds = {type(layer).__name__ for layer in g.layers + d.layers}
    assert "MaxPooling2D" not in kinds and "AveragePooling2D" not in kinds  # strided convolutions instead
    assert {"Conv2DTranspose", "BatchNormalization", "ReLU", "LeakyReLU"} <= kinds
    assert g.layers[-1].activation is keras.activations.tanh
    kernel = g.get_layer(index=1).kernel.numpy()  # the projection, drawn from N(0, 0.02)
    assert abs(kernel.std() - 0.02) < 0.002 and abs(kernel.mean()) < 0.001
    # No batch norm on the discriminator's input layer (the DCGAN paper's rule).
    assert type(d.layers[2]).__name__ == "LeakyReLU"
    images = g(np.random.default_rng(0).standard_normal((8, 16)).astype("float32"))
    assert np.all(np.abs(images) <= 1.0)
    resized = dcgan.build_dcgan_generator(latent_dim=16, image_shape=(32, 32, 3), upsampling="resize")
    assert resized.output_shape == (None, 32, 32, 3)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: dcgan.build_dcgan_generator(image_shape=(30, 30, 1)), "divisible by 4"),
        (lambda: dcgan.build_dcgan_discriminator(image_shape=(28, 26, 1)), "divisible by 4"),
        (lambda: dcgan.build_dcgan_generator(upsampling="pool"), "upsampling must be"),
        (lambda: dcgan.build_dcgan_generator(base_filters=0), "base_filters must be a positive whole number"),
        (lambda: data.index_batches(100, 200), "larger than the dataset"),
        (lambda: data.index_batches(100, 10, start_step=-1), "non-negative"),
    ],
)
def test_bad_dcgan_configuration_explains(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_negative_steps_are_refused_by_the_cli_and_the_trainer(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["train", "dcgan", "--out", str(tmp_path), "--steps", "-5"])
    assert "must be at least 1" in capsys.readouterr().err
    gan = dcgan.compiled_gan(seed=0)
    with pytest.raises(ValueError, match="steps must be a positive whole number"):
        training.train(gan, np.zeros((64, 28, 28, 1), "float32"), steps=-5, steps_per_epoch=1, batch_size=8)
    with pytest.raises(ValueError, match="needs batch_size"):
        training.train(gan, np.zeros((64, 28, 28, 1), "float32"), steps=5, steps_per_epoch=1)


def test_index_batches_visit_every_image_once_per_pass_and_resume_exactly():
    full = [b.numpy() for b in data.index_batches(50, 10, seed=3).take(10)]
    for first in (0, 5):  # two passes of 5 batches, each a permutation of 0..49
        assert sorted(np.concatenate(full[first : first + 5]).tolist()) == list(range(50))
    assert not np.array_equal(np.concatenate(full[:5]), np.concatenate(full[5:]))  # a fresh order each pass
    later = [b.numpy() for b in data.index_batches(50, 10, seed=3, start_step=7).take(3)]
    assert all(np.array_equal(a, b) for a, b in zip(full[7:], later, strict=True))
    other_seed = next(iter(data.index_batches(50, 10, seed=4))).numpy()
    assert not np.array_equal(other_seed, full[0])


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    """Samples of a 16-step run made in one go, which the resumed runs below must reproduce."""
    out = tmp_path_factory.mktemp("straight")
    _train(out, 16)
    return _samples(out)


def test_resumed_run_equals_the_straight_run(tmp_path, capsys, straight):
    """Stopped after 8 steps and resumed to 16 gives the same samples as 16 steps straight."""
    capsys.readouterr()
    _train(tmp_path / "resumed", 8)
    assert "Resumed" not in capsys.readouterr().out
    _train(tmp_path / "resumed", 16)
    assert "Resumed from" in capsys.readouterr().out
    resumed = _samples(tmp_path / "resumed")
    assert np.abs(straight).max() > 0.01  # real images, not zeros
    np.testing.assert_allclose(resumed, straight, atol=1e-4)
    # A different seed is a different run.
    _train(tmp_path / "other", 16, "--seed", "1")
    assert np.abs(_samples(tmp_path / "other") - straight).max() > 0.01  # 100x the tolerance above


def test_corrupt_latest_checkpoint_falls_back_to_the_previous_one(tmp_path, capsys, straight):
    run = tmp_path / "run"
    _train(run, 16, "--keep", "2", checkpoint_every=4)  # checkpoints at steps 4, 8, 12 and 16
    files = sorted((run / "checkpoints").glob("step-*.weights.h5"))
    assert [f.name for f in files] == ["step-00000012.weights.h5", "step-00000016.weights.h5"]  # keeps the last 2
    files[-1].write_bytes(b"half-written by a crashed runtime")
    capsys.readouterr()
    _train(run, 16, checkpoint_every=4)
    out = capsys.readouterr().out
    assert "skipping step-00000016.weights.h5" in out and "Resumed from" in out and "at step 12" in out
    # Resuming from the older checkpoint is still exact.
    np.testing.assert_allclose(_samples(run), straight, atol=1e-4)


def test_all_checkpoints_corrupt_is_a_clear_error(tmp_path, capsys):
    _train(tmp_path, 8)
    for f in (tmp_path / "checkpoints").glob("step-*.weights.h5"):
        f.write_bytes(b"broken")
    assert cli.main(["train", "dcgan", "--out", str(tmp_path), "--steps", "16"]) == 1
    err = capsys.readouterr().err
    assert "No readable checkpoint" in err and "Delete the folder" in err


@pytest.mark.device
def test_mixed_precision_keeps_the_discriminator_logits_in_float32(float32_policy):
    for precision in ("mixed_float16", "mixed_bfloat16"):
        setup = device.configure_device(mixed_precision=precision, steps_per_execution=2, verbose=False)
        gan = dcgan.compiled_gan(seed=0, setup=setup)
        assert gan.discriminator.layers[1].compute_dtype == precision.removeprefix("mixed_")  # the first conv
        assert gan.discriminator.output.dtype == "float32" and gan.generator.output.dtype == "float32"
        logits = gan.discriminator(gan.generator(np.zeros((2, 100), "float32")))
        assert keras.backend.standardize_dtype(logits.dtype) == "float32"
        is_scaled = isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
        assert is_scaled == (precision == "mixed_float16")  # bfloat16 needs no loss scaling
    images = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    training.train(gan, images, steps=4, steps_per_epoch=4, batch_size=16, verbose=0)
    assert gan.step == 4 and np.isfinite(gan.generate(4)).all()


@pytest.mark.device
def test_device_helper_reports_the_device_tensorflow_sees(float32_policy):
    import tensorflow as tf

    setup = device.configure_device(verbose=False)
    has_gpu = bool(tf.config.list_physical_devices("GPU"))
    assert setup.device == ("GPU" if has_gpu else "CPU")
    assert len(setup.gpus) == len(tf.config.list_physical_devices("GPU"))


@pytest.mark.device
@pytest.mark.parametrize(
    "gpus, precision, conv_xla, steps",
    [
        ([], "float32", False, 4),  # a CPU: oneDNN beats XLA for convolutions
        ([("Tesla T4", (7, 5))], "mixed_float16", True, 20),  # Colab's usual GPU
        ([("A100", (8, 0))], "mixed_bfloat16", True, 20),
        ([("P100", (6, 0))], "float32", True, 20),  # no tensor cores
        ([("T4", (7, 5)), ("T4", (7, 5))], "mixed_float16", True, 1),  # two replicas: one step per call
    ],
)
def test_device_helper_choices_for_each_kind_of_device(
    monkeypatch, capsys, float32_policy, gpus, precision, conv_xla, steps
):
    monkeypatch.setattr(device, "_gpu_info", lambda: gpus)
    monkeypatch.delenv(device.DEVICE_ENV, raising=False)  # the automatic choices, even under doctor --full
    setup = device.configure_device()
    out = capsys.readouterr().out
    assert setup.device == ("GPU" if gpus else "CPU") and setup.precision == precision
    assert setup.compile_kwargs(convolutional=True)["jit_compile"] is conv_xla
    assert setup.compile_kwargs()["jit_compile"] is True  # XLA fuses the MLP's small ops everywhere
    # the lab's small networks on 2-D points: XLA on a GPU; on a CPU compiling cost more than it saved
    assert setup.compile_kwargs(small=True)["jit_compile"] is conv_xla
    assert setup.steps_per_execution == steps
    assert "input pipeline: train() given arrays keeps them in device memory" in out and precision in out
    if precision == "float32":  # not "where mixed precision pays": bfloat16 ran the DCGAN step faster on a CPU
        assert "every lesson and record was made in float32" in out
    if not gpus:
        assert (
            "XLA jit_compile: on for dense models on images, off for convolutional models, off for small networks "
            "on 1-D and 2-D points\n" in out
        )
        assert any("slowed the DCGAN step and lesson 11's lab" in reason for reason in setup.reasons)
    else:
        assert "on for convolutional models, on for small networks on 1-D and 2-D points\n" in out


@pytest.mark.device
def test_device_helper_choices_can_be_forced(float32_policy):
    forced = device.configure_device(jit_compile=True, verbose=False)
    assert forced.compile_kwargs(convolutional=True)["jit_compile"] is True
    assert forced.compile_kwargs(small=True)["jit_compile"] is True  # forced: every kind of model
    off = device.configure_device(jit_compile=False, verbose=False)
    assert not any(off.xla_for(conv, small) for conv in (False, True) for small in (False, True))
    with pytest.raises(ValueError, match="mixed_precision must be"):
        device.configure_device(mixed_precision="float8", verbose=False)


MIRRORED = textwrap.dedent(
    """
    import json
    import numpy as np
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import keras
    from gan_lessons import dcgan, training
    from gan_lessons.core.gan import GAN
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        gan = GAN(dcgan.build_dcgan_generator(latent_dim=16, base_filters=8),
                           dcgan.build_dcgan_discriminator(base_filters=8), seed=0)
        gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5),
                    steps_per_execution=2)
    before = [w.numpy().copy() for w in gan.generator.weights]
    images = np.random.default_rng(0).uniform(-1, 1, (128, 28, 28, 1)).astype("float32")
    history = training.train(gan, images, steps=6, steps_per_epoch=3, batch_size=32, verbose=0)
    noise = strategy.run(tf.function(lambda: gan.sample_noise(4)))
    per_replica = [t.numpy() for t in strategy.experimental_local_results(noise)]
    print(json.dumps({
        "replicas": strategy.num_replicas_in_sync,
        "step": gan.step,
        "finite": bool(all(np.isfinite(v).all() for v in history["d_loss"] + history["g_loss"])),
        "generator_changed": any(not np.array_equal(a, w.numpy()) for a, w in zip(before, gan.generator.weights)),
        "replica_noise_differs": bool(not np.allclose(per_replica[0], per_replica[1])),
    }))
    """
)


@pytest.mark.device
def test_the_same_trainer_runs_under_mirrored_strategy_on_two_logical_cpus():
    result = subprocess.run([sys.executable, "-c", MIRRORED], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "replicas": 2,
        "step": 6,
        "finite": True,
        "generator_changed": True,
        "replica_noise_differs": True,
    }


@pytest.mark.device
def test_speed_benchmark_prints_one_json_line(float32_policy):
    """The command a user types, in its own process: one JSON line, and no TensorFlow log line on its terminal (the
    reference loop's gradient makes grappler log a harmless "remapper failed" error on TensorFlow 2.21)."""
    done = subprocess.run(
        [sys.executable, "-m", "gan_lessons", "bench", "speed", "--repeats", "1", "--steps", "4"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert not [line for line in done.stderr.splitlines() if re.match(r"^[IWEF]\d{4} ", line)], done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    keys = {"package_images_per_s", "reference_images_per_s", "ratio", "device", "precision", "xla"}
    assert keys <= set(report)
    assert report["package_images_per_s"] > 0 and report["reference_images_per_s"] > 0
    assert report["ratio"] == pytest.approx(report["package_images_per_s"] / report["reference_images_per_s"], rel=0.01)
    chosen = device.configure_device(verbose=False)  # what the benchmark used on this machine, CPU or GPU
    assert report["device"] == chosen.device and report["precision"] == chosen.precision
    assert report["xla"] is chosen.xla_for(convolutional=True)
    assert dcgan.bench.tutorial_generator().count_params() > 2_000_000  # the tutorial's generator
    # the full budget times the tutorial's batch of 256; fast mode (this suite) shrinks it, as every budget
    assert budget("bench", fast=False).batch_size == dcgan.bench.BATCH_SIZE == 256
    assert report["batch_size"] == budget("bench").batch_size == 32
    images = np.random.default_rng(0).uniform(-1, 1, (10, 28, 28, 1)).astype("float32")
    with pytest.raises(ValueError, match="at least 32 MNIST-shaped"):
        dcgan.bench.speed(repeats=1, steps=1, images=images)
    with pytest.raises(ValueError, match="batch_size"):
        dcgan.bench.speed(repeats=1, steps=1, batch_size=0)


@pytest.mark.device
def test_speed_benchmark_runs_the_package_in_the_setup_precision_and_restores_the_policy(float32_policy, monkeypatch):
    setup = device.configure_device(mixed_precision="mixed_bfloat16", steps_per_execution=1, verbose=False)
    keras.mixed_precision.set_global_policy("float32")  # the caller's policy differs from the setup's
    built_under = []
    package_trainer = dcgan.bench.package_trainer

    def recording(images, setup, batch_size):
        built_under.append(keras.mixed_precision.global_policy().name)
        return package_trainer(images, setup, batch_size)

    monkeypatch.setattr(dcgan.bench, "package_trainer", recording)
    images = np.random.default_rng(0).uniform(-1, 1, (256, 28, 28, 1)).astype("float32")
    report = dcgan.bench.speed(repeats=1, steps=1, setup=setup, images=images)
    assert built_under == ["mixed_bfloat16"]  # the package's models were built in the setup's precision
    assert report["precision"] == "mixed_bfloat16" and report["package_images_per_s"] > 0
    assert keras.mixed_precision.global_policy().name == "float32"  # as the caller left it


def test_shipped_dcgan_weights_are_checked_before_loading(tmp_path, monkeypatch):
    generator = pretrained.load_generator("dcgan")
    assert generator.output_shape == (None, 28, 28, 1)
    info = pretrained.record("dcgan")
    assert info["command"].startswith("gan-lessons train dcgan") and info["scores"]["classes_covered"] == 10
    # A damaged copy is refused with a way out.
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path)
    (tmp_path / "dcgan_generator.json").write_text(json.dumps(info))
    (tmp_path / "dcgan_generator.weights.h5").write_bytes(b"not the weights")
    with pytest.raises(pretrained.PretrainedError, match="does not match its recorded SHA-256"):
        pretrained.load_generator("dcgan")
    with pytest.raises(pretrained.PretrainedError, match="No pretrained 'stylegan'"):
        pretrained.load_generator("stylegan")
