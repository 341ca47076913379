"""Tests of regkit.paths and regkit.path_plots: regularization paths, their checks and plots.

Oracles: scikit-learn's lasso_path, Ridge and lars_path, hand-made paths, closed forms.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.linear_model import Ridge, lars_path
from sklearn.linear_model import lasso_path as sklearn_lasso_path

import regkit
import regkit.paths

LASSO_ATOL = 1e-6
RIDGE_RTOL = 1e-10


@pytest.fixture(scope="module")
def diabetes():
    X, y, names = regkit.load_diabetes()
    return X, y, names


def grid_around_threshold(X, y, count=40, decades=3):
    lam_max = regkit.lasso_threshold(X, y)
    return lam_max * np.logspace(-decades, 0.3, count)


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


# --- the checks pass -----------------------------------------------------------------------


def test_path_checks_pass_on_diabetes(diabetes):
    X, y, _ = diabetes
    table = regkit.path_checks(X, y, np.logspace(-3, 3, 61))
    assert table.all_passed, table.failures()
    assert len(table) == 9


@pytest.mark.parametrize(
    "spec",
    [
        dict(m=30, n=5, seed=0),
        dict(m=50, n=10, seed=1),
        dict(m=80, n=20, n_informative=3, seed=4),
        dict(m=20, n=40, seed=2),
    ],
    ids=["tall-30x5", "tall-50x10", "sparse-80x20", "wide-20x40"],
)
def test_path_checks_pass_on_random_problems(spec):
    X, y, _ = regkit.make_linear_problem(**spec)
    table = regkit.path_checks(X, y, grid_around_threshold(X, y))
    assert table.all_passed, table.failures()


@pytest.mark.parametrize("column", [0, 2])
def test_duplicate_column_checks_pass_on_diabetes(diabetes, column):
    X, y, _ = diabetes
    table = regkit.duplicate_column_checks(X, y, column, 1.0)
    assert table.all_passed, table.failures()


# --- the paths, independently of path_checks ------------------------------------------------


def test_lasso_path_matches_sklearn(sparse_problem):
    X, y = sparse_problem.X, sparse_problem.y
    lams = grid_around_threshold(X, y, count=25)
    ours = regkit.lasso_path(X, y, lams, tol=1e-11)
    alphas, coefs, _ = sklearn_lasso_path(X, y, alphas=lams[::-1] / 2, tol=1e-14, max_iter=10**6)
    assert np.allclose(alphas, lams[::-1] / 2)
    assert ours.shape == (lams.size, X.shape[1])
    assert np.max(np.abs(ours - coefs.T[::-1])) <= LASSO_ATOL


def test_ridge_path_matches_sklearn_and_keeps_the_order_of_lams(problem):
    X, y, m = problem.X, problem.y, problem.m
    lams = np.array([1.0, 0.01, 0.1])  # deliberately not sorted
    ours = regkit.ridge_path(X, y, lams)
    for lam, w in zip(lams, ours, strict=True):
        theirs = Ridge(alpha=m * lam, fit_intercept=False).fit(X, y).coef_
        assert np.linalg.norm(w - theirs) <= RIDGE_RTOL * np.linalg.norm(theirs)


def test_lasso_path_is_zero_above_the_threshold(problem):
    X, y = problem.X, problem.y
    lam_max = regkit.lasso_threshold(X, y)
    path = regkit.lasso_path(X, y, [lam_max, 2 * lam_max, 10 * lam_max])
    assert np.all(path == 0)


def test_zero_entry_points_match_the_lars_knots(diabetes):
    X, y, names = diabetes
    lams = np.logspace(-1, 2.5, 200)
    entries = regkit.zero_entry_points(regkit.lasso_path(X, y, lams), lams)
    alphas, _, coefs = lars_path(X, y, method="lasso")
    bmi = names.index("bmi")
    # bmi enters first, at the first knot 2 * alphas[0] = lam_max
    assert np.isclose(2 * alphas[0], regkit.lasso_threshold(X, y), rtol=1e-12)
    first_nonzero = np.flatnonzero(coefs[bmi])[0]
    assert first_nonzero == 1
    i = np.searchsorted(lams, entries[bmi])
    assert lams[i - 1] < 2 * alphas[0] <= lams[i]


def test_lasso_path_counts_are_not_monotone_on_diabetes(diabetes):
    # A documented property of these data: s3 leaves the lasso path and re-enters.
    X, y, names = diabetes
    lams = np.logspace(-1, 0, 30)
    path = regkit.lasso_path(X, y, lams)
    counts = regkit.nonzero_counts(path)
    assert np.any(np.diff(counts) > 0)
    assert regkit.sign_changes(path)[names.index("s3")] == 1


# --- reading paths: hand-made examples ------------------------------------------------------


def test_zero_entry_points_on_a_hand_made_path():
    lams = [0.1, 0.2, 0.4, 0.8]
    path = np.array(
        [
            [1.0, 2.0, 0.0, 3.0, 1.0],
            [0.5, 0.0, 0.0, 2.0, 0.0],
            [0.0, 1.0, 0.0, 1.0, 0.0],
            [0.0, 0.0, 0.0, 0.5, 0.0],
        ]
    )
    entries = regkit.zero_entry_points(path, lams)
    # column 1 is zero at 0.2 but non-zero again at 0.4: it stays zero only from 0.8
    expected = np.array([0.4, 0.8, 0.1, np.nan, 0.2])
    assert np.array_equal(entries, expected, equal_nan=True)


def test_nonzero_counts_and_sign_changes_on_a_hand_made_path():
    path = [[1.0, -1.0, 2.0], [0.0, 1.0, -2.0], [-1.0, -1.0, 0.0], [-2.0, 0.0, 0.0]]
    assert regkit.nonzero_counts(path).tolist() == [3, 2, 2, 1]
    assert regkit.sign_changes(path).tolist() == [1, 2, 1]


def test_ridge_coefficient_crosses_zero_without_staying(diabetes):
    X, y, _ = diabetes
    lams = np.logspace(-3, 3, 121)
    path = regkit.ridge_path(X, y, lams)
    flips = regkit.sign_changes(path)
    assert np.count_nonzero(path) == path.size
    ols_sign = np.sign(regkit.ridge(X, y, 0.0))
    assert np.array_equal(flips % 2 == 1, ols_sign != np.sign(X.T @ y))


# --- bad input fails loudly -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "kwargs", "error", "match"),
    [
        (regkit.ridge_path, dict(lams=[-1.0, 1.0]), ValueError, "lams must be >= 0"),
        (regkit.lasso_path, dict(lams=[[0.1, 1.0]]), ValueError, "lams must be a vector"),
        (regkit.lasso_path, dict(lams="0.1"), TypeError, "lams"),
        (regkit.lasso_path, dict(lams=[0.1], tol=0.0), ValueError, "tol must be > 0"),
        (regkit.path_checks, dict(lams=[1.0, 0.5]), ValueError, "strictly increasing"),
        (regkit.path_checks, dict(lams=[0.0, 1.0]), ValueError, "lams must be > 0"),
        (regkit.ridge_path, dict(lams=[np.nan]), ValueError, "finite"),
    ],
)
def test_path_functions_reject_bad_lams(tall_problem, function, kwargs, error, match):
    with pytest.raises(error, match=match):
        function(tall_problem.X, tall_problem.y, **kwargs)


def test_path_functions_reject_bad_data():
    with pytest.raises(ValueError, match="same number of rows"):
        regkit.ridge_path(np.ones((4, 2)), np.ones(3), [1.0])
    with pytest.raises(ValueError, match="X must be a matrix"):
        regkit.lasso_path(np.ones(4), np.ones(4), [1.0])


def test_zero_entry_points_rejects_bad_input():
    with pytest.raises(ValueError, match="one row per value of lams"):
        regkit.zero_entry_points(np.zeros((3, 2)), [1.0, 2.0])
    with pytest.raises(ValueError, match="strictly increasing"):
        regkit.zero_entry_points(np.zeros((2, 2)), [2.0, 1.0])
    with pytest.raises(ValueError, match="path must be a matrix"):
        regkit.zero_entry_points(np.zeros(2), [1.0, 2.0])
    with pytest.raises(ValueError, match="path must be a matrix"):
        regkit.sign_changes([1.0, 2.0])


def test_duplicate_column_checks_reject_bad_input(tall_problem):
    X, y = tall_problem.X, tall_problem.y
    with pytest.raises(ValueError, match="column must be < n"):
        regkit.duplicate_column_checks(X, y, X.shape[1], 1.0)
    with pytest.raises(TypeError, match="column must be an integer"):
        regkit.duplicate_column_checks(X, y, 1.5, 1.0)
    with pytest.raises(ValueError, match="lam must be > 0"):
        regkit.duplicate_column_checks(X, y, 0, 0.0)
    with pytest.raises(ValueError, match="noise must be > 0"):
        regkit.duplicate_column_checks(X, y, 0, 1.0, noise=0.0)


# --- a check can fail -----------------------------------------------------------------------


def test_path_checks_fail_when_lasso_misses_its_zeros(monkeypatch, sparse_problem):
    X, y = sparse_problem.X, sparse_problem.y
    true_lasso = regkit.paths.lasso

    def no_exact_zeros(*args, **kwargs):
        w = true_lasso(*args, **kwargs)
        return np.where(w == 0, 1e-9, w)  # what subgradient descent leaves behind

    monkeypatch.setattr(regkit.paths, "lasso", no_exact_zeros)
    table = regkit.path_checks(X, y, grid_around_threshold(X, y, count=15))
    failed = [check.claim for check in table.failures()]
    assert any(claim.startswith("L1: non-zero weights at lam_max") for claim in failed)
    assert any("grid values lam >= lam_max" in claim for claim in failed)
    assert any("lars_path" in claim for claim in failed)
    assert not table.all_passed


def test_path_checks_fail_for_a_wrong_ridge(monkeypatch, problem):
    true_ridge = regkit.paths.ridge
    monkeypatch.setattr(regkit.paths, "ridge", lambda *args: true_ridge(*args) * (1 + 1e-6))
    table = regkit.path_checks(problem.X, problem.y, grid_around_threshold(problem.X, problem.y))
    assert [c.claim.startswith("L2 path = sklearn") for c in table.failures()] == [True]


# --- plots ----------------------------------------------------------------------------------


def test_plot_paths_return_their_artists(ax, diabetes):
    X, y, names = diabetes
    lams = np.logspace(-2, 2.5, 30)
    lasso = regkit.lasso_path(X, y, lams)
    artists = regkit.plot_lasso_path(ax, lams, lasso, names, lam_max=regkit.lasso_threshold(X, y))
    assert len(artists["lines"]) == len(names)
    assert len(artists["entries"].get_offsets()) == len(names)  # every one reaches 0
    assert artists["lam_max"] is not None
    assert ax.get_xscale() == "log" and ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_plot_ridge_path_marks_sign_changes(ax, diabetes):
    X, y, names = diabetes
    lams = np.logspace(-3, 3, 61)
    path = regkit.ridge_path(X, y, lams)
    artists = regkit.plot_ridge_path(ax, lams, path, names)
    assert len(artists["crossings"].get_offsets()) == int(regkit.sign_changes(path).sum())
    assert ax.get_legend() is not None


def test_plot_ridge_path_without_sign_changes(ax):
    lams = [0.1, 1.0, 10.0]
    path = [[2.0, 1.0], [1.0, 0.5], [0.5, 0.2]]
    artists = regkit.plot_ridge_path(ax, lams, path, ["a", "b"], legend=False)
    assert artists["crossings"] is None and ax.get_legend() is None


def test_plot_nonzero_counts(ax):
    lines = regkit.plot_nonzero_counts(ax, [0.1, 1.0, 10.0], {"L1": [2, 1, 0], "L2": [2, 2, 2]})
    assert len(lines) == 2 and ax.get_legend() is not None


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda ax: regkit.plot_ridge_path("ax", [1.0], [[1.0]], ["a"]), TypeError, "ax"),
        (lambda ax: regkit.plot_ridge_path(ax, [0.0, 1.0], [[1], [1]], ["a"]), ValueError, "> 0"),
        (lambda ax: regkit.plot_ridge_path(ax, [1.0, 2.0], [[1.0]], ["a"]), ValueError, "one row"),
        (lambda ax: regkit.plot_lasso_path(ax, [1.0], [[1.0]], ["a", "b"]), ValueError, "names"),
        (lambda ax: regkit.plot_lasso_path(ax, [1.0], [[1.0]], "a"), TypeError, "names"),
        (
            lambda ax: regkit.plot_lasso_path(ax, [1.0], [[1.0]], ["a"], lam_max=-1.0),
            ValueError,
            "lam_max",
        ),
        (lambda ax: regkit.plot_nonzero_counts(ax, [1.0], [1]), TypeError, "dict"),
        (lambda ax: regkit.plot_nonzero_counts(ax, [1.0], {"a": [1, 2]}), ValueError, "shape"),
    ],
)
def test_plots_reject_bad_input(ax, call, error, match):
    with pytest.raises(error, match=match):
        call(ax)


def test_doctests_of_paths(run_doctests):
    attempted, report = run_doctests(regkit.paths)
    assert attempted >= 5 and not report, report
