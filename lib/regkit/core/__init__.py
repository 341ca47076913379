"""The numpy core: penalties, objectives, derivatives, solvers and unit conversions.

Importing it does not import TensorFlow (only :func:`regkit.autodiff_objective_grad` does, when
called).
"""

from . import conversions, derivatives, objectives, penalties, solvers, spectral
from .conversions import *
from .derivatives import *
from .objectives import *
from .penalties import *
from .solvers import *
from .spectral import *

__all__ = [
    *penalties.__all__,
    *objectives.__all__,
    *derivatives.__all__,
    *solvers.__all__,
    *spectral.__all__,
    *conversions.__all__,
]
