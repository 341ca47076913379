"""How a page shows an error it raises on purpose.

A cell that demonstrates a mistake (the source's ``regularization_mode=`` argument, a ridge
problem without a unique solution) should show what a reader needs: the line of their cell that
failed and the exception's type and message. IPython's default traceback adds every frame inside
the library that raised, with file paths of the machine that ran the notebook.
"""

from __future__ import annotations

import types
from pathlib import Path

__all__ = ["short_tracebacks"]


def short_tracebacks(shell=None):
    """Make IPython show an error as the reader's failing cell line and the exception only.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Defaults to the running shell (``IPython.get_ipython()``).

    Returns
    -------
    IPython.core.interactiveshell.InteractiveShell
        The shell that was changed.

    Raises
    ------
    RuntimeError
        If no IPython shell is running and none is given.

    Notes
    -----
    The error is still an error: the cell's execution fails and the output is an ``error``
    output (which nbval and Jupyter Book's ``raises-exception`` tag expect); only its traceback
    is shortened: IPython formats it as usual (``%xmode``) from the frames of notebook cells
    alone.
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None:
            raise RuntimeError("short_tracebacks needs a running IPython shell, or shell=")

    def show(shell, etype, value, tb, tb_offset=None):
        cell_frames = []
        while tb is not None:
            if _is_cell(tb.tb_frame.f_code.co_filename):
                cell_frames.append(tb)
            tb = tb.tb_next
        kept = None
        for frame in reversed(cell_frames):
            kept = types.TracebackType(kept, frame.tb_frame, frame.tb_lasti, frame.tb_lineno)
        shell.showtraceback((etype, value, kept), exception_only=kept is None)

    shell.set_custom_exc((Exception,), show)
    return shell


def _is_cell(filename):
    # ipykernel compiles each cell into /tmp/ipykernel_<pid>/<hash>.py, plain IPython into
    # <ipython-input-<n>-<hash>>.
    name = Path(filename)
    return name.parent.name.startswith("ipykernel_") or filename.startswith("<ipython-input")
