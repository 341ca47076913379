"""Overfitting made visible: polynomial regression and a small network on digits.

The regression experiment of Chapter 1 fits polynomials of increasing degree, by least
squares and by the course's L2 problem, to a few noisy samples of a smooth curve on
``[-1, 1]`` and compares the mean squared error on the training points with the error on
fresh points from the same distribution. The polynomials are written in the Legendre basis,
scaled so that the columns of the design are orthonormal for the uniform distribution on
``[-1, 1]``: the design stays well conditioned at degrees where the monomials ``1, x, x**2, ...``
would not.

The network experiment trains a small MLP with :func:`regkit.train` on a slice of the 8x8
digits; :func:`digits_subset` and :func:`learning_curve_summary` prepare
and read it, and :func:`network_checks` records what the learning curves show.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.polynomial import legendre

from ._validation import as_float_array, check_count, check_lam, check_scalar
from .checks import Check, CheckTable, relative_error
from .core import ridge
from .networks import cross_entropy

__all__ = [
    "CurveProblem",
    "LearningCurveSummary",
    "capacity_curve",
    "curve_predict",
    "curve_target",
    "digits_subset",
    "fit_curve",
    "learning_curve_summary",
    "legendre_design",
    "make_curve_problem",
    "network_checks",
    "overfitting_checks",
    "penalty_curve",
]

_EPS = float(np.finfo(np.float64).eps)


class CurveProblem(NamedTuple):
    """Noisy samples of :func:`curve_target`: training points and fresh test points.

    Attributes
    ----------
    x_train, y_train : numpy.ndarray, shape (m_train,)
    x_test, y_test : numpy.ndarray, shape (m_test,)
    noise : float
        Standard deviation of the Gaussian noise in ``y_train`` and ``y_test``: no predictor
        can have an expected test mean squared error below ``noise**2``.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    noise: float


def curve_target(x):
    """Return the smooth curve of the regression experiment, ``sin(pi x)``.

    Parameters
    ----------
    x : array_like
        Finite values.

    Returns
    -------
    numpy.ndarray
        Same shape as ``x``.
    """
    return np.sin(np.pi * as_float_array(x, "x"))


def _check_points(x):
    x = as_float_array(x, "x", ndim=1)
    if np.max(np.abs(x)) > 1:
        raise ValueError(f"x must lie in [-1, 1]; got values up to |x| = {np.max(np.abs(x))}")
    return x


def legendre_design(x, degree):
    """Return the polynomial design whose columns are scaled Legendre polynomials.

    Column ``k`` (``k = 0 .. degree``) is ``sqrt(2k + 1) P_k(x)``, with ``P_k`` the Legendre
    polynomial of degree ``k``. The scaling makes the columns orthonormal for the uniform
    distribution on ``[-1, 1]`` (the mean of ``(sqrt(2k+1) P_k(x))**2`` over that distribution
    is 1), so that for many points spread over the interval ``X.T X / m`` is close to the
    identity, and the penalty ``(lam/2) ||w||**2`` equals ``lam/2`` times the mean square of
    the fitted polynomial over ``[-1, 1]``. The columns for degree ``d`` are the first
    ``d + 1`` columns for any higher degree: the models are nested.

    Parameters
    ----------
    x : array_like, shape (m,)
        Points in ``[-1, 1]``.
    degree : int
        Highest polynomial degree, >= 0.

    Returns
    -------
    numpy.ndarray, shape (m, degree + 1)

    Examples
    --------
    >>> legendre_design([0.0, 1.0], 2).round(4)
    array([[ 1.    ,  0.    , -1.118 ],
           [ 1.    ,  1.7321,  2.2361]])
    """
    x = _check_points(x)
    degree = check_count(degree, "degree")
    return legendre.legvander(x, degree) * np.sqrt(2 * np.arange(degree + 1) + 1)


def make_curve_problem(m_train, *, m_test=1000, noise=0.25, seed=0):
    """Return noisy samples of :func:`curve_target` for training and for testing.

    The training inputs are spread evenly: ``[-1, 1]`` is cut into ``m_train`` intervals of
    equal length and one point is drawn uniformly in each (a jittered grid, sorted). The test
    inputs are ``m_test`` independent uniform draws on ``[-1, 1]``: new data from the
    distribution the training inputs come from. Both targets are ``sin(pi x)`` plus Gaussian
    noise of standard deviation ``noise``.

    Parameters
    ----------
    m_train : int
        Number of training points, >= 1.
    m_test : int, default 1000
        Number of test points, >= 1.
    noise : float, default 0.25
        Standard deviation of the noise, >= 0.
    seed : int, default 0
        Seed of the random generator: equal arguments give equal problems.

    Returns
    -------
    CurveProblem

    Examples
    --------
    >>> problem = make_curve_problem(5, m_test=3, seed=1)
    >>> problem.x_train.shape, problem.x_test.shape, problem.noise
    ((5,), (3,), 0.25)
    """
    m_train = check_count(m_train, "m_train", minimum=1)
    m_test = check_count(m_test, "m_test", minimum=1)
    noise = check_scalar(noise, "noise")
    rng = np.random.default_rng(check_count(seed, "seed"))
    x_train = -1 + 2 * (np.arange(m_train) + rng.uniform(0, 1, m_train)) / m_train
    x_test = rng.uniform(-1, 1, m_test)
    y_train = curve_target(x_train) + noise * rng.standard_normal(m_train)
    y_test = curve_target(x_test) + noise * rng.standard_normal(m_test)
    return CurveProblem(x_train, y_train, x_test, y_test, noise)


def _check_curve_problem(problem):
    if not isinstance(problem, CurveProblem):
        raise TypeError(
            f"problem must be a CurveProblem from make_curve_problem; got {type(problem).__name__}"
        )
    return problem


def fit_curve(problem, degree, lam=0.0):
    """Return the coefficients of the course's L2 fit of a polynomial to the training points.

    The minimizer of ``1/(2m) ||y - X w||**2 + (lam/2) ||w||**2`` with
    ``X = legendre_design(problem.x_train, degree)``, computed by :func:`regkit.ridge`.

    Parameters
    ----------
    problem : CurveProblem
    degree : int
        >= 0; with ``lam == 0`` at most ``m_train - 1`` (otherwise least squares has many
        minimizers and :func:`regkit.ridge` raises).
    lam : float, default 0.0

    Returns
    -------
    numpy.ndarray, shape (degree + 1,)
    """
    problem = _check_curve_problem(problem)
    return ridge(legendre_design(problem.x_train, degree), problem.y_train, lam)


def curve_predict(w, x):
    """Return the polynomial with Legendre coefficients ``w`` evaluated at ``x``.

    Parameters
    ----------
    w : array_like, shape (degree + 1,)
        Coefficients for the columns of :func:`legendre_design`.
    x : array_like, shape (m,)
        Points in ``[-1, 1]``.

    Returns
    -------
    numpy.ndarray, shape (m,)
    """
    w = as_float_array(w, "w", ndim=1)
    return legendre_design(x, w.size - 1) @ w


def _mse(w, x, y):
    return float(np.mean((y - curve_predict(w, x)) ** 2))


def _errors(problem, w):
    return _mse(w, problem.x_train, problem.y_train), _mse(w, problem.x_test, problem.y_test)


def _check_sequence(values, name, check):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a sequence; got {type(values).__name__}")
    values = [check(value) for value in values]
    if not values:
        raise ValueError(f"{name} must not be empty")
    return values


def capacity_curve(problem, degrees):
    """Return training and test mean squared errors of least-squares fits of each degree.

    Parameters
    ----------
    problem : CurveProblem
    degrees : sequence of int
        Degrees >= 0 and <= ``m_train - 1``, so that every least-squares fit is unique.

    Returns
    -------
    train_mse, test_mse : numpy.ndarray, shape (len(degrees),)
        ``mean((y - prediction)**2)`` on the training points and on the test points.

    Raises
    ------
    ValueError
        If a degree exceeds ``m_train - 1``.
    """
    problem = _check_curve_problem(problem)
    degrees = _check_sequence(degrees, "degrees", lambda d: check_count(d, "degrees"))
    m = problem.x_train.size
    if max(degrees) > m - 1:
        raise ValueError(
            f"degrees must be <= m_train - 1 = {m - 1} for unique least-squares fits; "
            f"got {max(degrees)}"
        )
    errors = [_errors(problem, fit_curve(problem, degree)) for degree in degrees]
    return tuple(np.array(column) for column in zip(*errors, strict=True))


def penalty_curve(problem, degree, lams):
    """Return training and test mean squared errors of L2 fits of one degree, for each ``lam``.

    Parameters
    ----------
    problem : CurveProblem
    degree : int
    lams : sequence of float
        Strengths >= 0 (``lam == 0`` needs ``degree <= m_train - 1``).

    Returns
    -------
    train_mse, test_mse : numpy.ndarray, shape (len(lams),)
    """
    problem = _check_curve_problem(problem)
    lams = _check_sequence(lams, "lams", check_lam)
    errors = [_errors(problem, fit_curve(problem, degree, lam)) for lam in lams]
    return tuple(np.array(column) for column in zip(*errors, strict=True))


def overfitting_checks(problem, degrees, lams, *, tol=1e-9):
    """Check what the regression experiment shows, and the solver it uses.

    With ``D = max(degrees)`` and ``lam*`` the strength in ``lams`` with the lowest test
    error at degree ``D``:

    1. Training error is non-increasing in the degree: the designs are nested, so a higher
       degree can always reproduce a lower one's fit. Measured: the largest increase from one
       degree to the next, relative to the error at the lowest degree (rounding only).
    2. Training error is non-decreasing in ``lam`` at degree ``D`` (largest decrease relative
       to the error at the first ``lam``): each residual component along a left singular
       vector is multiplied by ``m lam / (s_k**2 + m lam)``, which grows with ``lam``.
    3. Overfitting: the test error at degree ``D`` is at least twice its minimum over degrees.
    4. The penalty helps: at ``lam*`` the test error at degree ``D`` is at most half that of
       least squares at the same degree.
    5. :func:`regkit.ridge` at ``lam*`` equals scikit-learn's
       ``Ridge(alpha=m * lam*, fit_intercept=False)`` on the same design, relative error
       at most ``100 eps cond(X.T X + m lam* I)`` (at least 1e-12).
    6. :func:`regkit.ridge` with ``lam = 0`` equals ``numpy.linalg.lstsq`` at degree ``D``,
       relative error at most ``100 eps cond(X)**2`` (at least 1e-12), the forward error
       bound of a least-squares solve.

    Parameters
    ----------
    problem : CurveProblem
    degrees : sequence of int
        Increasing, all <= ``m_train - 1``.
    lams : sequence of float
        Increasing strengths, all > 0.
    tol : float, default 1e-9
        Bound of checks 1 and 2.

    Returns
    -------
    CheckTable
    """
    problem = _check_curve_problem(problem)
    degrees = _check_sequence(degrees, "degrees", lambda d: check_count(d, "degrees"))
    lams = _check_sequence(lams, "lams", check_lam)
    if np.any(np.diff(degrees) <= 0) or np.any(np.diff(lams) <= 0) or min(lams) == 0:
        raise ValueError("degrees and lams must be increasing, and lams must be > 0")
    tol = check_scalar(tol, "tol")
    train_d, test_d = capacity_curve(problem, degrees)
    train_l, test_l = penalty_curve(problem, degrees[-1], lams)
    best = lams[int(np.argmin(test_l))]
    return CheckTable(
        [
            Check(
                "training MSE non-increasing in the degree (largest rise / MSE at lowest)",
                max(float(np.max(np.diff(train_d), initial=0.0)), 0.0) / train_d[0],
                tol,
            ),
            Check(
                f"training MSE non-decreasing in lam at degree {degrees[-1]}"
                " (largest fall / MSE at first lam)",
                max(float(-np.min(np.diff(train_l), initial=0.0)), 0.0) / train_l[0],
                tol,
            ),
            Check(
                f"test MSE at degree {degrees[-1]} / its minimum over degrees",
                test_d[-1] / np.min(test_d),
                2.0,
                ">=",
            ),
            Check(
                f"test MSE at degree {degrees[-1]}: best lam / least squares",
                float(np.min(test_l)) / test_d[-1],
                0.5,
            ),
            _sklearn_check(problem, degrees[-1], best),
            _lstsq_check(problem, degrees[-1]),
        ]
    )


def _sklearn_check(problem, degree, lam):
    from sklearn.linear_model import Ridge

    X = legendre_design(problem.x_train, degree)
    m = X.shape[0]
    theirs = Ridge(alpha=m * lam, fit_intercept=False).fit(X, problem.y_train).coef_
    kappa = np.linalg.cond(X.T @ X + m * lam * np.eye(X.shape[1]))
    return Check(
        f"ridge = sklearn Ridge(alpha=m*lam, fit_intercept=False) at lam = {lam:.3g}"
        " (relative error)",
        relative_error(fit_curve(problem, degree, lam), theirs),
        max(1e-12, 100 * _EPS * kappa),
    )


def _lstsq_check(problem, degree):
    X = legendre_design(problem.x_train, degree)
    theirs = np.linalg.lstsq(X, problem.y_train, rcond=None)[0]
    return Check(
        f"ridge with lam = 0 = numpy.linalg.lstsq at degree {degree} (relative error)",
        relative_error(fit_curve(problem, degree), theirs),
        max(1e-12, 100 * _EPS * np.linalg.cond(X) ** 2),
    )


def digits_subset(n_train, *, seed=0):
    """Return a small stratified training slice of the 8x8 digits and a validation set.

    :func:`regkit.load_digits` splits the 1,797 images into 1,347 for training and 450 held
    out; this keeps ``n_train`` of the 1,347 (every digit in its proportion, chosen by
    ``seed``) and returns the 450 held-out images as the validation set.

    Parameters
    ----------
    n_train : int
        Between 10 (one image per class) and 1,347.
    seed : int, default 0

    Returns
    -------
    ((x_train, y_train), (x_val, y_val))
        ``x_*`` float32 of shape (count, 64) in [0, 1], ``y_*`` int64 labels 0..9.
    """
    from .data import load_digits, stratified_subset

    n_train = check_count(n_train, "n_train", minimum=10)
    seed = check_count(seed, "seed")
    (x, y), validation = load_digits(seed=seed)
    if n_train > len(y):
        raise ValueError(f"n_train must be <= {len(y)}; got {n_train}")
    if n_train == len(y):
        return (x, y), validation
    return stratified_subset(x, y, n_train, seed=seed)[0], validation


class LearningCurveSummary(NamedTuple):
    """What a training history says about overfitting; see :func:`learning_curve_summary`."""

    best_epoch: int
    best_val_loss: float
    final_val_loss: float
    final_loss: float
    final_accuracy: float

    @property
    def rise(self) -> float:
        """How far the validation loss ends above its minimum."""
        return self.final_val_loss - self.best_val_loss

    @property
    def gap(self) -> float:
        """Final validation loss minus final training loss."""
        return self.final_val_loss - self.final_loss


def learning_curve_summary(history):
    """Summarize a Keras history with training and validation losses.

    Parameters
    ----------
    history : mapping
        With equal-length sequences ``"loss"``, ``"val_loss"`` and ``"accuracy"``, one entry
        per epoch, like ``TrainingResult.history``.

    Returns
    -------
    LearningCurveSummary
        ``best_epoch`` counts from 1: the epoch after which the validation loss was lowest.
    """
    if not hasattr(history, "keys"):
        raise TypeError(f"history must be a mapping; got {type(history).__name__}")
    missing = [key for key in ("loss", "val_loss", "accuracy") if key not in history]
    if missing:
        raise ValueError(f"history lacks {missing}; train with validation_data")
    loss, val_loss = (as_float_array(history[k], k, ndim=1) for k in ("loss", "val_loss"))
    accuracy = as_float_array(history["accuracy"], "accuracy", ndim=1)
    if not loss.size == val_loss.size == accuracy.size:
        raise ValueError("history entries must have one value per epoch each")
    best = int(np.argmin(val_loss))
    return LearningCurveSummary(
        best + 1, float(val_loss[best]), float(val_loss[-1]), float(loss[-1]), float(accuracy[-1])
    )


def network_checks(plain, penalized, train_data, validation_data):
    """Check what the learning curves of an unpenalized and a penalized network show.

    Parameters
    ----------
    plain, penalized : regkit.TrainingResult
        Trained on ``train_data`` with ``validation_data``, with the same architecture and
        seed, without and with the L2 penalty.
    train_data, validation_data : (x, y)

    Returns
    -------
    CheckTable
        Without the penalty the final training accuracy is 1 and the validation loss ends at
        least 0.01 above its minimum (Keras's losses). The generalization gap, validation minus
        training cross-entropy of the final model without the penalty term
        (:func:`regkit.cross_entropy`), is smaller with the penalty than without: their ratio is
        below 1.
    """
    gaps = []
    for name, result in (("plain", plain), ("penalized", penalized)):
        if not hasattr(result, "history") or not hasattr(result, "model"):
            raise TypeError(f"{name} must be a TrainingResult; got {type(result).__name__}")
        gaps.append(
            cross_entropy(result.model, *validation_data)
            - cross_entropy(result.model, *train_data)
        )
    summary = learning_curve_summary(plain.history)
    return CheckTable(
        [
            Check("no penalty: final training accuracy", summary.final_accuracy, 1.0, ">="),
            Check("no penalty: final validation loss - its minimum", summary.rise, 0.01, ">="),
            Check(
                "gap (val - train cross-entropy): with penalty / without",
                gaps[1] / gaps[0],
                1.0 - math.ulp(1.0),
            ),
        ]
    )
