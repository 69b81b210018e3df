"""Issue 23: the version range the course declares is the one CI tests (.ci/constraints-oldest.txt)."""

import re
from pathlib import Path

from declared import lower_bounds, requirements

ROOT = Path(__file__).resolve().parent.parent


def test_the_oldest_tested_versions_are_the_declared_lower_bounds():
    pinned = requirements(".ci/constraints-oldest.txt")
    assert all(len(spec) == 1 and next(iter(spec)).operator == "==" for spec in pinned.values()), pinned
    oldest = {name: next(iter(spec)).version for name, spec in pinned.items()}
    # ipywidgets 7.7.1 is Colab's; widgetsnbextension and jupyterlab-widgets are only its companions
    assert (
        {"tensorflow", "keras", "ipywidgets"}
        <= set(oldest)
        <= {
            "tensorflow",
            "keras",
            "ipywidgets",
            "widgetsnbextension",
            "jupyterlab-widgets",
        }
    )
    for source in ("pyproject.toml", "requirements.txt"):
        declared = lower_bounds(source)
        tested = {name: version for name, version in oldest.items() if name in requirements(source)}
        assert set(tested) == {"tensorflow", "keras", "ipywidgets"}, source
        assert {name: declared[name] for name in tested} == tested, source


def test_ci_installs_the_oldest_versions_and_runs_the_tests_there():
    run = (ROOT / ".ci" / "run").read_text()
    assert "-c .ci/constraints-oldest.txt" in run
    assert re.search(r"\.venv-oldest/bin/python -m pytest tests notebooks/\d\d_\w+\.ipynb", run)
