"""The layout of the library: what the pages share lives in regkit, what one page uses lives on
that page, every public name is declared once, and no private helper crosses a module.
"""

import ast
import importlib
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

import regkit

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "lib" / "regkit"
NOTEBOOKS = sorted((ROOT / "chapters").rglob("*.ipynb"))
# Data loaders may serve a single page: a page does not copy a data set's preparation.
ALLOWED_SINGLE_PAGE = {"regkit.data"}


def module_of(name):
    return (
        getattr(regkit, name).__module__ if hasattr(getattr(regkit, name), "__module__") else None
    )


def library_modules():
    modules = []
    for path in sorted(LIBRARY.rglob("*.py")):
        parts = path.relative_to(LIBRARY.parent).with_suffix("").parts
        if parts[-1] == "__init__" or parts[-1].startswith("_"):
            continue
        modules.append(".".join(parts))
    return modules


def pages_using_each_module():
    pages = defaultdict(set)
    for notebook in NOTEBOOKS:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        for name in set(re.findall(r"\b(?:rk|regkit)\.(\w+)", code)):
            module = getattr(getattr(regkit, name, None), "__module__", None)
            if name in regkit.__all__ and module:
                pages[module].add(notebook.stem)
    return pages


def test_the_pages_use_regkit():
    assert len(pages_using_each_module()) >= 8


def test_no_module_serves_a_single_page():
    pages = pages_using_each_module()
    single = {
        module: sorted(users)
        for module, users in pages.items()
        if len(users) == 1 and module not in ALLOWED_SINGLE_PAGE
    }
    assert single == {}, "move code that one page uses onto that page"


@pytest.mark.parametrize("module_name", library_modules())
def test_each_public_name_is_declared_once_in_its_own_module(module_name):
    module = importlib.import_module(module_name)
    names = module.__all__
    assert len(names) == len(set(names))
    for name in names:
        obj = getattr(module, name)
        defined_in = getattr(obj, "__module__", module_name)
        assert defined_in == module_name, f"{name} is re-exported, not defined, by {module_name}"
        assert name in regkit.__all__ and getattr(regkit, name) is obj


def test_the_package_exports_exactly_the_modules_names():
    declared = [
        name for module in library_modules() for name in importlib.import_module(module).__all__
    ]
    assert sorted(declared) == sorted(regkit.__all__)
    assert len(set(regkit.__all__)) == len(regkit.__all__)


def test_no_private_name_is_imported_from_another_module():
    offenders = []
    for path in sorted(LIBRARY.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (
                node.level or "regkit" in (node.module or "")
            ):
                offenders += [
                    f"{path.relative_to(LIBRARY)}: {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and alias.name != "__future__"
                ]
    assert offenders == []


def test_tests_mirror_the_library():
    missing = []
    for module in library_modules():
        parts = module.split(".")[1:]
        expected = ROOT / "tests" / Path(*parts[:-1]) / f"test_{parts[-1]}.py"
        if not expected.is_file():
            missing.append(str(expected.relative_to(ROOT)))
    assert missing == []
