"""Argument checks shared by the public functions.

Every public function of :mod:`regkit` validates its input here, so that bad input fails
with a message naming the argument and what was expected, instead of a silent NaN or a
broadcast to the wrong shape.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

PENALTY_KINDS = ("l1", "l2")


def check_kind(kind: object, name: str = "kind") -> str:
    """Return ``kind`` if it names a known penalty, else raise naming the argument ``name``."""
    if not isinstance(kind, str):
        raise TypeError(
            f"{name} must be a string, one of {PENALTY_KINDS}; got {type(kind).__name__}"
        )
    if kind not in PENALTY_KINDS:
        raise ValueError(f"{name} must be one of {PENALTY_KINDS}; got {kind!r}")
    return kind


def check_scalar(value: object, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a finite float that is >= 0 (or > 0 when ``positive``)."""
    is_real_array = isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"
    if isinstance(value, bool) or not (isinstance(value, numbers.Real) or is_real_array):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0; got {value}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0; got {value}")
    return value


def check_fraction(value: object, name: str) -> float:
    """Return ``value`` as a float in [0, 1] (a mixing weight such as ``l1_ratio``)."""
    value = check_scalar(value, name)
    if value > 1:
        raise ValueError(f"{name} must be in [0, 1]; got {value}")
    return value


def check_lam(lam: object) -> float:
    """Return the regularization strength as a finite float >= 0."""
    return check_scalar(lam, "lam")


def check_count(value: object, name: str, *, minimum: int = 0) -> int:
    """Return ``value`` as an int >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return int(value)


def as_float_array(value: object, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a non-empty, finite float64 array, optionally of a given ``ndim``."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers; got {type(value).__name__}")
    try:
        raw = np.asarray(value)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular array (rows of equal length)") from None
    if raw.dtype.kind == "c":
        raise TypeError(f"{name} must be an array of real numbers; got dtype {raw.dtype}")
    try:
        array = raw.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of numbers: {error}") from None
    if ndim is not None and array.ndim != ndim:
        kind = {1: "a vector (1-D)", 2: "a matrix (2-D)"}.get(ndim, f"{ndim}-D")
        raise ValueError(f"{name} must be {kind}; got shape {array.shape}")
    if array.ndim == 0:
        raise ValueError(f"{name} must be an array with at least one dimension; got a scalar")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return array


def check_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Validate the data of a linear least-squares problem: X (m, n) and y (m,)."""
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows; got X.shape={X.shape}, y.shape={y.shape}"
        )
    return X, y


def check_problem(w: object, X: object, y: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a linear least-squares problem and its weights: X (m, n), y (m,), w (n,)."""
    X, y = check_data(X, y)
    w = as_float_array(w, "w", ndim=1)
    if w.shape[0] != X.shape[1]:
        raise ValueError(
            f"w must have one entry per column of X; got w.shape={w.shape}, X.shape={X.shape}"
        )
    return w, X, y


def check_callable(value: object, name: str) -> Callable:
    """Return ``value`` if it can be called."""
    if not callable(value):
        raise TypeError(f"{name} must be callable; got {type(value).__name__}")
    return value


def check_classification_data(x, y, num_classes, x_name="x", y_name="y"):
    """Validate features and integer labels in ``0..num_classes-1``; return float32, int64."""
    x = as_float_array(x, x_name, ndim=2).astype(np.float32)
    labels = np.asarray(y)
    if labels.ndim != 1:
        raise ValueError(f"{y_name} must be a vector of integer labels; got shape {labels.shape}")
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{y_name} must hold integer class labels; got dtype {labels.dtype}")
    if labels.shape[0] != x.shape[0]:
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of examples; "
            f"got {x_name}.shape={x.shape}, {y_name}.shape={labels.shape}"
        )
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(
            f"{y_name} must hold labels in 0..{num_classes - 1}; "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return x, labels.astype(np.int64)


def check_positive_lam(lam: object, caller: str) -> float:
    """Validate a strength that must be > 0 for ``caller`` (a unique minimizer, a comparison)."""
    lam = check_lam(lam)
    if lam == 0:
        raise ValueError(f"lam must be > 0 for {caller}; got 0")
    return lam
