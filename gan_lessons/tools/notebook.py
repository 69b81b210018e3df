"""Helpers for the lesson notebooks: the setup cell, showing package code, run folders."""

from __future__ import annotations

import atexit
import base64
import contextlib
import inspect
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..core.config import FAST_ENV, fast_mode

if TYPE_CHECKING:  # imported in setup_notebook, after the log level is set: this module loads no TensorFlow
    from ..core.device import DeviceSetup


def in_colab() -> bool:
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True


def setup_notebook(seed: int = 0, **device_options) -> DeviceSetup:
    """What every lesson's setup cell calls: quiet logs, seed everything, report device and mode.

    Never fails for lack of a GPU: it reports the CPU and says how to get a GPU in Colab.
    """
    # no TensorFlow C++ log lines in a lesson (its errors reach Python as exceptions)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import matplotlib.pyplot as plt

    with native_logs_silenced():  # TensorFlow's C++ start-up lines (oneDNN, CUDA, absl): nothing a student acts on
        import keras
        import tensorflow as tf

        tf.config.list_physical_devices("GPU")  # CUDA's probe writes its own line on a machine without a GPU
    from ..core.device import configure_device

    # TensorFlow's Python warnings (e.g. "triggered tf.function retracing" when a lesson predicts with several
    # small models in turn) say nothing a student can act on; errors still show.
    tf.get_logger().setLevel("ERROR")
    keras.utils.set_random_seed(seed)
    plt.rcParams.update({"figure.dpi": 80, "image.cmap": "gray_r"})
    print(f"gan_lessons {__version__}, Keras {keras.__version__}")
    setup = configure_device(**device_options)
    if fast_mode():
        print(f"Fast mode is on ({FAST_ENV}=1): budgets are tiny, so results are rough.")
    return setup


@contextlib.contextmanager
def native_logs_silenced():
    """Send what C and C++ code writes to the process's standard error (file descriptor 2) to the null device
    while the block runs.  Python's own errors are raised as exceptions, so none of them is lost."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real descriptor 2 (some embedded interpreters): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def show_markdown(text: str) -> None:
    """Markdown rendered in a notebook, plain text elsewhere (a terminal, a script)."""
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display

        if get_ipython() is not None:
            display(Markdown(text))
            return
    except ImportError:
        pass
    print(text)


def with_static_view(widget, *, figure=None, html_text: str | None = None):
    """Give an ipywidgets widget a static picture of its first state, for readers without a kernel.

    The widget's display bundle gains ``image/png`` (``figure``, a Matplotlib figure, closed here) and/or
    ``text/html`` beside the live widget view: JupyterLab and Colab draw the live widget, while GitHub and any
    viewer that cannot run widgets show the picture of what it looked like when the notebook was run.

    Works with ipywidgets 8 (the widget gives IPython its bundle through ``_repr_mimebundle_``) and 7 (Colab's
    7.7.1, where the widget displays itself through ``_ipython_display_`` and has no ``_repr_mimebundle_``)."""
    extra: dict[str, str] = {}
    if figure is not None:
        import matplotlib.pyplot as plt

        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
        plt.close(figure)
        extra["image/png"] = base64.b64encode(buffer.getvalue()).decode("ascii")
    if html_text is not None:
        extra["text/html"] = html_text
    if hasattr(type(widget), "_repr_mimebundle_"):  # ipywidgets 8
        live = widget._repr_mimebundle_

        def bundle(**kwargs):
            data = live(**kwargs)
            return {**extra, **data} if data else data

        widget._repr_mimebundle_ = bundle
        return widget

    def display_with_picture(**kwargs):  # ipywidgets 7: the widget view (protocol 2.0) beside the picture
        from IPython.display import display

        data = {"text/plain": repr(widget)}
        if widget._view_name is not None:
            data.update(extra)
            data["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2,
                "version_minor": 0,
                "model_id": widget.model_id,
            }
        display(data, raw=True)
        if widget._view_name is not None:
            widget._handle_displayed(**kwargs)  # lets boxes and `interactive` run their "on displayed" callbacks

    widget._ipython_display_ = display_with_picture
    return widget


def show_source(obj) -> None:
    """Show the source code of a package function or class in the notebook."""
    show_markdown(f"```python\n{inspect.getsource(obj)}```")


def run_dir(name: str, drive: bool = False) -> Path:
    """Where a lesson keeps its checkpoints: ``runs/NAME`` beside the notebook, so a rerun
    continues training.  In Colab with ``drive=True``, a folder on the user's Google Drive
    (``MyDrive/gan-lessons/runs/NAME``), so a new runtime after a disconnect resumes too.
    In fast mode a fresh temporary folder, so CI runs never mix with a student's real run; it is
    removed when the process ends normally (a kernel shut down or restarted from Jupyter)."""
    if fast_mode():
        path = Path(tempfile.mkdtemp(prefix=f"{name}-fast-"))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        return path
    path = Path("runs") / name
    if drive and in_colab():
        from google.colab import drive as colab_drive  # only exists in Colab

        colab_drive.mount("/content/drive")
        path = Path("/content/drive/MyDrive/gan-lessons/runs") / name
    elif drive:
        print("Not in Colab: checkpoints stay in the local folder", path)
    path.mkdir(parents=True, exist_ok=True)
    return path
