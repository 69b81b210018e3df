"""Lesson 10, ``10_image_translation``: pix2pix, CycleGAN and super-resolution.

Where the code is:
- ``tasks``: the three tasks' data, baselines and scores;
- ``networks``: U-Net, PatchGAN, the sub-pixel upscaler;
- ``models``: the image-to-image trainers;
- ``recipes``: the recipes, the pixel-loss network and the shipped models;
- ``checks``: the checks of the lesson's exercises (``solutions``: their reference answers).
"""

from . import checks, solutions
from .models import (
    CycleGAN,
    ImageToImageGAN,
    Pix2Pix,
    SuperResolutionGAN,
)
from .networks import (
    PATCHGAN_LAYERS,
    WHOLE_DIGIT_LAYERS,
    PixelShuffle,
    build_patchgan,
    build_sr_generator,
    build_unet,
    receptive_field,
    space_to_depth,
)
from .recipes import (
    RECIPES,
    compiled_cyclegan,
    compiled_pix2pix,
    compiled_srgan,
    train_without_adversary,
    trained_model,
)
from .tasks import (
    TASKS,
    TranslationTask,
    ValidationScores,
    bicubic,
    blocky_digits,
    do_nothing,
    downsample,
    edge_map,
    evaluate_outputs,
    load_task,
    psnr,
    reading_differences,
    round_trip_errors,
    score_table,
    sharpness,
    validation_accuracy,
)
