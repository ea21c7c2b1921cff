"""Buy-till-you-die models: BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma and
predictive CLV, fitted by maximum likelihood in Rust.

Inputs are per-customer columns (lists, numpy arrays, pandas/polars Series,
Arrow arrays) or one table holding them (``frequency``, ``recency``, ``T``
and, where needed, ``monetary_value`` / ``n_periods`` / ``weights``), such as
the output of :func:`retention.summary_data`. Time is in whatever unit the
columns use; predictions come back as numpy arrays in that unit.

>>> import retention
>>> m = retention.fit_bgnbd([2, 1, 0, 0], [30.43, 1.71, 0, 0], [38.86, 38.86, 38.86, 38.86])
>>> sorted(m.params)
['a', 'alpha', 'b', 'r']
"""

from __future__ import annotations

from ._model_common import FitDiagnostics, _arr, _column_names, _fit_options, _float, _initial, _int, _is_table, _np, _opt, _table_columns  # noqa: F401
from ._transaction_model import TransactionModel, fit_bgnbd, fit_ggom_nbd, fit_mbgnbd, fit_pareto_nbd
from ._bgbb_model import BgBbModel, fit_bgbb
from ._gamma_gamma_model import GammaGammaModel, fit_gamma_gamma, frequency_monetary_correlation, predictive_clv
from ._predictions import predictive_clv_intervals

__all__ = [
    "FitDiagnostics",
    "TransactionModel",
    "BgBbModel",
    "GammaGammaModel",
    "fit_bgnbd",
    "fit_mbgnbd",
    "fit_pareto_nbd",
    "fit_ggom_nbd",
    "fit_bgbb",
    "fit_gamma_gamma",
    "predictive_clv",
    "frequency_monetary_correlation",
    "predictive_clv_intervals",
]

