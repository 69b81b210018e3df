"""The repository keeps its promises: README commands, CI, notebook structure, one repository URL."""

import functools
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
import suite_order
from declared import pyproject

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def _load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sync = _load_script("sync_notebooks")


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _src(cell):
    return "".join(cell["source"])


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    venv_lines = [line for line in readme.splitlines() if line.startswith("python3 -m venv .venv")]
    lab = [line for line in venv_lines if "gan-lessons lab" in line]
    assert len(lab) == 1 and "pip install -r requirements.txt" in lab[0]
    # .ci/run extracts the test command from README.md with this grep: exactly one line must match.
    found = subprocess.run(
        ["grep", "-E", r"^python3 -m venv \.venv && .*-m pytest", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(found) == 1 and "pip install -r requirements.txt" in found[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert r"grep -m1 -E '^python3 -m venv \.venv && .*-m pytest' README.md" in ci
    assert 'bash -c "$test_command"' in ci


def test_requirements_install_the_package_and_the_course_tools():
    lines = [line.split(">=")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    for name in (
        "tensorflow",
        "keras",
        "numpy",
        "matplotlib",
        "scikit-learn",
        "nbval",
        "ipywidgets",
        "pytest",
        "mlxtend",
        "jupyterlab",
        "-e .",
    ):
        assert name in lines, name
    assert lines[-1] == "-e ."


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_structure(path):
    cells = _cells(path)
    title = _src(cells[0])
    assert cells[0]["cell_type"] == "markdown" and title.startswith("# ")
    assert f"{sync.colab_path()}/blob/main/notebooks/{path.name}" in title, "Colab badge must open this notebook"
    assert "Time to run" in title
    code = [c for c in cells if c["cell_type"] == "code"]
    assert "setup" in code[0]["metadata"].get("tags", []), "the first code cell is the setup cell"
    assert _src(code[0]) == sync.setup_source(), "run scripts/sync_notebooks.py"
    assert "parameters" in code[1]["metadata"].get("tags", []), "the second code cell holds the budgets"
    headings = [line for c in cells if c["cell_type"] == "markdown" for line in _src(c).splitlines()]
    for heading in ("## Summary", "## Exercises", "## Interview questions"):
        assert heading in headings


MANIFEST = ROOT / "notebooks" / "manifest.json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_every_lesson_was_built_at_the_full_budget():
    manifest = json.loads(MANIFEST.read_text())
    assert sorted(manifest) == [p.name for p in NOTEBOOKS], "run scripts/build_notebooks.py for the missing lessons"
    for name, entry in manifest.items():
        assert entry["fast_mode"] is False, name
        assert re.fullmatch(r"[0-9a-f]{40}", entry["commit"]), name
        assert entry["seconds"] > 0 and entry["tensorflow"] and entry["keras"] and entry["device"], name


def test_a_build_records_how_fast_the_machine_ran_the_dcgan_step():
    """scripts/build_notebooks.py runs `gan-lessons bench speed` before each lesson and keeps its figures in the
    manifest (a bench that fails is recorded as such and the build goes on); the entries that have one hold them."""
    build, asked = _load_script("build_notebooks"), []
    bench_command = [sys.executable, "-m", "gan_lessons", "bench", "speed", "--repeats", "1"]
    printed = '{"package_images_per_s": 362.2, "reference_images_per_s": 415.0, "ratio": 0.873}'  # bench's last line

    def bench(args, **kwargs):
        asked.append(args)
        return subprocess.CompletedProcess(args, 0, "a log line\n" + printed + "\n", "")

    assert build.machine_speed(run=bench) == {
        "command": "gan-lessons bench speed --repeats 1",
        "dcgan_step_images_per_s": 362.2,
        "tutorial_step_images_per_s": 415.0,
    }
    assert asked == [bench_command]
    failures = {  # what the bench gave (exit code, stdout, stderr): what the manifest records
        (1, "", "Error: boom\n"): "exit 1: Error: boom",
        (0, "", ""): "exit 0: no output",
        (0, "not JSON\n", ""): "exit 0: not JSON",
        (0, '{"images": 1}\n', ""): 'exit 0: {"images": 1}',
    }
    for gave, recorded in failures.items():
        result = subprocess.CompletedProcess(bench_command, *gave)
        assert build.machine_speed(run=lambda *args, result=result, **kwargs: result) == {
            "command": "gan-lessons bench speed --repeats 1",
            "error": recorded,
        }
    for name, entry in json.loads(MANIFEST.read_text()).items():
        if "machine_speed" in entry:
            speed = entry["machine_speed"]
            assert speed["dcgan_step_images_per_s"] > 0 and speed["tutorial_step_images_per_s"] > 0, name


def test_every_stored_full_run_took_under_fifteen_minutes_as_readme_says():
    """A full budget must finish within 15 minutes on a 2-core CPU; README gives the longest stored run, rounded up."""
    manifest = json.loads(MANIFEST.read_text())
    slow = {name: entry["seconds"] for name, entry in manifest.items() if entry["seconds"] >= 15 * 60}
    assert not slow, f"stored runs of 15 minutes or more: {slow}"
    longest = math.ceil(max(entry["seconds"] for entry in manifest.values()) / 60)
    claim = f"every lesson's stored full run took at most {longest} minutes on 2 cores, within the course's limit of 15"
    assert claim in _flat((ROOT / "README.md").read_text())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stores_the_outputs_of_one_full_run(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "every cell ran, top to bottom, in one run"
    outputs = [o for c in code for o in c["outputs"]]
    text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Fast mode is on" not in text, "stored outputs must come from the full budget"
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "a lesson read on GitHub shows its pictures"
    for cell in code:
        pictures = [o["data"]["image/png"] for o in cell["outputs"] if "image/png" in o.get("data", {})]
        assert len(pictures) == len(set(map(str, pictures))), "a figure shown twice (end the cell with ';')"
    for o in outputs:
        if WIDGET_VIEW in o.get("data", {}):
            assert {"image/png", "text/html"} & set(o["data"]), "a widget stores a static view of its first state"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_checked_cells(path):
    checked = [c for c in _cells(path) if c["cell_type"] == "code" and _src(c).startswith(CHECK_MARK)]
    assert len(checked) >= 3, "each lesson checks some outputs that hold in both budgets by value"
    assert all(c["outputs"] for c in checked), "a checked cell stores the output nbval compares"


def test_notebooks_stay_light():
    sizes = {p.name: p.stat().st_size for p in NOTEBOOKS}
    assert max(sizes.values()) < 4_000_000, sizes
    assert sum(sizes.values()) < 25_000_000, sizes


def test_run_times_in_titles_and_readme_come_from_the_manifest():
    manifest = json.loads(MANIFEST.read_text())
    readme = (ROOT / "README.md").read_text()
    assert sync.fix_course_map(readme) == readme, "run scripts/sync_notebooks.py"
    for path in NOTEBOOKS:
        expected = sync.run_time_text(manifest[path.name]["seconds"])
        title = _src(_cells(path)[0])
        assert f"**Time to run**: {expected} on a 2-core CPU at the full budget" in title, path.name
        row = [line for line in readme.splitlines() if line.startswith(f"| [{path.name[:2]} · ")]
        assert len(row) == 1 and f"| {expected} |" in row[0], path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_stay_small(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            lines = [line for line in _src(cell).splitlines() if line.strip() and not line.lstrip().startswith("#")]
            assert len(lines) <= 25, f"a {len(lines)}-line cell belongs in the package: {_src(cell)[:80]}"


def test_readme_course_map_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert f"(notebooks/{path.name})" in readme
        assert f"colab.research.google.com/github/{sync.colab_path()}/blob/main/notebooks/{path.name}" in readme


def test_repository_url_is_written_once_and_synced():
    assert sync.fix_colab_links((ROOT / "README.md").read_text()) == (ROOT / "README.md").read_text()
    others = sync.fix_colab_links("https://colab.research.google.com/github/someone/else/blob/main/x.ipynb")
    assert others == f"https://colab.research.google.com/github/{sync.colab_path()}/blob/main/x.ipynb"


SHOW_SOURCE = re.compile(r"^gl\.show_source\((gl(?:\.\w+)+)\)$")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_listings_are_the_code_the_package_holds(path):
    """A `show_source` cell's stored output is the listing of the package's code today, not of a moved or older one."""
    import inspect

    import gan_lessons as gl

    for cell in _cells(path):
        match = SHOW_SOURCE.match(_src(cell).strip()) if cell["cell_type"] == "code" else None
        if not match:
            continue
        obj = gl
        for name in match.group(1).split(".")[1:]:
            obj = getattr(obj, name)
        stored = "".join(
            "".join(o["data"]["text/markdown"]) for o in cell["outputs"] if "text/markdown" in o.get("data", {})
        )
        assert stored == f"```python\n{inspect.getsource(obj)}```", f"{match.group(1)}: rebuild {path.name}"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _lesson(stem: str):
    """A lesson's Markdown (whitespace flattened) and its code cells' stored text outputs, by source opening."""
    cells = _cells(ROOT / "notebooks" / f"{stem}.ipynb")
    prose = _flat("\n".join(_src(c) for c in cells if c["cell_type"] == "markdown"))

    def output(opening: str) -> str:
        (cell,) = [c for c in cells if c["cell_type"] == "code" and _src(c).startswith(opening)]
        return "".join("".join(o.get("text", "")) for o in cell["outputs"])

    return prose, output


def _score_rows(table: str) -> dict[str, list[str]]:
    """The rows of a stored ``gl.translation.score_table`` print-out (a 30-character label, then the values): label ->
    its values as the prose writes them ("95.6%" -> "95.6 %")."""
    return {row[:30].strip(): [v.replace("%", " %") for v in row[30:].split()] for row in table.splitlines()[1:]}


def test_prose_that_restates_a_stored_output_agrees_with_it():
    """Where the Markdown repeats what a cell of the same stored run printed (or how long it took, from the
    manifest), the two agree: a rebuild that moves the numbers fails here until the prose follows."""
    manifest = json.loads(MANIFEST.read_text())

    def training_minutes(name: str, opening: str) -> int:
        (cell,) = [c for c in manifest[name]["slowest_cells"] if c["code"].startswith(opening)]
        return round(cell["seconds"] / 60)

    for stem, opening, what in (
        ("03_dcgan", "gan = gl.dcgan.compiled_gan(", "trains the DCGAN"),
        ("04_conditional_gan", "gan = gl.conditional.compiled_gan(", "trains the conditional GAN"),
    ):
        prose, _ = _lesson(stem)
        minutes = training_minutes(f"{stem}.ipynb", opening)
        assert f"most of it (about {minutes} min in the stored run) {what}" in prose, stem

    # Lesson 02 reads its training log: the first two epochs, then the discriminator pulling ahead from epoch 11
    prose, output = _lesson("02_vanilla_gan")
    log = output("gan = gl.vanilla.compiled_gan(")
    epochs = [
        {key: float(value) for key, value in re.findall(r"(D_fake|D_real|d_loss|g_loss): ([\d.]+)", line)}
        for line in re.findall(r"^500/500 .*$", log, re.MULTILINE)
    ]
    assert len(epochs) == 48
    first, second, eleventh, last = epochs[0], epochs[1], epochs[10], epochs[-1]
    assert (
        f"mean $D(\\text{{real}})$ {first['D_real']:.2f}, $D(\\text{{fake}})$ {first['D_fake']:.2f}, and a loss of "
        f"{first['d_loss']:.3f}. In the second, $G$ has caught up: {second['D_real']:.2f} and {second['D_fake']:.2f}, "
        f"and $D$'s loss has risen to {second['d_loss']:.3f}." in prose
    )
    assert (
        f"creeps up from {eleventh['D_real']:.2f} to {last['D_real']:.2f} and $D(\\text{{fake}})$ falls from "
        f"{eleventh['D_fake']:.2f} to {last['D_fake']:.2f}" in prose
    )
    # "from epoch 11 on the discriminator slowly pulls ahead": steady in epochs 2 to 11, well apart by the last
    assert max(abs(e["D_real"] - eleventh["D_real"]) for e in epochs[1:11]) < 0.02
    assert last["D_real"] - eleventh["D_real"] > 0.1 and last["D_fake"] < eleventh["D_fake"] - 0.1

    # Lesson 03's latent arithmetic: the mean ink at a = -1, 0, 1 rises, and the rows whose digit changes
    prose, output = _lesson("03_dcgan")
    printed = output("# NBVAL_CHECK_OUTPUT\nink = gl.dcgan.ink(rows)")
    (ink,) = re.findall(r"mean ink at a = -1, 0, 1: \[([\d.]+) ([\d.]+) ([\d.]+)\]", printed)
    assert f"mean ink rises with $a$ ({', '.join(ink)})" in prose and float(ink[0]) < float(ink[1]) < float(ink[2])
    (stay,) = re.findall(r"rows that stay one digit from a = -1 to 1: (\d) of 5", printed)
    assert f"also changes the digit in {5 - int(stay)} of 5 rows" in prose  # and in the summary:
    assert f"that direction also changed the digit in {5 - int(stay)} of 5 rows" in prose

    prose, output = _lesson("05_wgan_gp")
    epochs = [int(s) for s in re.findall(r"^200/200 - (\d+)s", output("mnist = gl.data.load_mnist()"), re.MULTILINE)]
    assert len(epochs) == 9
    assert f"so in about {round(sum(epochs) / 60)} minutes (the nine epochs' times above)" in prose

    prose, output = _lesson("06_stylegan_block")
    truncation = output("# NBVAL_CHECK_OUTPUT\nfor cutoff")
    printed = r"^psi ([\d.]+) in the first (\d) of 6 layers: +(\d+)% confidently classified, (\d+) different digits"
    rows = {(m[1], m[2]): (int(m[3]), int(m[4])) for m in re.finditer(printed, truncation, re.MULTILINE)}
    assert len(rows) == 4
    sweep = output("# NBVAL_CHECK_OUTPUT\nw_bar = gl.stylegan.mean_w(")
    shares = {m[1]: int(m[2]) for m in re.finditer(r"^psi ([\d.]+): +(\d+)% of 64", sweep, re.MULTILINE)}
    untruncated, runs = shares["1.0"], (shares["0.5"], rows[("0.5", "6")][0])  # one setting, printed twice
    coarse = (rows[("0.5", "2")][0], rows[("0.0", "2")][0])
    assert f"printed {runs[0]} % above and {runs[1]} % here" in prose
    assert (
        f"the two truncations of only the first two layers ({coarse[0]} % and {coarse[1]} %) differ from the "
        f"untruncated {untruncated} % by no more than those two runs of one setting differ" in prose
    )
    assert max(abs(c - untruncated) for c in coarse) <= abs(runs[0] - runs[1])
    share, digits = rows[("0.0", "6")]
    assert f"is read confidently {share} % of the time, all as one digit" in prose and digits == 1

    prose, output = _lesson("11_mode_collapse_lab")
    checks = output("# NBVAL_CHECK_OUTPUT\nring = ")
    real = re.search(r"^real samples +8/8 modes, +([\d.]+)% high quality", checks, re.MULTILINE)
    # test_records holds the same sentence's number to the 12-mode run in data/toy_lab.json
    assert f"The high-quality share is {real[1]} % for 12 ring modes, what section 1's real samples scored" in prose
    # "and not the same runs": the grid runs plotted in section 4 beside the table's seed-0 runs, as printed
    compared = output('table = {(row["model"], row["dataset"], row["seed"]): row').splitlines()
    printed = r"here: +(\d+)/25 modes, +(\d+)% .*run: +(\d+)/25, +(\d+)%"
    pairs = [re.search(printed, line).groups() for line in compared]
    assert len(pairs) == 3 and any(pair[:2] != pair[2:] for pair in pairs)  # one model at least came out otherwise
    assert "The same code, data, budget and seed as the table's first seed — and not the same runs." in prose

    prose, output = _lesson("07_kde_baseline")
    sweep = output('print("   d  bandwidth  log p per pixel').splitlines()[1:]
    # dimensions -> [train, held-out, gap] as the prose writes them (with a minus sign)
    rows = {int(row.split()[0]): [v.replace("-", "−") for v in row.split()[2:5]] for row in sweep}
    assert f"({rows[50][1]} at 50, {rows[100][1]} at 100)" in prose  # the held-out likelihood
    assert f"({rows[2][2]} at 2 dimensions, {rows[100][2]} at 100)" in prose  # the gap
    gaps = [float(rows[d][2].replace("−", "-")) for d in sorted(rows)]
    assert gaps == sorted(gaps)  # "the gap grows with d"
    # the FID and the confident share: sample quality peaks at 50 dimensions, worse again at 100
    quality = {int(row.split()[0]): (row.split()[-2], row.split()[-1]) for row in sweep}  # d -> (confident, FID)
    fids = {d: float(fid) for d, (_, fid) in quality.items()}
    assert min(fids, key=fids.get) == 50 and fids[100] > fids[50] and max(fids, key=fids.get) == 2
    assert (
        f"falls from {quality[2][1]} at 2 dimensions to {quality[50][1]} at 50, then rises to {quality[100][1]} at 100"
        in (prose)
    )
    assert f"({quality[100][0][:-1]} % against {quality[50][0][:-1]} % at 50)" in prose
    assert f"the FID worsened ({quality[50][1]} to {quality[100][1]})" in prose  # the summary
    # the exact likelihoods against scikit-learn's tree: "off by tens of nats", many digits
    compared = output("from sklearn.neighbors import KernelDensity\n\nwide_kde = ")
    share, nats = re.search(
        r"tree scored (\d+)% of the 500 unseen digits differently, by up to (\d+) nats", compared
    ).groups()
    assert int(share) >= 10 and int(nats) >= 20 and "Held-out scores off by tens of nats are no rounding error" in prose
    assert float(re.search(r"digit: ([\d.]+) bandwidths away \(median\)", compared)[1]) >= 3  # "far from every"
    memorised = output("kdes = {").splitlines()
    (copying,) = [row.split()[-3:] for row in memorised if row.startswith("KDE, h = 0.001")]  # pixels, own, nearest
    # "not copies by pixel distance (in its own PCA space the h = 0.001 KDE's are ...)"
    assert copying[:2] == ["0%", "100%"] and "in its own PCA space the h = 0.001 KDE's are, as the table above" in prose
    table = output("results = {name: gl.metrics.evaluate(").splitlines()
    (dcgan_row,) = [row for row in table if row.startswith("DCGAN")]
    dcgan_fid = float(dcgan_row.split()[1])  # the table's first column: FID
    assert f"{dcgan_fid:.1f} for this lesson's own 1,000 DCGAN samples (section 6)" in prose
    assert f"No KDE here reaches the DCGAN's FID ({dcgan_fid:.1f}, section 6)" in prose  # the summary
    assert dcgan_fid < min(fids.values()) and all(
        float(re.split(r"\s{2,}", row)[1]) > dcgan_fid for row in table if row.startswith("KDE")
    )
    nearer = [float(row.split()[-1]) for row in table if row.startswith("KDE")]  # "98.9 % to 100 % of the time"
    assert f"land next to a training digit {100 * min(nearer):.1f} % to {100 * max(nearer):.0f} % of the time" in prose

    prose, output = _lesson("10_image_translation")
    rows = _score_rows(output("ablation = {}"))  # label -> [course clf, independent, FID, sharpness]
    l100, l0, l1 = rows["lambda = 100"], rows["lambda = 0 (adversarial only)"], rows["lambda = inf (L1 only)"]
    real = rows["real digits"]
    assert f"{l1[0]} against {l100[0]} by the course classifier and {l1[1]} against {l100[1]} by the" in prose
    assert f"a slightly lower FID ({l1[2]} against {l100[2]})" in prose
    assert f"(sharpness {l1[3]} against {l100[3]}; real digits {real[3]})" in prose
    assert float(l1[3]) >= float(l100[3])  # "strokes no softer" (and the question bank's L1-vs-L2 answer says so)
    sharpness = sorted(row[3] for row in (l100, l0, l1))
    assert f"differ little in sharpness ({sharpness[0]} to {sharpness[-1]})" in prose
    assert f"against {l100[0]} and {l100[1]} at 600 steps" in prose and f"FID (2.9 against {l100[2]})" in prose
    # the count at 600 steps; test_records holds the same sentence to the shipped 6,000-step model's record
    assert (
        f"({round(float(l100[0][:-2]) * 10)} of 1,000 digits by the course classifier both times, not necessarily"
        in prose
    )
    assert float(l0[0][:-2]) < float(l100[0][:-2]) - 5  # "lambda = 0 reads clearly fewer digits correctly"

    # The scoreboard's check: "All three models gain more than 10 points with either reader"
    verdicts = re.findall(r"by 10 points by both: (True|False)", output("# NBVAL_CHECK_OUTPUT\npairs = ("))
    assert len(verdicts) == 3 and "All three models gain more than 10 points with either reader" in prose
    assert verdicts == ["True"] * 3

    # CycleGAN: the round trips of misread and correctly read translations, and with noise on the way
    trips = output("cyc_scores = gl.translation.evaluate_outputs(")
    right, wrong = re.search(r"correctly read ([\d.]+), misread ([\d.]+)", trips).groups()
    noisy, plain = re.search(r"G\(a\): ([\d.]+) \(without: ([\d.]+)\)", trips).groups()
    ratio = float(wrong) / float(right)
    assert f"about a fifth higher ({wrong} against {right})" in prose and 1.1 <= ratio < 1.3
    assert f"barely moves the way back ({noisy} against {plain})" in prose and float(noisy) - float(plain) <= 0.005

    # Super-resolution: what survives pooling, read by an SVM on both sides (7x7 inputs; 28x28 outputs), against the
    # independent reader's column of the upscalers' table
    small = output("# NBVAL_CHECK_OUTPUT\nfrom sklearn")
    at_7 = re.fullmatch(r"SVM on the 7x7 inputs reads ([\d.]+)% of the test digits\n", small)[1]
    printed = r"^(.{12}) read by an SVM trained on 28x28 digits: ([\d.]+)%$"
    large = output("# The same kind of reader at 28x28")
    at_28 = {m[1].strip(): m[2] for m in re.finditer(printed, large, re.MULTILINE)}
    assert set(at_28) == {"bicubic", "L2 network", "SRGAN", "real digits"}
    mlp = {label: values[1][:-2] for label, values in _score_rows(output("sr_rows = {")).items()}  # independent

    def points(a: str, b: str) -> float:
        return round(float(a) - float(b), 1)

    sr, l2 = at_28["SRGAN"], at_28["L2 network"]
    read_sr, read_l2 = mlp["SRGAN"], mlp["L2 network"]
    assert f"reads SRGAN's outputs {read_sr} % of the time and the L2 network's {read_l2} %" in prose
    assert f"as often as the SVM reads the 7×7 inputs themselves ({at_7} %), within 1 point" in prose
    assert abs(points(read_sr, at_7)) <= 1 and abs(points(read_l2, at_7)) <= 1
    assert f"SRGAN's outputs {sr} %, the L2 network's {l2} % (real test digits {at_28['real digits']} %," in prose
    assert f"bicubic blobs {at_28['bicubic']} %), within 1 point of the 7×7 SVM's {at_7} %" in prose
    assert abs(points(sr, at_7)) <= 1 and abs(points(l2, at_7)) <= 1
    # "the L2 network is read more often ... less than two standard errors (0.7 points near 95 %)"
    gaps = points(read_l2, read_sr), points(l2, sr)
    assert f"read more often by {gaps[0]} points by the independent reader and {gaps[1]} by the SVM" in prose
    assert all(0 <= gap < 1.4 for gap in gaps)
    assert f"reads as often ({read_l2} %)" in prose  # the summary
    assert f"as often as an SVM reads the 7×7 inputs ({at_7} %)" in prose

    # The upscalers' table as section 4 reads it: PSNR, sharpness, FID and both readers
    table = _score_rows(output("sr_rows = {"))  # label -> [course clf, independent, FID, PSNR, sharpness]
    l2_row, sr_row, real_row, bic_row = table["L2 network"], table["SRGAN"], table["real digits"], table["bicubic"]
    assert f"the best PSNR ({l2_row[3]} against {sr_row[3]})" in prose and float(l2_row[3]) > float(sr_row[3])
    assert f"(sharpness {l2_row[4]} against {real_row[4]})" in prose and float(l2_row[4]) < float(real_row[4])
    assert f"strokes as sharp as real digits' ({sr_row[4]})" in prose
    assert abs(float(sr_row[4]) - float(real_row[4])) <= 0.05
    assert f"half the FID ({sr_row[2]} against {l2_row[2]})" in prose
    assert float(sr_row[2]) <= float(l2_row[2]) / 2 + 0.05
    assert f"{sr_row[1]} and {l2_row[1]} against {bic_row[1]}" in prose
    assert f"(SRGAN {sr_row[0]} against {bic_row[0]})" in prose and f"shows the same gap ({l2_row[0]})" in prose
    course_gap, independent_gap = points(l2_row[0][:-2], sr_row[0][:-2]), points(l2_row[1][:-2], sr_row[1][:-2])
    assert 0 <= course_gap < 1 and 0 <= independent_gap < 1  # "differ by less than a point", the L2 network ahead

    # Where the two upscalers part ways, digit by digit (McNemar's test): the counts, and the independent reader's
    # confidence in what it misread
    parts = output("# Per test digit, by the independent reader")
    only = r"output only: (\d+), from SRGAN's only: (\d+) \(exact McNemar test: p = ([\d.]+)\)"
    only_l2, only_sr, p_value = re.search(only, parts).groups()
    both, same = re.search(r"misread from both: (\d+), (\d+) of them as the same wrong digit", parts).groups()
    sure_l2, sure_sr = re.search(r"misread: L2 network ([\d.]+), SRGAN ([\d.]+)", parts).groups()
    lead = int(only_l2) - int(only_sr)
    assert lead / 10 == independent_gap  # the table's gap, in digits of 1,000
    assert f"mostly the same digits: {both} from both, {same} of them as the same wrong digit" in prose
    assert int(both) > max(int(only_l2), int(only_sr)) and int(same) >= 0.75 * int(both)  # "mostly"
    assert f"They part ways on {int(only_l2) + int(only_sr)} digits, {only_l2} read from the L2 network's" in prose
    assert f"output only and {only_sr} from SRGAN's only: on the test digits the lead is {lead} digits" in prose
    assert f"about half the time (p = {p_value})" in prose and 0.3 < float(p_value) < 0.7
    assert f"(mean confidence {sure_sr} against {sure_l2})" in prose and abs(float(sure_sr) - float(sure_l2)) <= 0.03


def test_prose_quoting_the_scoreboard_and_the_critic_agrees_with_them():
    """Lesson 10's gains by the two readers, its standard errors, and lesson 09's unconstrained critic, as printed."""
    prose, output = _lesson("10_image_translation")
    board = {label: [float(v[:-2]) for v in values[:2]] for label, values in _score_rows(output("board = {")).items()}
    sr, bicubic = board["SRGAN x4"], board["bicubic x4"]
    gains = [round(a - b, 1) for a, b in zip(sr, bicubic, strict=True)]  # [course classifier, independent reader]
    assert gains[0] > gains[1]  # "larger by the course classifier ... than by the independent reader"
    assert f"larger by the course classifier ({gains[0]} points: {sr[0]} % against {bicubic[0]} %)" in prose
    assert f"than by the independent reader ({gains[1]} points)" in prose
    # "half a point or less apart, less than one standard error of a share of 1,000 digits"
    errors = [round(100 * (p * (1 - p) / 1000) ** 0.5, 1) for p in (0.95, 0.92)]
    assert f"1,000 digits: {errors[0]} points near 95 %, {errors[1]} near 92 %)" in prose and errors[0] > 0.5

    prose, output = _lesson("09_interview_prep")
    printed = re.findall(r"after +(\d+) updates: .* no constraint +([\d.]+)", output("critic = gl.interview.debugging"))
    steps, estimates = [s for s, _ in printed], [e for _, e in printed]
    assert len(printed) == 3 and [float(e) for e in estimates] == sorted(float(e) for e in estimates)  # "keeps growing"
    quoted = f"{estimates[0]}, {estimates[1]} and {estimates[2]} after {steps[0]}, {steps[1]} and {steps[2]} updates"
    assert quoted in prose


def test_lesson_03_counts_the_samples_its_cells_use():
    """Lesson 03's "2,000" digits (and "quarter") of the ink direction and of the explorer's linear map are the
    defaults of the functions its cells call, which pass no other number."""
    import inspect

    from gan_lessons.dcgan import latent

    prose, _ = _lesson("03_dcgan")
    code = "\n".join(_src(c) for c in _cells(ROOT / "notebooks" / "03_dcgan.ipynb") if c["cell_type"] == "code")
    calls = re.findall(r"gl\.dcgan\.(attribute_vector|latent_explorer|main_directions)\(([^)]*)\)", code)
    assert calls == [
        ("attribute_vector", "explore, score=gl.dcgan.ink"),
        ("latent_explorer", "explore, n_directions=4"),  # which calls main_directions with n_samples's default
    ]
    assert "n_samples" not in inspect.getsource(latent.latent_explorer)
    for function, quoted in (
        (latent.attribute_vector, "Generate {:,} digits, measure their ink"),
        (latent.attribute_vector, "thinnest quarters of the {:,} samples"),
        (latent.main_directions, "Fit the best *linear* map from $z$ to images over {:,} samples"),
    ):
        assert quoted.format(inspect.signature(function).parameters["n_samples"].default) in prose, quoted
    assert inspect.signature(latent.attribute_vector).parameters["share"].default == 0.25
    assert "subtract the mean $z$ of the thinnest quarter from the mean $z$ of the boldest quarter" in prose


def test_under_xdist_each_worker_takes_its_share_of_the_cores():
    """conftest.py: with W pytest-xdist workers on C cores, each worker (and each notebook kernel it starts) runs
    TensorFlow's ops and the BLAS of numpy on C // W threads, and TensorFlow's ops one at a time (one inter-op thread),
    so the workers do not fight for the cores."""
    import numpy  # noqa: F401  (loads its BLAS, which threadpoolctl then reads)
    from threadpoolctl import threadpool_info

    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    blas = {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}
    assert blas and min(blas) >= 1
    if workers > 1:  # the README's command: `pytest` runs `-n auto`
        share = max(1, (os.cpu_count() or 1) // workers)
        assert os.environ["TF_NUM_INTRAOP_THREADS"] == str(share)
        assert os.environ["TF_NUM_INTEROP_THREADS"] == "1"  # ops one after another, each on the worker's share
        assert os.environ["TF_FORCE_GPU_ALLOW_GROWTH"] == "true"  # on a GPU no worker takes all of its memory
        assert blas == {share}, threadpool_info()


def _root_conftest(config):
    """The repository's conftest.py, as pytest loaded it."""
    (plugin,) = [
        p for p in config.pluginmanager.get_plugins() if getattr(p, "__file__", None) == str(ROOT / "conftest.py")
    ]
    return plugin


def test_auto_starts_one_worker_more_than_there_are_cores_as_the_memory_holds(request, monkeypatch):
    """conftest.py: `-n auto` (pyproject.toml's addopts) starts cores + 1 workers, so that a worker waiting on a
    kernel or a subprocess leaves no core idle, but no more than the memory available holds (3.5 GiB each), at least
    one, and says so in the header; pytest-xdist's PYTEST_XDIST_AUTO_NUM_WORKERS still decides if set."""
    addopts = pyproject()["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert addopts[addopts.index("-n") + 1] == "auto"
    from xdist.plugin import pytest_xdist_auto_num_workers as xdist_count  # xdist's own: the cores

    config, conftest = request.config, _root_conftest(request.config)
    count = functools.partial(config.hook.pytest_xdist_auto_num_workers, config=config)
    monkeypatch.delenv("PYTEST_XDIST_AUTO_NUM_WORKERS", raising=False)
    cores_plus_one = xdist_count(config) + 1
    # Only pytest-xdist's controller calls the hook, never a worker or `-n 0`: this run's config holds no note of its
    # own, and the notes written here go with the test.
    assert conftest._WORKERS_NOTE not in config.stash
    try:
        monkeypatch.setattr(conftest, "_available_memory_gib", lambda: 1000.0)
        assert count() == cores_plus_one and conftest.pytest_report_header(config) == []
        monkeypatch.setattr(conftest, "_available_memory_gib", lambda: None)  # no psutil: xdist's count + 1
        assert count() == cores_plus_one
        for available, held in ((7.5, 2), (6.99, 1), (3.6, 1), (0.5, 1)):
            monkeypatch.setattr(conftest, "_available_memory_gib", lambda available=available: available)
            assert count() == min(held, cores_plus_one), available
        (note,) = conftest.pytest_report_header(config)  # after 0.5 GiB
        assert f"1 test worker, not {cores_plus_one}: 0.5 GiB of memory available" in note
        monkeypatch.setattr(conftest, "_available_memory_gib", lambda: 6.99)
        count()
        (note,) = conftest.pytest_report_header(config)  # rounded down: 7.0 would seem to hold two workers
        assert f"1 test worker, not {cores_plus_one}: 6.9 GiB of memory available" in note
    finally:
        if conftest._WORKERS_NOTE in config.stash:
            del config.stash[conftest._WORKERS_NOTE]
    monkeypatch.setattr(conftest, "_available_memory_gib", lambda: 1000.0)
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "5")
    assert count() == 5
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "many")  # not a number: xdist warns and counts the cores
    with pytest.warns(UserWarning, match="not a number"):
        assert count() == cores_plus_one
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert f"with the notebook it runs, took up to {conftest._WORKER_MEMORY_GIB} GiB of memory on 2 cores" in readme


def test_the_worker_count_sees_a_containers_memory_limit(request, tmp_path, monkeypatch):
    """conftest.py: in a container (Docker's --memory, Binder, a JupyterHub) the system's free memory is the host's;
    what the container's control group leaves, less the file cache the kernel would give back, is what counts."""
    import psutil

    conftest = _root_conftest(request.config)
    gib = 2**30
    monkeypatch.setattr(psutil, "virtual_memory", lambda: types.SimpleNamespace(available=20 * gib))
    monkeypatch.setattr(conftest, "_CGROUP", tmp_path)
    assert conftest._available_memory_gib() == 20  # no control group files: the system's
    (tmp_path / "memory.max").write_text(f"{6 * gib}\n")  # cgroup v2: 6 GiB, 3 taken, 1 of it file cache
    (tmp_path / "memory.current").write_text(f"{3 * gib}\n")
    (tmp_path / "memory.stat").write_text(f"anon {2 * gib}\nfile {gib}\ninactive_file {gib}\n")
    assert conftest._available_memory_gib() == 4
    (tmp_path / "memory.max").write_text("max\n")  # no limit
    assert conftest._available_memory_gib() == 20
    for name in ("memory.max", "memory.current", "memory.stat"):
        (tmp_path / name).unlink()
    (tmp_path / "memory").mkdir()  # cgroup v1: 5 GiB, 4 taken, 2 of it file cache (the hierarchy's total)
    (tmp_path / "memory" / "memory.limit_in_bytes").write_text(f"{5 * gib}\n")
    (tmp_path / "memory" / "memory.usage_in_bytes").write_text(f"{4 * gib}\n")
    (tmp_path / "memory" / "memory.stat").write_text(f"inactive_file 0\ntotal_inactive_file {2 * gib}\n")
    assert conftest._available_memory_gib() == 3
    (tmp_path / "memory" / "memory.limit_in_bytes").write_text("9223372036854771712\n")  # v1's "no limit"
    assert conftest._available_memory_gib() == 20


INNER_TEST = """
import os, subprocess, sys, tempfile

def _leave_files(tag):
    kernel = "import tempfile; d = tempfile.mkdtemp(prefix='kernel-'); open(d + '/ckpt', 'w').write('x'); print(d)"
    child = subprocess.run([sys.executable, "-c", kernel], capture_output=True, text=True, check=True).stdout.strip()
    own = tempfile.mkdtemp(prefix=tag)
    with open(os.environ["PATHS_FILE"], "a") as f:
        f.write(child + "\\n" + own + "\\n")

def test_one():
    _leave_files("one-")

def test_two():
    _leave_files("two-")
"""


@pytest.mark.parametrize("workers", ["0", "2"])
def test_a_run_of_the_suite_leaves_no_temporary_files_behind(tmp_path, workers):
    """conftest.py: what the tests and the processes they start (nbval's kernels) write to the temporary folder is
    removed when the run ends, with or without pytest-xdist -- before, every run left the lessons' checkpoints
    (214 MB)."""

    system_tmp, paths = tmp_path / "system-tmp", tmp_path / "paths.txt"
    system_tmp.mkdir()
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    env = {**os.environ, "TMPDIR": str(system_tmp), "PYTHONPATH": str(ROOT), "PATHS_FILE": str(paths)}
    env.pop("PYTEST_XDIST_WORKER_COUNT", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    args = [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-q", "-n", workers]
    result = subprocess.run([*args, "test_inner.py"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    left = paths.read_text().split()
    assert len(left) == 4 and all(Path(p).is_relative_to(system_tmp) for p in left), left  # TMPDIR was inherited
    assert not any(Path(p).exists() for p in left)
    assert list(system_tmp.iterdir()) == []


def test_the_suite_hands_out_its_longest_units_of_work_first(tmp_path, request):
    """tests/suite_order.py: under pytest-xdist the test modules and notebooks go out longest first, as recorded, a
    unit not in the record before all others; a unit's tests keep their order (a notebook's cells run in order)."""
    nodeids = ["t/a.py::x", "t/a.py::y", "n/01.ipynb::Cell 0", "n/01.ipynb::Cell 1", "t/b.py::C::z", "t/new.py::w"]
    seconds = {"t/a.py": 3.0, "n/01.ipynb": 40.0, "t/b.py::C": 3.0}
    order = [nodeids[i] for i in suite_order.longest_first(nodeids, seconds)]
    assert order == ["t/new.py::w", *nodeids[2:4], *nodeids[:2], "t/b.py::C::z"]

    # The record: every unit this suite runs is in it, written by the command it names.
    record = json.loads(suite_order.RECORD.read_text())
    assert record["command"] == suite_order.COMMAND == "python -m pytest --record-durations"
    units = {p.relative_to(ROOT).as_posix() for p in [*ROOT.glob("tests/test_*.py"), *ROOT.glob("notebooks/*.ipynb")]}
    missing = sorted(units - set(record["seconds"]))
    assert not missing, f"{missing} not in tests/durations.json: run `{suite_order.COMMAND}` to record them"
    addopts = pyproject()["tool"]["pytest"]["ini_options"]["addopts"]
    assert "--dist loadscope --no-loadscope-reorder" in addopts  # else xdist puts the units with most tests first
    if os.environ.get("PYTEST_XDIST_WORKER"):  # this run (the README command's): collected in that order
        collected = [item.nodeid for item in request.session.items]
        assert suite_order.longest_first(collected, suite_order.read()) == list(range(len(collected)))

    # Recording merges: units measured replace their entry, others stay, units whose file is gone are dropped.
    copy = tmp_path / "tests" / "durations.json"
    copy.parent.mkdir()
    (tmp_path / "kept.py").write_text("")
    copy.write_text(json.dumps({"seconds": {"kept.py": 5.0, "gone.py": 9.0, "remeasured.py": 1.0}}))
    (tmp_path / "remeasured.py").write_text("")
    suite_order.write({"remeasured.py": 2.04}, copy)
    assert suite_order.read(copy) == {"kept.py": 5.0, "remeasured.py": 2.0}
    assert suite_order.read(tmp_path / "missing.json") == {}


def test_make_pretrained_rescore_changes_only_the_scores_and_refuses_a_record_with_a_training_curve(
    tmp_path, monkeypatch
):
    """``scripts/make_pretrained.py NAME --rescore`` (used when lesson 10's independent reader changed): the shipped
    weights are scored again and only the record's ``scores`` change; a record whose validation curve was read
    during training by the old judge cannot be rescored, only remade."""
    import shutil

    from gan_lessons.tools import shipped

    make_pretrained = _load_script("make_pretrained")
    for path in (ROOT / "data").glob("pix2pix_generator.*"):
        shutil.copy(path, tmp_path)
    shutil.copy(ROOT / "data" / "srgan_generator.json", tmp_path)
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path)
    scored = []

    def score(name, generator):  # the real scoring is what test_translation holds to the record
        scored.append((name, generator.name))
        return {"accuracy": 0.5}

    monkeypatch.setattr(make_pretrained, "score", score)
    before = json.loads((tmp_path / "pix2pix_generator.json").read_text())
    assert make_pretrained.rescore("pix2pix") == 0
    after = json.loads((tmp_path / "pix2pix_generator.json").read_text())
    assert scored == [("pix2pix", "unet")] and after["scores"] == {"accuracy": 0.5}
    assert {k: v for k, v in after.items() if k != "scores"} == {k: v for k, v in before.items() if k != "scores"}
    with pytest.raises(SystemExit, match="validation curve measured during training: remake it instead"):
        make_pretrained.rescore("srgan")
