"""Tests of regkit.rescaling: rescaling keeps a ReLU network, not its penalty."""

import numpy as np
import pytest

import regkit


def random_weights(seed, sizes=(5, 4, 3)):
    rng = np.random.default_rng(seed)
    return [
        rng.normal(size=sizes[:2]),
        rng.normal(size=sizes[1]),
        rng.normal(size=sizes[1:]),
        rng.normal(size=sizes[2]),
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rescaling_checks_pass(seed):
    assert regkit.rescaling_checks(seed).all_passed


@pytest.mark.parametrize("alpha", [0.1, 1.0, 7.5])
def test_rescaled_network_computes_the_same_function(alpha):
    weights = random_weights(3)
    x = np.random.default_rng(4).normal(size=(20, 5))
    original = regkit.mlp_logits(weights, x)
    rescaled = regkit.mlp_logits(regkit.rescale_layers(weights, alpha), x)
    np.testing.assert_allclose(rescaled, original, rtol=1e-12, atol=1e-12)


def test_balanced_scale_minimizes_the_penalty_on_a_dense_grid():
    weights = random_weights(5)
    alphas = np.geomspace(0.01, 100, 200_001)
    first, second = np.sum(weights[0] ** 2), np.sum(weights[2] ** 2)
    penalties = alphas**2 * first + second / alphas**2
    best_on_grid = alphas[np.argmin(penalties)]
    spacing = alphas[1] / alphas[0] - 1
    assert abs(regkit.balanced_scale(weights) / best_on_grid - 1) <= 2 * spacing


def test_rescaling_checks_can_fail(monkeypatch):
    monkeypatch.setattr(regkit.rescaling, "balanced_scale", lambda weights: 1.0)
    assert not regkit.rescaling_checks(0).all_passed


@pytest.mark.parametrize("alpha", [0.0, -1.0, float("nan")])
def test_rescale_layers_rejects_non_positive_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        regkit.rescale_layers(random_weights(0), alpha)


def test_rescale_layers_needs_two_layers():
    with pytest.raises(ValueError, match="W1, b1, W2, b2"):
        regkit.rescale_layers(random_weights(0)[:2], 2.0)
