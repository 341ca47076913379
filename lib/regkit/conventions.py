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

from ._validation import check_count, check_lam
from .core import conversions as decay
from .core import mse_keras_l1_coefficient

__all__ = [
    "Convention",
    "conventions_html",
    "conventions_table",
]


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
