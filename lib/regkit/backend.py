"""Import TensorFlow quietly, and PyTorch with a clear message where it is missing.

TensorFlow 2.21 writes start-up messages (oneDNN, CUDA drivers) from C++ straight to file
descriptor 2 before its logging is configured, so ``TF_CPP_MIN_LOG_LEVEL`` does not silence
them. In a notebook they land in the stored outputs and differ on every run (they carry a
timestamp and a process id), which breaks nbval's comparison. The import is therefore done
with descriptor 2 pointed at the null device; Python exceptions still propagate. TensorFlow's
Python logger is then set to errors only: its retracing warnings count calls made earlier in
the process, so they too would differ between a notebook run and its stored outputs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

__all__ = ["import_tensorflow", "import_torch"]


@contextlib.contextmanager
def _stderr_fd_silenced():
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow():
    """Return the ``tensorflow`` module, imported without its C++ start-up messages."""
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _stderr_fd_silenced():
        import tensorflow
    tensorflow.get_logger().setLevel(logging.ERROR)
    return tensorflow


def import_torch():
    """Return the ``torch`` module.

    PyTorch is an optional dependency of ``regkit`` (its ``torch`` extra), used only to check
    what PyTorch's optimizers do (:func:`regkit.pytorch_weight_decay_checks`).

    Raises
    ------
    ImportError
        If PyTorch is not installed, naming the extra that installs it.
    """
    try:
        import torch
    except ImportError as error:
        raise ImportError(
            "PyTorch is not installed: install the course's lock (`make install`) or "
            "`pip install 'regkit[torch]'`"
        ) from error
    return torch
