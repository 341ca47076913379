"""regkit: the helper library of the course on L1 and L2 regularization.

The course's objective for a linear model ``a = X w`` is::

    J(w) = 1/(2m) * ||y - X w||**2 + (lam/2) * sum(|w_k|)     (L1)
    J(w) = 1/(2m) * ||y - X w||**2 + (lam/2) * sum(w_k ** 2)  (L2)

Modules, one idea each:

* the linear problem: :mod:`~regkit.penalties`, :mod:`~regkit.objectives`,
  :mod:`~regkit.derivatives`, :mod:`~regkit.solvers`, :mod:`~regkit.shrinkage`,
  :mod:`~regkit.paths`;
* networks: :mod:`~regkit.models`, :mod:`~regkit.training`, :mod:`~regkit.keras_checks`;
* evidence: :mod:`~regkit.checks` (every formula against an independent computation);
* data and figures: :mod:`~regkit.data`, :mod:`~regkit.overfitting`, :mod:`~regkit.plots`,
  :mod:`~regkit.path_plots`.
"""

from ._tf import import_tensorflow
from .checks import (
    Check,
    CheckTable,
    bias_variance_checks,
    constrained_checks,
    descent_checks,
    gradient_checks,
    lasso_checks,
    lasso_threshold,
    penalty_grad_check,
    proximal_checks,
    relative_error,
    ridge_checks,
    shrinkage_checks,
    source_descent_checks,
    sparsity_checks,
    step_size_checks,
    steps_to_converge,
)
from .data import (
    load_diabetes,
    load_digits,
    load_mnist,
    make_linear_problem,
    shift_images,
    stratified_subset,
)
from .decay import (
    decay_trajectories,
    keras_l1_coefficient,
    keras_l2_coefficient,
    lasso_alpha,
    mse_keras_l2_coefficient,
    ridge_alpha,
    sgd_weight_decay,
    weight_decay_checks,
)
from .derivatives import autodiff_objective_grad, numerical_gradient
from .keras_checks import (
    cross_entropy,
    keras_penalty_checks,
    kernel_penalty,
    softmax_cross_entropy,
)
from .models import build_mlp, keras_regularizer
from .objectives import data_loss, data_loss_grad, objective, objective_grad, source_gradient
from .overfitting import (
    CurveProblem,
    LearningCurveSummary,
    capacity_curve,
    curve_predict,
    curve_target,
    digits_subset,
    fit_curve,
    learning_curve_summary,
    legendre_design,
    make_curve_problem,
    network_checks,
    overfitting_checks,
    penalty_curve,
)
from .path_plots import plot_lasso_path, plot_nonzero_counts, plot_ridge_path
from .paths import (
    duplicate_column_checks,
    lasso_path,
    nonzero_counts,
    path_checks,
    ridge_path,
    sign_changes,
    zero_entry_points,
)
from .penalties import penalty, penalty_grad, soft_threshold
from .plots import (
    plot_bias_variance,
    plot_condition_numbers,
    plot_norm_balls,
    plot_shrinkage_factors,
)
from .rescaling import balanced_scale, rescale_layers, rescaling_checks
from .selection import (
    CrossValidation,
    cross_validate,
    mlp_logits,
    one_standard_error_choice,
)
from .shrinkage import (
    constrained_minimizer,
    effective_dof,
    refit_ridge,
    ridge_bias_variance,
    ridge_condition_number,
    shrinkage_factors,
)
from .solvers import (
    ConvergenceWarning,
    gradient_descent,
    l1_optimality_violation,
    l1_prox,
    lasso,
    lipschitz_constant,
    ridge,
)
from .sweep import (
    SweepResult,
    batch_schedule,
    initial_weights,
    stratified_folds,
    sweep,
    train_alone,
    train_stack,
)
from .training import (
    TrainingResult,
    choose_devices,
    select_strategy,
    strategy_devices,
    train,
)

__version__ = "0.1.0"

__all__ = [
    "Check",
    "CheckTable",
    "ConvergenceWarning",
    "CrossValidation",
    "CurveProblem",
    "LearningCurveSummary",
    "SweepResult",
    "TrainingResult",
    "autodiff_objective_grad",
    "balanced_scale",
    "batch_schedule",
    "bias_variance_checks",
    "build_mlp",
    "capacity_curve",
    "choose_devices",
    "constrained_checks",
    "constrained_minimizer",
    "cross_entropy",
    "cross_validate",
    "curve_predict",
    "curve_target",
    "data_loss",
    "data_loss_grad",
    "decay_trajectories",
    "descent_checks",
    "digits_subset",
    "duplicate_column_checks",
    "effective_dof",
    "fit_curve",
    "gradient_checks",
    "gradient_descent",
    "import_tensorflow",
    "initial_weights",
    "keras_l1_coefficient",
    "keras_l2_coefficient",
    "keras_penalty_checks",
    "keras_regularizer",
    "kernel_penalty",
    "l1_optimality_violation",
    "l1_prox",
    "lasso",
    "lasso_alpha",
    "lasso_checks",
    "lasso_path",
    "lasso_threshold",
    "learning_curve_summary",
    "legendre_design",
    "lipschitz_constant",
    "load_diabetes",
    "load_digits",
    "load_mnist",
    "make_curve_problem",
    "make_linear_problem",
    "mlp_logits",
    "mse_keras_l2_coefficient",
    "network_checks",
    "nonzero_counts",
    "numerical_gradient",
    "objective",
    "objective_grad",
    "one_standard_error_choice",
    "overfitting_checks",
    "path_checks",
    "penalty",
    "penalty_curve",
    "penalty_grad",
    "penalty_grad_check",
    "plot_bias_variance",
    "plot_condition_numbers",
    "plot_lasso_path",
    "plot_nonzero_counts",
    "plot_norm_balls",
    "plot_ridge_path",
    "plot_shrinkage_factors",
    "proximal_checks",
    "refit_ridge",
    "relative_error",
    "rescale_layers",
    "rescaling_checks",
    "ridge",
    "ridge_alpha",
    "ridge_bias_variance",
    "ridge_checks",
    "ridge_condition_number",
    "ridge_path",
    "select_strategy",
    "sgd_weight_decay",
    "shift_images",
    "shrinkage_checks",
    "shrinkage_factors",
    "sign_changes",
    "soft_threshold",
    "softmax_cross_entropy",
    "source_descent_checks",
    "source_gradient",
    "sparsity_checks",
    "step_size_checks",
    "steps_to_converge",
    "strategy_devices",
    "stratified_folds",
    "stratified_subset",
    "sweep",
    "train",
    "train_alone",
    "train_stack",
    "weight_decay_checks",
    "zero_entry_points",
]
