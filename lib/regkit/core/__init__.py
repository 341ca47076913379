"""The numpy core: penalties, objectives, solvers, ridge through the SVD, unit conversions."""

from . import conversions, objectives, penalties, solvers, spectral
from .conversions import *
from .objectives import *
from .penalties import *
from .solvers import *
from .spectral import *

__all__ = [
    *penalties.__all__,
    *objectives.__all__,
    *solvers.__all__,
    *spectral.__all__,
    *conversions.__all__,
]
