"""Small data sets for the chapters, all made or loaded without a network."""

from __future__ import annotations

import numpy as np

from ._validation import check_count, check_scalar

__all__ = ["make_linear_problem"]


def make_linear_problem(m, n, *, n_informative=None, noise=0.1, condition_number=None, seed=0):
    """Return a random linear regression problem ``y = X w_true + noise``.

    Parameters
    ----------
    m : int
        Number of examples, >= 1.
    n : int
        Number of features, >= 1.
    n_informative : int, optional
        How many entries of ``w_true`` are non-zero (the first ones); all ``n`` by default.
        A sparse ``w_true`` is what the L1 penalty is meant to recover.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to ``y``, >= 0.
    condition_number : float, optional
        If given (>= 1), ``X`` is built from a random SVD whose singular values are spaced
        logarithmically from 1 down to ``1 / condition_number``, then scaled so that
        ``X.T X / m`` has largest eigenvalue 1: an ill-conditioned problem on demand.
        Otherwise the entries of ``X`` are standard normal.
    seed : int, default 0
        Seed of the random generator: the same arguments give the same problem.

    Returns
    -------
    X : numpy.ndarray, shape (m, n)
    y : numpy.ndarray, shape (m,)
    w_true : numpy.ndarray, shape (n,)

    Examples
    --------
    >>> X, y, w_true = make_linear_problem(20, 5, n_informative=2, seed=1)
    >>> X.shape, y.shape, int((w_true != 0).sum())
    ((20, 5), (20,), 2)
    """
    m = check_count(m, "m", minimum=1)
    n = check_count(n, "n", minimum=1)
    n_informative = n if n_informative is None else check_count(n_informative, "n_informative")
    if n_informative > n:
        raise ValueError(f"n_informative must be <= n = {n}; got {n_informative}")
    noise = check_scalar(noise, "noise")
    rng = np.random.default_rng(check_count(seed, "seed"))
    if condition_number is None:
        X = rng.standard_normal((m, n))
    else:
        condition_number = check_scalar(condition_number, "condition_number")
        if condition_number < 1:
            raise ValueError(f"condition_number must be >= 1; got {condition_number}")
        X = _ill_conditioned(m, n, condition_number, rng)
    w_true = np.zeros(n)
    w_true[:n_informative] = rng.choice([-1.0, 1.0], n_informative) * rng.uniform(
        0.5, 2.0, n_informative
    )
    y = X @ w_true + noise * rng.standard_normal(m)
    return X, y, w_true


def _ill_conditioned(m, n, condition_number, rng):
    k = min(m, n)
    U, _ = np.linalg.qr(rng.standard_normal((m, k)))
    V, _ = np.linalg.qr(rng.standard_normal((n, k)))
    singular_values = np.logspace(0, -np.log10(condition_number), k) * np.sqrt(m)
    return U @ np.diag(singular_values) @ V.T
