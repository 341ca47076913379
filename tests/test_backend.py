"""Tests of regkit.backend: TensorFlow imported on first use, quietly, and only then; PyTorch
with a clear message where it is missing."""

import subprocess
import sys
import textwrap

import pytest

import regkit


def run(code):
    """Run ``code`` in a fresh interpreter without TF_CPP_MIN_LOG_LEVEL; return the result."""
    environment = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=True,
    )


def test_importing_regkit_does_not_import_tensorflow():
    result = run(
        """
        import sys
        import regkit
        print("tensorflow" in sys.modules, "keras" in sys.modules, "torch" in sys.modules)
        """
    )
    assert result.stdout.split() == ["False", "False", "False"]


def test_import_tensorflow_is_silent_and_returns_the_module_once():
    result = run(
        """
        import logging, sys
        import regkit
        tf = regkit.import_tensorflow()
        assert tf is sys.modules["tensorflow"] and regkit.import_tensorflow() is tf
        print(tf.get_logger().level == logging.ERROR)
        """
    )
    assert result.stdout.split() == ["True"]
    # TensorFlow's C++ start-up lines (oneDNN, CUDA) would otherwise reach stderr.
    assert result.stderr == ""


def test_import_torch_returns_the_module():
    import torch

    assert regkit.import_torch() is torch


def test_import_torch_names_the_extra_when_pytorch_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    with pytest.raises(ImportError, match=r"regkit\[torch\]"):
        regkit.import_torch()
