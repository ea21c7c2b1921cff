"""Customer-retention analytics on a Rust core.

DataFrames in (pandas, polars, pyarrow, or a dict of columns), DataFrames out
(in the library the input came in). Start with :meth:`EventLog.from_frame` or
:meth:`EventLog.sample`.
"""

from . import _native  # noqa: F401  (first: later imports of _retention get its guarded view)
from . import _retention
from ._api import *  # noqa: F401,F403
from ._api import __all__ as _api_all
from ._log import EventLog, Summaries, sample_events
from .errors import (
    EmptyInputError,
    FitNotConvergedError,
    NonFiniteResultError,
    InsufficientPointsError,
    InvalidParameterError,
    InvalidRowsError,
    LengthMismatchError,
    MissingColumnError,
    NotConvergedError,
    RetentionError,
    SingularMatrixError,
    UnknownCodeError,
    UnknownCustomerError,
)

# --- models (py-models) ---
from .models import (
    BgBbModel,
    FitDiagnostics,
    GammaGammaModel,
    TransactionModel,
    fit_bgbb,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_ggom_nbd,
    fit_mbgnbd,
    fit_pareto_nbd,
    frequency_monetary_correlation,
    predictive_clv,
    predictive_clv_intervals,
)
from .models import __all__ as _models_all
# --- end models ---

# --- covariates ---
from .covariates import CovariateModel, fit_covariates, fit_gamma_gamma_covariates  # noqa: E402
from .covariates import __all__ as _covariates_all  # noqa: E402
# --- end covariates ---

__version__: str = _retention.__version__

__all__ = [
    "EventLog",
    "Summaries",
    "sample_events",
    "RetentionError",
    "InvalidRowsError",
    "LengthMismatchError",
    "EmptyInputError",
    "InvalidParameterError",
    "UnknownCodeError",
    "UnknownCustomerError",
    "InsufficientPointsError",
    "SingularMatrixError",
    "NotConvergedError",
    "FitNotConvergedError",
    "NonFiniteResultError",
    "MissingColumnError",
] + list(_api_all) + list(_models_all) + list(_covariates_all)

# --- extras: loyalty, supervised churn, tiers, rule segments, series, experiments ---
from . import plot  # noqa: E402
from ._extras import *  # noqa: E402,F401,F403
from ._extras import __all__ as _extras_all  # noqa: E402

from .evaluation import (  # noqa: E402
    conditional_holdout_table,
    holdout_metrics,
    period_transactions,
    tracking_mape,
    tracking_series,
)
from .evaluation import __all__ as _evaluation_all  # noqa: E402
from ._prediction import brier_score, cumulative_dynamic_auc, integrated_brier_score  # noqa: E402

__all__ += ["plot"] + list(_extras_all) + ["brier_score", "integrated_brier_score", "cumulative_dynamic_auc"]
# --- end extras ---
__all__ += list(_evaluation_all)

from ._cohort_retention import cohort_retention  # noqa: E402

__all__ += ["cohort_retention"]

from ._period_lifecycle import lifecycle_counts, stickiness  # noqa: E402

__all__ += ["lifecycle_counts", "stickiness"]

from . import contractual  # noqa: E402
