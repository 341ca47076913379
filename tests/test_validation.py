"""Bad input for every public function: ValueError or TypeError naming the argument.

Each public function is wrapped in a caller that takes one set of arguments (w, X, y, lam,
kind, lr) and passes each function the ones it uses; a test replaces one argument by a bad
value and checks the exception type and message.
"""

import math
import re

import numpy as np
import pytest

import regkit

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
}

ARGUMENT_NAMES = {
    ("soft_threshold", "w"): "z",
    ("soft_threshold", "lam"): "threshold",
    ("gradient_descent", "w"): "w0",
}


def call(name, **bad):
    function, _ = CALLERS[name]
    return function({**GOOD, **bad})


def argument_name(function, slot):
    return ARGUMENT_NAMES.get((function, slot), slot)


def functions_using(slot):
    return [name for name, (_, uses) in CALLERS.items() if slot in uses.split()]


LINEAR_MODEL_FUNCTIONS = [f for f in functions_using("w") if f in functions_using("X")]


def slot_function_pairs(slots):
    return [
        pytest.param(slot, function, id=f"{slot}-{function}")
        for slot in slots
        for function in functions_using(slot)
    ]


@pytest.mark.parametrize(
    "module", [regkit.penalties, regkit.objectives, regkit.derivatives, regkit.solvers]
)
def test_every_public_function_of_the_core_modules_has_a_caller(module):
    functions = {name for name in module.__all__ if not isinstance(getattr(module, name), type)}
    assert functions <= set(CALLERS)


@pytest.mark.parametrize("function", list(CALLERS))
def test_valid_arguments_are_accepted(function):
    call(function)


@pytest.mark.parametrize("value", [-0.1, -1e-300, -math.inf])
@pytest.mark.parametrize("function", functions_using("lam"))
def test_negative_lam_raises(function, value):
    name = argument_name(function, "lam")
    expected = "finite" if math.isinf(value) else ">= 0"
    with pytest.raises(ValueError, match=f"{name} must be {expected}"):
        call(function, lam=value)


@pytest.mark.parametrize("value", [math.nan, math.inf, np.float64(math.nan)])
@pytest.mark.parametrize("function", functions_using("lam"))
def test_non_finite_lam_raises(function, value):
    name = argument_name(function, "lam")
    with pytest.raises(ValueError, match=f"{name} must be finite"):
        call(function, lam=value)


@pytest.mark.parametrize("value", ["0.1", True, False, None, [0.1], np.array([0.1]), 0.1j])
@pytest.mark.parametrize("function", functions_using("lam"))
def test_lam_of_wrong_type_raises_type_error(function, value):
    name = argument_name(function, "lam")
    with pytest.raises(TypeError, match=f"{name} must be a real number"):
        call(function, lam=value)


@pytest.mark.parametrize("value", [np.float32(0.5), np.int64(1), np.array(0.25), 2])
@pytest.mark.parametrize(
    "function", [f for f in functions_using("lam") if f != "source_descent_checks"]
)
def test_lam_accepts_numpy_and_integer_scalars(function, value):
    call(function, lam=value)


@pytest.mark.parametrize("value", [np.float32(0.05), np.array(0.025)])
def test_source_descent_checks_accept_numpy_scalars(value):
    call("source_descent_checks", lam=value)


def test_source_descent_checks_need_lam_below_half_the_lipschitz_constant():
    half = regkit.lipschitz_constant(X) / 2
    with pytest.raises(ValueError, match="lam must be < L/2"):
        call("source_descent_checks", lam=1.01 * half)


@pytest.mark.parametrize("value", ["l3", "L1", "", "ridge"])
@pytest.mark.parametrize("function", functions_using("kind"))
def test_unknown_kind_raises_and_lists_the_kinds(function, value):
    with pytest.raises(ValueError, match=r"kind must be one of \('l1', 'l2'\)"):
        call(function, kind=value)


@pytest.mark.parametrize("value", [None, 1, ("l1",)])
@pytest.mark.parametrize("function", functions_using("kind"))
def test_kind_of_wrong_type_raises_type_error(function, value):
    with pytest.raises(TypeError, match=r"kind must be a string, one of \('l1', 'l2'\)"):
        call(function, kind=value)


@pytest.mark.parametrize("function", functions_using("y"))
def test_rows_of_design_and_targets_must_match(function):
    with pytest.raises(ValueError, match="same number of rows") as error:
        call(function, X=np.ones((5, 4)), y=np.ones(3))
    assert "(5, 4)" in str(error.value)
    assert "(3,)" in str(error.value)


@pytest.mark.parametrize("function", LINEAR_MODEL_FUNCTIONS)
def test_w_must_match_the_columns_of_the_design(function):
    with pytest.raises(ValueError, match="one entry per column of X") as error:
        call(function, w=np.ones(3))
    assert "(3,)" in str(error.value)
    assert "(5, 4)" in str(error.value)


@pytest.mark.parametrize("empty", [np.ones((0, 4)), np.ones((5, 0)), np.ones((0, 0))])
@pytest.mark.parametrize("function", functions_using("X"))
def test_empty_design_raises(function, empty):
    with pytest.raises(ValueError, match="X must not be empty"):
        call(function, X=empty, y=np.ones(empty.shape[0]))


@pytest.mark.parametrize("function", functions_using("y"))
def test_empty_y_raises(function):
    with pytest.raises(ValueError, match="y must not be empty"):
        call(function, y=np.array([]))


@pytest.mark.parametrize("function", functions_using("w"))
def test_empty_w_raises(function):
    name = argument_name(function, "w")
    with pytest.raises(ValueError, match=f"{name} must not be empty"):
        call(function, w=[])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize(("slot", "function"), slot_function_pairs(["w", "X", "y"]))
def test_non_finite_entries_raise(slot, function, bad):
    value = np.array(GOOD[slot], dtype=float)
    value.flat[1] = bad
    name = argument_name(function, slot)
    with pytest.raises(ValueError, match=f"{name} must contain only finite values"):
        call(function, **{slot: value})


@pytest.mark.parametrize(
    "bad_X",
    [
        pytest.param(X[0], id="vector"),
        pytest.param(X[None], id="3-D"),
        pytest.param(np.float64(2.0), id="scalar"),
    ],
)
@pytest.mark.parametrize("function", functions_using("X"))
def test_design_must_be_a_matrix(function, bad_X):
    with pytest.raises(ValueError, match=r"X must be a matrix \(2-D\)"):
        call(function, X=bad_X, y=np.ones(np.shape(bad_X)[0] if np.ndim(bad_X) else 5))


@pytest.mark.parametrize("function", functions_using("y"))
def test_y_must_be_a_vector(function):
    with pytest.raises(ValueError, match=r"y must be a vector \(1-D\); got shape \(5, 1\)"):
        call(function, y=Y[:, None])


@pytest.mark.parametrize("function", LINEAR_MODEL_FUNCTIONS)
def test_w_must_be_a_vector_for_a_linear_model(function):
    with pytest.raises(ValueError, match=r"w must be a vector \(1-D\)"):
        call(function, w=W[None, :])


@pytest.mark.parametrize("value", ["abc", None, [["a", "b"]], [1.0, "x"], {"a": 1}])
@pytest.mark.parametrize(("slot", "function"), slot_function_pairs(["w", "X", "y"]))
def test_non_numeric_arrays_raise_type_error(slot, function, value):
    name = argument_name(function, slot)
    with pytest.raises(TypeError, match=f"{name} must be an array of numbers"):
        call(function, **{slot: value})


@pytest.mark.parametrize("slot", ["w", "X"])
def test_complex_arrays_raise_type_error(slot):
    value = GOOD[slot] + 1j
    function = "objective" if slot == "w" else "ridge"
    with pytest.raises(TypeError, match=f"{slot} must be"):
        call(function, **{slot: value})


@pytest.mark.parametrize("value", [0.0, -0.1, -math.inf])
@pytest.mark.parametrize("function", functions_using("lr"))
def test_lr_must_be_positive(function, value):
    with pytest.raises(ValueError, match="lr"):
        call(function, lr=value)


@pytest.mark.parametrize("value", [math.nan, math.inf])
@pytest.mark.parametrize("function", functions_using("lr"))
def test_lr_must_be_finite(function, value):
    with pytest.raises(ValueError, match="lr must be finite"):
        call(function, lr=value)


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


def test_relative_error_rejects_different_shapes_naming_both():
    with pytest.raises(ValueError, match=r"approx \(3,\), exact \(5, 4\)"):
        regkit.relative_error(np.ones(3), X)


def test_relative_error_rejects_non_numeric_input():
    with pytest.raises(TypeError, match="approx"):
        regkit.relative_error("abc", [1.0])
