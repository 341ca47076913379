"""The course's ``lam`` in the units of Keras, PyTorch and scikit-learn, as one table.

The course's objective is ``L(w) + (lam/2) * sum(w**2)`` (L2) or ``L(w) + (lam/2) * sum(|w|)``
(L1), with ``L`` the data term ``1/(2m) ||y - X w||**2`` of a linear model or the mean
cross-entropy of a classifier. :func:`conventions_table` lists, for one ``lam``, the argument
each library needs to minimise the same function (or, for ``AdamW``, the closest setting and
why it is not the same); :func:`conventions_checks` verifies every row numerically, one check
per row. Most conversions live in :mod:`regkit.decay` and are verified there by
:func:`regkit.weight_decay_checks`; this module reuses those rows and adds the two that were
missing: Keras ``mse`` with ``L1`` (:func:`mse_keras_l1_coefficient`) and the per-step decay
of ``AdamW`` (:func:`adamw_decay_factor`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from . import decay
from ._tf import import_tensorflow
from ._validation import check_count, check_lam, check_scalar
from .checks import Check, CheckTable
from .data import make_linear_problem
from .solvers import lasso

__all__ = [
    "Convention",
    "adamw_decay_factor",
    "conventions_checks",
    "conventions_html",
    "conventions_table",
    "mse_keras_l1_coefficient",
]

# float32 rounding over a few operations, as in regkit.decay.
EQUAL_TOL = decay.EQUAL_TOL


def mse_keras_l1_coefficient(lam):
    """Return the ``c`` of Keras's ``L1(c)`` for a linear model trained with Keras's ``mse``.

    Keras's ``mse`` is ``(1/m) ||r||**2`` (no half), so the trained objective is
    ``(1/m) ||r||**2 + c ||w||_1 = 2 * [1/(2m) ||r||**2 + (c/2) ||w||_1]``: the course's L1
    objective with strength ``c``, doubled, which has the same minimiser. So ``c = lam``.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.

    Returns
    -------
    float
        ``lam``.

    Examples
    --------
    >>> mse_keras_l1_coefficient(0.01)
    0.01
    """
    return check_lam(lam)


def adamw_decay_factor(learning_rate, weight_decay):
    """Return the factor by which ``AdamW`` multiplies every weight at each step.

    Keras's and PyTorch's ``AdamW(learning_rate=lr, weight_decay=wd)`` first shrink each weight,
    ``w <- w - lr * wd * w = (1 - lr * wd) * w``, then apply Adam's step to the gradient of the
    loss alone. With ``wd = lam`` the shrink is the one plain gradient descent on the course's
    L2 objective performs (:func:`regkit.sgd_weight_decay`), but Adam's step is not: an L2
    penalty's gradient ``lam * w`` would pass through Adam's per-coordinate division by
    ``sqrt(v) + eps``, the decay does not. There is therefore no ``wd`` for which ``AdamW``
    minimises the course's penalized objective (Loshchilov & Hutter, 2019).

    Parameters
    ----------
    learning_rate : float
        > 0.
    weight_decay : float
        >= 0.

    Returns
    -------
    float
        ``1 - learning_rate * weight_decay``.

    Examples
    --------
    >>> adamw_decay_factor(0.01, 0.1)
    0.999
    """
    learning_rate = check_scalar(learning_rate, "learning_rate", positive=True)
    weight_decay = check_scalar(weight_decay, "weight_decay")
    return 1.0 - learning_rate * weight_decay


@dataclass(frozen=True)
class Convention:
    """One row of :func:`conventions_table`.

    Attributes
    ----------
    setting : str
        The library and argument.
    objective : str
        What that setting minimises or does.
    rule : str
        The argument in terms of the course's ``lam`` (and ``m``).
    value : float or None
        The argument for the ``lam`` and ``m`` given; ``None`` when there is no exact match.
    note : str
        A caveat ("" if none).
    """

    setting: str
    objective: str
    rule: str
    value: float | None
    note: str = ""


def conventions_table(lam, m):
    """Return the course's strength ``lam`` in every library's units, one row per setting.

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.
    m : int
        Number of training examples (only ``Ridge`` needs it), >= 1.

    Returns
    -------
    list of Convention
        In the order: Keras ``L2`` and ``L1`` with cross-entropy, Keras ``L2`` and ``L1`` with
        ``mse``, plain ``SGD(weight_decay)``, ``AdamW(weight_decay)``, scikit-learn ``Ridge``
        and ``Lasso``; :func:`conventions_checks` returns one check per row, in the same order.
    """
    lam = check_lam(lam)
    m = check_count(m, "m", minimum=1)
    return [
        Convention(
            "Keras kernel_regularizer=L2(c), cross-entropy",
            "CE + c·ΣW²",
            "c = λ/2",
            decay.keras_l2_coefficient(lam),
        ),
        Convention(
            "Keras kernel_regularizer=L1(c), cross-entropy",
            "CE + c·Σ|W|",
            "c = λ/2",
            decay.keras_l1_coefficient(lam),
        ),
        Convention(
            "Keras L2(c), loss='mse' (linear model)",
            "(1/m)‖y − Xw‖² + c·‖w‖²",
            "c = λ",
            decay.mse_keras_l2_coefficient(lam),
            "mse has no ½: the objective is twice the course's",
        ),
        Convention(
            "Keras L1(c), loss='mse' (linear model)",
            "(1/m)‖y − Xw‖² + c·‖w‖₁",
            "c = λ",
            mse_keras_l1_coefficient(lam),
            "mse has no ½: the objective is twice the course's",
        ),
        Convention(
            "SGD(weight_decay=wd), Keras and PyTorch, no momentum",
            "w ← w − lr·(∇L + wd·w)",
            "wd = λ",
            decay.sgd_weight_decay(lam),
            "exact only for plain SGD; exclude biases, which the penalty leaves out",
        ),
        Convention(
            "AdamW(weight_decay=wd), Keras and PyTorch",
            "w ← (1 − lr·wd)·w, then Adam's step on ∇L alone",
            "no exact match; wd = λ gives plain SGD's decay per step",
            None,
            "Adam rescales a penalty's gradient λw per coordinate; it does not rescale the decay",
        ),
        Convention(
            "scikit-learn Ridge(alpha, fit_intercept=False)",
            "‖y − Xw‖² + α‖w‖²",
            "α = m·λ",
            decay.ridge_alpha(lam, m),
        ),
        Convention(
            "scikit-learn Lasso(alpha, fit_intercept=False)",
            "(1/2m)‖y − Xw‖² + α‖w‖₁",
            "α = λ/2",
            decay.lasso_alpha(lam),
        ),
    ]


def conventions_html(lam, m):
    """Return :func:`conventions_table` as an HTML table (for ``IPython.display.HTML``).

    Parameters
    ----------
    lam : float
        The course's strength, finite and >= 0.
    m : int
        Number of training examples, >= 1.

    Returns
    -------
    str
    """
    header, rows = _cells(lam, m)
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in cells) + "</tr>"
        for cells in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cells(lam, m):
    rows = conventions_table(lam, m)
    header = ("setting", "minimises / does", "argument", f"value at λ = {lam:g}, m = {m}", "note")
    cells = [
        (
            row.setting,
            row.objective,
            row.rule,
            "—" if row.value is None else f"{row.value:.6g}",
            row.note,
        )
        for row in rows
    ]
    return header, cells


# Checks --------------------------------------------------------------------------------------

# The rows of regkit.weight_decay_checks that verify a conversion, by the start of their claim,
# in the order of conventions_table (None: a check of this module).
_REUSED = (
    "L2(keras_l2_coefficient",
    "L1(keras_l1_coefficient",
    "Keras mse + L2(mse_keras_l2_coefficient",
    None,
    "SGD, ",
    None,
    "sklearn Ridge(",
    "sklearn Lasso(",
)


def conventions_checks(x, y, *, lam=0.01, learning_rate=0.05, steps=20, seed=0):
    """Check every row of :func:`conventions_table`, one check per row, in the table's order.

    Six rows are verified by :func:`regkit.weight_decay_checks` (run once with these
    arguments; its rows are reused, not re-implemented). The two others:

    * Keras ``mse`` + ``L1(mse_keras_l1_coefficient(lam))``: at the course's L1 minimiser
      (:func:`regkit.lasso`, float64) on a random 50 x 8 problem, the gradient of Keras's loss
      (computed by ``GradientTape``) satisfies the optimality conditions of an L1 problem:
      it is 0 on the non-zero weights and at most ``c`` in magnitude on the zero ones. The
      largest violation is measured relative to the data gradient at ``w = 0``.
    * ``AdamW``: one ``keras.optimizers.AdamW`` step with a zero gradient multiplies the
      weights by :func:`adamw_decay_factor` (relative error). Adam's step is then 0, so what is
      left is the decay alone; that Adam + L2 differs from ``AdamW`` is checked by
      :func:`regkit.weight_decay_checks` (Chapter 5).

    Parameters
    ----------
    x : array_like, shape (count, features)
        Classification inputs for the network checks.
    y : array_like of int, shape (count,)
    lam : float, default 0.01
        The course's strength, > 0.
    learning_rate : float, default 0.05
    steps : int, default 20
        Training steps of the SGD comparison, >= 10.
    seed : int, default 0

    Returns
    -------
    CheckTable
        Eight checks.
    """
    reference = decay.weight_decay_checks(
        x, y, lam=lam, learning_rate=learning_rate, steps=steps, seed=seed
    )
    ours = {3: _mse_l1_check(lam, seed), 5: _adamw_check(lam, learning_rate, seed)}
    checks = []
    for index, prefix in enumerate(_REUSED):
        if prefix is None:
            checks.append(ours[index])
            continue
        found = [check for check in reference if check.claim.startswith(prefix)]
        if len(found) != 1:
            raise RuntimeError(f"weight_decay_checks has no single row starting {prefix!r}")
        checks.append(found[0])
    return CheckTable(checks)


def _mse_l1_check(lam, seed):
    keras = import_tensorflow().keras
    X, y, _ = make_linear_problem(50, 8, n_informative=3, seed=seed)
    m = X.shape[0]
    w = lasso(X, y, lam, tol=1e-12)
    coefficient = mse_keras_l1_coefficient(lam)
    gradient = decay.keras_linear_mse_gradient(X, y, w, keras.regularizers.L1(coefficient))
    # Keras differentiates |w| as sign(w), 0 at w = 0: there the gradient is the data term's.
    violation = np.where(w != 0, np.abs(gradient), np.maximum(np.abs(gradient) - coefficient, 0))
    scale = 2 * np.max(np.abs(X.T @ y)) / m  # |gradient of mse| at w = 0, largest entry
    return Check(
        "Keras mse + L1(mse_keras_l1_coefficient(lam) = lam): optimality conditions at "
        "regkit.lasso (largest violation / max|grad| at w = 0)",
        float(np.max(violation) / scale),
        EQUAL_TOL,
    )


def _adamw_check(lam, learning_rate, seed):
    keras = import_tensorflow().keras
    weights = np.random.default_rng(seed).standard_normal(6).astype(np.float32)
    variable = keras.Variable(weights)
    wd = decay.sgd_weight_decay(lam)
    optimizer = keras.optimizers.AdamW(learning_rate, weight_decay=wd)
    optimizer.apply_gradients([(np.zeros_like(weights), variable)])
    expected = adamw_decay_factor(learning_rate, wd) * weights.astype(np.float64)
    measured = np.asarray(variable.numpy(), dtype=np.float64)
    return Check(
        "AdamW(weight_decay=lam), zero gradient: one step multiplies w by "
        "adamw_decay_factor = 1 - lr*lam (relative error)",
        float(np.linalg.norm(measured - expected) / np.linalg.norm(expected)),
        EQUAL_TOL,
    )
