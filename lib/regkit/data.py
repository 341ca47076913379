"""Data sets for the chapters.

The defaults need no network: random linear problems made here, and scikit-learn's bundled
8x8 digits. MNIST, the source's data set, is optional and downloaded through Keras.
"""

from __future__ import annotations

import os
import socket

import numpy as np

from ._validation import check_count, check_scalar

__all__ = [
    "load_diabetes",
    "load_digits",
    "load_mnist",
    "make_linear_problem",
    "shift_images",
    "stratified_subset",
]

MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")


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


def load_diabetes():
    """Return scikit-learn's bundled diabetes data, standardized for penalized regression.

    442 patients, 10 baseline measurements (age, sex, body mass index, blood pressure and six
    blood serum measurements), and a measure of disease progression one year later, shipped
    inside scikit-learn (Efron et al., 2004). Each feature is centred and scaled to unit
    variance, and the target is centred, so that a model without intercept is appropriate and
    a penalty treats every coefficient on the same scale.

    Returns
    -------
    X : numpy.ndarray, shape (442, 10), float64
    y : numpy.ndarray, shape (442,), float64
    feature_names : list of str
    """
    from sklearn.datasets import load_diabetes as sklearn_diabetes

    data = sklearn_diabetes()
    X = (data.data - data.data.mean(axis=0)) / data.data.std(axis=0)
    y = data.target - data.target.mean()
    return X, y, list(data.feature_names)


def load_digits(test_size=0.25, seed=0):
    """Return scikit-learn's bundled 8x8 digits, split into training and test sets.

    1,797 images of handwritten digits, 64 pixels each with values 0..16, shipped inside
    scikit-learn (no download). Pixels are scaled to float32 in [0, 1]; labels are integers
    0..9. The split is stratified (every class keeps its proportion) and deterministic.

    Parameters
    ----------
    test_size : float, default 0.25
        Fraction of the examples held out for testing, strictly between 0 and 1.
    seed : int, default 0
        Seed of the split.

    Returns
    -------
    ((x_train, y_train), (x_test, y_test))
        ``x_*`` float32 of shape (count, 64), ``y_*`` int64 of shape (count,).

    Raises
    ------
    ValueError, TypeError
        If ``test_size`` is not in (0, 1) or ``seed`` is not a non-negative integer.
    """
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    test_size = check_scalar(test_size, "test_size", positive=True)
    if test_size >= 1:
        raise ValueError(f"test_size must be a fraction strictly between 0 and 1; got {test_size}")
    seed = check_count(seed, "seed")
    digits = sklearn_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, stratify=y, random_state=seed
    )
    return (x_train, y_train), (x_test, y_test)


def load_mnist(path=None, *, timeout=30.0):
    """Return MNIST, the source's data set, flattened to 784 float32 features in [0, 1].

    Without ``path``, Keras's own loader downloads ``mnist.npz`` once and caches it under the
    Keras home (``~/.keras/datasets``). With ``path``, a local ``mnist.npz`` in Keras's format
    (arrays ``x_train``, ``y_train``, ``x_test``, ``y_test``) is read instead, with no network.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A local ``mnist.npz``.
    timeout : float, default 30
        Seconds to wait for the network before giving up.

    Returns
    -------
    ((x_train, y_train), (x_test, y_test))
        ``x_*`` float32 of shape (count, 784), ``y_*`` int64 of shape (count,).

    Raises
    ------
    ConnectionError
        If the download fails; the message says how to work offline.
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file lacks one of the four arrays or their shapes do not fit.
    """
    timeout = check_scalar(timeout, "timeout", positive=True)
    if path is not None:
        if not os.path.exists(path):
            raise FileNotFoundError(f"path: no such file {os.fspath(path)!r}")
        with np.load(path, allow_pickle=False) as arrays:
            missing = [key for key in MNIST_KEYS if key not in arrays]
            if missing:
                raise ValueError(f"path: {os.fspath(path)!r} lacks the arrays {missing}")
            raw = tuple(arrays[key] for key in MNIST_KEYS)
    else:
        raw = _download_mnist(timeout)
    return _prepare_mnist(*raw)


def _download_mnist(timeout):
    from .backend import import_tensorflow

    keras = import_tensorflow().keras
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:
        raise ConnectionError(
            f"could not download MNIST ({type(error).__name__}: {error}). Offline, use "
            "regkit.load_digits(), which needs no download, or pass path= to a local "
            "mnist.npz in Keras's format."
        ) from error
    finally:
        socket.setdefaulttimeout(previous)
    return x_train, y_train, x_test, y_test


def _prepare_mnist(x_train, y_train, x_test, y_test):
    prepared = []
    for name, images, labels in (("train", x_train, y_train), ("test", x_test, y_test)):
        if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != images.shape[:1]:
            raise ValueError(
                f"MNIST {name} arrays must have shapes (count, 28, 28) and (count,); "
                f"got {images.shape} and {labels.shape}"
            )
        flat = (images.reshape(len(images), 784) / 255.0).astype(np.float32)
        prepared.append((flat, labels.astype(np.int64)))
    return tuple(prepared)


def stratified_subset(x, y, size, seed=0):
    """Split off ``size`` examples with the class proportions of ``y``; return both parts.

    Parameters
    ----------
    x : array_like, shape (count, ...)
    y : array_like of int, shape (count,)
    size : int
        Number of examples in the subset, at least the number of classes and less than
        ``count``.
    seed : int, default 0

    Returns
    -------
    ((x_subset, y_subset), (x_rest, y_rest))

    Raises
    ------
    ValueError
        If ``size`` is out of range or the lengths of ``x`` and ``y`` differ.
    """
    from sklearn.model_selection import train_test_split

    x, y = np.asarray(x), np.asarray(y)
    if x.shape[:1] != y.shape[:1] or y.ndim != 1:
        raise ValueError(
            f"x and y must have one entry per example; got x.shape={x.shape}, y.shape={y.shape}"
        )
    classes = np.unique(y).size
    size = check_count(size, "size", minimum=1)
    if not classes <= size < y.size:
        raise ValueError(
            f"size must be between the number of classes ({classes}) and {y.size - 1}; got {size}"
        )
    x_subset, x_rest, y_subset, y_rest = train_test_split(
        x, y, train_size=size, stratify=y, random_state=check_count(seed, "seed")
    )
    return (x_subset, y_subset), (x_rest, y_rest)


def shift_images(x, y, side=8, shifts=((0, 1), (0, -1), (1, 0), (-1, 0))):
    """Return the images with copies moved by whole pixels: a simple data augmentation.

    Every shift ``(rows, columns)`` moves each flattened ``side x side`` image that many
    pixels down and right (negative: up and left), filling the uncovered border with 0. The
    originals come first, then one shifted copy of all images per shift; labels are repeated.

    Parameters
    ----------
    x : array_like, shape (count, side * side)
    y : array_like, shape (count,)
    side : int, default 8
    shifts : sequence of (int, int)

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Shapes ``(count * (1 + len(shifts)), side * side)`` and ``(count * (1 + len(shifts)),)``.
    """
    side = check_count(side, "side", minimum=1)
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim != 2 or x.shape[1] != side * side or y.shape != x.shape[:1]:
        raise ValueError(
            f"x must have shape (count, {side * side}) and y (count,); got {x.shape}, {y.shape}"
        )
    images = x.reshape(-1, side, side)
    copies = [x]
    for rows, columns in shifts:
        if abs(rows) >= side or abs(columns) >= side:
            raise ValueError(f"shifts must be smaller than side={side}; got {(rows, columns)}")
        moved = np.zeros_like(images)
        target_r = slice(max(rows, 0), side + min(rows, 0))
        source_r = slice(max(-rows, 0), side + min(-rows, 0))
        target_c = slice(max(columns, 0), side + min(columns, 0))
        source_c = slice(max(-columns, 0), side + min(-columns, 0))
        moved[:, target_r, target_c] = images[:, source_r, source_c]
        copies.append(moved.reshape(len(x), -1))
    return np.concatenate(copies), np.tile(y, len(copies))
