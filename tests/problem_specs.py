"""Linear problems shared by the tests of ridge through the SVD and of its check suites."""

import regkit

# Well- and ill-conditioned designs, m > n.
SPECTRAL_PROBLEMS = {
    "tall-30x5": dict(m=30, n=5, seed=0),
    "tall-50x10": dict(m=50, n=10, seed=1),
    "ill-60x6-cond1e4": dict(m=60, n=6, condition_number=1e4, seed=0),
    "ill-60x8-cond1e6": dict(m=60, n=8, condition_number=1e6, seed=3),
}

# Two weights, so that the constrained minimizers can be drawn and checked on a grid.
PLANE_PROBLEMS = {
    "plane-50x2-seed7": dict(m=50, n=2, condition_number=2, noise=0.3, seed=7),
    "plane-40x2-seed1": dict(m=40, n=2, condition_number=5, noise=0.5, seed=1),
}


def make(spec):
    return regkit.make_linear_problem(**spec)
