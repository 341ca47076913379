"""Tests of regkit.checks.grading: an exercise's function graded against a reference."""

import math

import numpy as np
import pytest

import regkit


def test_a_correct_candidate_passes_every_case(run_doctests):
    cases = [(np.array([-2.0, 0.1, 3.0]), 0.5), (np.linspace(-1, 1, 7), 0.0)]
    table = regkit.grade(
        lambda z, t: np.sign(z) * np.maximum(np.abs(z) - t, 0), regkit.soft_threshold, cases
    )
    assert table.all_passed and len(table) == 2
    attempted, report = run_doctests(regkit.checks.grading)
    assert attempted >= 1 and report == ""


def test_a_wrong_candidate_fails_with_its_relative_error():
    table = regkit.grade(lambda x: 1.1 * x, lambda x: x, [np.ones(4)])
    assert not table.all_passed
    assert table[0].measured == pytest.approx(0.1)


@pytest.mark.parametrize(
    "candidate",
    [
        lambda x: 1 / 0,
        lambda x: np.ones(3),  # wrong shape
        lambda x: np.full(4, np.nan),
        lambda x: "text",
    ],
)
def test_a_broken_candidate_fails_its_case_without_stopping(candidate):
    table = regkit.grade(candidate, lambda x: x, [np.ones(4), np.zeros(4) + 2])
    assert len(table) == 2
    assert all(math.isnan(check.measured) for check in table)
    assert not table.all_passed


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        (dict(candidate=3), TypeError, "candidate"),
        (dict(reference=None), TypeError, "reference"),
        (dict(cases=[]), ValueError, "cases"),
        (dict(tol=0.0), ValueError, "tol"),
    ],
)
def test_bad_arguments(arguments, error, match):
    call = dict(candidate=abs, reference=abs, cases=[1.0]) | arguments
    with pytest.raises(error, match=match):
        regkit.grade(call.pop("candidate"), call.pop("reference"), **call)
