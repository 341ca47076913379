"""Tests of regkit.checks.gradients: the gradient and descent check suites.

The suites must pass on correct code and fail when a formula they check is broken, shown by
monkeypatching the names that the module imported.
"""

import math

import numpy as np
import pytest

import regkit
import regkit.checks.gradients
import regkit.checks.solutions
from regkit import CheckTable

GRADIENTS = regkit.checks.gradients
SOLUTIONS = regkit.checks.solutions


def failing_claims(table):
    return [check.claim for check in table.failures()]


@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("lam", [0.01, 0.5])
def test_gradient_checks_pass(any_problem, weights_away_from_zero, kind, lam):
    p = any_problem
    table = regkit.gradient_checks(weights_away_from_zero(p.n), p.X, p.y, lam, kind)
    assert isinstance(table, CheckTable)
    assert len(table) == 3
    assert table.all_passed, failing_claims(table)


@pytest.mark.parametrize("lam", [0.03, 0.1])
def test_descent_checks_pass(any_problem, lam):
    table = regkit.descent_checks(any_problem.X, any_problem.y, lam)
    assert isinstance(table, CheckTable)
    assert table.all_passed, failing_claims(table)


def test_gradient_checks_reject_l1_weight_at_zero(problem, weights_away_from_zero):
    w = weights_away_from_zero(problem.n)
    w[1] = 0.0
    with pytest.raises(ValueError, match="w must keep every weight"):
        regkit.gradient_checks(w, problem.X, problem.y, 0.1, "l1")


def test_gradient_checks_allow_l2_weight_at_zero(problem, weights_away_from_zero):
    w = weights_away_from_zero(problem.n)
    w[1] = 0.0
    assert regkit.gradient_checks(w, problem.X, problem.y, 0.1, "l2").all_passed


@pytest.mark.parametrize("name", ["descent_checks", "ridge_checks", "lasso_checks"])
def test_checks_that_need_positive_lam_reject_zero(problem, name):
    with pytest.raises(ValueError, match="lam must be > 0"):
        getattr(regkit, name)(problem.X, problem.y, 0.0)


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_gradient_checks_fail_for_a_wrong_gradient(
    monkeypatch, problem, weights_away_from_zero, kind
):
    true_grad = GRADIENTS.objective_grad
    monkeypatch.setattr(GRADIENTS, "objective_grad", lambda *args: 1.01 * true_grad(*args))
    table = regkit.gradient_checks(
        weights_away_from_zero(problem.n), problem.X, problem.y, 0.1, kind
    )
    assert not table.all_passed
    assert len(table.failures()) == 2


def test_gradient_checks_fail_if_the_source_gradient_were_right(
    monkeypatch, problem, weights_away_from_zero
):
    monkeypatch.setattr(GRADIENTS, "source_gradient", regkit.objective_grad)
    table = regkit.gradient_checks(
        weights_away_from_zero(problem.n), problem.X, problem.y, 0.1, "l2"
    )
    assert [check.relation for check in table.failures()] == [">="]


def test_descent_checks_fail_for_a_wrong_ridge(monkeypatch, problem):
    true_ridge = GRADIENTS.ridge
    monkeypatch.setattr(GRADIENTS, "ridge", lambda *args: true_ridge(*args) * (1 + 1e-4))
    assert not regkit.descent_checks(problem.X, problem.y, 0.1).all_passed


def test_descent_checks_on_orthonormal_design():
    assert regkit.descent_checks(np.eye(3), np.array([1.0, 2.0, 3.0]), 0.1).all_passed


def test_descent_checks_are_invariant_to_the_scale_of_y(problem):
    assert regkit.descent_checks(problem.X, 1e6 * problem.y, 0.1).all_passed


@pytest.mark.parametrize("tol", [-1e-6, math.nan, "1e-6"])
@pytest.mark.parametrize("suite", ["gradient_checks", "penalty_grad_check"])
def test_check_tolerance_is_validated(sparse_problem, weights_away_from_zero, suite, tol):
    p = sparse_problem
    w = weights_away_from_zero(p.n)
    with pytest.raises((ValueError, TypeError), match="tol"):
        if suite == "gradient_checks":
            regkit.gradient_checks(w, p.X, p.y, 0.1, "l2", tol=tol)
        else:
            regkit.penalty_grad_check(w, 0.1, "l2", tol=tol)
