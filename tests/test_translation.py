from pathlib import Path

import keras
import numpy as np
import pytest

from gan_lessons import translation
from gan_lessons.core.training import train
from gan_lessons.recipes import get_recipe
from gan_lessons.translation import CycleGAN, Pix2Pix, SuperResolutionGAN


def _digits(n=64, seed=0):
    rng = np.random.default_rng(seed)
    images = -np.ones((n, 28, 28, 1), np.float32)
    for i in range(n):  # a bright bar in a random place: enough structure to learn from
        r, c = rng.integers(4, 20, 2)
        images[i, r : r + 6, c : c + 2] = 1.0
    return images


def test_unet_and_patchgan_shapes_and_the_patch_grid():
    unet = translation.build_unet()
    assert unet.output_shape == (None, 28, 28, 1)
    patch = translation.build_patchgan(condition_channels=1)
    assert patch.output_shape == (None, 7, 7, 1)  # one logit per patch, a 7x7 grid
    assert translation.build_patchgan().output_shape == (None, 7, 7, 1)
    # r = 1 + (4 - 1) * 1 + (4 - 1) * 2 + (3 - 1) * 4 = 18: a patch of 18 x 18 pixels, not the whole digit
    assert translation.receptive_field() == 18
    assert translation.receptive_field([(3, 1), (3, 1)]) == 5
    assert translation.receptive_field([(4, 2), (4, 2), (4, 2)]) == 22
    wide = translation.build_patchgan(layer_specs=((4, 2), (4, 2), (4, 2), (3, 1)))
    assert wide.output_shape == (None, 4, 4, 1)  # 4x4 patches, each 38 pixels wide: the whole digit and more
    assert translation.receptive_field(((4, 2), (4, 2), (4, 2), (3, 1))) == 38
    with pytest.raises(ValueError, match="layer_specs"):
        translation.build_patchgan(layer_specs=((4, 0), (3, 1)))


def test_pixel_shuffle_inverts_space_to_depth():
    x = np.random.default_rng(0).standard_normal((2, 7, 7, 8)).astype("float32")
    shuffled = translation.PixelShuffle(2)(x)
    assert tuple(shuffled.shape) == (2, 14, 14, 2)
    np.testing.assert_array_equal(np.asarray(translation.space_to_depth(shuffled, 2)), x)
    sr = translation.build_sr_generator()
    assert sr.input_shape == (None, 7, 7, 1) and sr.output_shape == (None, 28, 28, 1)


def test_task_data():
    images = _digits(8)
    edges = translation.edge_map(images)
    assert edges.shape == images.shape and edges.min() >= -1 and edges.max() <= 1
    low = translation.downsample(images)
    assert low.shape == (8, 7, 7, 1)
    np.testing.assert_allclose(low.mean(), images.mean(), atol=1e-6)  # average pooling keeps the mean
    assert translation.bicubic(low).shape == (8, 28, 28, 1)
    blocky = translation.blocky_digits(np.zeros((3, 8, 8, 1), np.float32))
    assert blocky.shape == (3, 28, 28, 1) and blocky[0, 3, 3, 0] == -1.0 and blocky[0, 4, 4, 0] == 0.0  # MNIST's box
    assert np.all(blocky[0, 4:24, 4:24] == 0.0) and np.all(blocky[0, 24:] == -1.0)


def _pix2pix(**kwargs):
    return Pix2Pix(
        translation.build_unet(base_filters=8),
        translation.build_patchgan(condition_channels=1, base_filters=8),
        **kwargs,
    )


def _cycle(**kwargs):
    nets = [translation.build_unet(base_filters=8) for _ in range(2)]
    nets += [translation.build_patchgan(base_filters=8) for _ in range(2)]
    return CycleGAN(*nets, **kwargs)


def test_cycle_loss_is_zero_for_identity_generators():
    gan = _cycle()
    identity = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Identity()])
    gan.generator, gan.generator_ba = identity, identity
    a, b = _digits(4), _digits(4, seed=1)
    assert float(gan.cycle_loss(a, b)) == 0.0
    gan.generator_ba = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Lambda(lambda x: -x)])
    assert float(gan.cycle_loss(a, b)) > 0.5


def _compiled(gan):
    gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, 0.5), g_optimizer=keras.optimizers.Adam(2e-4, 0.5))
    return gan


@pytest.mark.parametrize("kind", ["pix2pix", "srgan", "cyclegan"])
def test_the_three_trainers_learn(kind):
    targets = _digits(64)
    if kind == "pix2pix":
        gan = _pix2pix()
        inputs = translation.edge_map(targets)
    elif kind == "srgan":
        features = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3), keras.layers.Flatten()])
        gan = SuperResolutionGAN(
            translation.build_sr_generator(filters=8, blocks=1), translation.build_patchgan(base_filters=8), features
        )
        inputs = translation.downsample(targets)
    else:
        gan = _cycle()
        inputs = _digits(64, seed=3)
    _compiled(gan)
    before = [w.copy() for w in gan.generator.get_weights()]
    history = train(gan, targets, labels=inputs, steps=6, steps_per_epoch=3, batch_size=16, seed=0, verbose=0)
    assert all(np.all(np.isfinite(v)) for v in history.values())
    key = "cycle" if kind == "cyclegan" else "reconstruction"
    assert history[key][-1] < history[key][0]  # the paired / cycle error goes down
    assert any(np.abs(a - b).max() > 0 for a, b in zip(before, gan.generator.get_weights(), strict=True))
    out = gan.translate(inputs[:3]) if kind == "cyclegan" else gan.generate(inputs[:3])
    assert out.shape == (3, 28, 28, 1)


def _class_aware_cycle(**kwargs):
    nets = [translation.build_unet(base_filters=8) for _ in range(2)]
    nets += [translation.build_patchgan(base_filters=8, num_classes=10) for _ in range(2)]
    return CycleGAN(*nets, **{"num_classes": 10, **kwargs})


def test_class_aware_cyclegan_learns_the_classes_and_asks_translations_to_keep_them():
    gan = _compiled(_class_aware_cycle())
    a, b = _digits(32), _digits(32, seed=3)
    classes_a, classes_b = np.arange(32) % 10, (np.arange(32) + 3) % 10
    head = gan.discriminator.layers[-1]
    assert isinstance(head, keras.layers.Dense) and head.units == 10  # the auxiliary classifier
    before = [w.copy() for w in head.get_weights()]
    history = train(gan, a, labels=(b, classes_a, classes_b), steps=4, steps_per_epoch=2, batch_size=8, verbose=0)
    assert all(np.all(np.isfinite(v)) for v in history.values())
    assert any(np.abs(x - y).max() > 0 for x, y in zip(before, head.get_weights(), strict=True))
    # A blind classifier pays log(10); one that is sure of the right class pays about 0.
    uniform = np.zeros((4, 10), "float32")
    assert float(gan.class_loss(uniform, np.arange(4))) == pytest.approx(np.log(10), abs=1e-5)
    assert float(gan.class_loss(100 * np.eye(10, dtype="float32")[:4], np.arange(4))) < 1e-6
    with pytest.raises(ValueError, match=r"labels=\(images_b, classes_a, classes_b\)"):
        train(gan, a, labels=b, steps=6, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match="5 labels for 32 images"):
        train(gan, a, labels=(b, classes_a[:5], classes_b), steps=6, batch_size=8, verbose=0)


def test_class_aware_cyclegan_needs_classifying_discriminators():
    with pytest.raises(ValueError, match="d_a classifies 0 classes but num_classes=10"):
        _cycle(num_classes=10)
    with pytest.raises(ValueError, match="num_classes must be 0"):
        _class_aware_cycle(num_classes=-1)
    with pytest.raises(ValueError, match="d_a classifies 10 classes but num_classes=0"):
        _class_aware_cycle(num_classes=0)
    with pytest.raises(ValueError, match="class_weight"):
        _class_aware_cycle(class_weight=-1)
    with pytest.raises(ValueError, match="num_classes must be 0 .no classifier. or >= 2"):
        translation.build_patchgan(num_classes=1)
    plain = _compiled(_cycle())
    with pytest.raises(ValueError, match="CycleGAN needs both domains"):
        train(plain, _digits(16), labels=(_digits(16), np.zeros(16), np.zeros(16)), steps=2, batch_size=8, verbose=0)


def _class_aware_sr(**kwargs):
    from gan_lessons.dcgan import build_dcgan_discriminator

    features = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3), keras.layers.Flatten()])
    generator = translation.build_sr_generator(filters=8, blocks=1)
    discriminator = build_dcgan_discriminator(base_filters=8, num_classes=10)
    return SuperResolutionGAN(generator, discriminator, features, **{"num_classes": 10, **kwargs})


def test_class_aware_sr_learns_the_classes_from_the_pairs_labels():
    gan = _compiled(_class_aware_sr(class_weight=2.0))
    assert gan.discriminator.output_shape == [(None, 1), (None, 10)] and gan.class_weight == 2.0
    targets = _digits(32)
    inputs, classes = translation.downsample(targets), np.arange(32) % 10
    head = gan.discriminator.get_layer("class_logits")
    before = [w.copy() for w in head.get_weights()]
    history = train(gan, targets, labels=(inputs, classes), steps=4, steps_per_epoch=2, batch_size=8, verbose=0)
    assert all(np.all(np.isfinite(v)) for v in history.values())
    assert any(np.abs(x - y).max() > 0 for x, y in zip(before, head.get_weights(), strict=True))
    assert gan.generate(inputs[:3]).shape == (3, 28, 28, 1)
    with pytest.raises(ValueError, match=r"labels=\(inputs, classes\)"):
        train(gan, targets, labels=inputs, steps=6, batch_size=8, verbose=0)


def test_class_aware_sr_needs_a_classifying_discriminator():
    from gan_lessons.dcgan import build_dcgan_discriminator

    features = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten()])
    generator = translation.build_sr_generator(filters=8, blocks=1)
    with pytest.raises(ValueError, match="discriminator classifies 0 classes but num_classes=10"):
        SuperResolutionGAN(generator, build_dcgan_discriminator(base_filters=8), features, num_classes=10)
    with pytest.raises(ValueError, match="discriminator classifies 10 classes but num_classes=0"):
        _class_aware_sr(num_classes=0)
    with pytest.raises(ValueError, match="class_weight must be a number >= 0"):
        _class_aware_sr(class_weight=-1)
    with pytest.raises(ValueError, match="num_classes must be 0 .no classifier. or >= 2"):
        build_dcgan_discriminator(num_classes=1)
    plain = _compiled(SuperResolutionGAN(generator, build_dcgan_discriminator(base_filters=8), features))
    targets = _digits(16)
    with pytest.raises(ValueError, match=r"trains on pairs: train\(gan, targets, labels=inputs"):
        train(plain, targets, labels=(translation.downsample(targets), np.zeros(16)), steps=2, batch_size=8, verbose=0)


def test_the_sr_task_gives_the_digit_of_each_pair():
    task = translation.load_task("srgan")
    (classes,) = task.train_classes
    assert len(classes) == len(task.train_images) and set(classes) == set(range(10))
    labels = task.labels_for(_class_aware_sr())
    assert labels[0] is task.train_inputs and labels[1] is classes


def test_the_cyclegan_task_gives_the_classes_of_both_domains():
    task = translation.load_task("cyclegan")
    classes_a, classes_b = task.train_classes
    assert len(classes_a) == len(classes_b) == len(task.train_images) and set(classes_a) == set(range(10))
    # The classifier reads the MNIST side as labelled (its own training digits).
    from gan_lessons.tools.classifier import load_classifier

    read = np.argmax(load_classifier().predict(task.train_inputs[:200], verbose=0), axis=1)
    assert np.mean(read == classes_b[:200]) > 0.97
    assert task.labels_for(_class_aware_cycle())[0] is task.train_inputs
    assert get_recipe("cyclegan").build(0).num_classes == 10  # the lesson's recipe is class-aware
    assert task.labels_for(_cycle()) is task.train_inputs


def test_bad_shapes_fail_clearly():
    with pytest.raises(ValueError, match="multiples of 4"):
        translation.build_unet((30, 30, 1))
    with pytest.raises(ValueError, match=r"shape \(N, 28, 28, 1\)"):
        translation.edge_map(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match="pairs"):
        Pix2Pix(translation.build_unet(), translation.build_patchgan())
    gan = _compiled(_pix2pix())
    with pytest.raises(ValueError, match="input images of shape"):
        gan.generate(np.zeros((2, 7, 7, 1)))
    with pytest.raises(ValueError, match="l1_weight"):
        Pix2Pix(translation.build_unet(), translation.build_patchgan(condition_channels=1), l1_weight=-1)
    with pytest.raises(ValueError, match="cycle_weight"):
        _cycle(cycle_weight=-1.0)


@pytest.mark.parametrize("model", ["pix2pix", "srgan", "cyclegan"])
def test_cli_writes_held_out_outputs_with_their_digits(model, tmp_path):
    import json

    from gan_lessons import cli

    out = tmp_path / model
    argv = ["train", model, "--out", str(out), "--steps", "2", "--samples", "40", "--checkpoint-every", "1"]
    assert cli.main(argv) == 0
    with np.load(out / "samples.npz") as f:
        images, labels = f["images"], f["labels"]
    assert images.shape == (40, 28, 28, 1) and np.all(np.abs(images) <= 1)
    task = translation.load_task(model)
    np.testing.assert_array_equal(labels, task.test_labels[:40])  # the true digit of each held-out input
    run = json.loads((out / "run.json").read_text())
    assert run["model"] == model
    # the validation split scored after every epoch (here one: an epoch is at least one execution of 4 steps)
    assert [row["step"] for row in run["validation"]] == [2]
    assert all(0 <= row["accuracy"] <= 1 and 0 <= row["independent_accuracy"] <= 1 for row in run["validation"])
    assert (out / "generator_ba.weights.h5").exists() == (model == "cyclegan")  # the round trip's way back
    assert cli.main(argv[:4] + ["--steps", "3", "--samples", "40", "--checkpoint-every", "1"]) == 0  # resumes
    run = json.loads((out / "run.json").read_text())
    assert [row["step"] for row in run["validation"]] == [2, 3]  # the first run's epoch kept, then the new one


def test_the_tasks_hold_out_their_test_inputs():
    pix = translation.load_task("pix2pix")
    assert pix.test_inputs.shape == (1000, 28, 28, 1) and pix.test_targets.shape == (1000, 28, 28, 1)
    sr = translation.load_task("srgan")
    assert sr.train_inputs.shape == (3000, 7, 7, 1) and sr.test_inputs.shape == (1000, 7, 7, 1)
    cyc = translation.load_task("cyclegan")
    assert cyc.train_images.shape == cyc.train_inputs.shape == (3000, 28, 28, 1)
    assert cyc.test_inputs.shape == (500, 28, 28, 1) and cyc.test_targets is None
    # no held-out scikit-learn digit is among the training ones
    train_set = {a.tobytes() for a in cyc.train_images}
    assert sum(a.tobytes() in train_set for a in cyc.test_inputs) < 5  # (a few 8x8 digits are exact duplicates)
    with pytest.raises(ValueError, match="Unknown translation task"):
        translation.load_task("horse2zebra")


def _rows(images):
    return {a.tobytes() for a in images}


def test_the_validation_splits_are_neither_trained_nor_tested_on():
    from gan_lessons.tools.classifier import digit_splits

    reference = digit_splits().reference[0]
    for name in ("pix2pix", "srgan"):
        task = translation.load_task(name)
        assert len(task.val_inputs) == len(task.val_labels) == 1000
        # the validation inputs are made from lesson 08's reference digits: not the training targets, not the test
        assert not _rows(task.val_inputs) & _rows(task.test_inputs)
        assert not _rows(reference) & (_rows(task.train_images) | _rows(task.test_targets))
        np.testing.assert_array_equal(task.val_labels, digit_splits().reference[1])
    cyc = translation.load_task("cyclegan")
    assert cyc.val_inputs.shape == (300, 28, 28, 1) and len(cyc.val_labels) == 300
    train_a = _rows(cyc.train_images)
    assert len(train_a) < 1000  # 997 scikit-learn digits to train on (fewer distinct: some 8x8 digits repeat)
    # (a few 8x8 digits are exact duplicates of others, so allow a handful of byte-equal rows)
    assert sum(a.tobytes() in train_a for a in cyc.val_inputs) < 5
    assert sum(a.tobytes() in _rows(cyc.test_inputs) for a in cyc.val_inputs) < 5
    assert set(cyc.val_labels) == set(range(10))


def test_validation_scores_follow_the_steps_and_refuse_what_they_cannot_score():
    task = translation.load_task("srgan")
    gan = get_recipe("srgan").build(seed=0)
    scores = translation.ValidationScores(task, verbose=False)
    train(
        gan,
        task.train_images,
        labels=task.labels_for(gan),
        steps=4,
        steps_per_epoch=2,
        batch_size=8,
        callbacks=[scores],
    )
    assert [row["step"] for row in scores.history] == [2, 4]
    from gan_lessons.tools.classifier import digit_splits

    perfect = translation.validation_accuracy(task, np.asarray(digit_splits().reference[0]))
    assert perfect["accuracy"] > 0.95 and perfect["independent_accuracy"] > 0.9  # the real digits read as themselves
    with pytest.raises(ValueError, match="translate them all"):
        translation.validation_accuracy(task, task.test_targets[:10])
    bare = translation.TranslationTask("srgan", *[task.train_images] * 2, task.test_inputs, task.test_labels, None, "x")
    with pytest.raises(ValueError, match="no validation split"):
        translation.ValidationScores(bare)


def test_psnr_and_sharpness():
    real = translation.load_task("srgan").test_targets[:100]
    assert translation.psnr(real, real) == float("inf")
    noisy = real + np.random.default_rng(0).normal(0, 0.1, real.shape).astype("float32")
    assert translation.psnr(noisy, real) == pytest.approx(10 * np.log10(4 / 0.01), abs=0.2)  # MSE 0.01, peak-to-peak 2
    blurred = translation.bicubic(translation.downsample(real))
    assert translation.sharpness(blurred) < 0.8 * translation.sharpness(real)  # a blur has weaker edges
    assert translation.sharpness(-np.ones((2, 28, 28, 1))) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        translation.psnr(real[:5], real[:6])


class _PixelReader:
    """Reads the digit written in an image's first pixel (-1 -> 0 ... 1 -> 9) with the logit in its second pixel."""

    def predict(self, images, batch_size=None, verbose=0):
        digits = np.rint((images[:, 0, 0, 0] + 1) * 4.5).astype(int)
        logits = np.zeros((len(images), 10), "float32")
        logits[np.arange(len(images)), digits] = 5 * (images[:, 0, 1, 0] + 1)
        return logits


def _reads(digits, sureness=0.0):
    """Images that ``_PixelReader`` reads as ``digits``, with logit 5 * (1 + sureness)."""
    images = np.full((len(digits), 28, 28, 1), -1.0, "float32")
    images[:, 0, 0, 0] = np.asarray(digits) / 4.5 - 1
    images[:, 0, 1, 0] = sureness
    return images


def test_reading_differences_counts_the_digits_one_model_alone_gets_right():
    from scipy.special import softmax

    labels = [0, 1, 2, 3, 4, 5]
    first, second = _reads([0, 1, 2, 9, 9, 7], sureness=0.6), _reads([0, 5, 2, 3, 8, 7], sureness=-0.2)
    diff = translation.reading_differences(first, second, labels, reader=_PixelReader())
    assert (diff["only_first"], diff["only_second"], diff["both_misread"], diff["same_wrong_digit"]) == (1, 1, 2, 1)
    sure = softmax(np.array([8.0] + [0.0] * 9))[0]  # logit 5 * 1.6 on the digit read, 0 elsewhere
    assert diff["confidence_first"] == pytest.approx(sure, abs=1e-6)
    assert diff["confidence_second"] == pytest.approx(softmax(np.array([4.0] + [0.0] * 9))[0], abs=1e-6)
    assert diff["p_value"] == 1.0  # one digit each way: no sign of either model being better
    # 15 digits read from the first model's outputs only, 11 from the second's: two-sided exact McNemar, not one-sided
    labels = [1] * 26
    first, second = _reads([1] * 15 + [2] * 11), _reads([2] * 15 + [1] * 11)
    diff = translation.reading_differences(first, second, labels, reader=_PixelReader())
    assert (diff["only_first"], diff["only_second"], diff["both_misread"]) == (15, 11, 0)
    assert diff["p_value"] == pytest.approx(0.557, abs=0.001)
    perfect = translation.reading_differences(_reads(labels), second, labels, reader=_PixelReader())
    assert np.isnan(perfect["confidence_first"])  # nothing misread: no mean to take
    with pytest.raises(ValueError, match="same inputs"):
        translation.reading_differences(first[:5], second, labels, reader=_PixelReader())
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        translation.reading_differences(first * 255, second, labels, reader=_PixelReader())


@pytest.mark.parametrize("name", ["pix2pix", "srgan"])
def test_the_networks_without_adversary_learn_their_pixel_loss(name):
    task = translation.load_task(name)
    keras.utils.set_random_seed(0)
    untrained = translation.build_unet() if name == "pix2pix" else translation.build_sr_generator(filters=32)
    trained = translation.train_without_adversary(task, steps=40, batch_size=16)
    before = translation.psnr(untrained.predict(task.test_inputs[:100], verbose=0), task.test_targets[:100])
    after = translation.psnr(trained.predict(task.test_inputs[:100], verbose=0), task.test_targets[:100])
    assert after > before + 3  # dB
    with pytest.raises(ValueError, match="paired tasks"):
        translation.train_without_adversary(translation.load_task("cyclegan"), steps=1)


def test_round_trip_errors():
    gan = _cycle()
    identity = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Identity()])
    gan.generator, gan.generator_ba = identity, identity
    images = _digits(6)
    np.testing.assert_array_equal(translation.round_trip_errors(gan, images), np.zeros(6))
    noisy = translation.round_trip_errors(gan, images, noise=0.1)
    assert noisy.shape == (6,) and np.all((noisy > 0.03) & (noisy < 0.1))  # |N(0, .1)| averages .08, less where clipped
    with pytest.raises(ValueError, match="noise"):
        translation.round_trip_errors(gan, images, noise=-1)


def test_trained_model_ships_both_cyclegan_generators_and_trains_at_its_budget(tmp_path):
    from gan_lessons import config, pretrained

    gan = translation.trained_model("cyclegan")
    record = pretrained.record("cyclegan")
    assert record["sha256_generator_ba"] == pretrained.sha256(pretrained.weights_path("cyclegan", "generator_ba"))
    from gan_lessons.recipes import get_recipe

    untrained = get_recipe("cyclegan").build(seed=0)
    for loaded, initial in ((gan.generator, untrained.generator), (gan.generator_ba, untrained.generator_ba)):
        pairs = zip(loaded.get_weights(), initial.get_weights(), strict=True)
        assert any(np.abs(a - b).max() > 0.01 for a, b in pairs)  # shipped weights, not the initial ones
    fresh = translation.trained_model("cyclegan", seed=1, train=True, checkpoint=tmp_path / "ckpt")
    assert fresh.step == config.budget("cyclegan").steps  # fast mode's budget, resumable from the folder
    assert (tmp_path / "ckpt").exists()
    with pytest.raises(pretrained.PretrainedError, match="no 'generator_ab' weights"):
        pretrained.load_generator("cyclegan", gan.generator, part="generator_ab")
    with pytest.raises(ValueError, match="Unknown translation model"):
        translation.trained_model("horse2zebra")


@pytest.mark.parametrize("name", ["pix2pix", "srgan"])
def test_trained_model_trains_when_asked_as_lesson_10_does_with_train_yourself(name, tmp_path):
    # Lesson 10 loads the shipped generators by default (in both budgets); `TRAIN_YOURSELF = [name]` takes this branch.
    from gan_lessons import config

    shipped = translation.trained_model(name)
    fresh = translation.trained_model(name, train=True, checkpoint=tmp_path / name)
    assert fresh.step == config.budget(name).steps and any((tmp_path / name).iterdir())
    pairs = zip(fresh.generator.get_weights(), shipped.generator.get_weights(), strict=True)
    assert any(np.abs(a - b).max() > 0.01 for a, b in pairs)  # trained here, not the shipped weights


@pytest.mark.parametrize("name", ["pix2pix", "cyclegan", "srgan"])
def test_shipped_models_score_what_their_record_says_and_beat_doing_nothing(name):
    # The lesson's benchmark, on the held-out inputs: the share read as the true digit by the course classifier and by
    # the independent reader, and the classifier-feature FID, must be what data/NAME_generator.json records (the
    # lesson and the READMEs quote it; tests/test_records.py) -- to within 5 of the 500 or 1,000 digits, for another
    # order of floating-point operations -- and beat the do-nothing baseline by both readers.
    from gan_lessons.tools import shipped

    recorded = shipped.record(name)["scores"]
    task = translation.load_task(name)
    gan = translation.trained_model(name)
    outputs = gan.translate(task.test_inputs) if name == "cyclegan" else gan.generate(task.test_inputs)
    scores = translation.evaluate_outputs(outputs, task.test_labels)
    baseline = translation.evaluate_outputs(translation.do_nothing(task), task.test_labels)
    for reader in ("accuracy", "independent_accuracy"):
        assert scores[reader] == pytest.approx(recorded[reader], abs=5 / len(task.test_labels)), reader
        assert scores[reader] > baseline[reader], reader
    assert scores["fid"] == pytest.approx(recorded["fid"], rel=0.05)
    assert scores["fid"] < baseline["fid"] / 4


def test_the_content_weight_record_chose_on_the_validation_split_and_the_recipe_uses_its_choice():
    import inspect

    from gan_lessons.tools import shipped

    search = shipped.measurement("srgan_content_weight")
    plain = [run for run in search["runs"] if run["content_weight"] is not None and not run["num_classes"]]
    best = max(plain, key=lambda run: (run["validation"][-1]["independent_accuracy"], -run["content_weight"]))
    assert search["chosen_content_weight"] == best["content_weight"]  # the record's choice follows its own rule
    assert all(run["validation"][-1]["step"] == search["steps"] for run in search["runs"])
    default = inspect.signature(translation.compiled_srgan).parameters["content_weight"].default
    assert default == search["chosen_content_weight"]  # the shipped recipe uses the weight chosen there
    with pytest.raises(shipped.PretrainedError, match="No record 'nonexistent'"):
        shipped.measurement("nonexistent")


def test_the_upscaler_comparison_trains_what_its_record_names(monkeypatch):
    """``scripts/compare_upscalers.py`` (data/srgan_variants.json): its variants are the record's; each SRGAN variant
    gets its pixel weight and all the steps, except the one started from the pixel-loss network, which gets that
    network's weights and the rest of the steps.  (The trainer is stood in for: it is tested above.)"""
    import importlib

    from gan_lessons.core import training  # upscaled() imports the trainer when it runs: patched where it lives
    from gan_lessons.tools import shipped

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "scripts"))
    compare = importlib.import_module("compare_upscalers")
    record = shipped.measurement("srgan_variants")
    named = {name: None if spec is None else tuple(spec.values()) for name, spec in record["variants"].items()}
    assert named == compare.VARIANTS

    trained, started = [], []
    without = translation.train_without_adversary

    def start(task, steps, **kwargs):
        net = without(task, steps, **kwargs)
        started.append((steps, net.get_weights()))
        return net

    monkeypatch.setattr(training, "train", lambda gan, images, steps, **kwargs: trained.append((gan, steps)))
    monkeypatch.setattr(translation, "train_without_adversary", start)
    task = translation.load_task("srgan")
    outputs = compare.upscaled(task, None, "SRGAN started from the pixel-loss network", seed=0, steps=3)
    assert outputs.shape == (1000, 28, 28, 1) and np.all(np.abs(outputs) <= 1)
    ((start_steps, start_weights),) = started
    ((gan, gan_steps),) = trained
    assert (start_steps, gan_steps, gan.pixel_weight) == (1, 2, 1.0)  # 3 generator steps in all
    assert all(np.array_equal(a, b) for a, b in zip(gan.generator.get_weights(), start_weights, strict=True))
    compare.upscaled(task, None, "SRGAN, pixel weight 100", seed=0, steps=3)
    assert len(started) == 1 and trained[-1][0].pixel_weight == 100.0 and trained[-1][1] == 3
    with pytest.raises(ValueError, match="pixel_weight"):
        translation.compiled_srgan(0, pixel_weight=-1.0)


def test_the_scripts_run_log_keeps_each_finished_run(tmp_path, monkeypatch):
    """``--log`` of scripts/select_content_weight.py and scripts/compare_upscalers.py (scripts/run_log.py): a run
    appended is kept, by the script's key, for the next start; without a log nothing is written or read."""
    import importlib

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "scripts"))
    run_log = importlib.import_module("run_log")
    log = tmp_path / "runs.jsonl"
    assert run_log.kept_runs(None, key=len) == {} and run_log.kept_runs(log, key=len) == {}
    run_log.keep(None, {"run": "a"})
    assert not log.exists()
    first, second = {"variant": "v", "seed": 0, "share": 0.9}, {"variant": "v", "seed": 1, "share": 0.8}
    run_log.keep(log, first)
    run_log.keep(log, second)
    assert run_log.kept_runs(log, key=lambda r: (r["variant"], r["seed"])) == {("v", 0): first, ("v", 1): second}
