"""The L2 penalty is not invariant to rescalings that leave a ReLU network unchanged.

For a network ``W2 relu(W1 x + b1) + b2`` and any ``alpha > 0``, multiplying ``W1`` and ``b1``
by ``alpha`` and ``W2`` by ``1 / alpha`` computes the same function, because
``relu(alpha z) = alpha relu(z)``. The penalty ``||W1||**2 + ||W2||**2`` changes, to
``alpha**2 ||W1||**2 + ||W2||**2 / alpha**2``, which is smallest, ``2 ||W1|| ||W2||``, at
``alpha**2 = ||W2|| / ||W1||``. One function has many penalties: weight decay prefers the
balanced one, and one lambda for all layers means different things for layers of different
scales (Neyshabur et al., 2015).
"""

from __future__ import annotations

import numpy as np

from ._validation import check_count, check_scalar
from .checks import Check, CheckTable
from .networks import mlp_logits

__all__ = ["balanced_scale", "rescale_layers", "rescaling_checks"]


def rescale_layers(weights, alpha):
    """Return ``[alpha W1, alpha b1, W2 / alpha, b2]`` for a one-hidden-layer ReLU network.

    Parameters
    ----------
    weights : list of numpy.ndarray
        ``[W1, b1, W2, b2]``.
    alpha : float, > 0

    Returns
    -------
    list of numpy.ndarray
    """
    alpha = check_scalar(alpha, "alpha", positive=True)
    if len(weights) != 4:
        raise ValueError(f"weights must be [W1, b1, W2, b2]; got {len(weights)} arrays")
    first, bias, second, out = (np.asarray(w, dtype=np.float64) for w in weights)
    return [alpha * first, alpha * bias, second / alpha, out]


def balanced_scale(weights):
    """Return ``alpha = sqrt(||W2|| / ||W1||)``, the rescaling with the smallest L2 penalty."""
    first, second = np.asarray(weights[0]), np.asarray(weights[2])
    return float(np.sqrt(np.linalg.norm(second) / np.linalg.norm(first)))


def rescaling_checks(seed=0, *, inputs=64, hidden=32, outputs=10):
    """Check that rescaling keeps the function, changes the penalty, and where it is smallest.

    Parameters
    ----------
    seed : int, default 0
    inputs, hidden, outputs : int
        Layer sizes of a random one-hidden-layer network.

    Returns
    -------
    CheckTable
    """
    from scipy.optimize import minimize_scalar

    rng = np.random.default_rng(check_count(seed, "seed"))
    sizes = (check_count(inputs, "inputs", minimum=1), check_count(hidden, "hidden", minimum=1))
    outputs = check_count(outputs, "outputs", minimum=1)
    weights = [
        rng.normal(0, 0.3, sizes),
        rng.normal(0, 0.1, sizes[1]),
        rng.normal(0, 1.0, (sizes[1], outputs)),
        rng.normal(0, 0.1, outputs),
    ]
    x = rng.normal(size=(100, sizes[0]))

    def kernel_penalty(alpha):
        scaled = rescale_layers(weights, alpha)
        return float(np.sum(scaled[0] ** 2) + np.sum(scaled[2] ** 2))

    gap = float(
        np.max(np.abs(mlp_logits(rescale_layers(weights, 3.0), x) - mlp_logits(weights, x)))
    )
    numeric = minimize_scalar(
        kernel_penalty, bounds=(1e-3, 1e3), method="bounded", options={"xatol": 1e-10}
    )
    predicted = balanced_scale(weights)
    smallest = 2 * np.linalg.norm(weights[0]) * np.linalg.norm(weights[2])
    return CheckTable(
        [
            Check("alpha = 3: same logits (max difference)", gap, 1e-12),
            Check(
                "alpha = 3: penalty / penalty at alpha = 1",
                kernel_penalty(3.0) / kernel_penalty(1.0),
                1.5,
                ">=",
            ),
            Check(
                "smallest penalty at alpha = sqrt(|W2| / |W1|) (relative error)",
                abs(numeric.x - predicted) / predicted,
                1e-6,
            ),
            Check(
                "smallest penalty = 2 |W1| |W2| (relative error)",
                abs(kernel_penalty(predicted) - smallest) / smallest,
                1e-12,
            ),
        ]
    )
