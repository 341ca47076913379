"""Shared fixtures: random regression problems made with regkit.make_linear_problem.

Every array handed out is read-only, so a regkit function that modified its input in place
would fail loudly instead of corrupting the fixtures of later tests.
"""

import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import doctest
from typing import NamedTuple

import numpy as np
import pytest

import regkit


class Problem(NamedTuple):
    name: str
    X: np.ndarray
    y: np.ndarray
    w_true: np.ndarray

    @property
    def m(self) -> int:
        return self.X.shape[0]

    @property
    def n(self) -> int:
        return self.X.shape[1]


def make_problem(name, m, n, **kwargs):
    X, y, w_true = regkit.make_linear_problem(m, n, **kwargs)
    for array in (X, y, w_true):
        array.flags.writeable = False
    return Problem(name, X, y, w_true)


TALL_SPECS = {
    "tall-30x5-seed0": dict(m=30, n=5, seed=0),
    "tall-50x10-seed1": dict(m=50, n=10, seed=1),
}
WIDE_SPECS = {"wide-20x40-seed2": dict(m=20, n=40, seed=2)}
ILL_SPEC = {"ill-60x8-cond1e6": dict(m=60, n=8, condition_number=1e6, seed=3)}
SPARSE_SPEC = {"sparse-80x20-k3": dict(m=80, n=20, n_informative=3, seed=4)}

WELL_CONDITIONED_SPECS = {**TALL_SPECS, **WIDE_SPECS}
ALL_SPECS = {**WELL_CONDITIONED_SPECS, **ILL_SPEC, **SPARSE_SPEC}


def _build(spec_table, name):
    return make_problem(name, **spec_table[name])


@pytest.fixture(scope="session", params=list(WELL_CONDITIONED_SPECS))
def problem(request):
    """Well-conditioned random problems, tall (m > n) and wide (n > m)."""
    return _build(WELL_CONDITIONED_SPECS, request.param)


@pytest.fixture(scope="session", params=list(TALL_SPECS))
def tall_problem(request):
    """Well-conditioned problems with m > n, so X has full column rank."""
    return _build(TALL_SPECS, request.param)


@pytest.fixture(scope="session")
def wide_problem():
    """A problem with more features than examples (n > m)."""
    return _build(WIDE_SPECS, "wide-20x40-seed2")


@pytest.fixture(scope="session")
def ill_problem():
    """A problem whose X has condition number 1e6."""
    return _build(ILL_SPEC, "ill-60x8-cond1e6")


@pytest.fixture(scope="session")
def sparse_problem():
    """A problem whose true weights have only 3 non-zero entries out of 20."""
    return _build(SPARSE_SPEC, "sparse-80x20-k3")


@pytest.fixture(scope="session", params=list(ALL_SPECS))
def any_problem(request):
    """Every problem above: well-conditioned, wide, ill-conditioned and sparse."""
    return _build(ALL_SPECS, request.param)


@pytest.fixture(scope="session")
def weights_away_from_zero():
    """Return a function (n, seed) -> weights with |w_k| in [0.5, 1.5] and random signs."""

    def make(n, seed=0):
        rng = np.random.default_rng(1000 + seed)
        return rng.choice([-1.0, 1.0], n) * rng.uniform(0.5, 1.5, n)

    return make


@pytest.fixture(scope="session")
def run_doctests():
    """Return a function module -> (number of examples run, report of the failing ones)."""

    def run(module):
        report = []
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        for test in doctest.DocTestFinder().find(module):
            runner.run(test, out=report.append)
        return runner.summarize(verbose=False).attempted, "".join(report)

    return run
