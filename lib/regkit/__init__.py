"""regkit: the helper library of the course on L1 and L2 regularization.

The course's objective for a linear model ``a = X w`` is::

    J(w) = 1/(2m) * ||y - X w||**2 + (lam/2) * sum(|w_k|)     (L1)
    J(w) = 1/(2m) * ||y - X w||**2 + (lam/2) * sum(w_k ** 2)  (L2)

Subpackages, one per layer of the course:

* :mod:`regkit.core`: the numpy core (penalties, objectives, solvers, the spectral view of
  ridge, unit conversions); importing :mod:`regkit` does not import TensorFlow;
* :mod:`regkit.checks`: :class:`regkit.Check`, :class:`regkit.CheckTable` and the checks of
  every formula against an independent computation;
* :mod:`regkit.networks`: the Keras side (models, losses, training, the sweep engine,
  cross-validation), which imports TensorFlow on first use;
* :mod:`regkit.stats` (means, standard errors and t intervals of repeated experiments),
  :mod:`regkit.data` (data sets), :mod:`regkit.backend` (the quiet TensorFlow import) and
  :mod:`regkit.notebook` (short tracebacks on the pages).

Every public name is defined once, in the ``__all__`` of its module, and re-exported here.
"""

from . import backend, checks, core, data, networks, notebook, stats
from .backend import *
from .checks import *
from .core import *
from .data import *
from .networks import *
from .notebook import *
from .stats import *

__version__ = "0.1.0"

__all__ = [
    *core.__all__,
    *checks.__all__,
    *networks.__all__,
    *data.__all__,
    *backend.__all__,
    *notebook.__all__,
    *stats.__all__,
]
