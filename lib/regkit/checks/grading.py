"""Grading an exercise: the reader's function against the course's, case by case."""

from __future__ import annotations

import numpy as np

from .._validation import check_callable, check_scalar
from .table import Check, CheckTable, relative_error

__all__ = ["grade"]


def grade(candidate, reference, cases, *, tol=1e-8):
    """Compare ``candidate(*case)`` with ``reference(*case)`` for every case.

    Parameters
    ----------
    candidate : callable
        The reader's function.
    reference : callable
        The function it should equal (a ``regkit`` function, or a closed form).
    cases : sequence of tuple
        Positional arguments, one tuple per case; a case that is not a tuple is passed as the
        only argument.
    tol : float, default 1e-8
        The largest relative error (:func:`regkit.relative_error`) that passes, > 0.

    Returns
    -------
    CheckTable
        One check per case. A candidate that raises, returns the wrong shape or a non-finite
        value fails its case (measured ``nan``) instead of stopping the grading.

    Raises
    ------
    TypeError
        If ``candidate`` or ``reference`` is not callable.
    ValueError
        If ``cases`` is empty or ``tol`` is not > 0.

    Examples
    --------
    >>> table = grade(lambda x: 2 * x, lambda x: x + x, [1.0, (np.arange(3.0),)])
    >>> table.all_passed
    True
    """
    check_callable(candidate, "candidate")
    check_callable(reference, "reference")
    tol = check_scalar(tol, "tol", positive=True)
    cases = [case if isinstance(case, tuple) else (case,) for case in cases]
    if not cases:
        raise ValueError("cases must hold at least one case")
    name = getattr(candidate, "__name__", "candidate")
    checks = []
    for number, case in enumerate(cases, start=1):
        expected = np.asarray(reference(*case), dtype=np.float64)
        checks.append(
            Check(
                f"case {number}: {name} = {getattr(reference, '__name__', 'reference')} "
                "(relative error)",
                _error(candidate, case, expected),
                tol,
            )
        )
    return CheckTable(checks)


def _error(candidate, case, expected):
    try:
        found = np.asarray(candidate(*case), dtype=np.float64)
    except Exception:  # a reader's bug fails the case; the table shows which
        return float("nan")
    if found.shape != expected.shape or not np.all(np.isfinite(found)):
        return float("nan")
    return relative_error(np.atleast_1d(found), np.atleast_1d(expected))
