"""Tests of regkit.checks.solutions: the check suites of the minimizers.

The suites must pass on correct code and fail when a solver they check is broken, shown by
monkeypatching the names that the module imported.
"""

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


def test_sparsity_checks_reject_zero_lam(problem):
    with pytest.raises(ValueError, match="lam"):
        regkit.sparsity_checks(problem.X, problem.y, 0.0)


def test_ridge_checks_fail_for_a_wrong_solution(monkeypatch, problem):
    true_ridge = SOLUTIONS.ridge
    monkeypatch.setattr(SOLUTIONS, "ridge", lambda *args: true_ridge(*args) * (1 + 1e-6))
    assert not regkit.ridge_checks(problem.X, problem.y, 0.1).all_passed


def test_lasso_checks_fail_for_a_wrong_solution(monkeypatch, sparse_problem):
    true_lasso = SOLUTIONS.lasso
    monkeypatch.setattr(
        SOLUTIONS,
        "lasso",
        lambda *args, **kwargs: true_lasso(*args, **kwargs) * 1.001,
    )
    table = regkit.lasso_checks(sparse_problem.X, sparse_problem.y, 0.1)
    assert not table.all_passed


def test_sparsity_checks_fail_for_a_prox_without_thresholding(monkeypatch, sparse_problem):
    monkeypatch.setattr(SOLUTIONS, "l1_prox", lambda lam: lambda z, lr: z / (1 + lr * lam))
    table = regkit.sparsity_checks(sparse_problem.X, sparse_problem.y, 0.1)
    # without the threshold no weight reaches 0: ISTA misses every zero of the exact solution
    assert [claim.split(":")[0] for claim in failing_claims(table)] == ["ISTA after 500 steps"]
    assert table[1].measured == table[0].measured > 0


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


def test_lasso_checks_kkt_row_judges_the_independent_solver(monkeypatch, sparse_problem):
    # The KKT row is evaluated at scikit-learn's solution: a solver that stops short fails it
    # (and the comparison with ours), whatever rk.lasso does.
    import sklearn.linear_model

    class Stopped(sklearn.linear_model.Lasso):
        def fit(self, X, y):
            super().fit(X, y)
            self.coef_ = self.coef_ * 1.01
            return self

    monkeypatch.setattr(sklearn.linear_model, "Lasso", Stopped)
    table = regkit.lasso_checks(sparse_problem.X, sparse_problem.y, 0.1)
    failed = failing_claims(table)
    assert any(claim.startswith("KKT conditions hold at sklearn's solution") for claim in failed)


# elastic net and priors ------------------------------------------------------------------------


@pytest.mark.parametrize("rho", [0.0, 0.5, 1.0])
def test_elastic_net_checks_pass(any_problem, rho):
    lam = 0.3 * regkit.lasso_threshold(any_problem.X, any_problem.y)
    table = regkit.elastic_net_checks(any_problem.X, any_problem.y, lam, rho)
    assert len(table) == 5 and table.all_passed, failing_claims(table)


def test_elastic_net_checks_fail_for_a_wrong_sklearn_mapping(monkeypatch, sparse_problem):
    monkeypatch.setattr(
        SOLUTIONS,
        "sklearn_elastic_net_arguments",
        lambda lam, rho: {"alpha": lam, "l1_ratio": rho},
    )
    table = regkit.elastic_net_checks(sparse_problem.X, sparse_problem.y, 0.2, 0.5)
    assert table[0].claim in failing_claims(table)


@pytest.mark.parametrize(("noise_std", "prior_scale"), [(0.5, 0.2), (1.0, 1.0)])
def test_prior_checks_pass(tall_problem, noise_std, prior_scale):
    table = regkit.prior_checks(tall_problem.X, tall_problem.y, noise_std, prior_scale)
    assert len(table) == 6 and table.all_passed, failing_claims(table)


def test_prior_checks_fail_for_a_wrong_lambda(monkeypatch, tall_problem):
    right = regkit.core.conversions.map_lambda
    monkeypatch.setattr(SOLUTIONS, "map_lambda", lambda *args: 2 * right(*args))
    table = regkit.prior_checks(tall_problem.X, tall_problem.y, 0.5, 0.2)
    assert [table[k].passed for k in range(4)] == [False, False, False, False]


@pytest.mark.parametrize(("noise_std", "prior_scale"), [(0.0, 1.0), (1.0, -1.0), ("1", 1.0)])
def test_prior_checks_reject_bad_scales(problem, noise_std, prior_scale):
    with pytest.raises((ValueError, TypeError), match=r"noise_std|prior_scale"):
        regkit.prior_checks(problem.X, problem.y, noise_std, prior_scale)


# L2 on the logistic loss: the Hessian view -------------------------------------------------

DIABETES_X, PROGRESSION, _ = regkit.load_diabetes()
LABELS = (PROGRESSION > 0).astype(int)


def synthetic_logistic(seed=4):
    X, _, w = regkit.make_linear_problem(300, 5, seed=seed)
    y = (np.random.default_rng(seed).uniform(size=300) < 1 / (1 + np.exp(-X @ w))).astype(int)
    return X, y


@pytest.mark.parametrize(
    ("data", "lams"),
    [
        ((DIABETES_X, LABELS), np.logspace(-9, 2, 12)),
        (synthetic_logistic(), [1e-6, 1e-5, 1e-2, 1.0]),
    ],
)
def test_hessian_view_checks_pass(data, lams):
    table = regkit.hessian_view_checks(*data, lams)
    assert table.all_passed, [check.claim for check in table.failures()]
    assert len(table) == 7


def test_hessian_view_checks_fail_for_a_hessian_without_the_variance_weights(monkeypatch):
    def unweighted(w, X):
        return X.T @ X / (4 * len(X))  # p (1 - p) replaced by its largest value, 1/4

    monkeypatch.setattr(regkit.checks.solutions, "log_loss_hessian", unweighted)
    failed = [
        check.claim
        for check in regkit.hessian_view_checks(DIABETES_X, LABELS, [1e-5, 1e-4]).failures()
    ]
    assert any(claim.startswith("Hessian") for claim in failed)
    assert any(claim.startswith("prediction error") for claim in failed)


def test_hessian_view_checks_fail_for_a_gradient_with_the_wrong_sign(monkeypatch):
    monkeypatch.setattr(
        regkit.checks.solutions,
        "log_loss_gradient",
        lambda w, X, y: -regkit.log_loss_gradient(w, X, y),
    )
    failed = [
        check.claim
        for check in regkit.hessian_view_checks(DIABETES_X, LABELS, [1e-5, 1e-4]).failures()
    ]
    assert any(claim.startswith("gradient") for claim in failed)


def test_hessian_view_checks_pass_on_a_nearly_collinear_design():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(2000, 5))
    X = np.column_stack([Z, Z[:, 0] + 1e-3 * rng.normal(size=2000)])  # cond(X) ~ 2e3
    y = (rng.uniform(size=2000) < 1 / (1 + np.exp(-Z @ np.ones(5)))).astype(int)
    table = regkit.hessian_view_checks(X, y, [1e-9, 1e-6, 1e-3, 1.0])
    assert table.all_passed, [check.claim for check in table.failures()]


def test_hessian_view_checks_fail_for_a_c_off_by_a_factor_two(monkeypatch):
    from sklearn.linear_model import LogisticRegression

    def wrong_conversion(X, y, lam):
        C = np.inf if lam == 0 else 2 / (len(y) * lam)
        model = LogisticRegression(C=C, fit_intercept=False, solver="newton-cholesky", tol=1e-12)
        return model.fit(X, y).coef_[0]

    monkeypatch.setattr(regkit.checks.solutions, "_sklearn_logistic_l2", wrong_conversion)
    failed = [
        check.claim for check in regkit.hessian_view_checks(DIABETES_X, LABELS, [1e-3]).failures()
    ]
    assert any(claim.startswith("LogisticRegression(C=1/(mλ))") for claim in failed)


def test_hessian_view_checks_fail_for_a_shrinkage_with_twice_the_strength(monkeypatch):
    monkeypatch.setattr(
        regkit.checks.solutions,
        "hessian_shrinkage",
        lambda H, w0, lam: regkit.hessian_shrinkage(H, w0, 2 * lam),
    )
    failed = [
        check.claim for check in regkit.hessian_view_checks(DIABETES_X, LABELS, [1e-3]).failures()
    ]
    assert any(claim.startswith("one Newton step") for claim in failed)
    assert any(claim.startswith("quadratic loss") for claim in failed)
    assert any(claim.startswith("prediction error") for claim in failed)
