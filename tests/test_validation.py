"""Bad input: the validators, and that every public function of the numpy core uses them.

The validators of ``regkit._validation`` are tested directly, with every category of bad value.
Each public function of :mod:`regkit.core` and of the linear check suites is then wrapped in a
caller that takes one set of arguments (w, X, y, lam, kind, lr) and passes each function the
ones it uses; for every argument a function takes, one value of the wrong type must raise
``TypeError`` and one value of the right type but wrong content ``ValueError``, each naming the
argument.
"""

import math
import re

import numpy as np
import pytest

import regkit
from regkit import _validation as v

W = np.array([0.5, -1.0, 1.5, -2.0])
X = np.array(
    [
        [1.0, 0.2, -0.3, 0.5],
        [0.1, 1.2, 0.4, -0.2],
        [-0.4, 0.3, 0.9, 0.1],
        [0.2, -0.5, 0.1, 1.1],
        [0.6, 0.1, -0.2, 0.3],
    ]
)
Y = np.array([1.0, -0.5, 0.25, 2.0, 0.75])
GOOD = {"w": W, "X": X, "y": Y, "lam": 0.05, "kind": "l2", "lr": 0.1}
LABELS = (Y > 0.5).astype(float)  # the logistic functions take labels 0 and 1


def labels(y):
    """The labels in place of the good targets; a bad value is passed on unchanged."""
    return LABELS if y is Y else y


def gram(X_value):
    """X^T X / m in place of the good X (a Hessian); a bad value is passed on unchanged."""
    return X.T @ X / len(X) if X_value is X else X_value


# The validators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (-0.1, ValueError, "must be >= 0"),
        (-1e-300, ValueError, "must be >= 0"),
        (-math.inf, ValueError, "must be finite"),
        (math.nan, ValueError, "must be finite"),
        (math.inf, ValueError, "must be finite"),
        (np.float64(math.nan), ValueError, "must be finite"),
        ("0.1", TypeError, "must be a real number"),
        (True, TypeError, "must be a real number"),
        (None, TypeError, "must be a real number"),
        ([0.1], TypeError, "must be a real number"),
        (np.array([0.1]), TypeError, "must be a real number"),
        (0.1j, TypeError, "must be a real number"),
    ],
)
def test_check_scalar_rejects(value, error, message):
    with pytest.raises(error, match=f"strength {message}"):
        v.check_scalar(value, "strength")


@pytest.mark.parametrize("value", [np.float32(0.5), np.int64(1), np.array(0.25), 2, 0])
def test_check_scalar_accepts_numpy_and_integer_scalars(value):
    result = v.check_scalar(value, "lam")
    assert type(result) is float and result == float(value)


def test_check_scalar_positive_rejects_zero():
    with pytest.raises(ValueError, match=r"lr must be > 0; got 0\.0"):
        v.check_scalar(0, "lr", positive=True)


@pytest.mark.parametrize(
    ("value", "error"),
    [(1.5, ValueError), (-0.1, ValueError), (math.nan, ValueError), ("0.5", TypeError)],
)
def test_check_fraction_rejects_values_outside_zero_one(value, error):
    with pytest.raises(error, match="l1_ratio"):
        v.check_fraction(value, "l1_ratio")


@pytest.mark.parametrize("value", [0, 0.25, 1, np.float64(0.5)])
def test_check_fraction_accepts_the_closed_unit_interval(value):
    assert v.check_fraction(value, "l1_ratio") == float(value)


def test_check_positive_lam_names_the_caller():
    with pytest.raises(ValueError, match="lam must be > 0 for ridge_checks"):
        v.check_positive_lam(0.0, "ridge_checks")
    assert v.check_positive_lam(0.5, "ridge_checks") == 0.5


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("l3", ValueError, r"kind must be one of \('l1', 'l2'\); got 'l3'"),
        ("L1", ValueError, "kind must be one of"),
        ("", ValueError, "kind must be one of"),
        (None, TypeError, r"kind must be a string, one of \('l1', 'l2'\)"),
        (1, TypeError, "kind must be a string"),
        (("l1",), TypeError, "kind must be a string"),
    ],
)
def test_check_kind_rejects(value, error, message):
    with pytest.raises(error, match=message):
        v.check_kind(value)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (-1, ValueError, "steps must be >= 0"),
        (2.5, TypeError, "steps must be an integer"),
        (True, TypeError, "steps must be an integer"),
        ("3", TypeError, "steps must be an integer"),
    ],
)
def test_check_count_rejects(value, error, message):
    with pytest.raises(error, match=message):
        v.check_count(value, "steps")


def test_check_count_minimum():
    with pytest.raises(ValueError, match="steps must be >= 10; got 9"):
        v.check_count(9, "steps", minimum=10)
    assert v.check_count(np.int64(10), "steps", minimum=10) == 10


@pytest.mark.parametrize(
    ("value", "ndim", "error", "message"),
    [
        ("abc", None, TypeError, "a must be an array of numbers"),
        (None, None, TypeError, "a must be an array of numbers"),
        ([["a", "b"]], None, TypeError, "a must be an array of numbers"),
        ([1.0, "x"], None, TypeError, "a must be an array of numbers"),
        ({"a": 1}, None, TypeError, "a must be an array of numbers"),
        ([1 + 1j, 2], None, TypeError, "a must be an array of real numbers"),
        ([[1.0, 2.0], [3.0]], None, ValueError, "a must be a rectangular array"),
        ([1.0, math.nan], None, ValueError, "a must contain only finite values"),
        ([1.0, math.inf], None, ValueError, "a must contain only finite values"),
        ([-math.inf], None, ValueError, "a must contain only finite values"),
        ([], None, ValueError, r"a must not be empty; got shape \(0,\)"),
        (np.ones((0, 4)), 2, ValueError, "a must not be empty"),
        (2.0, None, ValueError, "a must be an array with at least one dimension"),
        ([1.0, 2.0], 2, ValueError, r"a must be a matrix \(2-D\); got shape \(2,\)"),
        ([[1.0]], 1, ValueError, r"a must be a vector \(1-D\); got shape \(1, 1\)"),
        (np.ones((1, 1, 1)), 2, ValueError, r"a must be a matrix \(2-D\)"),
    ],
)
def test_as_float_array_rejects(value, ndim, error, message):
    with pytest.raises(error, match=message):
        v.as_float_array(value, "a", ndim=ndim)


def test_as_float_array_returns_a_float64_copy_of_integers():
    result = v.as_float_array([1, 2, 3], "a", ndim=1)
    assert result.dtype == np.float64 and result.tolist() == [1.0, 2.0, 3.0]


def test_check_data_names_both_shapes_when_rows_differ():
    with pytest.raises(ValueError, match="same number of rows") as error:
        v.check_data(np.ones((5, 4)), np.ones(3))
    assert "(5, 4)" in str(error.value) and "(3,)" in str(error.value)


def test_check_problem_names_both_shapes_when_w_does_not_fit():
    with pytest.raises(ValueError, match="one entry per column of X") as error:
        v.check_problem(np.ones(3), X, Y)
    assert "(3,)" in str(error.value) and "(5, 4)" in str(error.value)


def test_check_callable():
    with pytest.raises(TypeError, match="grad must be callable; got int"):
        v.check_callable(3, "grad")
    assert v.check_callable(len, "grad") is len


@pytest.mark.parametrize(
    ("x", "y", "error", "message"),
    [
        (np.zeros(4), np.zeros(4, dtype=int), ValueError, "x must be a matrix"),
        (np.zeros((4, 2)), np.zeros((4, 1), dtype=int), ValueError, "y must be a vector"),
        (np.zeros((4, 2)), np.zeros(4), TypeError, "y must hold integer class labels"),
        (np.zeros((4, 2)), np.zeros(3, dtype=int), ValueError, "same number of examples"),
        (np.zeros((4, 2)), np.array([0, 1, 2, 3]), ValueError, r"labels in 0..2"),
        (np.zeros((4, 2)), np.array([0, -1, 1, 1]), ValueError, r"labels in 0..2"),
    ],
)
def test_check_classification_data_rejects(x, y, error, message):
    with pytest.raises(error, match=message):
        v.check_classification_data(x, y, 3)


def test_check_classification_data_returns_float32_and_int64():
    x, y = v.check_classification_data(np.zeros((2, 3)), np.array([0, 1], dtype=np.int8), 2)
    assert x.dtype == np.float32 and y.dtype == np.int64


# Every public function of the numpy core uses them --------------------------------------------

CALLERS = {
    "penalty": (lambda a: regkit.penalty(a["w"], a["lam"], a["kind"]), "w lam kind"),
    "penalty_grad": (lambda a: regkit.penalty_grad(a["w"], a["lam"], a["kind"]), "w lam kind"),
    "penalty_grad_check": (
        lambda a: regkit.penalty_grad_check(a["w"], a["lam"], a["kind"]),
        "w lam kind",
    ),
    "soft_threshold": (lambda a: regkit.soft_threshold(a["w"], a["lam"]), "w lam"),
    "data_loss": (lambda a: regkit.data_loss(a["w"], a["X"], a["y"]), "w X y"),
    "data_loss_grad": (lambda a: regkit.data_loss_grad(a["w"], a["X"], a["y"]), "w X y"),
    "objective": (
        lambda a: regkit.objective(a["w"], a["X"], a["y"], a["lam"], a["kind"]),
        "w X y lam kind",
    ),
    "objective_grad": (
        lambda a: regkit.objective_grad(a["w"], a["X"], a["y"], a["lam"], a["kind"]),
        "w X y lam kind",
    ),
    "source_gradient": (
        lambda a: regkit.source_gradient(a["w"], a["X"], a["y"], a["lam"], a["kind"]),
        "w X y lam kind",
    ),
    "autodiff_objective_grad": (
        lambda a: regkit.autodiff_objective_grad(a["w"], a["X"], a["y"], a["lam"], a["kind"]),
        "w X y lam kind",
    ),
    "gradient_checks": (
        lambda a: regkit.gradient_checks(a["w"], a["X"], a["y"], a["lam"], a["kind"]),
        "w X y lam kind",
    ),
    "numerical_gradient": (
        lambda a: regkit.numerical_gradient(lambda v: float(np.sum(v**2)), a["w"]),
        "w",
    ),
    "ridge": (lambda a: regkit.ridge(a["X"], a["y"], a["lam"]), "X y lam"),
    "lasso": (lambda a: regkit.lasso(a["X"], a["y"], a["lam"]), "X y lam"),
    "l1_optimality_violation": (
        lambda a: regkit.l1_optimality_violation(a["w"], a["X"], a["y"], a["lam"]),
        "w X y lam",
    ),
    "l1_prox": (lambda a: regkit.l1_prox(a["lam"]), "lam"),
    "lipschitz_constant": (lambda a: regkit.lipschitz_constant(a["X"]), "X"),
    "lasso_threshold": (lambda a: regkit.lasso_threshold(a["X"], a["y"]), "X y"),
    "gradient_descent": (
        lambda a: regkit.gradient_descent(lambda v: v, a["w"], a["lr"], 3),
        "w lr",
    ),
    "steps_to_converge": (
        lambda a: regkit.steps_to_converge(a["X"], a["lam"], a["lr"]),
        "X lam lr",
    ),
    "descent_checks": (lambda a: regkit.descent_checks(a["X"], a["y"], a["lam"]), "X y lam"),
    "ridge_checks": (lambda a: regkit.ridge_checks(a["X"], a["y"], a["lam"]), "X y lam"),
    "lasso_checks": (lambda a: regkit.lasso_checks(a["X"], a["y"], a["lam"]), "X y lam"),
    "sparsity_checks": (lambda a: regkit.sparsity_checks(a["X"], a["y"], a["lam"]), "X y lam"),
    "source_descent_checks": (
        lambda a: regkit.source_descent_checks(a["X"], a["y"], a["lam"]),
        "X y lam",
    ),
    "step_size_checks": (lambda a: regkit.step_size_checks(a["X"], a["y"], a["lam"]), "X y lam"),
    "elastic_net": (lambda a: regkit.elastic_net(a["X"], a["y"], a["lam"], 0.5), "X y lam"),
    "project_l2_ball": (lambda a: regkit.project_l2_ball(a["w"], 1.0), "w"),
    "project_l1_ball": (lambda a: regkit.project_l1_ball(a["w"], 1.0), "w"),
    "constrained_least_squares": (
        lambda a: regkit.constrained_least_squares(a["X"], a["y"], 1.0, a["kind"]),
        "X y kind",
    ),
    "constrained_minimizer": (
        lambda a: regkit.constrained_minimizer(a["X"], a["y"], a["lam"] + 0.5, a["kind"]),
        "X y kind",
    ),
    "shrinkage_factors": (lambda a: regkit.shrinkage_factors(a["X"], a["lam"]), "X lam"),
    "early_stopping_factors": (
        lambda a: regkit.early_stopping_factors(a["X"], a["lr"], 3),
        "X lr",
    ),
    "effective_dof": (lambda a: regkit.effective_dof(a["X"], a["lam"]), "X lam"),
    "ridge_condition_number": (
        lambda a: regkit.ridge_condition_number(a["X"], a["lam"]),
        "X lam",
    ),
    "ridge_bias_variance": (
        lambda a: regkit.ridge_bias_variance(a["X"], a["w"], a["lam"], 0.1),
        "w X lam",
    ),
    "min_norm_least_squares": (
        lambda a: regkit.min_norm_least_squares(a["X"], a["y"]),
        "X y",
    ),
    "min_norm_checks": (lambda a: regkit.min_norm_checks(a["X"], a["y"]), "X y"),
    "log_loss": (lambda a: regkit.log_loss(a["w"], a["X"], labels(a["y"])), "w X y"),
    "log_loss_gradient": (
        lambda a: regkit.log_loss_gradient(a["w"], a["X"], labels(a["y"])),
        "w X y",
    ),
    "log_loss_hessian": (lambda a: regkit.log_loss_hessian(a["w"], a["X"]), "w X"),
    "hessian_shrinkage": (
        lambda a: regkit.hessian_shrinkage(gram(a["X"]), a["w"], a["lam"]),
        "w X lam",
    ),
    "refit_ridge": (
        lambda a: regkit.refit_ridge(a["X"], a["w"], [a["lam"]], 0.1, draws=3),
        "w X",
    ),
}


ARGUMENT_NAMES = {
    ("soft_threshold", "w"): "z",
    ("soft_threshold", "lam"): "threshold",
    ("gradient_descent", "w"): "w0",
    ("ridge_bias_variance", "w"): "w_true",
    ("refit_ridge", "w"): "w_true",
    ("project_l2_ball", "w"): "v",
    ("early_stopping_factors", "lr"): "learning_rate",
    ("project_l1_ball", "w"): "v",
    ("hessian_shrinkage", "X"): "hessian",
    ("hessian_shrinkage", "w"): "w0",
}

# One bad value per argument and category: (value of the right type with wrong content,
# value of the wrong type).
BAD = {
    "w": (np.array([0.5, np.nan, 1.5, -2.0]), "abc"),
    "X": (X[0], None),
    "y": (np.ones(3), "abc"),
    "lam": (-0.1, "0.1"),
    "kind": ("l3", None),
    "lr": (0.0, "0.1"),
}


def call(name, **bad):
    function, _ = CALLERS[name]
    return function({**GOOD, **bad})


def uses(name):
    return CALLERS[name][1].split()


def argument_pairs():
    return [
        pytest.param(name, slot, id=f"{name}-{slot}") for name in CALLERS for slot in uses(name)
    ]


@pytest.mark.parametrize(
    "module",
    [
        regkit.core.penalties,
        regkit.core.objectives,
        regkit.checks.gradients,
        regkit.core.solvers,
        regkit.core.spectral,
        regkit.core.logistic,
    ],
)
def test_every_public_function_of_the_core_has_a_caller(module):
    functions = {name for name in module.__all__ if not isinstance(getattr(module, name), type)}
    assert functions <= set(CALLERS)


@pytest.mark.parametrize("name", list(CALLERS))
def test_valid_arguments_give_finite_results(name):
    result = call(name)
    if isinstance(result, regkit.CheckTable):
        assert result.all_passed, [check.claim for check in result.failures()]
    elif isinstance(result, regkit.Check):
        assert result.passed, result.claim
    elif callable(result):  # l1_prox returns the proximal step
        assert np.all(np.isfinite(result(W, 0.1)))
    else:
        values = result if isinstance(result, tuple) else (result,)
        assert all(np.all(np.isfinite(np.asarray(value, dtype=float))) for value in values)


@pytest.mark.parametrize(("name", "slot"), argument_pairs())
def test_a_bad_value_raises_value_error_naming_the_argument(name, slot):
    argument = ARGUMENT_NAMES.get((name, slot), slot)
    with pytest.raises(ValueError, match=rf"\b{argument}\b"):
        call(name, **{slot: BAD[slot][0]})


@pytest.mark.parametrize(("name", "slot"), argument_pairs())
def test_a_value_of_the_wrong_type_raises_type_error_naming_the_argument(name, slot):
    argument = ARGUMENT_NAMES.get((name, slot), slot)
    with pytest.raises(TypeError, match=rf"\b{argument}\b"):
        call(name, **{slot: BAD[slot][1]})


# Arguments particular to one function ---------------------------------------------------------


def test_source_descent_checks_need_lam_below_half_the_lipschitz_constant():
    half = regkit.lipschitz_constant(X) / 2
    with pytest.raises(ValueError, match="lam must be < L/2"):
        call("source_descent_checks", lam=1.01 * half)


@pytest.mark.parametrize("reduction", [0.0, 1.0, 2.0, -1e-3])
def test_steps_to_converge_rejects_a_reduction_outside_zero_one(reduction):
    with pytest.raises(ValueError, match="reduction"):
        regkit.steps_to_converge(X, 0.1, 0.1, reduction=reduction)


@pytest.mark.parametrize(
    ("function", "option", "value", "error"),
    [
        ("sparsity_checks", "steps", 0, ValueError),
        ("sparsity_checks", "steps", None, TypeError),
        ("lasso_checks", "tol", 0.0, ValueError),
        ("source_descent_checks", "steps", 1, ValueError),
        ("step_size_checks", "steps", -5, ValueError),
    ],
)
def test_check_suite_options_are_validated(function, option, value, error):
    with pytest.raises(error, match=re.escape(option)):
        getattr(regkit, function)(X, Y, 0.05, **{option: value})


@pytest.mark.parametrize(
    ("call_with", "error"),
    [
        (lambda r: regkit.project_l2_ball(W, r), ValueError),
        (lambda r: regkit.project_l1_ball(W, r), ValueError),
        (lambda r: regkit.constrained_least_squares(X, Y, r, "l1"), ValueError),
    ],
)
@pytest.mark.parametrize("radius", [-1.0, math.nan, math.inf])
def test_a_bad_radius_raises_value_error_naming_it(call_with, error, radius):
    with pytest.raises(error, match="radius"):
        call_with(radius)


@pytest.mark.parametrize("radius", ["1", None, True])
def test_a_radius_of_the_wrong_type_raises_type_error_naming_it(radius):
    with pytest.raises(TypeError, match="radius"):
        regkit.project_l1_ball(W, radius)


@pytest.mark.parametrize(
    ("l1_ratio", "error"),
    [(-0.1, ValueError), (1.5, ValueError), (math.nan, ValueError), ("0.5", TypeError)],
)
def test_elastic_net_rejects_an_l1_ratio_outside_zero_one(l1_ratio, error):
    with pytest.raises(error, match="l1_ratio"):
        regkit.elastic_net(X, Y, 0.1, l1_ratio)


def test_relative_error_rejects_different_shapes_naming_both():
    with pytest.raises(ValueError, match=r"approx \(3,\), exact \(5, 4\)"):
        regkit.relative_error(np.ones(3), X)


def test_relative_error_rejects_non_numeric_input():
    with pytest.raises(TypeError, match="approx"):
        regkit.relative_error("abc", [1.0])


def test_the_logistic_functions_reject_labels_other_than_zero_and_one():
    with pytest.raises(ValueError, match=r"\by must hold labels 0 or 1"):
        regkit.log_loss(W, X, Y)
    with pytest.raises(ValueError, match=r"\by must hold labels 0 or 1"):
        regkit.hessian_view_checks(X, Y, [0.1])


@pytest.mark.parametrize(
    ("hessian", "lam", "message"),
    [
        (np.array([[1.0, 0.5], [0.0, 1.0]]), 0.1, "symmetric"),
        (np.array([[1.0, 0.0], [0.0, -1.0]]), 0.1, "positive semidefinite"),
        (np.array([[1.0, 0.0], [0.0, 0.0]]), 0.0, "lam must be > 0"),
        (np.eye(3), 0.1, "hessian must be square with one row per entry of w0"),
    ],
)
def test_hessian_shrinkage_rejects_a_matrix_that_is_not_a_hessian(hessian, lam, message):
    with pytest.raises(ValueError, match=message):
        regkit.hessian_shrinkage(hessian, [1.0, 2.0], lam)


@pytest.mark.parametrize(
    ("call_with", "error", "name"),
    [
        (lambda: regkit.min_norm_checks(X, Y, lams=[0.1, 0.0]), ValueError, "lams"),
        (lambda: regkit.min_norm_checks(X, Y, lams="0.1"), TypeError, "lams"),
        (lambda: regkit.min_norm_checks(np.zeros((5, 4)), Y), ValueError, "X"),
        (lambda: regkit.min_norm_checks(np.eye(5)[:, :2], [0, 0, 1, 1, 1]), ValueError, "y"),
        (lambda: regkit.hessian_view_checks(X, LABELS, [0.1, -1.0]), ValueError, "lams"),
        (lambda: regkit.hessian_view_checks(X, LABELS, None), TypeError, "lams"),
        (lambda: regkit.hessian_view_checks(X, LABELS[:3], [0.1]), ValueError, "y"),
    ],
)
def test_the_new_check_suites_validate_their_options(call_with, error, name):
    with pytest.raises(error, match=rf"\b{name}\b"):
        call_with()
