"""Checks: every formula of the course against an independent computation.

A :class:`regkit.Check` records a claim, the number measured and the bound it must respect; a
:class:`regkit.CheckTable` shows them on a page. The oracles are central differences,
TensorFlow autodiff, closed forms and scikit-learn's solvers.
"""

from . import gradients, grading, min_norm, networks, solutions, table
from .gradients import *
from .grading import *
from .min_norm import *
from .networks import *
from .solutions import *
from .table import *

__all__ = [
    *table.__all__,
    *grading.__all__,
    *gradients.__all__,
    *solutions.__all__,
    *min_norm.__all__,
    *networks.__all__,
]
