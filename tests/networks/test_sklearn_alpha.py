"""scikit-learn's `alpha` against the course's lambda, checked by running scikit-learn.

Chapter 5 and the benchmark state that `MLPClassifier` adds (alpha/2) * sum(W**2) / n to the
mean cross-entropy of a batch of n rows, so that alpha = lambda * batch size is the course's
penalty (lambda/2) * sum(W**2) on every full batch. scikit-learn reports the loss of an epoch
in `loss_curve_`; with one full batch and a learning rate of 1e-12 the weights barely move, so
that loss is the objective at the final weights, which this test recomputes.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import regkit

ROWS, LAM = 200, 0.05


def first_epoch_loss_and_recomputed(alpha, batch_size):
    (x, y), _ = regkit.load_digits(seed=0)
    x, y = x[:ROWS].astype(np.float64), y[:ROWS]
    network = MLPClassifier(
        hidden_layer_sizes=(16,),
        solver="sgd",
        learning_rate_init=1e-12,
        momentum=0.0,
        batch_size=batch_size,
        max_iter=1,
        shuffle=False,
        alpha=alpha,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        network.fit(x, y)
    probabilities = network.predict_proba(x)
    cross_entropy = -np.mean(np.log(probabilities[np.arange(ROWS), y]))
    kernels = sum(np.sum(w**2) for w in network.coefs_)
    return network.loss_curve_[0], cross_entropy, kernels


def test_alpha_is_lambda_times_the_batch_size_on_a_full_batch():
    reported, cross_entropy, kernels = first_epoch_loss_and_recomputed(LAM * ROWS, ROWS)
    course = cross_entropy + LAM / 2 * kernels  # the course's objective, strength LAM
    assert reported == pytest.approx(course, rel=1e-9)
    # The penalty is large enough that a factor of 2 or of n would be seen.
    assert LAM / 2 * kernels > 1e-3 * course
    assert reported != pytest.approx(cross_entropy + LAM * kernels, rel=1e-6)
    assert reported != pytest.approx(cross_entropy + LAM * ROWS / 2 * kernels, rel=1e-6)
