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
import regkit.checks.solutions
import regkit.core.solvers
import regkit.core.spectral
import regkit.plots

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


@pytest.mark.parametrize("module", [regkit.plots])
def test_doctests(module):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    report = []
    for test in doctest.DocTestFinder().find(module):
        runner.run(test, out=report.append)
    assert runner.summarize(verbose=False).failed == 0, "".join(report)


# --- the checks -------------------------------------------------------------------------


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
