"""Checks and tables of checks: a claim, the number measured, and the bound it must respect.

Each check compares a quantity computed one way with the same quantity computed another way
(central differences, TensorFlow autodiff, a closed form, scikit-learn's solvers). Pages
display the tables; the test suite asserts the same checks.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

from .._validation import (
    as_float_array,
)

__all__ = ["Check", "CheckTable", "relative_error"]


FLOAT64_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class Check:
    """One numerical claim and its evidence.

    Attributes
    ----------
    claim : str
        What is asserted, in words.
    measured : float
        The value computed to test the claim (an error, a count, a norm).
    bound : float
        The value ``measured`` must not exceed (``relation="<="``) or must reach
        (``relation=">="``).
    relation : {"<=", ">="}
    """

    claim: str
    measured: float
    bound: float
    relation: str = "<="

    def __post_init__(self):
        if self.relation not in ("<=", ">="):
            raise ValueError(f"relation must be '<=' or '>='; got {self.relation!r}")

    @property
    def passed(self) -> bool:
        """Whether ``measured`` respects ``bound``; a NaN never passes."""
        if math.isnan(self.measured):
            return False
        if self.relation == "<=":
            return bool(self.measured <= self.bound)
        return bool(self.measured >= self.bound)


class CheckTable(tuple):
    """A tuple of :class:`Check` records that displays as a table in a notebook."""

    def __new__(cls, checks):
        checks = tuple(checks)
        for check in checks:
            if not isinstance(check, Check):
                raise TypeError(f"CheckTable holds Check records; got {type(check).__name__}")
        return super().__new__(cls, checks)

    @property
    def all_passed(self) -> bool:
        """Whether every check passed."""
        return all(check.passed for check in self)

    def failures(self) -> list[Check]:
        """Return the checks that did not pass."""
        return [check for check in self if not check.passed]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Return ``(claim, measured, required, result)`` strings, one tuple per check."""
        return [
            (
                c.claim,
                _format_number(c.measured),
                f"{c.relation} {_format_number(c.bound)}",
                "pass" if c.passed else "FAIL",
            )
            for c in self
        ]

    def __add__(self, other):
        return CheckTable(tuple(self) + tuple(other))

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return CheckTable(item) if isinstance(index, slice) else item

    def pick(self, *positions: int) -> CheckTable:
        """Return the checks at ``positions``, in that order, as a table.

        A page shows the rows that teach its point (``table.pick(0, 2)``) and asserts the whole
        table in a hidden cell.

        Raises
        ------
        TypeError
            If a position is not an integer.
        IndexError
            If a position is out of range.
        """
        for position in positions:
            if isinstance(position, bool) or not isinstance(position, int):
                raise TypeError(f"positions must be integers; got {type(position).__name__}")
        return CheckTable(self[position] for position in positions)

    def __repr__(self) -> str:
        rows = [("claim", "measured", "required", "result"), *self.rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(line.rstrip() for line in lines)

    def _repr_html_(self) -> str:
        header = "".join(f"<th>{h}</th>" for h in ("claim", "measured", "required", "result"))
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in self.rows()
        )
        return f'<table class="regkit-checks"><tr>{header}</tr>{body}</table>'


def _format_number(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e6:
        return str(int(value))
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e4):
        return f"{value:.1e}"
    return f"{value:.3g}"


def relative_error(approx, exact) -> float:
    """Return ``||approx - exact|| / ||exact||`` (the absolute error when ``exact`` is 0)."""
    approx, exact = as_float_array(approx, "approx"), as_float_array(exact, "exact")
    if approx.shape != exact.shape:
        raise ValueError(f"shapes differ: approx {approx.shape}, exact {exact.shape}")
    scale = np.linalg.norm(exact)
    difference = np.linalg.norm(approx - exact)
    return float(difference / scale) if scale > 0 else float(difference)
