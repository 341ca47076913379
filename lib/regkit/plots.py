"""Figures of the chapters, each drawn on a matplotlib ``Axes`` that the caller provides.

Every function validates its input, draws, sets a title, axis labels and a legend, and
returns the artists it created, so that a notebook (or a test) can inspect them.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_count, check_data, check_scalar
from .core import (
    constrained_minimizer,
    data_loss,
    ridge,
    ridge_condition_number,
    shrinkage_factors,
)

__all__ = [
    "plot_bias_variance",
    "plot_condition_numbers",
    "plot_norm_balls",
    "plot_shrinkage_factors",
]


def _check_ax(ax):
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax


def _check_lams(lams, name="lams"):
    lams = as_float_array(lams, name, ndim=1)
    if np.any(lams <= 0):
        raise ValueError(f"{name} must be > 0 (they are drawn on a log axis)")
    return lams


def plot_shrinkage_factors(ax, X, lams):
    """Draw the L2 shrinkage factor ``s_k**2 / (s_k**2 + m lam)`` of each direction against lam.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    X : array_like, shape (m, n)
    lams : array_like, shape (k,)
        Strengths, > 0 (log axis).

    Returns
    -------
    list of matplotlib.lines.Line2D
        One curve per singular value, largest first.
    """
    ax = _check_ax(ax)
    X = as_float_array(X, "X", ndim=2)
    lams = _check_lams(lams)
    factors = np.array([shrinkage_factors(X, lam) for lam in lams])
    curvatures = np.linalg.svd(X, compute_uv=False) ** 2 / X.shape[0]
    lines = [
        ax.semilogx(lams, factors[:, k], label=f"$s_k^2/m$ = {mu:.1e}")[0]
        for k, mu in enumerate(curvatures)
    ]
    ax.axhline(0.5, color="0.6", linestyle=":", linewidth=1)
    ax.set(xlabel=r"strength $\lambda$", ylabel="fraction kept, $s_k^2/(s_k^2+m\\lambda)$")
    ax.set_title("L2 shrinkage along each principal direction")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(title="direction", fontsize="small")
    return lines


def plot_condition_numbers(ax, X, lams):
    """Draw ``cond(X.T X + m lam I)`` against lam, with ``cond(X.T X)`` for comparison.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    X : array_like, shape (m, n)
    lams : array_like, shape (k,)
        Strengths, > 0 (log axes).

    Returns
    -------
    list of matplotlib.lines.Line2D
        The curve, and the level of ``cond(X.T X)`` when it is finite.
    """
    ax = _check_ax(ax)
    X = as_float_array(X, "X", ndim=2)
    lams = _check_lams(lams)
    values = [ridge_condition_number(X, lam) for lam in lams]
    lines = ax.loglog(lams, values, label=r"$\mathrm{cond}(X^\top X + m\lambda I)$")
    plain = ridge_condition_number(X, 0.0)
    if np.isfinite(plain):
        lines.append(
            ax.axhline(plain, color="0.4", linestyle="--", label=r"$\mathrm{cond}(X^\top X)$")
        )
    ax.set(xlabel=r"strength $\lambda$", ylabel="condition number")
    ax.set_title("Conditioning of the L2 normal equations")
    ax.legend()
    return lines


def plot_bias_variance(ax, lams, bias_sq, variance, *, measured=None):
    """Draw squared bias, variance and their sum (mean squared error of w) against lam.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    lams : array_like, shape (k,)
        Strengths, > 0 (log axis).
    bias_sq, variance : array_like, shape (k,)
        Exact values, >= 0 (see :func:`regkit.ridge_bias_variance`).
    measured : tuple of three array_like, optional
        ``(lams, bias_sq, variance)`` estimated by refitting; drawn as markers.

    Returns
    -------
    list of matplotlib.artist.Artist
    """
    ax = _check_ax(ax)
    lams = _check_lams(lams)
    curves = {}
    for name, values in (("bias_sq", bias_sq), ("variance", variance)):
        values = as_float_array(values, name, ndim=1)
        if values.shape != lams.shape or np.any(values < 0):
            raise ValueError(f"{name} must have shape {lams.shape} and be >= 0")
        curves[name] = values
    artists = [
        *ax.loglog(
            lams, curves["bias_sq"], label=r"bias$^2$ $\|E w^\star - w_{\mathrm{true}}\|^2$"
        ),
        *ax.loglog(lams, curves["variance"], label=r"variance $E\|w^\star - E w^\star\|^2$"),
        *ax.loglog(lams, curves["bias_sq"] + curves["variance"], "k--", label="sum (MSE of w)"),
    ]
    if measured is not None:
        if len(measured) != 3:
            raise ValueError("measured must be a tuple (lams, bias_sq, variance)")
        points = [as_float_array(v, "measured", ndim=1) for v in measured]
        if len({p.shape for p in points}) != 1:
            raise ValueError("the three arrays in measured must have the same shape")
        artists.append(ax.scatter(points[0], points[1], marker="o", label="bias$^2$, refits"))
        artists.append(ax.scatter(points[0], points[2], marker="s", label="variance, refits"))
    ax.set(xlabel=r"strength $\lambda$", ylabel="squared error of the weights")
    ax.set_title("Bias and variance of the L2 solution")
    ax.legend(fontsize="small")
    return artists


def plot_norm_balls(ax, X, y, budget, *, grid=201):
    """Draw the data-loss contours of a 2-feature problem and its L2 and L1 constrained minima.

    The L2 ball ``||w||_2 <= budget`` and the L1 ball (a diamond) ``||w||_1 <= budget`` are
    drawn with the minimizers of ``1/(2m) ||y - X w||**2`` over each, computed by
    :func:`regkit.constrained_minimizer`, the contour of the data loss through each of them
    (dashed, in the color of its ball), and the unconstrained least-squares solution.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    X : array_like, shape (m, 2)
        Two columns, rank 2.
    y : array_like, shape (m,)
    budget : float
        Radius of both balls, > 0.
    grid : int, default 201
        Grid points per axis for the contours, >= 10.

    Returns
    -------
    dict
        ``"contours"``, ``"l2_ball"``, ``"l1_ball"``, ``"least_squares"``, ``"l2_min"`` and
        ``"l1_min"`` artists, and ``"l2_level"`` and ``"l1_level"``: the contour (dashed)
        through each constrained minimizer that lies on the boundary of its ball.
    """
    ax = _check_ax(ax)
    X, y = check_data(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns to be drawn in the plane; got {X.shape[1]}")
    budget = check_scalar(budget, "budget", positive=True)
    grid = check_count(grid, "grid", minimum=10)
    w_ls = ridge(X, y, 0.0)
    w_l2, _ = constrained_minimizer(X, y, budget, "l2")
    w_l1, _ = constrained_minimizer(X, y, budget, "l1")
    reach = 1.25 * max(budget, np.max(np.abs(w_ls)))
    axis = np.linspace(-reach, reach, grid)
    W1, W2 = np.meshgrid(axis, axis)
    points = np.stack([W1.ravel(), W2.ravel()], axis=1)
    losses = np.sum((y[None, :] - points @ X.T) ** 2, axis=1) / (2 * X.shape[0])
    losses = losses.reshape(W1.shape)
    lowest = data_loss(w_ls, X, y)
    levels = lowest + (losses.max() - lowest) * np.linspace(0.08, 0.9, 9) ** 2
    artists = {"contours": ax.contour(W1, W2, losses, levels=levels, colors="0.75")}
    for key, w, color in (("l2_level", w_l2, "C0"), ("l1_level", w_l1, "C1")):
        level = data_loss(w, X, y)
        if level > lowest * (1 + 1e-9):  # the minimizer is on the boundary of its ball
            artists[key] = ax.contour(
                W1, W2, losses, levels=[level], colors=color, linestyles="--", linewidths=1
            )
    theta = np.linspace(0, 2 * np.pi, 400)
    artists["l2_ball"] = ax.plot(
        budget * np.cos(theta), budget * np.sin(theta), "C0", label=r"L2 ball $\|w\|_2 \leq t$"
    )[0]
    corners = budget * np.array([[1, 0], [0, 1], [-1, 0], [0, -1], [1, 0]])
    artists["l1_ball"] = ax.plot(
        corners[:, 0], corners[:, 1], "C1", label=r"L1 ball $\|w\|_1 \leq t$"
    )[0]
    artists["least_squares"] = ax.plot(*w_ls, "k*", markersize=12, label="least squares")[0]
    artists["l2_min"] = ax.plot(*w_l2, "o", color="C0", markersize=9, label="L2 minimizer")[0]
    artists["l1_min"] = ax.plot(*w_l1, "s", color="C1", markersize=9, label="L1 minimizer")[0]
    ax.axhline(0, color="0.85", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.85", linewidth=0.8, zorder=0)
    ax.set_aspect("equal")
    ax.set(xlabel="$w_1$", ylabel="$w_2$")
    ax.set_title(f"Data-loss contours and balls of radius t = {budget:g}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    return artists
