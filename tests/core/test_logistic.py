"""Tests of regkit.core.logistic against scikit-learn, TensorFlow autodiff and closed forms."""

import numpy as np
import pytest
from scipy.special import expit
from sklearn.metrics import log_loss as sklearn_log_loss

import regkit

RNG = np.random.default_rng(3)
X = RNG.normal(size=(40, 5))
Y = (RNG.uniform(size=40) < expit(X @ np.array([1.0, -2.0, 0.5, 0.0, 1.5]))).astype(float)
W = RNG.normal(size=5)


def test_log_loss_equals_sklearn_log_loss():
    ours = regkit.log_loss(W, X, Y)
    theirs = sklearn_log_loss(Y, expit(X @ W), labels=[0, 1])
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_log_loss_neither_overflows_nor_rounds_away_for_large_logits():
    # z = +-1000: log(1 + e^1000) - 1000 y is 0 for y = 1 and 1000 for y = 0
    X_far = np.array([[1000.0], [-1000.0], [1000.0]])
    assert regkit.log_loss([1.0], X_far, [1, 0, 0]) == pytest.approx(1000 / 3, rel=1e-15)
    assert regkit.log_loss([1e-20], [[1.0]], [1]) == pytest.approx(np.log(2), rel=1e-15)


def _tensorflow_derivatives(w):
    tf = regkit.import_tensorflow()
    X_t, y_t = tf.constant(X), tf.constant(Y)
    w_t = tf.Variable(w)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            z = tf.linalg.matvec(X_t, w_t)
            loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y_t, logits=z))
        gradient = inner.gradient(loss, w_t)
    hessian = outer.jacobian(gradient, w_t)
    return float(loss), gradient.numpy(), hessian.numpy()


def test_loss_gradient_and_hessian_equal_tensorflow_autodiff():
    loss, gradient, hessian = _tensorflow_derivatives(W)
    assert regkit.log_loss(W, X, Y) == pytest.approx(loss, rel=1e-13)
    np.testing.assert_allclose(regkit.log_loss_gradient(W, X, Y), gradient, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(regkit.log_loss_hessian(W, X), hessian, rtol=1e-11, atol=1e-15)


def test_hessian_is_positive_semidefinite_and_label_free():
    H = regkit.log_loss_hessian(W, X)
    assert np.allclose(H, H.T, rtol=0, atol=1e-15)
    assert np.linalg.eigvalsh(H).min() > 0  # X has rank 5 here


@pytest.mark.parametrize("lam", [1e-4, 0.1, 10.0])
def test_hessian_shrinkage_is_ridge_for_least_squares(lam):
    w_ls = np.linalg.lstsq(X, Y, rcond=None)[0]
    predicted = regkit.hessian_shrinkage(X.T @ X / len(Y), w_ls, lam)
    np.testing.assert_allclose(predicted, regkit.ridge(X, Y, lam), rtol=1e-11)


@pytest.mark.parametrize("lam", [1e-3, 1.0])
def test_hessian_shrinkage_minimises_the_quadratic_model_plus_the_penalty(lam):
    # (H + lam I) w = H w0: the gradient of (1/2)(w - w0)^T H (w - w0) + (lam/2)|w|^2 vanishes
    H = regkit.log_loss_hessian(W, X)
    w = regkit.hessian_shrinkage(H, W, lam)
    np.testing.assert_allclose(np.linalg.solve(H + lam * np.eye(5), H @ W), w, rtol=1e-11)


def test_hessian_shrinkage_of_a_singular_hessian_removes_its_null_direction():
    H = np.diag([2.0, 0.0])
    np.testing.assert_allclose(regkit.hessian_shrinkage(H, [1.0, 1.0], 2.0), [0.5, 0.0])
