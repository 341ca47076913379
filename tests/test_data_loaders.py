"""Tests of regkit.data's loaders: load_digits, load_diabetes and load_mnist.

The expected values come from scikit-learn's raw bundled data and from small mnist.npz files
that the tests write in Keras's format. This machine has no network, so the MNIST download is
only tested for how it fails: fast, with a ConnectionError that says how to work offline.
"""

import socket
import time

import numpy as np
import pytest
from sklearn import datasets as sklearn_datasets

import regkit

DIGITS_COUNT = 1797


# load_digits ---------------------------------------------------------------------------------


@pytest.mark.parametrize("test_size", [0.25, 0.5, 0.1])
def test_digits_shapes_and_dtypes(test_size):
    (x_train, y_train), (x_test, y_test) = regkit.load_digits(test_size=test_size)
    assert len(x_train) + len(x_test) == DIGITS_COUNT
    assert len(x_test) == pytest.approx(test_size * DIGITS_COUNT, abs=1)
    assert x_train.shape == (len(y_train), 64)
    assert x_test.shape == (len(y_test), 64)
    assert x_train.dtype == x_test.dtype == np.float32
    assert y_train.dtype == y_test.dtype == np.int64


def test_digits_pixels_are_sixteenths_in_unit_interval():
    (x_train, _), (x_test, _) = regkit.load_digits()
    x = np.concatenate([x_train, x_test])
    assert x.min() == 0.0
    assert x.max() == 1.0
    # The raw pixels are integers 0..16, so 16 * x must be an integer (exact in float32).
    np.testing.assert_array_equal(16 * x, np.round(16 * x))


def test_digits_are_a_split_of_scikit_learns_digits():
    raw = sklearn_datasets.load_digits()
    (x_train, y_train), (x_test, y_test) = regkit.load_digits()
    x = np.concatenate([x_train, x_test]).astype(np.float64) * 16
    y = np.concatenate([y_train, y_test])
    order, raw_order = np.lexsort(np.c_[x, y].T), np.lexsort(np.c_[raw.data, raw.target].T)
    np.testing.assert_array_equal(x[order], raw.data[raw_order])
    np.testing.assert_array_equal(y[order], raw.target[raw_order])


def test_digits_labels_are_zero_to_nine():
    (_, y_train), (_, y_test) = regkit.load_digits()
    assert set(np.unique(y_train)) == set(range(10))
    assert set(np.unique(y_test)) == set(range(10))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("test_size", [0.25, 0.5])
def test_digits_split_is_stratified(seed, test_size):
    full = np.bincount(sklearn_datasets.load_digits().target, minlength=10) / DIGITS_COUNT
    (_, y_train), (_, y_test) = regkit.load_digits(test_size=test_size, seed=seed)
    for part in (y_train, y_test):
        proportions = np.bincount(part, minlength=10) / len(part)
        assert np.max(np.abs(proportions - full)) <= 0.02


def test_digits_same_seed_same_split():
    first, second = regkit.load_digits(seed=3), regkit.load_digits(seed=3)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


def test_digits_different_seeds_different_splits():
    (x_a, y_a), _ = regkit.load_digits(seed=0)
    (x_b, y_b), _ = regkit.load_digits(seed=1)
    assert x_a.shape == x_b.shape
    assert not np.array_equal(x_a, x_b)
    assert not np.array_equal(y_a, y_b)


@pytest.mark.parametrize(
    ("test_size", "error"),
    [
        *[(0, ValueError), (0.0, ValueError), (1, ValueError), (1.5, ValueError)],
        *[(-0.1, ValueError), (float("nan"), ValueError), ("a", TypeError), (None, TypeError)],
    ],
)
def test_digits_rejects_bad_test_size(test_size, error):
    with pytest.raises(error, match="test_size"):
        regkit.load_digits(test_size=test_size)


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), (1.5, TypeError)])
def test_digits_rejects_bad_seed(seed, error):
    with pytest.raises(error, match="seed"):
        regkit.load_digits(seed=seed)


# load_diabetes -------------------------------------------------------------------------------


def test_diabetes_shapes_and_names():
    X, y, names = regkit.load_diabetes()
    assert X.shape == (442, 10)
    assert y.shape == (442,)
    assert X.dtype == y.dtype == np.float64
    assert isinstance(names, list)
    assert len(names) == 10
    assert all(isinstance(name, str) for name in names)
    assert names[:4] == ["age", "sex", "bmi", "bp"]


def test_diabetes_columns_are_standardized():
    X, _, _ = regkit.load_diabetes()
    np.testing.assert_allclose(X.mean(axis=0), 0.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1.0, rtol=0, atol=1e-12)


def test_diabetes_target_is_centred_and_otherwise_unchanged():
    _, y, _ = regkit.load_diabetes()
    raw = sklearn_datasets.load_diabetes().target
    assert abs(y.mean()) <= 1e-12
    # Centring only shifts the target: the differences between patients are unchanged.
    np.testing.assert_allclose(np.diff(y), np.diff(raw), rtol=0, atol=1e-12)


def test_diabetes_standardization_keeps_correlations():
    X, _, _ = regkit.load_diabetes()
    raw = sklearn_datasets.load_diabetes(scaled=False).data
    np.testing.assert_allclose(X.T @ X / len(X), np.corrcoef(raw.T), rtol=0, atol=1e-12)


# load_mnist from a local file ----------------------------------------------------------------


def write_mnist(path, n_train=6, n_test=4, *, omit=(), image_shape=(28, 28), seed=0):
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, *image_shape), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, *image_shape), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    first_image = arrays["x_train"].reshape(n_train, -1)[0]
    first_image[:2] = 0, 255  # both ends of the range, as pixels (0, 0) and (0, 1)
    np.savez(path, **{key: value for key, value in arrays.items() if key not in omit})
    return arrays


def test_mnist_from_path_is_flattened_and_scaled(tmp_path):
    path = tmp_path / "mnist.npz"
    raw = write_mnist(path)
    (x_train, y_train), (x_test, y_test) = regkit.load_mnist(path=path)
    for x, y, images, labels in (
        (x_train, y_train, raw["x_train"], raw["y_train"]),
        (x_test, y_test, raw["x_test"], raw["y_test"]),
    ):
        assert x.shape == (len(images), 784)
        assert x.dtype == np.float32
        assert y.dtype == np.int64
        assert x.min() >= 0.0
        assert x.max() <= 1.0
        # Row-major flattening: pixel (r, c) of image i is feature 28 r + c of row i.
        expected = images.astype(np.float64).reshape(len(images), 28 * 28) / 255.0
        np.testing.assert_allclose(x, expected, rtol=1e-7, atol=0)
        np.testing.assert_array_equal(y, labels)
    assert x_train[0, 0] == 0.0
    assert x_train[0, 1] == 1.0
    assert x_train[2, 28 * 5 + 7] == np.float32(raw["x_train"][2, 5, 7] / 255)


def test_mnist_accepts_a_string_path(tmp_path):
    path = tmp_path / "mnist.npz"
    write_mnist(path, n_train=2, n_test=1)
    (x_train, _), (x_test, _) = regkit.load_mnist(path=str(path))
    assert x_train.shape == (2, 784)
    assert x_test.shape == (1, 784)


def test_mnist_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nothing-here\.npz"):
        regkit.load_mnist(path=tmp_path / "nothing-here.npz")


@pytest.mark.parametrize("missing", ["y_test", "x_train"])
def test_mnist_file_lacking_an_array_names_it(tmp_path, missing):
    path = tmp_path / "mnist.npz"
    write_mnist(path, omit=(missing,))
    with pytest.raises(ValueError, match=missing):
        regkit.load_mnist(path=path)


@pytest.mark.parametrize("image_shape", [(28, 27), (784,), (28, 28, 1)])
def test_mnist_wrong_image_shape_raises(tmp_path, image_shape):
    path = tmp_path / "mnist.npz"
    write_mnist(path, image_shape=image_shape)
    with pytest.raises(ValueError, match=r"\(count, 28, 28\)"):
        regkit.load_mnist(path=path)


def test_mnist_labels_not_matching_images_raise(tmp_path):
    path = tmp_path / "mnist.npz"
    raw = write_mnist(path)
    np.savez(path, **{**raw, "y_test": raw["y_test"][:-1]})
    with pytest.raises(ValueError, match="test"):
        regkit.load_mnist(path=path)


@pytest.mark.parametrize(
    ("timeout", "error"), [(0, ValueError), (-1, ValueError), ("5", TypeError)]
)
def test_mnist_rejects_bad_timeout(tmp_path, timeout, error):
    with pytest.raises(error, match="timeout"):
        regkit.load_mnist(path=tmp_path / "mnist.npz", timeout=timeout)


# load_mnist without a network ----------------------------------------------------------------


@pytest.fixture
def empty_keras_home(tmp_path, monkeypatch):
    """Point Keras's cache at an empty directory, so no cached mnist.npz can be found.

    Keras reads KERAS_HOME once, when keras.src.backend.config is imported, and get_file asks
    config.keras_home() for the cache; TensorFlow is normally imported by then, so the module's
    _KERAS_DIR is patched as well as the variable.
    """
    from regkit.backend import import_tensorflow

    import_tensorflow()
    from keras.src.backend import config as keras_config

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(tmp_path))
    return tmp_path


def test_mnist_download_fails_offline_with_advice(empty_keras_home):
    timeout_before = socket.getdefaulttimeout()
    start = time.monotonic()
    with pytest.raises(ConnectionError) as raised:
        regkit.load_mnist()
    elapsed = time.monotonic() - start
    assert elapsed < 30
    message = str(raised.value)
    assert "load_digits" in message
    assert "path=" in message
    # Keras looked in the redirected cache (it creates datasets/ there) and found nothing.
    assert (empty_keras_home / "datasets").is_dir()
    assert not (empty_keras_home / "datasets" / "mnist.npz").exists()
    assert socket.getdefaulttimeout() == timeout_before
