"""What each way of installing the course installs: the lock, the library alone, and Colab.

The committed notebook outputs belong to the exact versions of requirements-lock.txt, which
`make` installs. The library alone (``pip install regkit``) needs no book toolchain, and the
first cell of every notebook installs on Colab only what Colab lacks. The installs are real: a
clean virtual environment is filled by ``uv`` from its cache, offline (``make install`` has put
every package there), so that no test depends on the network.
"""

import ast
import json
import os
import shutil
import subprocess
import sys
import types
from importlib.metadata import requires, version
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / ".ci"))
import drift  # noqa: E402  (the lock reader of the weekly drift report)

LOCK = ROOT / "requirements-lock.txt"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NOTEBOOKS = sorted((ROOT / "chapters").rglob("*.ipynb"))
BOOK_TOOLCHAIN = {"jupyter-book", "sphinx", "myst-nb", "myst-parser", "docutils", "nbval"}
# What a Colab runtime has before a notebook's first cell runs (Keras comes with TensorFlow).
COLAB_PREINSTALLED = ["tensorflow", "numpy", "scipy", "matplotlib", "scikit-learn", "ipykernel"]
COLAB_MODULES = {"tensorflow", "keras", "numpy", "scipy", "matplotlib", "sklearn", "IPython"}


LOCKED = drift.read_lock(LOCK)


def locked_version(name):
    return drift.locked_version(LOCKED, name)


def declared_requirements(extras=("book", "dev", "torch")):
    project = PYPROJECT["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


# --- the lock -----------------------------------------------------------------------------------


def test_lock_pins_every_declared_dependency_within_its_range():
    for requirement in declared_requirements():
        pinned = locked_version(requirement.name)
        assert pinned is not None, f"{requirement.name} is not in the lock: run `make lock`"
        assert requirement.specifier.contains(pinned, prereleases=True), (requirement, pinned)


def test_every_locked_package_has_hashes():
    assert len(LOCKED) > 100  # the whole closure, not just the direct dependencies
    for name, entries in LOCKED.items():
        for _, _, hashes in entries:
            assert hashes, f"{name} has no hash in the lock"


def test_lock_was_made_for_the_python_of_the_outputs():
    header = LOCK.read_text(encoding="utf-8").splitlines()[1]
    assert "--python-version 3.11" in header and "--generate-hashes" in header
    kernel = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))["metadata"]["language_info"]
    assert kernel["version"].startswith("3.11.")


@pytest.mark.skipif(
    os.environ.get("REGKIT_UNLOCKED") == "1",
    reason="make LOCKED=0 installs the newest releases on purpose",
)
def test_this_environment_is_the_lock():
    different = drift.version_drift(LOCKED)
    assert different == {}, f"installed != locked {different}; reinstall with `make install`"


def extra_requirements(distribution, extra):
    """Names that ``distribution[extra]`` adds, from the installed distribution's metadata."""
    lines = [Requirement(line) for line in requires(distribution) or []]
    return {
        canonicalize_name(r.name)
        for r in lines
        if r.marker is not None
        and "extra" in str(r.marker)
        and r.marker.evaluate({"extra": extra})
    }


def test_gpu_extra_is_not_in_the_lock():
    # tensorflow[and-cuda] would bring TensorFlow's CUDA 12 libraries into every install.
    tensorflow_cuda = extra_requirements("tensorflow", "and-cuda")
    assert tensorflow_cuda, "tensorflow's and-cuda extra lists no package: check its metadata"
    assert not tensorflow_cuda & set(LOCKED)


def test_the_cuda_libraries_in_the_lock_are_those_of_pytorch():
    # PyTorch's Linux wheel is its CUDA build; the README reports what it adds.
    cuda = {name for name in LOCKED if name.startswith(("nvidia-", "cuda-"))}
    assert cuda, "the torch extra is locked: its CUDA libraries should be there"
    torch_needs = [
        line
        for line in requires("torch")
        if not line.startswith("triton")
        and (Requirement(line).marker is None or Requirement(line).marker.evaluate())
    ]
    assert cuda <= dependency_closure(torch_needs)


def test_triton_is_left_out_of_the_lock():
    # Triton's LLVM and TensorFlow's abort a process that loads both (see the Makefile's lock).
    assert "triton" not in LOCKED
    assert "--no-emit-package triton" in LOCK.read_text(encoding="utf-8").splitlines()[1]


# --- real installs into clean environments ------------------------------------------------------

UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


def uv(*args):
    """Run ``uv`` offline; skip (fail under CI) when its cache lacks what is asked for."""
    if UV is None:
        pytest.skip("uv is not installed (`make install` installs it)")
    done = subprocess.run([UV, *args, "--offline"], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        message = f"uv {' '.join(args[:3])} failed:\n{done.stderr[-2000:]}"
        if "network was disabled" in done.stderr and not os.environ.get("CI"):
            pytest.skip("uv's cache lacks a package; `make install` fills it\n" + message)
        pytest.fail(message)
    return done


def dependency_closure(requirements):
    """Names of the distributions that installing ``requirements`` brings, from the metadata of
    this environment (which holds every package of the lock)."""
    found, stack = set(), [Requirement(line) for line in requirements]
    while stack:
        requirement = stack.pop()
        name = canonicalize_name(requirement.name)
        extras = {""} | requirement.extras
        if (name, frozenset(extras)) in found:
            continue
        found.add((name, frozenset(extras)))
        for line in requires(name) or []:
            needed = Requirement(line)
            if needed.marker is None or any(needed.marker.evaluate({"extra": e}) for e in extras):
                stack.append(needed)
    return {name for name, _ in found}


def install(python, requirements, tmp_path):
    """Install ``requirements`` into ``python``'s environment from the lock, hashes checked.

    Offline, uv finds in its cache only the wheels it stored with their hashes (``make
    install`` checks them), and not every package's metadata, so the closure is listed with
    the lock's hashes and installed without resolving; ``uv pip check`` then shows that
    nothing is missing.
    """
    blocks = drift.lock_blocks(dependency_closure(requirements), LOCK)
    listing = tmp_path / f"install-{len(list(tmp_path.iterdir()))}.txt"
    listing.write_text("\n".join(blocks) + "\n", encoding="utf-8")
    uv(
        "pip",
        "install",
        "--quiet",
        "--python",
        str(python),
        "--no-deps",
        "--require-hashes",
        "-r",
        str(listing),
    )


def install_course(python, tmp_path):
    """Install regkit from a copy of this checkout (setuptools writes build/ next to it)."""
    copy = tmp_path / "checkout"
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        copy.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, copy / name)
    shutil.copytree(
        ROOT / "lib", copy / "lib", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    uv("pip", "install", "--quiet", "--python", str(python), "--no-deps", str(copy))


def new_environment(path):
    uv("venv", "--quiet", "--python", sys.executable, str(path))
    return path / "bin" / "python"


def installed_names(python):
    done = uv("pip", "list", "--format", "json", "--python", str(python))
    return {canonicalize_name(item["name"]): item["version"] for item in json.loads(done.stdout)}


def requirements_are_met(python):
    done = subprocess.run(
        [UV, "pip", "check", "--python", str(python)], capture_output=True, text=True
    )
    return done.returncode == 0, done.stdout + done.stderr


def test_the_library_alone_installs_no_book_toolchain(tmp_path):
    python = new_environment(tmp_path / "library")
    install(python, PYPROJECT["project"]["dependencies"], tmp_path)
    install_course(python, tmp_path)
    met, report = requirements_are_met(python)
    assert met, report
    names = installed_names(python)
    assert "regkit" in names and "tensorflow" in names
    assert not BOOK_TOOLCHAIN & names.keys()
    assert not {name for name in names if name.startswith("sphinx")}
    # The numpy core imports without TensorFlow, which regkit loads on first use only.
    probe = "import sys, regkit; print(regkit.ridge.__name__, 'tensorflow' in sys.modules)"
    done = subprocess.run(
        [str(python), "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "ridge False", done.stderr[-2000:]


def notebook_imports(path):
    """Top-level modules imported by the code cells of a notebook."""
    modules = set()
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        source = "\n".join(line for line in source.splitlines() if not line.startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def colab_command(path, monkeypatch):
    """Run the notebook's first cell as Colab would; return the pip command it issues."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    source = "".join(next(cell for cell in cells if cell["cell_type"] == "code")["source"])
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kwargs: calls.append(args))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(compile(source, str(path), "exec"), {})
    monkeypatch.undo()
    assert len(calls) == 1
    return calls[0]


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """A clean environment holding only what Colab has, at this environment's versions."""
    root = tmp_path_factory.mktemp("colab")
    python = new_environment(root / "env")
    install(python, [f"{name}=={version(name)}" for name in COLAB_PREINSTALLED], root)
    return python, installed_names(python), root


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_cell_asks_for_what_the_notebook_imports_and_colab_lacks(path, monkeypatch):
    command = colab_command(path, monkeypatch)
    assert command[:5] == [sys.executable, "-m", "pip", "install", "--quiet"]
    asked = {canonicalize_name(Requirement(arg).name) for arg in command[5:]}
    lacking = notebook_imports(path) - set(sys.stdlib_module_names)
    lacking -= COLAB_MODULES
    expected = {canonicalize_name(module.replace("_", "-")) for module in lacking}
    assert asked == expected


def test_colab_cell_installs_only_what_is_missing(colab, monkeypatch):
    python, before, root = colab
    commands = {tuple(colab_command(path, monkeypatch)[5:]) for path in NOTEBOOKS}
    assert len(commands) == 1, "every notebook asks for the same packages"
    others = [arg for arg in commands.pop() if Requirement(arg).name != "regkit"]
    # What pip on Colab does, with the course from this checkout: install the missing packages,
    # keep those that already satisfy the requirements (pip's "only if needed" upgrades).
    install(python, others + PYPROJECT["project"]["dependencies"], root)
    install_course(python, root)
    met, report = requirements_are_met(python)
    assert met, report
    after = installed_names(python)
    for name in map(canonicalize_name, COLAB_PREINSTALLED):
        assert after[name] == before[name], f"the cell changed Colab's {name}"
    assert "jupyter-book" not in after and "nbval" not in after
    imports = sorted(set().union(*(notebook_imports(path) for path in NOTEBOOKS)))
    probe = (
        "import importlib.util, sys; "
        "print([m for m in sys.argv[1:] if importlib.util.find_spec(m) is None])"
    )
    done = subprocess.run(
        [str(python), "-c", probe, *imports], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr[-2000:]
