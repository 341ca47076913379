"""The numpy core: penalties, objectives, solvers, ridge through the SVD, the logistic loss and
L2's quadratic prediction for it, unit conversions."""

from . import conversions, logistic, objectives, penalties, solvers, spectral
from .conversions import *
from .logistic import *
from .objectives import *
from .penalties import *
from .solvers import *
from .spectral import *

__all__ = [
    *penalties.__all__,
    *objectives.__all__,
    *solvers.__all__,
    *spectral.__all__,
    *logistic.__all__,
    *conversions.__all__,
]
