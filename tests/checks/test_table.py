"""Tests of regkit.checks.table: Check records, CheckTable and relative_error."""

import html
import math

import numpy as np
import pytest

import regkit
import regkit.checks.gradients
import regkit.checks.solutions
from regkit import Check, CheckTable


def make_table():
    return CheckTable(
        [
            Check("error is tiny", 1e-13, 1e-12),
            Check("count <is> big & <b>bold</b>", 3, 1, ">="),
            Check("this one fails", 0.5, 0.1),
        ]
    )


@pytest.mark.parametrize(
    ("measured", "bound", "relation", "passed"),
    [
        (1.0, 2.0, "<=", True),
        (2.0, 2.0, "<=", True),
        (2.5, 2.0, "<=", False),
        (3.0, 2.0, ">=", True),
        (2.0, 2.0, ">=", True),
        (1.5, 2.0, ">=", False),
        (math.nan, 2.0, "<=", False),
        (math.nan, 2.0, ">=", False),
        (math.nan, math.inf, "<=", False),
        (math.inf, 1.0, ">=", True),
        (0, 0, "<=", True),
    ],
)
def test_check_passed_semantics(measured, bound, relation, passed):
    assert Check("claim", measured, bound, relation).passed == passed


def test_check_default_relation_is_at_most():
    assert Check("c", 1.0, 2.0).relation == "<="


@pytest.mark.parametrize("relation", ["<", "==", "=<", "", None])
def test_check_rejects_unknown_relation(relation):
    with pytest.raises(ValueError, match="relation must be"):
        Check("claim", 1.0, 2.0, relation)


def test_check_passed_is_a_python_bool_for_numpy_measured():
    assert isinstance(Check("claim", np.float64(1.0), 2.0).passed, bool)


@pytest.mark.parametrize("item", [("claim", 1.0, 2.0), "claim", 1.0, None])
def test_check_table_rejects_non_check_items(item):
    with pytest.raises(TypeError, match="CheckTable holds Check records"):
        CheckTable([Check("fine", 0.0, 1.0), item])


def test_check_table_reports_failures():
    table = make_table()
    assert not table.all_passed
    assert table.failures() == [table[2]]
    assert [row[3] for row in table.rows()] == ["pass", "pass", "FAIL"]


def test_check_table_all_passed_on_passing_and_empty_tables():
    assert CheckTable([Check("a", 0.0, 1.0)]).all_passed
    assert CheckTable([]).all_passed


def test_check_table_repr_shows_every_claim_and_result():
    text = repr(make_table())
    for check in make_table():
        assert check.claim in text
    assert text.count("pass") == 2
    assert text.count("FAIL") == 1
    assert text.splitlines()[0].split() == ["claim", "measured", "required", "result"]


def test_check_table_html_shows_every_claim_escaped():
    markup = make_table()._repr_html_()
    for check in make_table():
        assert html.escape(check.claim) in markup
    assert "<b>bold</b>" not in markup
    assert markup.count("<td>pass</td>") == 2
    assert markup.count("<td>FAIL</td>") == 1
    assert markup.count("<tr>") == 4


def test_check_table_addition_is_a_check_table():
    table = make_table() + CheckTable([Check("extra", 0.0, 1.0)])
    assert isinstance(table, CheckTable)
    assert len(table) == 4
    assert table[-1].claim == "extra"


def test_check_table_of_real_suite_renders(problem):
    table = regkit.ridge_checks(problem.X, problem.y, 0.1)
    text, markup = repr(table), table._repr_html_()
    for check in table:
        assert check.claim in text
        assert html.escape(check.claim) in markup
    assert "FAIL" not in text


@pytest.mark.parametrize(
    ("approx", "exact", "expected"),
    [
        ([3.0, 4.0], [0.0, 0.0], 5.0),
        ([1.0, 1.0], [1.0, 0.0], 1.0),
        ([2.0, 0.0], [1.0, 0.0], 1.0),
        ([[1.0, 2.0], [2.0, 4.0]], [[1.0, 2.0], [2.0, 4.0]], 0.0),
        ([6.0, 8.0], [3.0, 4.0], 1.0),
    ],
)
def test_relative_error_closed_forms(approx, exact, expected):
    assert regkit.relative_error(approx, exact) == pytest.approx(expected, rel=1e-15)


def test_relative_error_rejects_different_shapes():
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        regkit.relative_error([1.0, 2.0], [1.0, 2.0, 3.0])


def test_check_table_slices_and_picks_are_check_tables():
    table = make_table()
    assert isinstance(table[1:], CheckTable) and len(table[1:]) == len(table) - 1
    picked = table.pick(2, 0)
    assert isinstance(picked, CheckTable)
    assert list(picked) == [table[2], table[0]]
    assert isinstance(table[0], Check)


@pytest.mark.parametrize(
    ("position", "error"), [(99, IndexError), ("0", TypeError), (True, TypeError)]
)
def test_check_table_pick_rejects_bad_positions(position, error):
    with pytest.raises(error):
        make_table().pick(position)
