"""The weekly drift report (.ci/drift.py), on a real nbval report and on a real lock."""

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / ".ci"))
import drift  # noqa: E402


def notebook_with_stale_outputs(path):
    """Two cells: one whose stored output is still right, one whose output changed."""
    notebook = nbformat.v4.new_notebook()
    still_right = nbformat.v4.new_code_cell("print(1 + 1)", execution_count=1)
    still_right.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    drifted = nbformat.v4.new_code_cell("print(round(2 / 3, 4))", execution_count=2)
    drifted.outputs = [nbformat.v4.new_output("stream", name="stdout", text="0.6666\n")]
    notebook.cells = [still_right, drifted]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


def test_output_drift_names_the_cell_whose_output_changed(tmp_path):
    notebook = tmp_path / "page.ipynb"
    notebook_with_stale_outputs(notebook)
    report = tmp_path / "report.xml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            str(notebook),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout[-2000:]
    failed = drift.output_drift(report)
    assert [(Path(page).name, cell) for page, cell, _ in failed] == [("page.ipynb", "Cell 1")]
    table = drift.markdown_outputs(failed)
    assert table.startswith("1 cells drifted") and "| Cell 1 |" in table
    assert "\x1b" not in table  # nbval colours its messages; the summary must not


def test_no_drift_reads_as_such():
    assert drift.markdown_outputs([]).startswith("Every notebook output matches")
    assert drift.markdown_versions({}).startswith("Every package is at the version")


def test_version_drift_lists_moved_and_missing_packages(tmp_path):
    lock = tmp_path / "lock.txt"
    lock.write_text(
        "# header\n"
        "numpy==2.4.6 ; python_full_version < '3.99' \\\n    --hash=sha256:" + "a" * 64 + "\n"
        "numpy==9.0.0 ; python_full_version >= '3.99' \\\n    --hash=sha256:" + "b" * 64 + "\n"
        "six==1.17.0 \\\n    --hash=sha256:" + "c" * 64 + "\n    # via x\n"
        "wheel==0.48.0 \\\n    --hash=sha256:" + "d" * 64 + "\n",
        encoding="utf-8",
    )
    entries = drift.read_lock(lock)
    assert drift.locked_version(entries, "NumPy") == "2.4.6"  # the marker picks the entry
    installed = {"numpy": "2.5.0", "six": "1.17.0"}.get
    assert drift.version_drift(entries, installed) == {
        "numpy": ("2.5.0", "2.4.6"),
        "wheel": (None, "0.48.0"),
    }
    assert [block.split()[0] for block in drift.lock_blocks(["six"], lock)] == ["six==1.17.0"]


def test_the_script_prints_usage_on_bad_arguments():
    assert drift.main([]) == 2
    assert drift.main(["outputs", "/nonexistent.xml"]) == 1
