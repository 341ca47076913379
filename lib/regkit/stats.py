"""Uncertainty of repeated experiments: means, standard errors and Student's t intervals.

The pages repeat each comparison of trained models over seeds (or folds) and report the mean
with its standard error, ``s / sqrt(n)`` with the sample standard deviation ``s`` (divisor
``n - 1``). A comparison of two settings run on the same seeds is *paired*: its uncertainty is
that of the seed-by-seed differences, which cancels what the two runs of a seed share. A
difference is called measurable when the two-sided Student's t interval at the stated level
excludes zero.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from scipy import stats as scipy_stats

from ._validation import as_float_array, check_count, check_scalar

__all__ = [
    "Interval",
    "binomial_se",
    "mean_and_se",
    "mean_interval",
    "paired_interval",
    "seed_and_image_se",
    "t_critical",
]


def mean_and_se(values, axis=0):
    """Mean along ``axis`` and its standard error ``s / sqrt(n)``.

    Parameters
    ----------
    values : array_like
        Finite numbers; at least two along ``axis`` (one value has no spread).
    axis : int, default 0
        The axis of the repetitions (seeds, folds).

    Returns
    -------
    mean, se : float or numpy.ndarray
        Floats for a vector, arrays of the remaining shape otherwise. Identical values give
        ``se = 0``: the repetitions did not vary, which is not a certainty about anything they
        did not sample.
    """
    values = as_float_array(values, "values")
    axis = _axis(axis, values.ndim)
    count = values.shape[axis]
    if count < 2:
        raise ValueError(f"values must hold at least 2 entries along axis {axis}; got {count}")
    mean = values.mean(axis=axis)
    se = values.std(axis=axis, ddof=1) / math.sqrt(count)
    return (float(mean), float(se)) if values.ndim == 1 else (mean, se)


def t_critical(count, level=0.95):
    """How many standard errors a two-sided Student's t interval reaches for ``count`` values.

    The ``(1 + level) / 2`` quantile of Student's t with ``count - 1`` degrees of freedom:
    2.78 for 5 values, 2.26 for 10, at ``level = 0.95``.

    Parameters
    ----------
    count : int
        Number of values the mean is taken over, >= 2.
    level : float, default 0.95
        Coverage of the interval, in (0, 1).
    """
    count = check_count(count, "count", minimum=2)
    level = _level(level)
    return float(scipy_stats.t.ppf((1 + level) / 2, count - 1))


@dataclass(frozen=True)
class Interval:
    """A mean, its standard error and its two-sided Student's t interval.

    Attributes
    ----------
    mean, se : float
    count : int
        Number of values (degrees of freedom ``count - 1``).
    level : float
        Coverage of the interval.
    """

    mean: float
    se: float
    count: int
    level: float

    def __post_init__(self):
        _real(self.mean, "mean")
        if _real(self.se, "se") < 0:
            raise ValueError(f"se must be >= 0; got {self.se}")
        check_count(self.count, "count", minimum=2)
        _level(self.level)

    @property
    def half_width(self) -> float:
        """``t_critical(count, level) * se``."""
        return t_critical(self.count, self.level) * self.se

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    def excludes(self, value=0.0) -> bool:
        """Whether ``value`` lies outside the interval (for 0: the difference is measurable)."""
        value = _real(value, "value")
        return bool(value < self.low or value > self.high)


def mean_interval(values, level=0.95):
    """The :class:`Interval` of the mean of ``values`` (a vector of repetitions).

    Parameters
    ----------
    values : array_like, shape (count,)
        At least two finite values.
    level : float, default 0.95
        Coverage, in (0, 1).

    Returns
    -------
    Interval
    """
    values = as_float_array(values, "values", ndim=1)
    level = _level(level)
    mean, se = mean_and_se(values)
    return Interval(mean=mean, se=se, count=values.size, level=level)


def paired_interval(a, b, level=0.95):
    """The :class:`Interval` of the mean of ``a - b``, entry by entry (a paired comparison).

    Parameters
    ----------
    a, b : array_like, shape (count,)
        The same quantity for two settings, one entry per seed (or fold), in the same order.
    level : float, default 0.95
        Coverage, in (0, 1).

    Returns
    -------
    Interval
    """
    a = as_float_array(a, "a", ndim=1)
    b = as_float_array(b, "b", ndim=1)
    if a.shape != b.shape:
        raise ValueError(
            f"a and b must have one entry per seed each; got a.shape={a.shape}, b.shape={b.shape}"
        )
    return mean_interval(a - b, level)


def seed_and_image_se(values):
    """Mean of a (seeds, images) table and its standard errors over the seeds and the images.

    A test metric computed per image for networks trained from several seeds varies in two
    ways: from seed to seed (the training's randomness, for these images) and from image to
    image (the sampling of the test images). The first is the standard error of the seeds'
    means, the second that of the images' means.

    Parameters
    ----------
    values : array_like, shape (seeds, images)
        At least two of each.

    Returns
    -------
    mean, se_seeds, se_images : float
    """
    values = as_float_array(values, "values", ndim=2)
    seeds, images = values.shape
    if seeds < 2 or images < 2:
        raise ValueError(
            f"values must hold at least 2 seeds (rows) and 2 images (columns); got {seeds} "
            f"seed(s) and {images} image(s)"
        )
    _, se_seeds = mean_and_se(values.mean(axis=1))
    _, se_images = mean_and_se(values.mean(axis=0))
    return float(values.mean()), se_seeds, se_images


def binomial_se(proportion, count):
    """Standard error ``sqrt(p (1 - p) / count)`` of a proportion measured on ``count`` items.

    Parameters
    ----------
    proportion : float
        In [0, 1] (an accuracy or an error rate, not a percentage).
    count : int
        Number of items (images), >= 1.

    Notes
    -----
    At ``proportion`` 0 or 1 the formula gives 0, though the true proportion is then only
    known to be near 0 or 1: within ``3 / count`` at 95 % confidence (the "rule of three").
    """
    proportion = check_scalar(proportion, "proportion")
    if proportion > 1:
        raise ValueError(f"proportion must be in [0, 1] (not a percentage); got {proportion}")
    count = check_count(count, "count", minimum=1)
    return math.sqrt(proportion * (1 - proportion) / count)


def _level(level):
    level = check_scalar(level, "level", positive=True)
    if level >= 1:
        raise ValueError(f"level must be in (0, 1); got {level}")
    return level


def _axis(axis, ndim):
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an integer; got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis must be in [{-ndim}, {ndim - 1}] for values of {ndim} dimensions")
    return int(axis) % ndim


def _real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    return float(value)
