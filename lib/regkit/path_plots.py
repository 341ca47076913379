"""Figures of regularization paths, each drawn on a matplotlib ``Axes`` that the caller provides.

Like :mod:`regkit.plots`, every function validates its input, draws, sets a title, axis labels
and (optionally) a legend, and returns the artists it created.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array
from .paths import zero_entry_points
from .plots import _check_ax

__all__ = ["plot_lasso_path", "plot_nonzero_counts", "plot_ridge_path"]

_YLABEL = "coefficient $w_k$"


def _check_grid(lams):
    lams = as_float_array(lams, "lams", ndim=1)
    if np.any(lams <= 0):
        raise ValueError("lams must be > 0 (they are drawn on a log axis)")
    if np.any(np.diff(lams) <= 0):
        raise ValueError("lams must be strictly increasing")
    return lams


def _check_names(names, n):
    if isinstance(names, str) or not all(isinstance(name, str) for name in names):
        raise TypeError("names must be a sequence of strings, one per coefficient")
    names = list(names)
    if len(names) != n:
        raise ValueError(f"names must have one entry per coefficient ({n}); got {len(names)}")
    return names


def _draw_path(ax, lams, path, names):
    ax = _check_ax(ax)
    lams = _check_grid(lams)
    path = as_float_array(path, "path", ndim=2)
    if path.shape[0] != lams.size:
        raise ValueError(
            f"path must have one row per value of lams; got {path.shape[0]} rows, {lams.size} lams"
        )
    names = _check_names(names, path.shape[1])
    lines = [ax.semilogx(lams, path[:, k], label=name)[0] for k, name in enumerate(names)]
    ax.axhline(0, color="black", linewidth=0.8, zorder=1)
    ax.set(xlabel=r"strength $\lambda$ (log scale)", ylabel=_YLABEL)
    return ax, lams, path, lines


def _legend(ax, legend):
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")


def plot_ridge_path(ax, lams, path, names, *, legend=True):
    """Draw the L2 path: every coefficient against ``lam``, with its sign changes marked.

    Where a coefficient changes sign between two neighbouring strengths, a cross marks the
    point where the straight line between them (in ``log lam``) meets 0: the curve passes
    through 0 there instead of staying at 0.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    lams : array_like, shape (k,)
        Strictly increasing strengths, > 0 (log axis).
    path : array_like, shape (k, n)
        Row ``i`` holds the coefficients at ``lams[i]`` (see :func:`regkit.ridge_path`).
    names : sequence of str, length n
        Feature names, for the legend.
    legend : bool, default True

    Returns
    -------
    dict
        ``"lines"``: one ``Line2D`` per coefficient; ``"crossings"``: the markers (or None
        when no coefficient changes sign).
    """
    ax, lams, path, lines = _draw_path(ax, lams, path, names)
    crossings = _sign_crossings(lams, path)
    artists = {"lines": lines, "crossings": None}
    if crossings:
        points, colors = zip(*[(lam, lines[k].get_color()) for k, lam in crossings], strict=True)
        artists["crossings"] = ax.scatter(
            points,
            np.zeros(len(points)),
            marker="x",
            c=list(colors),
            s=40,
            zorder=3,
            label="changes sign",
        )
    ax.set_title(r"L2 penalty $\frac{\lambda}{2}\sum_k w_k^2$: ridge path")
    _legend(ax, legend)
    return artists


def _sign_crossings(lams, path):
    crossings = []
    logs = np.log(lams)
    for k, column in enumerate(path.T):
        for i in np.flatnonzero(column[:-1] * column[1:] < 0):
            a, b = column[i], column[i + 1]
            crossings.append((k, float(np.exp(logs[i] + a / (a - b) * (logs[i + 1] - logs[i])))))
    return crossings


def plot_lasso_path(ax, lams, path, names, *, lam_max=None, legend=True):
    """Draw the L1 path, marking where each coefficient becomes exactly 0 for good.

    A circle on the zero line, in the coefficient's color, marks the value returned by
    :func:`regkit.zero_entry_points`: from that strength on the coefficient is exactly 0.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    lams : array_like, shape (k,)
        Strictly increasing strengths, > 0 (log axis).
    path : array_like, shape (k, n)
        Row ``i`` holds the coefficients at ``lams[i]`` (see :func:`regkit.lasso_path`).
    names : sequence of str, length n
    lam_max : float, optional
        If given (> 0), a dashed vertical line marks it.
    legend : bool, default True

    Returns
    -------
    dict
        ``"lines"``, ``"entries"`` (the circles, or None when no coefficient reaches 0 on the
        grid) and ``"lam_max"`` (the vertical line, or None).
    """
    if lam_max is not None:
        lam_max = as_float_array([lam_max], "lam_max")[0]
        if lam_max <= 0:
            raise ValueError(f"lam_max must be > 0; got {lam_max}")
    ax, lams, path, lines = _draw_path(ax, lams, path, names)
    entries = zero_entry_points(path, lams)
    found = np.flatnonzero(~np.isnan(entries))
    artists = {"lines": lines, "entries": None, "lam_max": None}
    if found.size:
        artists["entries"] = ax.scatter(
            entries[found],
            np.zeros(found.size),
            c=[lines[k].get_color() for k in found],
            edgecolors="black",
            s=45,
            zorder=3,
            label="exactly 0 from here on",
        )
    if lam_max is not None:
        artists["lam_max"] = ax.axvline(
            lam_max, color="0.3", linestyle="--", linewidth=1, label=r"$\lambda_{\max}$"
        )
    ax.set_title(r"L1 penalty $\frac{\lambda}{2}\sum_k |w_k|$: lasso path")
    _legend(ax, legend)
    return artists


def plot_nonzero_counts(ax, lams, counts):
    """Draw the number of non-zero coefficients against ``lam``, one step curve per path.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    lams : array_like, shape (k,)
        Strictly increasing strengths, > 0 (log axis).
    counts : dict of str to array_like
        Label to counts of shape (k,), each >= 0 (see :func:`regkit.nonzero_counts`).

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    ax = _check_ax(ax)
    lams = _check_grid(lams)
    if not isinstance(counts, dict) or not counts:
        raise TypeError("counts must be a non-empty dict mapping labels to arrays of counts")
    lines = []
    for label, values in counts.items():
        values = as_float_array(values, f"counts[{label!r}]", ndim=1)
        if values.shape != lams.shape or np.any(values < 0):
            raise ValueError(f"counts[{label!r}] must have shape {lams.shape} and be >= 0")
        lines.append(ax.step(lams, values, where="mid", label=str(label))[0])
    ax.set_xscale("log")
    ax.set(xlabel=r"strength $\lambda$ (log scale)", ylabel="non-zero coefficients")
    ax.set_title("How many coefficients are not exactly 0")
    ax.legend()
    return lines
