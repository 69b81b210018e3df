"""Quiet start-up: TensorFlow's native start-up lines kept out of a student's terminal.

TensorFlow 2.16 and later log from C++ through absl before ``absl::InitializeLog()`` runs, so
``TF_CPP_MIN_LOG_LEVEL`` does not silence them: every command would open with lines such as
``I0000 ... port.cc:153] oneDNN custom operations are on`` and, on a machine without a GPU,
``E0000 ... failed call to cuInit``.  :func:`quiet_native_logs` sends the process's standard error
(file descriptor 2, where C++ writes) to a temporary file while TensorFlow starts, then passes on
every line that is not such start-up noise -- a real error, a Python warning, a traceback.
Set ``GAN_LESSONS_TF_LOGS=1`` to see TensorFlow's lines unfiltered.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator

SHOW_ENV = "GAN_LESSONS_TF_LOGS"

# absl's format: severity letter, MMDD, time, thread id, file:line] message.
_ABSL_LINE = re.compile(r"^(?P<level>[IWEF])\d{4} [\d:.]+\s+\d+ (?P<where>[\w./-]+):\d+\] (?P<text>.*)$")
_PREAMBLE = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
# The second line of cpu_feature_guard's info message ("This TensorFlow binary is optimized ...").
_CPU_FEATURES = "To enable the following instructions:"
# Errors that only say "there is no GPU here" (the course then says so in its own words).
_NO_GPU_ERRORS = ("failed call to cuInit", "could not retrieve CUDA device count", "CUDA_ERROR_NO_DEVICE")
# Grappler's remapper could not fuse a convolution, its bias and LeakyReLU in the gradient of the TF tutorial's
# discriminator (the speed benchmark's reference loop): it leaves that graph unfused and carries on. A missed
# optimisation logged at error level, not an error of the run; the benchmark's timing includes its effect.
_HARMLESS_ERRORS = (("meta_optimizer.cc", "remapper failed: INVALID_ARGUMENT: Mutation::Apply error: fanout"),)


def is_startup_noise(line: str) -> bool:
    """True for TensorFlow's start-up lines: absl info and warnings, errors that only mean "no GPU", and
    grappler's one harmless error line of the speed benchmark (``_HARMLESS_ERRORS``).

    Fatal lines and every other error are kept."""
    if line.strip() == _PREAMBLE or line.startswith(_CPU_FEATURES):
        return True
    match = _ABSL_LINE.match(line.strip())
    if match is None:
        return False
    level, where, text = match["level"], match["where"], match["text"]
    if level == "E" and any(where == w and text.startswith(t) for w, t in _HARMLESS_ERRORS):
        return True
    return level in "IW" or (level == "E" and any(s in text for s in _NO_GPU_ERRORS))


@contextlib.contextmanager
def quiet_native_logs() -> Iterator[None]:
    """Hold back TensorFlow's native start-up lines (:func:`is_startup_noise`) written inside the block; pass on
    everything else, when the block ends.

    Does nothing where standard error is not a file descriptor (a Jupyter kernel: the lines go to the
    server's terminal there, not to the notebook) or when ``GAN_LESSONS_TF_LOGS=1``."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    if fd != 2 or os.environ.get(SHOW_ENV, "").strip() in ("1", "true", "yes"):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            text = capture.read().decode("utf-8", errors="replace")
            kept = [line for line in text.splitlines() if not is_startup_noise(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr, flush=True)


def start_tensorflow() -> None:
    """Import TensorFlow and Keras and look for GPUs with the start-up lines held back (the CLI calls it first)."""
    with quiet_native_logs():
        import keras  # noqa: F401
        import tensorflow as tf

        tf.config.list_physical_devices("GPU")
