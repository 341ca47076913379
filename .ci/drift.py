"""What changed when the course runs on the newest releases instead of the lock.

    python .ci/drift.py versions             packages whose installed version is not the lock's
    python .ci/drift.py outputs REPORT.xml   notebook cells whose outputs no longer match

Both print Markdown for the summary of the weekly CI job that installs without the lock
(`make test LOCKED=0`); tests/project/test_install.py reads the lock with :func:`read_lock`.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ElementTree
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parents[1] / "requirements-lock.txt"


def read_lock(path=LOCK):
    """Entries of a hashed lock: ``{name: [(version, marker or None, [sha256, ...]), ...]}``."""
    entries = {}
    for block in re.split(r"\n(?=\S)", Path(path).read_text(encoding="utf-8")):
        if not block.strip() or block.startswith(("#", "-")):
            continue
        requirement = Requirement(block.split("\\")[0].strip())
        (pin,) = requirement.specifier
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
        entries.setdefault(canonicalize_name(requirement.name), []).append(
            (pin.version, requirement.marker, hashes)
        )
    return entries


def lock_blocks(names, path=LOCK):
    """The lock's text for the packages ``names``, each with its hashes."""
    wanted = {canonicalize_name(name) for name in names}
    return [
        block
        for block in re.split(r"\n(?=\S)", Path(path).read_text(encoding="utf-8"))
        if block.strip()
        and not block.startswith(("#", "-"))
        and canonicalize_name(Requirement(block.split("\\")[0].strip()).name) in wanted
    ]


def locked_version(entries, name):
    """The version the lock gives ``name`` on this interpreter and platform, or None."""
    for pinned, marker, _ in entries.get(canonicalize_name(name), []):
        if marker is None or marker.evaluate():
            return pinned
    return None


def version_drift(entries, installed=None):
    """``{name: (installed, locked)}`` for the packages where the two differ."""
    installed = installed or _installed_version
    drift = {}
    for name in sorted(entries):
        locked = locked_version(entries, name)
        if locked is None:
            continue
        current = installed(name)
        if current != locked:
            drift[name] = (current, locked)
    return drift


def _installed_version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def output_drift(junit_xml):
    """``[(notebook, cell, first line of the failure)]`` from nbval's JUnit report."""
    failed = []
    for case in ElementTree.parse(junit_xml).getroot().iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            continue
        notebook = case.get("file") or case.get("classname", "")
        message = (problem.get("message") or problem.text or "").strip()
        message = re.sub(r"\x1b\[[0-9;]*m", "", message).splitlines()
        failed.append((notebook, case.get("name", ""), message[0] if message else ""))
    return failed


def markdown_versions(drift):
    if not drift:
        return "Every package is at the version of the lock.\n"
    lines = ["| package | newest | lock |", "| --- | --- | --- |"]
    lines += [f"| {name} | {new} | {old} |" for name, (new, old) in drift.items()]
    return f"{len(drift)} packages differ from the lock:\n\n" + "\n".join(lines) + "\n"


def markdown_outputs(failed):
    if not failed:
        return "Every notebook output matches the committed one.\n"
    lines = ["| notebook | cell | what nbval saw |", "| --- | --- | --- |"]
    lines += [f"| {notebook} | {cell} | {what} |" for notebook, cell, what in failed]
    return f"{len(failed)} cells drifted:\n\n" + "\n".join(lines) + "\n"


def main(argv):
    if argv[:1] == ["versions"] and len(argv) == 1:
        print(markdown_versions(version_drift(read_lock())))
    elif argv[:1] == ["outputs"] and len(argv) == 2:
        report = Path(argv[1])
        if not report.is_file():
            print(f"No nbval report at {report}: the run stopped before nbval.")
            return 1
        print(markdown_outputs(output_drift(report)))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
