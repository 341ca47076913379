"""Tests of regkit.checks: the Check records, the CheckTable, and the check suites.

The suites must pass on correct code and must fail when a formula they check is broken, which
is shown by monkeypatching the names that regkit.checks imported.
"""

import html
import math

import numpy as np
import pytest

import regkit
import regkit.checks
from regkit import Check, CheckTable


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


@pytest.mark.parametrize("lam", [1e-6, 1e-3, 0.1, 10.0])
def test_ridge_checks_pass(any_problem, lam):
    table = regkit.ridge_checks(any_problem.X, any_problem.y, lam)
    assert isinstance(table, CheckTable)
    assert table.all_passed, failing_claims(table)


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.7])
def test_lasso_checks_pass(any_problem, fraction):
    lam = fraction * regkit.lasso_threshold(any_problem.X, any_problem.y)
    table = regkit.lasso_checks(any_problem.X, any_problem.y, lam)
    assert isinstance(table, CheckTable)
    assert table.all_passed, failing_claims(table)


@pytest.mark.parametrize("fraction", [0.3, 0.5])
def test_sparsity_checks_pass(any_problem, fraction):
    lam = fraction * regkit.lasso_threshold(any_problem.X, any_problem.y)
    table = regkit.sparsity_checks(any_problem.X, any_problem.y, lam)
    assert isinstance(table, CheckTable)
    assert table.all_passed, failing_claims(table)


def test_sparsity_checks_find_no_zeros_when_the_lasso_solution_is_dense(tall_problem):
    table = regkit.sparsity_checks(tall_problem.X, tall_problem.y, 1e-4)
    assert "exact lasso solution: weights exactly 0" in failing_claims(table)


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


def test_sparsity_checks_reject_zero_lam(problem):
    with pytest.raises(ValueError, match="lam"):
        regkit.sparsity_checks(problem.X, problem.y, 0.0)


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_gradient_checks_fail_for_a_wrong_gradient(
    monkeypatch, problem, weights_away_from_zero, kind
):
    true_grad = regkit.checks.objective_grad
    monkeypatch.setattr(regkit.checks, "objective_grad", lambda *args: 1.01 * true_grad(*args))
    table = regkit.gradient_checks(
        weights_away_from_zero(problem.n), problem.X, problem.y, 0.1, kind
    )
    assert not table.all_passed
    assert len(table.failures()) == 2


def test_gradient_checks_fail_if_the_source_gradient_were_right(
    monkeypatch, problem, weights_away_from_zero
):
    monkeypatch.setattr(regkit.checks, "source_gradient", regkit.objective_grad)
    table = regkit.gradient_checks(
        weights_away_from_zero(problem.n), problem.X, problem.y, 0.1, "l2"
    )
    assert [check.relation for check in table.failures()] == [">="]


def test_ridge_checks_fail_for_a_wrong_solution(monkeypatch, problem):
    true_ridge = regkit.checks.ridge
    monkeypatch.setattr(regkit.checks, "ridge", lambda *args: true_ridge(*args) * (1 + 1e-6))
    assert not regkit.ridge_checks(problem.X, problem.y, 0.1).all_passed


def test_lasso_checks_fail_for_a_wrong_solution(monkeypatch, sparse_problem):
    true_lasso = regkit.checks.lasso
    monkeypatch.setattr(
        regkit.checks, "lasso", lambda *args, **kwargs: true_lasso(*args, **kwargs) * 1.001
    )
    table = regkit.lasso_checks(sparse_problem.X, sparse_problem.y, 0.1)
    assert not table.all_passed


def test_descent_checks_fail_for_a_wrong_ridge(monkeypatch, problem):
    true_ridge = regkit.checks.ridge
    monkeypatch.setattr(regkit.checks, "ridge", lambda *args: true_ridge(*args) * (1 + 1e-4))
    assert not regkit.descent_checks(problem.X, problem.y, 0.1).all_passed


def test_sparsity_checks_fail_for_a_prox_without_thresholding(monkeypatch, sparse_problem):
    monkeypatch.setattr(regkit.checks, "l1_prox", lambda lam: lambda z, lr: z / (1 + lr * lam))
    table = regkit.sparsity_checks(sparse_problem.X, sparse_problem.y, 0.1)
    assert failing_claims(table) == ["ISTA after 500 steps: weights exactly 0"]


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


def make_table():
    return CheckTable(
        [
            Check("error is tiny", 1e-13, 1e-12),
            Check("count <is> big & <b>bold</b>", 3, 1, ">="),
            Check("this one fails", 0.5, 0.1),
        ]
    )


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


def test_steps_to_converge_rejects_a_step_that_does_not_contract(problem):
    lipschitz = regkit.lipschitz_constant(problem.X)
    with pytest.raises(ValueError, match="does not contract"):
        regkit.steps_to_converge(problem.X, 0.1, 2.5 / (lipschitz + 0.1))


@pytest.mark.parametrize("reduction", [1e-3, 1e-6])
@pytest.mark.parametrize("lam", [0.01, 0.1])
def test_steps_to_converge_is_enough_steps(tall_problem, reduction, lam):
    X, y, m, n = tall_problem.X, tall_problem.y, tall_problem.m, tall_problem.n
    lr = 1 / (np.linalg.eigvalsh(X.T @ X / m).max() + lam)
    steps = regkit.steps_to_converge(X, lam, lr, reduction=reduction)
    exact = np.linalg.solve(X.T @ X + m * lam * np.eye(n), X.T @ y)
    path = regkit.gradient_descent(
        lambda w: X.T @ (X @ w - y) / m + lam * w, np.zeros(n), lr, steps
    )
    assert np.linalg.norm(path[-1] - exact) <= reduction * np.linalg.norm(exact)


def test_steps_to_converge_when_one_step_is_exact():
    assert regkit.steps_to_converge(np.eye(3), 0.0, 3.0) == 1


def test_descent_checks_on_orthonormal_design():
    assert regkit.descent_checks(np.eye(3), np.array([1.0, 2.0, 3.0]), 0.1).all_passed


def test_descent_checks_are_invariant_to_the_scale_of_y(problem):
    assert regkit.descent_checks(problem.X, 1e6 * problem.y, 0.1).all_passed


def assert_table_or_error_naming(call, name):
    try:
        table = call()
    except ValueError as error:
        assert name in str(error)
    else:
        assert isinstance(table, CheckTable)


def test_sparsity_checks_on_all_zero_design_do_not_divide_by_zero():
    X, y = np.zeros((5, 3)), np.ones(5)
    assert_table_or_error_naming(lambda: regkit.sparsity_checks(X, y, 0.1), "X")


def test_lasso_checks_on_zero_targets_do_not_divide_by_zero(problem):
    y = np.zeros(problem.m)
    assert_table_or_error_naming(lambda: regkit.lasso_checks(problem.X, y, 0.1), "y")


def test_sparsity_checks_pass_with_a_constant_zero_feature(sparse_problem):
    X = np.column_stack([sparse_problem.X, np.zeros(sparse_problem.m)])
    assert regkit.sparsity_checks(X, sparse_problem.y, 0.1).all_passed


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
