"""Tests of regkit.checks.networks: Keras's penalty, weight decay, the unit conversions and
PyTorch's weight decay.

Each check suite must pass on the library as it is and fail when the quantity it verifies is
wrong.
"""

import numpy as np
import pytest

import regkit
import regkit.checks.networks
import regkit.core.conversions
from regkit import CheckTable
from regkit.backend import import_tensorflow

tf = import_tensorflow()
keras = tf.keras


@pytest.fixture(scope="module")
def digits_slice():
    (x_train, y_train), _ = regkit.load_digits(seed=0)
    return x_train[:160], y_train[:160]


@pytest.fixture(scope="module")
def checks(digits_slice):
    return regkit.weight_decay_checks(*digits_slice)


def failing_claims(table):
    return [check.claim for check in table.failures()]


@pytest.mark.parametrize("penalty", ["l1", "l2"])
def test_keras_penalty_checks_pass(digits_slice, penalty):
    table = regkit.keras_penalty_checks(*digits_slice, lam=0.05, penalty=penalty)
    assert isinstance(table, CheckTable)
    assert len(table) == 8
    assert table.all_passed, failing_claims(table)


def test_keras_penalty_checks_fail_when_the_penalty_is_off_by_ten_percent(
    digits_slice, monkeypatch
):
    true_penalty = regkit.checks.networks.kernel_penalty
    monkeypatch.setattr(
        regkit.checks.networks,
        "kernel_penalty",
        lambda model, lam, penalty: 1.1 * true_penalty(model, lam, penalty),
    )
    table = regkit.keras_penalty_checks(*digits_slice, lam=0.05, penalty="l2")
    assert table.all_passed is False
    failed = failing_claims(table)
    assert any(claim.startswith("sum(model.losses)") for claim in failed)
    assert any(claim.startswith("evaluate()") for claim in failed)
    # |p - 1.1 p| / (1.1 p) = 1/11, up to float32 rounding of the Keras side.
    by_claim = {check.claim: check.measured for check in table}
    measured = next(v for c, v in by_claim.items() if c.startswith("sum(model.losses)"))
    assert measured == pytest.approx(1 / 11, rel=1e-4)


def test_keras_penalty_checks_reject_lam_zero(digits_slice):
    with pytest.raises(ValueError, match="lam"):
        regkit.keras_penalty_checks(*digits_slice, lam=0.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        (dict(lam=-0.1), ValueError, "lam"),
        (dict(penalty="l3"), ValueError, "l1"),
        (dict(learning_rate=0.0), ValueError, "learning_rate"),
        (dict(seed=-1), ValueError, "seed"),
    ],
)
def test_keras_penalty_checks_reject_bad_options(digits_slice, kwargs, error, name):
    with pytest.raises(error, match=name):
        regkit.keras_penalty_checks(*digits_slice, **kwargs)


def test_keras_penalty_checks_reject_mismatched_data(digits_slice):
    x, y = digits_slice
    with pytest.raises(ValueError, match=r"\(160, 64\).*\(159,\)"):
        regkit.keras_penalty_checks(x, y[:-1])
    with pytest.raises(ValueError):
        regkit.keras_penalty_checks(x[:, 0], y)


def test_weight_decay_checks_pass(checks):
    assert isinstance(checks, CheckTable)
    assert len(checks) == 4
    assert checks.all_passed, failing_claims(checks)


def test_weight_decay_checks_separate_equal_from_different(checks):
    by_claim = {check.claim: check.measured for check in checks}
    sgd = next(v for k, v in by_claim.items() if k.startswith("Keras SGD, "))
    momentum = next(v for k, v in by_claim.items() if k.startswith("Keras SGD momentum"))
    adam = next(v for k, v in by_claim.items() if k.startswith("Keras Adam + L2"))
    assert sgd < 1e-5 and momentum > 100 * sgd and adam > 100 * sgd


def test_wrong_weight_decay_factor_fails(digits_slice, monkeypatch):
    monkeypatch.setattr(
        regkit.checks.networks,
        "sgd_weight_decay",
        lambda lam, momentum=0.0: 2 * lam / (1 - momentum),
    )
    table = regkit.weight_decay_checks(*digits_slice)
    assert table.all_passed is False
    assert any(claim.startswith("Keras SGD, ") for claim in failing_claims(table))


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
    ("change", "error", "match"), [*BAD_CALLS, (dict(steps=5), ValueError, "steps")]
)
def test_weight_decay_checks_reject_bad_input(change, error, match):
    x, y = _digits()
    arguments = dict(x=x, y=y, lam=0.01, learning_rate=0.05, steps=20, seed=0) | change
    with pytest.raises(error, match=match):
        regkit.weight_decay_checks(arguments.pop("x"), arguments.pop("y"), **arguments)


# conversion_checks -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def conversions(digits_slice):
    return regkit.conversion_checks(*digits_slice)


def test_conversion_checks_pass(conversions):
    assert isinstance(conversions, CheckTable)
    assert len(conversions) == 9
    assert conversions.all_passed, failing_claims(conversions)


def test_conversion_checks_follow_the_table_of_conversions(conversions):
    # The order documented in regkit.core.conversions, one check per library setting.
    functions = [
        "keras_l2_coefficient",
        "keras_l1_coefficient",
        "mse_keras_l2_coefficient",
        "mse_keras_l1_coefficient",
        "sgd_weight_decay",
        "adamw_decay_factor",
        "ridge_alpha",
        "lasso_alpha",
        "sgd_weight_decay(lam, momentum=0.9)",
    ]
    for check, function in zip(conversions, functions, strict=True):
        assert function in check.claim
    table = regkit.core.conversions.__doc__
    rows = [
        line
        for line in table.splitlines()
        if line.startswith(("Keras", "plain", "``AdamW", "sklearn"))
    ]
    assert len(rows) == len(functions)


@pytest.mark.parametrize(
    ("name", "wrong", "rows"),
    [
        ("keras_l2_coefficient", lambda lam: lam, [0]),
        ("keras_l1_coefficient", lambda lam: lam, [1]),
        ("mse_keras_l2_coefficient", lambda lam: lam / 2, [2]),
        ("mse_keras_l1_coefficient", lambda lam: lam / 2, [3]),
        ("sgd_weight_decay", lambda lam, momentum=0.0: 2 * lam / (1 - momentum), [4, 8]),
        ("sgd_weight_decay", lambda lam, momentum=0.0: lam, [8]),  # momentum ignored
        ("adamw_decay_factor", lambda lr, wd: 1 - lr * wd / 2, [5]),
        ("ridge_alpha", lambda lam, m: lam, [6]),
        ("lasso_alpha", lambda lam: lam, [7]),
    ],
)
def test_a_wrong_conversion_fails_its_rows_only(digits_slice, monkeypatch, name, wrong, rows):
    monkeypatch.setattr(regkit.checks.networks, name, wrong)
    table = regkit.conversion_checks(*digits_slice)
    assert [check.claim for check in table.failures()] == [table[row].claim for row in rows]


@pytest.mark.parametrize(
    ("change", "error", "match"), [*BAD_CALLS, (dict(steps=5), ValueError, "steps")]
)
def test_conversion_checks_reject_bad_input(change, error, match):
    x, y = _digits()
    arguments = dict(x=x, y=y, lam=0.01, learning_rate=0.05, steps=20, seed=0) | change
    with pytest.raises(error, match=match):
        regkit.conversion_checks(arguments.pop("x"), arguments.pop("y"), **arguments)


# pytorch_weight_decay_checks -------------------------------------------------------------------


@pytest.fixture(scope="module")
def pytorch_checks(digits_slice):
    return regkit.pytorch_weight_decay_checks(*digits_slice)


def test_pytorch_weight_decay_checks_pass(pytorch_checks):
    assert len(pytorch_checks) == 11
    assert pytorch_checks.all_passed, failing_claims(pytorch_checks)


def test_pytorch_weight_decay_checks_follow_the_documented_order(pytorch_checks):
    starts = [
        "PyTorch SGD on loss",
        "PyTorch SGD(weight_decay",
        "PyTorch SGD(momentum=0.9, weight_decay=lam) = Keras",
        "PyTorch SGD(momentum=0.9, nesterov=True",
        "PyTorch SGD(momentum=0.9, weight_decay=lam) != Keras",
        "PyTorch Adam(weight_decay=lam) = PyTorch Adam",
        "PyTorch Adam(weight_decay=lam) = Keras Adam + L2",
        "PyTorch AdamW",
        "PyTorch Adam(weight_decay=lam) != PyTorch AdamW",
        "PyTorch Adam(weight_decay=lam) != Keras Adam(weight_decay",
        "PyTorch Adam(weight_decay=lam, decoupled_weight_decay=True)",
    ]
    assert [c.claim.startswith(s) for c, s in zip(pytorch_checks, starts, strict=True)] == [
        True
    ] * len(starts)
    # the equalities hold to rounding, far below the separations the suite also measures
    equal = [c.measured for c in pytorch_checks if c.relation == "<="]
    apart = [c.measured for c in pytorch_checks if c.relation == ">="]
    assert max(equal) < 1e-4 and min(apart) > 100 * max(equal)


def test_a_doubled_weight_decay_fails_every_row_that_uses_it(digits_slice, monkeypatch):
    monkeypatch.setattr(
        regkit.checks.networks,
        "sgd_weight_decay",
        lambda lam, momentum=0.0: 2 * lam / (1 - momentum),
    )
    table = regkit.pytorch_weight_decay_checks(*digits_slice)
    failed = [position for position, check in enumerate(table, start=1) if not check.passed]
    # row 1 puts lam in the loss and rows 8-10 compare decays with decays: they hold
    assert failed == [2, 3, 4, 6, 7]


@pytest.mark.parametrize(
    ("change", "error", "match"), [*BAD_CALLS, (dict(steps=5), ValueError, "steps")]
)
def test_pytorch_weight_decay_checks_reject_bad_input(change, error, match):
    x, y = _digits()
    arguments = dict(x=x, y=y, lam=0.01, learning_rate=0.05, steps=20, seed=0) | change
    with pytest.raises(error, match=match):
        regkit.pytorch_weight_decay_checks(arguments.pop("x"), arguments.pop("y"), **arguments)
