"""Tests of the check suites built on the SVD view of ridge and on the constrained forms:
shrinkage_checks, bias_variance_checks and constrained_checks (regkit.checks.solutions).
"""

import numpy as np
import pytest
from problem_specs import PLANE_PROBLEMS, SPECTRAL_PROBLEMS, make

import regkit
import regkit.checks.solutions
import regkit.core.solvers
import regkit.core.spectral

PROBLEMS = SPECTRAL_PROBLEMS


@pytest.mark.parametrize("name", list(PROBLEMS))
@pytest.mark.parametrize("lam", [1e-6, 1e-2, 1.0])
def test_shrinkage_checks_pass(name, lam):
    X, y, _ = make(PROBLEMS[name])
    table = regkit.shrinkage_checks(X, y, lam)
    assert table.all_passed, table


def test_shrinkage_checks_catch_a_wrong_factor(monkeypatch):
    X, y, _ = make(PROBLEMS["tall-30x5"])

    def wrong(X, lam):  # s / (s + m lam) instead of s**2 / (s**2 + m lam)
        s = np.linalg.svd(X, compute_uv=False)
        return s / (s + X.shape[0] * lam)

    monkeypatch.setattr(regkit.checks.solutions, "shrinkage_factors", wrong)
    table = regkit.shrinkage_checks(X, y, 0.5)
    assert not table.all_passed
    assert table.failures()[0].claim.startswith("sklearn Ridge = lstsq shrunk")


def test_shrinkage_checks_reject_bad_input():
    X, y, _ = make(PROBLEMS["tall-30x5"])
    with pytest.raises(ValueError, match="lam"):
        regkit.shrinkage_checks(X, y, 0.0)
    X_wide, y_wide, _ = make(dict(m=5, n=8, seed=0))
    with pytest.raises(ValueError, match="m >= n"):
        regkit.shrinkage_checks(X_wide, y_wide, 0.1)


@pytest.mark.parametrize("name", ["tall-30x5", "tall-50x10", "ill-60x6-cond1e4"])
@pytest.mark.parametrize("lam", [1e-4, 1e-1])
def test_bias_variance_checks_pass(name, lam):
    X, _, w_true = make(PROBLEMS[name])
    table = regkit.bias_variance_checks(X, w_true, lam, 0.3, draws=1000, seed=5)
    assert table.all_passed, table


def test_bias_variance_checks_catch_a_wrong_variance(monkeypatch):
    X, _, w_true = make(PROBLEMS["tall-50x10"])
    right = regkit.core.spectral.ridge_bias_variance

    def wrong(X, w_true, lam, noise):  # forgets to square the noise level
        bias_sq, variance = right(X, w_true, lam, noise)
        return bias_sq, variance / noise

    monkeypatch.setattr(regkit.checks.solutions, "ridge_bias_variance", wrong)
    table = regkit.bias_variance_checks(X, w_true, 1e-3, 0.3, draws=1000)
    assert not table.all_passed
    assert "variance formula" in table.failures()[0].claim


def test_bias_variance_checks_reject_zero_noise():
    X, _, w_true = make(PROBLEMS["tall-30x5"])
    with pytest.raises(ValueError, match="noise"):
        regkit.bias_variance_checks(X, w_true, 0.1, 0.0)


@pytest.mark.parametrize("name", [*PLANE_PROBLEMS, "tall-30x5", "tall-50x10"])
@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("budget", [0.3, 1.0, 100.0])
def test_constrained_checks_pass(name, kind, budget):
    X, y, _ = make({**PROBLEMS, **PLANE_PROBLEMS}[name])
    table = regkit.constrained_checks(X, y, budget, kind)
    assert table.all_passed, table
    # penalized (budget < 100): + the Lagrange multiplier row; in the plane: + the grid row
    inside = budget == 100
    assert len(table) == 4 + (not inside) + (X.shape[1] == 2 and not inside)


def test_constrained_checks_catch_a_wrong_multiplier(monkeypatch):
    X, y, _ = make(PROBLEMS["tall-30x5"])
    right = regkit.core.solvers.constrained_minimizer

    def wrong(X, y, budget, kind):  # the right weights with a strength 10% off
        w, lam = right(X, y, budget, kind)
        return w, 1.1 * lam

    monkeypatch.setattr(regkit.checks.solutions, "constrained_minimizer", wrong)
    table = regkit.constrained_checks(X, y, 0.3, "l1")
    assert [check.claim.split(":")[1].split()[0] for check in table.failures()] == [
        "optimality",
        "Lagrange",
    ]


def test_constrained_checks_catch_a_wrong_minimizer(monkeypatch):
    X, y, _ = make(PLANE_PROBLEMS["plane-50x2-seed7"])
    right = regkit.core.solvers.constrained_minimizer

    def wrong(X, y, budget, kind):  # the ridge solution rescaled onto the sphere
        _, lam = right(X, y, budget, kind)
        w = regkit.ridge(X, y, 10 * lam)
        return w * budget / np.linalg.norm(w), lam

    monkeypatch.setattr(regkit.checks.solutions, "constrained_minimizer", wrong)
    table = regkit.constrained_checks(X, y, 1.0, "l2")
    assert not table.all_passed
    assert table[0].passed  # it does lie on the sphere, but it is not the minimizer
