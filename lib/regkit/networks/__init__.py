"""The Keras side: models, losses, training on the available devices, the sweep engine, and
the choice of a strength by cross-validation.

TensorFlow is imported on first use (:func:`regkit.import_tensorflow`), not on import.
"""

from . import engine, losses, models, selection, training
from .engine import *
from .losses import *
from .models import *
from .selection import *
from .training import *

__all__ = [
    *models.__all__,
    *losses.__all__,
    *training.__all__,
    *engine.__all__,
    *selection.__all__,
]
