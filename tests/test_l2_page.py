"""Tests of what the L2 page (chapters/ch3/l2.ipynb) adds to regkit.

The spectral functions of :mod:`regkit.shrinkage`, the checks built on them
(``shrinkage_checks``, ``bias_variance_checks``, ``constrained_checks``) and the figures of
:mod:`regkit.plots`.
"""

import doctest

import matplotlib
import numpy as np
import pytest

import regkit
import regkit.checks
import regkit.plots
import regkit.shrinkage

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.lines import Line2D

PROBLEMS = {
    "tall-30x5": dict(m=30, n=5, seed=0),
    "tall-50x10": dict(m=50, n=10, seed=1),
    "ill-60x6-cond1e4": dict(m=60, n=6, condition_number=1e4, seed=0),
    "ill-60x8-cond1e6": dict(m=60, n=8, condition_number=1e6, seed=3),
}
PLANE_PROBLEMS = {
    "plane-50x2-seed7": dict(m=50, n=2, condition_number=2, noise=0.3, seed=7),
    "plane-40x2-seed1": dict(m=40, n=2, condition_number=5, noise=0.5, seed=1),
}


def make(spec):
    return regkit.make_linear_problem(**spec)


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


# --- regkit.shrinkage -------------------------------------------------------------------


@pytest.mark.parametrize("module", [regkit.shrinkage, regkit.plots])
def test_doctests(module):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    report = []
    for test in doctest.DocTestFinder().find(module):
        runner.run(test, out=report.append)
    assert runner.summarize(verbose=False).failed == 0, "".join(report)


def test_shrinkage_factors_lie_in_unit_interval_and_fall_with_lam():
    X, _, _ = make(PROBLEMS["ill-60x6-cond1e4"])
    lams = np.logspace(-10, 2, 50)
    factors = np.array([regkit.shrinkage_factors(X, lam) for lam in lams])
    assert np.all((factors >= 0) & (factors <= 1))
    assert np.all(np.diff(factors, axis=0) <= 0)
    assert np.all(regkit.shrinkage_factors(X, 0.0) == 1.0)
    # halfway where m lam = s_k**2
    s = np.linalg.svd(X, compute_uv=False)
    assert regkit.shrinkage_factors(X, s[2] ** 2 / X.shape[0])[2] == pytest.approx(0.5)


def test_shrinkage_factors_of_zero_singular_value_is_zero():
    X = np.array([[1.0, 1.0], [1.0, 1.0]])  # rank 1; SVD gives a second value near 1e-16
    factors = regkit.shrinkage_factors(X, 0.0)
    assert factors[0] == 1.0 and factors[1] == 0.0
    X, _, _ = make(PROBLEMS["tall-30x5"])
    X_dup = np.column_stack([X, X[:, 0]])  # rank 5 of 6
    assert regkit.effective_dof(X_dup, 0.0) == 5
    assert regkit.ridge_condition_number(X_dup, 0.0) == float("inf")


@pytest.mark.parametrize("spec", [PROBLEMS["tall-50x10"], dict(m=20, n=40, seed=2)])
def test_effective_dof_is_rank_at_zero_and_trace_of_hat_matrix(spec):
    X, _, _ = make(spec)
    m, n = X.shape
    assert regkit.effective_dof(X, 0.0) == pytest.approx(np.linalg.matrix_rank(X))
    for lam in (1e-3, 0.1, 10.0):
        hat = X @ np.linalg.solve(X.T @ X + m * lam * np.eye(n), X.T)
        assert regkit.effective_dof(X, lam) == pytest.approx(np.trace(hat), rel=1e-10)


def test_ridge_condition_number_matches_numpy_and_is_infinite_when_singular():
    X, _, _ = make(PROBLEMS["tall-30x5"])
    m, n = X.shape
    for lam in (0.0, 1e-2, 1.0):
        expected = np.linalg.cond(X.T @ X + m * lam * np.eye(n))
        assert regkit.ridge_condition_number(X, lam) == pytest.approx(expected, rel=1e-10)
    X_wide, _, _ = make(dict(m=5, n=8, seed=0))
    assert regkit.ridge_condition_number(X_wide, 0.0) == float("inf")
    assert np.isfinite(regkit.ridge_condition_number(X_wide, 0.1))


def test_ridge_bias_variance_monotone_in_lam():
    X, _, w_true = make(PROBLEMS["tall-50x10"])
    values = np.array([regkit.ridge_bias_variance(X, w_true, lam, 0.5) for lam in [0, 1e-3, 1]])
    assert values[0, 0] == pytest.approx(0.0, abs=1e-20)
    assert np.all(np.diff(values[:, 0]) > 0) and np.all(np.diff(values[:, 1]) < 0)
    assert regkit.ridge_bias_variance(X, w_true, 1e9, 0.5)[0] == pytest.approx(w_true @ w_true)


def test_ridge_bias_variance_rejects_bad_input():
    X, _, w_true = make(dict(m=5, n=8, seed=0))
    with pytest.raises(ValueError, match="rank"):
        regkit.ridge_bias_variance(X, w_true, 0.0, 0.1)
    with pytest.raises(ValueError, match="noise"):
        regkit.ridge_bias_variance(X, w_true, 0.1, -1.0)
    with pytest.raises(ValueError, match="w"):
        regkit.ridge_bias_variance(X, w_true[:3], 0.1, 0.1)


def test_refit_ridge_shape_and_reproducibility():
    X, _, w_true = make(PROBLEMS["tall-30x5"])
    first = regkit.refit_ridge(X, w_true, [0.0, 0.1], 0.2, draws=7, seed=3)
    again = regkit.refit_ridge(X, w_true, [0.0, 0.1], 0.2, draws=7, seed=3)
    assert first.shape == (2, 7, 5)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first[0, 0], first[0, 1])  # a new noise draw per refit
    with pytest.raises(ValueError, match="draws"):
        regkit.refit_ridge(X, w_true, [0.1], 0.2, draws=1)
    with pytest.raises(ValueError, match="lam"):
        regkit.refit_ridge(X, w_true, [-0.1], 0.2)


def test_constrained_minimizer_inside_and_on_the_ball():
    X, y, _ = make(PROBLEMS["tall-30x5"])
    w_ls = regkit.ridge(X, y, 0.0)
    for kind, order in (("l2", 2), ("l1", 1)):
        big = 2 * np.linalg.norm(w_ls, order)
        w, lam = regkit.constrained_minimizer(X, y, big, kind)
        assert lam == 0.0 and np.allclose(w, w_ls)
        small = 0.3 * np.linalg.norm(w_ls, order)
        w, lam = regkit.constrained_minimizer(X, y, small, kind)
        assert lam > 0 and np.linalg.norm(w, order) == pytest.approx(small, rel=1e-9)


def test_constrained_minimizer_rejects_bad_input():
    X, y, _ = make(PROBLEMS["tall-30x5"])
    with pytest.raises(ValueError, match="budget"):
        regkit.constrained_minimizer(X, y, 0.0, "l2")
    with pytest.raises(ValueError, match="kind"):
        regkit.constrained_minimizer(X, y, 1.0, "l3")
    X_dup = np.column_stack([X, X[:, 0]])
    with pytest.raises(ValueError, match="rank"):
        regkit.constrained_minimizer(X_dup, y, 1.0, "l2")


# --- the checks -------------------------------------------------------------------------


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

    monkeypatch.setattr(regkit.checks, "shrinkage_factors", wrong)
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
    right = regkit.shrinkage.ridge_bias_variance

    def wrong(X, w_true, lam, noise):  # forgets to square the noise level
        bias_sq, variance = right(X, w_true, lam, noise)
        return bias_sq, variance / noise

    monkeypatch.setattr(regkit.checks, "ridge_bias_variance", wrong)
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
    assert len(table) == (5 if X.shape[1] == 2 and budget < 100 else 4)


def test_constrained_checks_catch_a_wrong_minimizer(monkeypatch):
    X, y, _ = make(PLANE_PROBLEMS["plane-50x2-seed7"])
    right = regkit.shrinkage.constrained_minimizer

    def wrong(X, y, budget, kind):  # the ridge solution rescaled onto the sphere
        _, lam = right(X, y, budget, kind)
        w = regkit.ridge(X, y, 10 * lam)
        return w * budget / np.linalg.norm(w), lam

    monkeypatch.setattr(regkit.checks, "constrained_minimizer", wrong)
    table = regkit.constrained_checks(X, y, 1.0, "l2")
    assert not table.all_passed
    assert table[0].passed  # it does lie on the sphere, but it is not the minimizer


def test_l1_constrained_minimizer_lands_on_a_corner_in_the_page_example():
    X, y, _ = make(PLANE_PROBLEMS["plane-50x2-seed7"])
    w_l1, _ = regkit.constrained_minimizer(X, y, 1.0, "l1")
    w_l2, _ = regkit.constrained_minimizer(X, y, 1.0, "l2")
    assert np.count_nonzero(w_l1 == 0) == 1
    assert np.count_nonzero(w_l2 == 0) == 0


# --- regkit.plots -----------------------------------------------------------------------


def test_plot_shrinkage_factors(ax):
    X, _, _ = make(PROBLEMS["ill-60x6-cond1e4"])
    lines = regkit.plot_shrinkage_factors(ax, X, np.logspace(-8, 1, 30))
    assert len(lines) == 6 and all(isinstance(line, Line2D) for line in lines)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None and ax.get_xscale() == "log"


def test_plot_condition_numbers(ax):
    X, _, _ = make(PROBLEMS["tall-30x5"])
    lines = regkit.plot_condition_numbers(ax, X, np.logspace(-4, 1, 20))
    assert len(lines) == 2 and all(isinstance(line, Line2D) for line in lines)
    assert ax.get_title() and ax.get_legend() is not None
    X_wide, _, _ = make(dict(m=5, n=8, seed=0))  # cond(X^T X) is infinite: no level drawn
    assert len(regkit.plot_condition_numbers(ax, X_wide, [0.1, 1.0])) == 1


def test_plot_bias_variance(ax):
    lams = np.array([0.01, 0.1, 1.0])
    artists = regkit.plot_bias_variance(ax, lams, lams, 1 / lams)
    assert len(artists) == 3
    artists = regkit.plot_bias_variance(ax, lams, lams, 1 / lams, measured=(lams, lams, lams))
    assert len(artists) == 5 and isinstance(artists[-1], PathCollection)
    assert ax.get_title() and ax.get_legend() is not None


def test_plot_norm_balls(ax):
    X, y, _ = make(PLANE_PROBLEMS["plane-50x2-seed7"])
    artists = regkit.plot_norm_balls(ax, X, y, 1.0)
    assert isinstance(artists["contours"], ContourSet)
    assert isinstance(artists["l1_level"], ContourSet)
    np.testing.assert_allclose(artists["l1_min"].get_xydata(), [[1.0, 0.0]], atol=1e-12)
    assert ax.get_title() and ax.get_legend() is not None
    # a ball large enough to hold the least-squares solution: no contour through the minima
    assert "l2_level" not in regkit.plot_norm_balls(ax, X, y, 100.0)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda ax, X: regkit.plot_shrinkage_factors("ax", X, [0.1]), TypeError),
        (lambda ax, X: regkit.plot_shrinkage_factors(ax, X, [0.0, 0.1]), ValueError),
        (lambda ax, X: regkit.plot_condition_numbers(ax, X[:, :, None], [0.1]), ValueError),
        (lambda ax, X: regkit.plot_bias_variance(ax, [0.1, 1.0], [1.0], [1.0, 2.0]), ValueError),
        (lambda ax, X: regkit.plot_bias_variance(ax, [0.1], [-1.0], [1.0]), ValueError),
        (
            lambda ax, X: regkit.plot_bias_variance(ax, [0.1], [1.0], [1.0], measured=([1.0],)),
            ValueError,
        ),
        (lambda ax, X: regkit.plot_norm_balls(ax, X, X[:, 0], 1.0), ValueError),
        (lambda ax, X: regkit.plot_norm_balls(ax, X[:, :2], X[:, 0], -1.0), ValueError),
        (lambda ax, X: regkit.plot_norm_balls(ax, X[:, :2], X[:, 0], 1.0, grid=3), ValueError),
        (lambda ax, X: regkit.plot_norm_balls(ax, X[:, :2], X[:, 0], 1.0, grid=50.0), TypeError),
        (lambda ax, X: regkit.plot_norm_balls(None, X[:, :2], X[:, 0], 1.0), TypeError),
    ],
)
def test_plots_reject_bad_input(ax, call, error):
    X, _, _ = make(PROBLEMS["tall-30x5"])
    with pytest.raises(error):
        call(ax, X)
    assert isinstance(ax, Axes)
