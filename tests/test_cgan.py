"""Lesson 04: the conditional GAN -- conditioning matters, samples per class, bad labels explain."""

import json

import keras
import numpy as np
import pytest

from gan_lessons import cli, conditional, dcgan, pretrained, training
from gan_lessons.tools.classifier import features_and_probabilities


@pytest.fixture(scope="module")
def gan():
    return conditional.compiled_gan(seed=0)


def test_changing_only_the_label_changes_the_image_and_the_score(gan):
    z = np.repeat(np.random.default_rng(0).standard_normal((1, 100)).astype("float32"), 10, axis=0)
    gan.generator.set_weights(pretrained.load_generator("cgan").get_weights())  # a trained generator
    images = gan.generate(z, labels=np.arange(10))
    assert images.shape == (10, 28, 28, 1)
    assert np.abs(images[1:] - images[0]).mean(axis=(1, 2, 3)).min() > 0.05  # same z, other digit: other image
    x = np.repeat(images[:1], 10, axis=0)
    logits = gan.discriminator.predict([x, np.arange(10)], verbose=0)[:, 0]
    assert np.ptp(logits) > 1e-3  # same image, other label: other score
    # Without the label term the projection discriminator is an ordinary one: check the decomposition.
    features = keras.Model(gan.discriminator.inputs[0], gan.discriminator.get_layer("logit").input)(x[:1])
    embeddings = gan.discriminator.get_layer("label_projection").embeddings.numpy()
    unconditional = gan.discriminator.get_layer("logit")(features).numpy()[0, 0]
    expected = unconditional + features.numpy()[0] @ embeddings[3]
    assert logits[3] == pytest.approx(expected, rel=1e-4, abs=1e-4)


def test_fake_labels_are_uniform_and_seeded(gan):
    labels = gan.fake_condition(20_000).numpy()
    assert labels.min() == 0 and labels.max() == 9
    assert np.bincount(labels, minlength=10).min() > 1_800  # 2,000 expected per digit
    first, same, other = (conditional.compiled_gan(seed=s).fake_condition(100).numpy() for s in (0, 0, 1))
    np.testing.assert_array_equal(first, same)
    assert not np.array_equal(first, other)


def test_the_shipped_conditional_generator_draws_the_digit_asked_for():
    from gan_lessons.tools.classifier import features_and_probabilities

    generator = pretrained.load_generator("cgan")
    requested = np.arange(1000) % 10
    noise = np.random.default_rng(5).standard_normal((1000, 100)).astype("float32")
    read = features_and_probabilities(generator.predict([noise, requested], verbose=0))[1].argmax(axis=1)
    per_class = [np.mean(read[requested == k] == k) for k in range(10)]
    assert min(per_class) >= 0.9, per_class
    record = pretrained.record("cgan")
    assert record["scores"]["label_accuracy"] >= 0.95


def test_cli_writes_labels_with_enough_samples_per_class(tmp_path):
    out = tmp_path / "cgan"
    assert cli.main(["train", "cgan", "--out", str(out), "--steps", "4", "--checkpoint-every", "2"]) == 0
    with np.load(out / "samples.npz") as f:
        images, labels = f["images"], f["labels"]
    assert images.shape == (len(labels), 28, 28, 1) and images.min() >= -1 and images.max() <= 1
    assert np.bincount(labels, minlength=10).min() >= 100
    assert json.loads((out / "run.json").read_text())["model"] == "cgan"
    assert (out / "checkpoints").is_dir()


def test_resume_is_exact_for_the_conditional_gan(tmp_path, mnist_subset):
    images, labels = mnist_subset.images[:512], mnist_subset.labels[:512]

    def run(steps_list, folder):
        for steps in steps_list:
            gan = conditional.compiled_gan(seed=3)  # a fresh model each time, as after a disconnect
            training.train(
                gan,
                images,
                labels=labels,
                steps=steps,
                steps_per_epoch=2,
                batch_size=32,
                seed=1,
                checkpoint=folder,
                verbose=0,
            )
        return gan.generator.get_weights()

    straight = run([4], tmp_path / "a")
    resumed = run([2, 4], tmp_path / "b")
    for a, b in zip(straight, resumed, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-4)


@pytest.mark.parametrize(
    "labels, message",
    [
        (np.array([0, 1, 10]), "between 0 and 9"),
        (np.array([-1, 1, 2]), "between 0 and 9"),
        (np.array([0, 1]), "one label per noise vector"),
        (np.array([0.0, 1.0, 2.0]), "whole numbers"),
    ],
)
def test_bad_labels_explain(gan, labels, message):
    with pytest.raises(ValueError, match=message):
        gan.generate(np.zeros((3, 100), "float32"), labels=labels)


def test_conditional_gan_needs_conditional_players_and_labels(gan):
    with pytest.raises(ValueError, match="two inputs"):
        conditional.ConditionalGAN(dcgan.build_dcgan_generator(), conditional.build_cgan_discriminator())
    with pytest.raises(ValueError, match="num_classes"):
        conditional.ConditionalGAN(
            conditional.build_cgan_generator(), conditional.build_cgan_discriminator(), num_classes=1
        )
    with pytest.raises(ValueError, match="needs the labels"):
        training.train(gan, np.zeros((64, 28, 28, 1), "float32"), steps=1, batch_size=32, verbose=0)


def test_conditional_models_save_and_reload(tmp_path):
    d = conditional.build_cgan_discriminator()
    x, y = np.zeros((2, 28, 28, 1), "float32"), np.array([1, 2])
    d.save(tmp_path / "d.keras")
    again = keras.models.load_model(tmp_path / "d.keras")
    np.testing.assert_allclose(again.predict([x, y], verbose=0), d.predict([x, y], verbose=0), rtol=1e-6)
    assert d.get_layer("label_projection").count_params() == 10 * 7 * 7 * 128


def test_digit_picker_draws_the_requested_digit_and_moves_in_z(gan):
    a = conditional.conditional_digit(gan.generator, 3, style=0, morph=0.0)
    b = conditional.conditional_digit(gan.generator, 3, style=0, morph=1.0)
    c = conditional.conditional_digit(gan.generator, 3, style=1, morph=0.0)
    assert a.shape == (28, 28, 1) and np.abs(a - b).mean() > 1e-4
    np.testing.assert_allclose(b, c, atol=1e-5)  # the path ends where the next style starts
    with pytest.raises(ValueError, match="morph"):
        conditional.conditional_digit(gan.generator, 3, morph=2.0)
    picker = conditional.digit_picker(gan.generator)
    assert picker.children[0].options == tuple(range(10)) and picker.children[0].value == 7
    trained = pretrained.load_generator("cgan")
    drawn = np.stack([conditional.conditional_digit(trained, d, style=0, morph=0.0) for d in (3, 5, 8)])
    assert features_and_probabilities(drawn)[1].argmax(axis=1).tolist() == [3, 5, 8]
