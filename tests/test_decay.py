"""Tests of regkit.decay: weight decay versus an L2 penalty, and the course's lam elsewhere.

Every conversion is compared with a computation that does not use it: Keras's own regularizers
and optimizer step, scikit-learn's solvers, and scipy's minimizers run on the other library's
objective. The check suite must pass as it is and fail when a conversion is wrong.
"""

import math

import numpy as np
import pytest

import regkit
import regkit.decay
from regkit.backend import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


@pytest.fixture(scope="module")
def digits_slice():
    (x_train, y_train), _ = regkit.load_digits(seed=0)
    return x_train[:200], y_train[:200]


@pytest.fixture(scope="module")
def trajectories(digits_slice):
    x, y = digits_slice
    return regkit.decay_trajectories(
        x, y, lam=0.01, learning_rate=0.01, epochs=6, batch_size=32, seed=0
    )


# Conversions, each against an independent computation ----------------------------------------


# weight_decay_checks -------------------------------------------------------------------------


# decay_trajectories --------------------------------------------------------------------------


def test_trajectories_shapes(trajectories):
    assert tuple(trajectories) == regkit.decay.TRAJECTORY_NAMES
    for record in trajectories.values():
        np.testing.assert_array_equal(record["epoch"], np.arange(7))
        for key in ("kernel_norm", "cross_entropy"):
            assert record[key].shape == (7,)
            assert np.all(np.isfinite(record[key])) and np.all(record[key] > 0)
    starts = {(r["kernel_norm"][0], r["cross_entropy"][0]) for r in trajectories.values()}
    assert len(starts) == 1, "all four runs start from the same weights"


def test_sgd_pair_coincides_at_every_epoch(trajectories):
    l2, decay = trajectories["SGD + L2"], trajectories["SGD + decay"]
    for key in ("kernel_norm", "cross_entropy"):
        np.testing.assert_allclose(decay[key], l2[key], rtol=1e-5)


def test_adam_pair_differs(trajectories):
    l2, adamw = trajectories["Adam + L2"], trajectories["AdamW"]
    gap = abs(adamw["kernel_norm"][-1] - l2["kernel_norm"][-1]) / l2["kernel_norm"][-1]
    assert gap > 1e-2
    assert not math.isclose(adamw["cross_entropy"][-1], l2["cross_entropy"][-1], rel_tol=1e-3)


# Bad input -----------------------------------------------------------------------------------


def _digits(n=40):
    (x, y), _ = regkit.load_digits(seed=0)
    return x[:n], y[:n]


BAD_CALLS = [
    (dict(lam=0.0), ValueError, "lam"),
    (dict(lam=-1.0), ValueError, "lam"),
    (dict(learning_rate=0.0), ValueError, "learning_rate"),
    (dict(x=np.zeros(40)), ValueError, "x must"),
    (dict(y=np.zeros(40)), TypeError, "y must"),
    (dict(y=np.arange(39)), ValueError, "same number"),
    (dict(y=-np.ones(40, dtype=int)), ValueError, "y must"),
    (dict(x=np.full((40, 64), np.nan)), ValueError, "x must"),
    (dict(seed=-1), ValueError, "seed"),
]


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        *BAD_CALLS,
        (dict(epochs=0), ValueError, "epochs"),
        (dict(batch_size=1.5), TypeError, "batch"),
    ],
)
def test_decay_trajectories_reject_bad_input(change, error, match):
    x, y = _digits()
    arguments = dict(x=x, y=y, lam=0.01, learning_rate=0.05, epochs=1, batch_size=8) | change
    with pytest.raises(error, match=match):
        regkit.decay_trajectories(arguments.pop("x"), arguments.pop("y"), **arguments)


def test_decay_trajectories_requires_its_keywords():
    x, y = _digits()
    with pytest.raises(TypeError):
        regkit.decay_trajectories(x, y, lam=0.01, learning_rate=0.05, epochs=1)
