import keras
import numpy as np
import pytest

from gan_lessons import callbacks, config, data, errors, losses, training, vanilla
from gan_lessons.core.device import auto_steps_per_execution, configure_device
from gan_lessons.core.gan import GAN


def _weights(model):
    return [np.array(w) for w in model.weights]


def _changed(before, model):
    return any(not np.array_equal(a, np.array(b)) for a, b in zip(before, model.weights, strict=True))


@pytest.fixture
def small_gan():
    keras.utils.set_random_seed(0)
    gan = GAN(
        vanilla.build_mlp_generator(latent_dim=16, hidden_units=(32,)),
        vanilla.build_mlp_discriminator(hidden_units=(32,)),
        seed=0,
    )
    gan.compile(keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
    return gan


@pytest.mark.device
def test_trainer_really_trains_both_players(mnist_subset, float32_policy):
    setup = configure_device(verbose=False)
    gan = vanilla.compiled_gan(seed=0, setup=setup)
    g_before, d_before = _weights(gan.generator), _weights(gan.discriminator)
    ds = data.make_dataset(mnist_subset.images, batch_size=32)
    history = training.train(gan, ds, steps=60, steps_per_epoch=20, verbose=0)
    assert gan.step == 60
    assert _changed(g_before, gan.generator) and _changed(d_before, gan.discriminator)
    assert set(history) == {"d_loss", "g_loss", "D_real", "D_fake"}
    assert len(history["d_loss"]) == 3
    # Early on D wins: its loss falls from ~2 log 2, D(real) rises above D(fake).
    assert history["d_loss"][-1] < 2 * np.log(2)
    assert history["D_real"][-1] > history["D_fake"][-1]
    assert history["g_loss"][0] != history["g_loss"][-1]


def test_both_players_move_the_right_way_on_a_step(mnist_subset):
    """One D step (G's learning rate 0) raises D(real) - D(fake); one G step (D's learning rate 0) raises D(G(z))
    for the same z."""
    real = mnist_subset.images[:64]
    z = np.random.default_rng(0).standard_normal((64, 16)).astype("float32")

    def margin(gan):
        d_real = keras.ops.sigmoid(gan.discriminator(real)).numpy().mean()
        d_fake = keras.ops.sigmoid(gan.discriminator(gan.generator(z))).numpy().mean()
        return d_real, d_fake

    def one_step(d_rate, g_rate):
        keras.utils.set_random_seed(0)
        gan = _fresh_small_gan(seed=0, d_rate=d_rate, g_rate=g_rate)
        before = margin(gan)
        gan.fit(real, batch_size=64, epochs=1, verbose=0)  # 64 images, batch 64: one step
        assert gan.step == 1
        return before, margin(gan)

    (r0, f0), (r1, f1) = one_step(1e-3, 0.0)
    assert r1 - f1 > r0 - f0
    (r0, f0), (r1, f1) = one_step(0.0, 1e-3)
    assert r1 == r0 and f1 > f0  # D did not move; G's fakes now score higher


@pytest.mark.device
def test_steps_per_execution_and_xla_path(mnist_subset, float32_policy):
    setup = configure_device(jit_compile=True, steps_per_execution=5, verbose=False)
    gan = vanilla.compiled_gan(seed=1, setup=setup)
    assert gan.jit_compile is True and gan.steps_per_execution == 5
    training.train(gan, data.make_dataset(mnist_subset.images, batch_size=16), 20, 10, verbose=0)
    assert gan.step == 20


@pytest.mark.device
def test_exact_step_counts_with_steps_per_execution():
    """Keras runs whole executions; train() still does exactly the steps asked for."""
    gan = GAN(
        vanilla.build_mlp_generator(latent_dim=8, hidden_units=(16,)),
        vanilla.build_mlp_discriminator(hidden_units=(16,)),
    )
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), steps_per_execution=4, jit_compile=True)
    ds = data.make_dataset(np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)), batch_size=8)
    training.train(gan, ds, steps=13, steps_per_epoch=6, verbose=0)
    assert gan.step == 13 and gan.steps_per_execution == 4
    history = training.train(gan, ds, steps=30, steps_per_epoch=7, verbose=0)
    assert gan.step == 30 and gan.steps_per_execution == 4
    # 17 more steps: epochs of 7 rounded down to 4 steps (a multiple of 4), four of them, then 1 step.
    assert len(history["d_loss"]) == 5
    assert training._plan(0, 13, 6, 4) == [(0, 3, 4, 4), (3, 4, 1, 1)]


def test_fast_budgets_build_no_train_function_the_full_run_does_not():
    """Fast mode shrinks budgets and nothing else: where a full budget's epochs are whole executions of the CPU's
    steps, the fast one's are too, so that the suite does not build (and time) a one-step-per-execution function
    that no full run builds."""
    k = auto_steps_per_execution(0)
    for model in set(config.models_with_budgets()) - {"keras2_pitfall"}:  # (train_on_batch calls, not train())
        plans = {}
        for mode in ("full", "fast"):
            plan = config.budget(model, fast=mode == "fast")
            plans[mode] = training._plan(0, plan.steps, plan.steps_per_epoch, k)
        one_step = {mode: any(per_execution == 1 for *_, per_execution in runs) for mode, runs in plans.items()}
        assert one_step["fast"] <= one_step["full"], (model, plans)


class _TrainFunctions(keras.callbacks.Callback):
    """Records the compiled train function each ``fit`` starts with (``fit`` builds it before ``on_train_begin``)."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_begin(self, logs=None):
        self.seen.append((self.model.steps_per_execution, self.model.train_function))

    def built(self) -> list[int]:
        """The steps per execution of each distinct function seen, sorted."""
        distinct = {id(function): k for k, function in self.seen}
        return sorted(distinct.values())


@pytest.mark.device
def test_switching_steps_per_execution_keeps_the_function_built_for_each_value():
    """train() runs an epoch's last steps one per execution and switches back; lesson 11 trains a film in 8 parts.
    Each switch used to build a new train function (a new trace and, under XLA, a new compile).  The function built
    for each value is put back, and dropped once stale."""
    gan = GAN(
        vanilla.build_mlp_generator(latent_dim=8, hidden_units=(16,)),
        vanilla.build_mlp_discriminator(hidden_units=(16,)),
    )
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), steps_per_execution=4)
    images = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    functions = _TrainFunctions()
    for steps in (6, 12, 18):  # each part: one execution of 4 steps, then 2 steps one by one
        training.train(gan, images, steps=steps, steps_per_epoch=6, batch_size=8, callbacks=[functions], verbose=0)
    assert gan.step == 18 and gan.steps_per_execution == 4
    assert len(functions.seen) == 6 and functions.built() == [1, 4]  # six fits, two functions
    # Training data of another shape: the compiled steps read the old variables, so both are built again.
    training.train(gan, images[:32], steps=24, steps_per_epoch=6, batch_size=8, callbacks=[functions], verbose=0)
    assert functions.built() == [1, 1, 4, 4]
    # Compiled again (new optimizers): built again too.
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), steps_per_execution=4)
    training.train(gan, images[:32], steps=30, steps_per_epoch=6, batch_size=8, callbacks=[functions], verbose=0)
    assert gan.step == 30 and functions.built() == [1, 1, 1, 4, 4, 4]
    with pytest.raises(ValueError, match="steps_per_execution"):
        gan.set_steps_per_execution(0)


@pytest.mark.device
def test_mixed_precision_path_runs_on_cpu(mnist_subset, float32_policy):
    setup = configure_device(mixed_precision=True, jit_compile=False, steps_per_execution=2, verbose=False)
    assert keras.mixed_precision.global_policy().name == "mixed_float16"
    gan = GAN(
        vanilla.build_mlp_generator(latent_dim=8, hidden_units=(16,)),
        vanilla.build_mlp_discriminator(hidden_units=(16,)),
    )
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), **setup.compile_kwargs())
    assert isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert gan.generator.layers[1].compute_dtype == "float16"
    history = training.train(gan, data.make_dataset(mnist_subset.images, batch_size=16), 8, 4, verbose=0)
    assert all(np.isfinite(v) for values in history.values() for v in values)
    assert gan.generate(3).dtype == np.float32


def test_nan_guard_stops_with_an_explanation(small_gan, mnist_subset):
    poisoned = mnist_subset.images[:64].copy()
    poisoned[0, 0, 0, 0] = np.nan
    with pytest.raises(errors.TrainingDivergedError, match="learning rate.*\\[-1, 1\\]"):
        training.train(small_gan, data.make_dataset(poisoned, batch_size=64), 10, 5, verbose=0)


def test_checkpoint_refuses_non_finite_weights(small_gan, tmp_path):
    path = tmp_path / "ck.weights.h5"
    small_gan.save_checkpoint(path)
    good = path.read_bytes()
    small_gan.generator.weights[0].assign(np.full(small_gan.generator.weights[0].shape, np.nan))
    with pytest.raises(errors.TrainingDivergedError, match="not finite"):
        small_gan.save_checkpoint(path)
    assert path.read_bytes() == good


def _fresh_small_gan(seed=5, d_rate=1e-3, g_rate=1e-3):
    gan = GAN(
        vanilla.build_mlp_generator(latent_dim=16, hidden_units=(32,)),
        vanilla.build_mlp_discriminator(hidden_units=(32,)),
        seed=seed,
    )
    gan.compile(keras.optimizers.Adam(d_rate, beta_1=0.5), keras.optimizers.Adam(g_rate, beta_1=0.5))
    return gan


def test_checkpoint_round_trip_restores_everything(small_gan, mnist_subset, tmp_path):
    training.train(small_gan, data.make_dataset(mnist_subset.images, batch_size=32), 12, 6, verbose=0)
    path = small_gan.save_checkpoint(tmp_path / "ck.weights.h5")
    restored = _fresh_small_gan()
    assert restored.load_checkpoint(path) == 12
    for a, b in zip(small_gan.weights, restored.weights, strict=True):
        np.testing.assert_array_equal(np.array(a), np.array(b))
    for optimizer in ("d_optimizer", "g_optimizer"):
        pairs = zip(getattr(small_gan, optimizer).variables, getattr(restored, optimizer).variables, strict=True)
        for a, b in pairs:
            np.testing.assert_array_equal(np.array(a), np.array(b))
    # The noise generator continues where it was: both draw the same next noise.
    np.testing.assert_array_equal(np.array(small_gan.sample_noise(4)), np.array(restored.sample_noise(4)))


def test_train_resumes_from_its_checkpoint(small_gan, mnist_subset, tmp_path, capsys):
    ds = data.make_dataset(mnist_subset.images, batch_size=32)
    path = tmp_path / "ck.weights.h5"
    first = training.train(small_gan, ds, 10, 5, checkpoint=path, verbose=0)
    later = _fresh_small_gan()
    history = training.train(later, ds, 25, 5, checkpoint=path, verbose=0)
    assert "Resumed from" in capsys.readouterr().out
    assert later.step == 25 and later.load_checkpoint(path) == 25
    # The history spans both runs: 2 epochs, then 3 more.
    assert len(history["d_loss"]) == 5 and history["d_loss"][:2] == first["d_loss"]
    assert training.train(later, ds, 25, 5, checkpoint=path, verbose=0) == history


def test_interrupt_saves_a_checkpoint(small_gan, mnist_subset, tmp_path):
    class StopLikeCtrlC(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.model.step >= 7:
                raise KeyboardInterrupt

    path = tmp_path / "ck.weights.h5"
    with pytest.raises(KeyboardInterrupt):
        training.train(
            small_gan,
            data.make_dataset(mnist_subset.images, batch_size=32),
            50,
            10,
            checkpoint=path,
            callbacks=[StopLikeCtrlC()],
            verbose=0,
        )
    assert _fresh_small_gan().load_checkpoint(path) == 7


def test_missing_and_corrupt_checkpoints_explain(small_gan, tmp_path):
    with pytest.raises(errors.CheckpointError, match="No checkpoint at"):
        small_gan.load_checkpoint(tmp_path / "nothing.weights.h5")
    bad = tmp_path / "bad.weights.h5"
    bad.write_bytes(b"garbage")
    with pytest.raises(errors.CheckpointError, match="corrupt or was made for a different model"):
        small_gan.load_checkpoint(bad)
    other = GAN(
        vanilla.build_mlp_generator(latent_dim=16, hidden_units=(64,)),
        vanilla.build_mlp_discriminator(hidden_units=(32,)),
    )
    other.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    path = other.save_checkpoint(tmp_path / "other.weights.h5")
    with pytest.raises(errors.CheckpointError, match="different model"):
        small_gan.load_checkpoint(path)


def test_partially_matching_checkpoint_is_refused(small_gan, tmp_path):
    """A checkpoint of a generator with one layer fewer is refused with the trainer's message."""
    deeper = GAN(
        vanilla.build_mlp_generator(latent_dim=16, hidden_units=(32, 32)),
        vanilla.build_mlp_discriminator(hidden_units=(32,)),
    )
    deeper.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    path = small_gan.save_checkpoint(tmp_path / "small.weights.h5")
    with pytest.raises(errors.CheckpointError, match="different model"):
        deeper.load_checkpoint(path)


def test_sample_grid_uses_fixed_noise(small_gan, mnist_subset, tmp_path):
    noise = np.random.default_rng(0).standard_normal((9, 16)).astype("float32")
    grid = callbacks.SampleGrid(noise, every=1, out_dir=tmp_path)
    training.train(small_gan, data.make_dataset(mnist_subset.images, batch_size=32), 6, 3, callbacks=[grid], verbose=0)
    assert [step for step, _ in grid.frames] == [0, 3, 6]
    assert all(images.shape == (9, 28, 28, 1) for _, images in grid.frames)
    np.testing.assert_allclose(grid.frames[-1][1], small_gan.generate(noise), atol=1e-6)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "samples_step000000.png",
        "samples_step000003.png",
        "samples_step000006.png",
    ]
    # A new callback on the same folder (a rerun notebook) starts with the whole film so far.
    again = callbacks.SampleGrid(noise, every=1, out_dir=tmp_path)
    assert [step for step, _ in again.frames] == [0, 3, 6]
    np.testing.assert_allclose(again.frames[-1][1], grid.frames[-1][1], atol=1e-2)  # stored as float16
    # Other noise, other film: nothing is reused.
    assert callbacks.SampleGrid(noise[:4], out_dir=tmp_path).frames == []


def test_gan_rejects_bad_construction():
    g = vanilla.build_mlp_generator(latent_dim=8, hidden_units=(8,))
    d_other = vanilla.build_mlp_discriminator(image_shape=(8, 8, 1), hidden_units=(8,))
    with pytest.raises(ValueError, match="build both for the same image_shape"):
        GAN(g, d_other)
    with pytest.raises(ValueError, match="latent_dim=4"):
        GAN(g, vanilla.build_mlp_discriminator(hidden_units=(8,)), latent_dim=4)
    with pytest.raises(TypeError, match="must be a keras.Model"):
        GAN(g, lambda x: x)
    gan = GAN(g, vanilla.build_mlp_discriminator(hidden_units=(8,)))
    with pytest.raises(TypeError, match="keras optimizer instance"):
        gan.compile("adam", keras.optimizers.Adam())
    opt = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="its own optimizer"):
        gan.compile(opt, opt)
    with pytest.raises(ValueError, match="shape \\(n, 8\\)"):
        gan.generate(np.zeros((2, 3)))


@pytest.mark.parametrize("steps, spe", [(0, 5), (10, 0), (2.5, 1)])
def test_train_rejects_bad_budgets(small_gan, steps, spe):
    with pytest.raises(ValueError, match="must be a positive whole number"):
        training.train(small_gan, None, steps, spe)


def test_minimax_loss_can_be_chosen(mnist_subset):
    gan = _fresh_small_gan()
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), g_loss="minimax")
    assert gan.g_loss_fn is losses.generator_loss_minimax
    with pytest.raises(ValueError, match="non_saturating, minimax, hinge, least_squares"):
        gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam(), g_loss="wasserstein")


def test_latent_directions_and_attribute_vectors():
    from gan_lessons import dcgan

    # A linear "generator" whose first pixel is 3 z_0 and whose second is z_1: z_0 changes the image most.
    z = keras.Input((4,))
    pixels = keras.layers.Dense(
        4, use_bias=False, kernel_initializer=keras.initializers.Constant(np.diag([3, 1, 0, 0]))
    )(z)
    generator = keras.Model(z, keras.layers.Reshape((2, 2, 1))(pixels))
    directions = dcgan.main_directions(generator, n=2, n_samples=200)
    np.testing.assert_allclose(np.abs(directions), [[1, 0, 0, 0], [0, 1, 0, 0]], atol=1e-2)
    bright_second_pixel = dcgan.attribute_vector(generator, score=lambda images: images[:, 0, 1, 0], n_samples=400)
    assert np.argmax(np.abs(bright_second_pixel)) == 1 and bright_second_pixel[1] > 1.0
    assert dcgan.ink(np.array([[[[1.0], [-1.0]]], [[[1.0], [0.5]]]])).tolist() == [0.5, 1.0]
    with pytest.raises(ValueError, match="n must be a whole number"):
        dcgan.main_directions(generator, n=9)
    with pytest.raises(ValueError, match="one number per image"):
        dcgan.attribute_vector(generator, score=lambda images: images, n_samples=50)


def test_new_training_arrays_replace_the_old_ones_in_the_compiled_step():
    """Training again on other arrays must use them, even though the step was traced already."""
    keras.utils.set_random_seed(0)
    gan = GAN(
        vanilla.build_mlp_generator(latent_dim=8, hidden_units=(16,)),
        vanilla.build_mlp_discriminator(hidden_units=(16,)),
    )
    gan.compile(keras.optimizers.Adam(0.0), keras.optimizers.Adam(0.0))  # weights stay put: D is a fixed probe
    dark, bright = -np.ones((64, 28, 28, 1), "float32"), np.ones((64, 28, 28, 1), "float32")

    def d_real_reported(images, steps):
        history = training.train(gan, images, steps=steps, steps_per_epoch=1, batch_size=16, verbose=0)
        return history["D_real"][-1]

    def d_real_expected(images):
        return float(keras.ops.mean(keras.ops.sigmoid(gan.discriminator(images[:16]))))

    assert d_real_reported(dark, 1) == pytest.approx(d_real_expected(dark), abs=1e-5)
    assert abs(d_real_expected(dark) - d_real_expected(bright)) > 1e-3  # the probe tells them apart
    assert d_real_reported(bright, 2) == pytest.approx(d_real_expected(bright), abs=1e-5)
    assert d_real_reported(dark[:32], 3) == pytest.approx(d_real_expected(dark), abs=1e-5)  # another size
    labels = np.arange(64) % 10
    gan.set_training_data(bright, labels)
    images, got = gan.unpack_batch(keras.ops.convert_to_tensor(np.array([3, 14], "int32")))
    assert np.array_equal(np.array(got), [3, 4]) and images.shape == (2, 28, 28, 1)


def test_steps_per_epoch_defaults_to_one_epoch_for_short_runs(mnist_subset):
    gan = vanilla.compiled_gan(seed=0)
    history = training.train(gan, mnist_subset.images[:256], steps=3, batch_size=32, verbose=0)
    assert gan.step == 3 and len(history["d_loss"]) == 1  # one epoch of 3 steps


def test_compile_takes_the_discriminator_loss_too(mnist_subset):
    """A named loss is the one trained with, and a loss function of the logits is used as given."""
    gan = _fresh_small_gan()
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), g_loss="hinge", d_loss="hinge")
    assert gan.d_loss_fn is losses.hinge_discriminator_loss and gan.g_loss_fn is losses.wasserstein_generator_loss

    gan = _fresh_small_gan()
    constant = lambda real, fake: 7.0 + 0.0 * keras.ops.mean(real)  # noqa: E731 -- flat: D must not move
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), d_loss=constant)
    before, g_before = _weights(gan.discriminator), _weights(gan.generator)
    history = training.train(gan, mnist_subset.images[:64], steps=2, batch_size=32, verbose=0)
    assert history["d_loss"] == [7.0]
    assert not _changed(before, gan.discriminator) and _changed(g_before, gan.generator)
    with pytest.raises(ValueError, match="Unknown discriminator loss"):
        gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3), d_loss="wasserstein")


def test_every_step_reports_each_tracked_metric_once(mnist_subset):
    """finish_step updates the trackers by name: the logs are exactly the model's metrics."""
    gan = _fresh_small_gan()
    history = training.train(gan, mnist_subset.images[:64], steps=2, batch_size=32, verbose=0)
    assert sorted(history) == sorted(m.name for m in gan.metrics) == ["D_fake", "D_real", "d_loss", "g_loss"]
    assert gan.step == 2
    with pytest.raises(ValueError, match=r"tracks no metric named \['wasserstein'\]"):
        gan.finish_step(wasserstein=0.0)  # a value no tracker records is an error, not silently dropped
    assert gan.step == 2


def test_inference_predict_gives_what_keras_predict_gives_without_its_machinery():
    """gan_lessons.core.inference.predict: the numbers of ``model.predict`` (one input, two inputs, two outputs; in
    batches or not; float64 given as Keras casts it), without the compiled function and tf.data pipeline
    ``model.predict`` builds at each call; inputs it cannot batch are refused with what to do."""
    from gan_lessons import conditional, dcgan
    from gan_lessons.core.inference import predict
    from gan_lessons.tools import classifier

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    generator = dcgan.build_dcgan_generator()
    z = rng.standard_normal((7, generator.input_shape[-1]))  # float64, as numpy draws it
    ours = predict(generator, z, batch_size=3)
    assert generator.predict_function is None  # no compiled predict function was built
    assert ours.dtype == np.float32 and ours.shape == (7, 28, 28, 1)
    np.testing.assert_allclose(ours, generator.predict(z, verbose=0), atol=1e-5)
    np.testing.assert_allclose(predict(generator, z), ours, atol=1e-5)  # one batch or three
    assert predict(generator, z[:0]).shape == (0, 28, 28, 1)

    cgan = conditional.build_cgan_generator()
    labels = np.arange(7, dtype=np.int32) % 10
    noise = z[:, : cgan.input_shape[0][-1]].astype(np.float32)
    np.testing.assert_allclose(
        predict(cgan, [noise, labels], batch_size=4), cgan.predict([noise, labels], verbose=0), atol=1e-5
    )

    reader = classifier.build_classifier()  # its features and logits, as the metrics read them
    two_outputs = keras.Model(reader.input, [reader.get_layer(classifier.FEATURES).output, reader.output])
    images = rng.uniform(-1, 1, (5, 28, 28, 1)).astype(np.float32)
    features, logits = predict(two_outputs, images, batch_size=2)
    expected = two_outputs.predict(images, verbose=0)
    np.testing.assert_allclose(features, expected[0], atol=1e-5)
    np.testing.assert_allclose(logits, expected[1], atol=1e-5)

    with pytest.raises(ValueError, match="as many rows each"):
        predict(cgan, [noise, labels[:3]])
    with pytest.raises(ValueError, match="batch_size must be a positive whole number"):
        predict(generator, z, batch_size=0)


def test_inference_predict_traces_a_model_once_and_keeps_it_no_longer_than_the_model_lives():
    """core/inference.py: a model's first call of one batch runs eagerly; a call of several batches, and every later
    call, goes through one function traced for the model, whatever the batch size, and dropped with the model."""
    import gc
    import weakref

    import tensorflow as tf

    from gan_lessons.core import inference

    runs = []

    class Doubling(keras.layers.Layer):  # notes each time Python runs its call: once per eager batch, once per trace
        def call(self, x):
            runs.append("eager" if tf.executing_eagerly() else "traced")
            return x * 2

    def model():
        built = keras.Sequential([keras.Input((3,)), Doubling()])
        runs.clear()  # building it ran the call on a symbolic input
        return built

    x = np.arange(15, dtype=np.float32).reshape(5, 3)
    once = model()
    np.testing.assert_array_equal(inference.predict(once, x[:1]), 2 * x[:1])
    assert runs == ["eager"]  # a first call of one batch: not worth a trace
    np.testing.assert_array_equal(inference.predict(once, x[:2]), 2 * x[:2])
    np.testing.assert_array_equal(inference.predict(once, x, batch_size=2), 2 * x)  # three batches, of 2, 2 and 1
    assert inference.predict(once, x[:0]).shape == (0, 3)
    assert runs == ["eager", "traced"]  # one trace for every later call and batch size

    several = model()
    np.testing.assert_array_equal(inference.predict(several, x, batch_size=2), 2 * x)
    assert runs == ["traced"]  # a first call of several batches traces at once
    np.testing.assert_array_equal(inference.predict(several, x.astype(np.float64)), 2 * x)  # float64 is cast: no trace
    assert runs == ["traced"]

    kept = weakref.ref(several)
    del several
    gc.collect()
    assert kept() is None and once in inference._traced  # the traced function did not keep the model alive
