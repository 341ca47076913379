"""The website's configuration and the files around it, checked without building the book.

Launch buttons, the Binder environment, the Colab install cell of every notebook, figures that
read in light and dark mode, the local MathJax, link checking and the GitHub Actions workflow.
"""

import base64
import io
import json
import re
import shutil
import subprocess
import sys
import types
from importlib.metadata import metadata
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SPHINX = CONFIG["sphinx"]["config"]
NOTEBOOKS = sorted((ROOT / "chapters").rglob("*.ipynb"))
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
NEWEST = ROOT / ".github" / "workflows" / "newest.yml"


def read_notebook(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_chapters_are_notebooks():
    assert len(NOTEBOOKS) == 11


# --- buttons ----------------------------------------------------------------------------------


def test_repository_is_on_github_so_that_colab_can_open_it():
    url = CONFIG["repository"]["url"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), url
    assert CONFIG["repository"]["branch"] == "main"


@pytest.mark.parametrize(
    "button",
    ["use_repository_button", "use_issues_button", "use_edit_page_button", "use_download_button"],
)
def test_reader_buttons_are_on(button):
    assert CONFIG["html"][button] is True


def test_launch_buttons_for_colab_and_binder():
    launch = CONFIG["launch_buttons"]
    assert launch["colab_url"] == "https://colab.research.google.com"
    assert launch["binderhub_url"] == "https://mybinder.org"


# --- Binder -----------------------------------------------------------------------------------


def test_binder_installs_the_lock():
    requirements = ROOT / "binder" / "requirements.txt"
    lines = requirements.read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines if line.strip() and not line.startswith("#")]
    assert commands == ["-r ../requirements-lock.txt"]
    # pip reads a nested requirements file relative to the file that names it.
    assert (requirements.parent / "../requirements-lock.txt").resolve() == ROOT / (
        "requirements-lock.txt"
    )


def test_binder_python_satisfies_requires_python_and_matches_ci():
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    version = runtime.removeprefix("python-")
    assert runtime == f"python-{version}"
    assert version in SpecifierSet(metadata("regkit")["Requires-Python"])
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    setup_python = [
        step
        for step in workflow["jobs"]["test"]["steps"]
        if "setup-python" in step.get("uses", "")
    ]
    assert setup_python[0]["with"]["python-version"] == version


def test_binder_post_build_installs_the_course_without_touching_its_dependencies():
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    commands = [
        line
        for line in post_build.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "set "))
    ]
    assert commands == ["python -m pip install --no-deps ."]


# --- Colab install cell -------------------------------------------------------------------------


def colab_cell(path):
    cells = read_notebook(path)["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    return code[0]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_installs_the_course_only_on_colab(path, monkeypatch):
    cell = colab_cell(path)
    source = "".join(cell["source"])
    assert cell["outputs"] == []
    assert "remove-cell" in cell["metadata"].get("tags", [])

    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    exec(compile(source, str(path), "exec"), {})
    assert calls == [], "outside Colab the cell must do nothing"

    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(compile(source, str(path), "exec"), {})
    ((args,), kwargs) = calls[0]
    assert kwargs == {"check": True}
    assert args[:5] == [sys.executable, "-m", "pip", "install", "--quiet"]
    requirement = Requirement(args[5])
    assert requirement.name == "regkit"
    repository = CONFIG["repository"]
    assert requirement.url == f"git+{repository['url']}@{repository['branch']}"


# --- figures in light and dark mode -------------------------------------------------------------


def png_outputs(path):
    for cell in read_notebook(path)["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for key, value in data.items():
                if key == "image/png" or key.endswith("+image/png"):
                    yield base64.b64decode(value)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_are_opaque_light_cards_readable_on_both_themes(path):
    # An opaque light background keeps black text and lines legible whatever the page colour;
    # a transparent figure would put black axes on the dark theme's near-black background.
    for png in png_outputs(path):
        image = matplotlib.image.imread(io.BytesIO(png), format="png")
        rgba = image if image.shape[2] == 4 else np.dstack([image, np.ones(image.shape[:2])])
        border = np.concatenate([rgba[0], rgba[-1], rgba[:, 0], rgba[:, -1]])
        assert np.all(border[:, 3] == 1.0), f"{path.name}: figure with a transparent border"
        assert border[:, :3].mean() > 0.95, f"{path.name}: figure without a light background"


def test_every_chapter_with_figures_is_checked():
    with_figures = [path.stem for path in NOTEBOOKS if any(True for _ in png_outputs(path))]
    assert len(with_figures) >= 8, with_figures


# --- MathJax served by the site -----------------------------------------------------------------


def test_mathjax_path_points_at_the_copy_the_makefile_fetches():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    fetched = re.search(r"^MATHJAX := (\S+)$", makefile, re.MULTILINE).group(1)
    extra = SPHINX["html_extra_path"]
    assert extra == ["_vendor"]
    # mathjax_path is relative to _static/; html_extra_path copies _vendor/* to the site root.
    served = Path("_static", SPHINX["mathjax_path"])
    assert served.parts[0] == "_static" and served.parts[1] == ".."
    assert Path(extra[0], *served.parts[2:]).as_posix() == fetched
    assert not re.search(r"https?://", SPHINX["mathjax_path"])


# --- link checking --------------------------------------------------------------------------


def test_linkcheck_is_a_make_target_and_ignores_only_what_cannot_be_reached():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^linkcheck:.*\n\t.*--builder linkcheck", makefile, re.MULTILINE)
    ignored = [re.compile(pattern) for pattern in SPHINX["linkcheck_ignore"]]
    assert any(pattern.match(CONFIG["repository"]["url"]) for pattern in ignored)
    assert not any(pattern.match("https://www.deeplearningbook.org") for pattern in ignored)


# --- GitHub Actions ---------------------------------------------------------------------------


def validate_workflow(path):
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert checker, "check-jsonschema is a dev dependency"
    return subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("path", [WORKFLOW, NEWEST], ids=lambda p: p.name)
def test_workflow_is_valid_for_github_actions(path):
    result = validate_workflow(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_validation_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:"))
    assert validate_workflow(broken).returncode != 0


def load_workflow(path=WORKFLOW):
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True)
    return workflow


def test_workflow_runs_make_test_on_pushes_and_pull_requests():
    workflow = load_workflow()
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["on"]
    runs = [step.get("run") for step in workflow["jobs"]["test"]["steps"]]
    assert "make test" in runs


def test_workflow_deploys_the_built_site_to_pages_from_main_only():
    workflow = load_workflow()
    test_steps = workflow["jobs"]["test"]["steps"]
    upload = [step for step in test_steps if "upload-pages-artifact" in step.get("uses", "")]
    assert upload[0]["with"]["path"] == "_build/html"
    on_main = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert upload[0]["if"] == on_main
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert deploy["if"] == on_main
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("deploy-pages" in step.get("uses", "") for step in deploy["steps"])
    assert workflow["permissions"] == {"contents": "read"}


def test_the_main_workflow_installs_from_the_lock():
    job = load_workflow()["jobs"]["test"]
    assert "LOCKED" not in job.get("env", {})  # the Makefile's default: the lock


def test_newest_releases_run_weekly_and_on_demand_without_the_lock():
    workflow = load_workflow(NEWEST)
    assert "workflow_dispatch" in workflow["on"]
    (schedule,) = workflow["on"]["schedule"]
    _minute, _hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    job = workflow["jobs"]["newest"]
    assert job["env"]["LOCKED"] == "0"
    runs = [step.get("run", "") for step in job["steps"]]
    assert "make install" in runs
    assert any(run.startswith("make test NBVAL_REPORT=") for run in runs)
    report = next(run for run in runs if run.startswith("make test")).split("=")[1]
    drift_steps = [step for step in job["steps"] if ".ci/drift.py" in step.get("run", "")]
    assert [step["run"].split()[2] for step in drift_steps] == ["versions", "outputs"]
    assert report in drift_steps[1]["run"] and drift_steps[1]["if"] == "always()"
    assert all("GITHUB_STEP_SUMMARY" in step["run"] for step in drift_steps)
