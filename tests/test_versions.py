"""Issue 23: the version range the course declares is the one CI tests (.ci/constraints-oldest.txt)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pins(text: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==([0-9][^\s#;]*)", text, flags=re.M))


def _lower_bounds(lines) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.match(r'^\s*"?([A-Za-z0-9_.-]+)>=([0-9][^,"\s#;]*)', line)
        if match:
            found[match[1]] = match[2]
    return found


def test_the_oldest_tested_versions_are_the_declared_lower_bounds():
    oldest = _pins((ROOT / ".ci" / "constraints-oldest.txt").read_text())
    assert set(oldest) == {"tensorflow", "keras"}
    project = (ROOT / "pyproject.toml").read_text()
    dependencies = project[project.index("dependencies = [") : project.index("]", project.index("dependencies = ["))]
    for declared in (
        _lower_bounds(dependencies.splitlines()),
        _lower_bounds((ROOT / "requirements.txt").read_text().splitlines()),
    ):
        assert {name: declared[name] for name in oldest} == oldest


def test_ci_installs_the_oldest_versions_and_runs_the_tests_there():
    run = (ROOT / ".ci" / "run").read_text()
    assert "-c .ci/constraints-oldest.txt" in run
    assert re.search(r"\.venv-oldest/bin/python -m pytest tests notebooks/\d\d_\w+\.ipynb", run)
