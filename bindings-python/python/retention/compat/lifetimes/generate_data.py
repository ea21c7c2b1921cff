"""``lifetimes.generate_data`` names: customers simulated from a model, on
the Rust core (``retention_core::models::simulate``, which states each
model's generative story and its references).

Every function takes lifetimes' arguments plus ``seed``. The simulation
uses the core's own portable random streams (xoshiro256**, one stream per
customer), so a seed gives the same customers on every platform. With
``seed=None`` (the default) the seed is drawn from numpy's global generator,
so ``np.random.seed(k)`` before a call makes it repeatable, as in lifetimes.
The draws themselves differ from lifetimes' (which uses numpy's samplers).

Differences from lifetimes, on purpose:

* ``frequency`` counts every simulated repeat purchase (the model's
  ``X(T)``); lifetimes counts the distinct whole time units holding one,
  which is not the model's quantity for sub-unit purchase gaps;
* ``beta_geometric_nbd_model_transactional_data`` places each purchase at
  ``first purchase + t`` (lifetimes adds one more unit, which can put a
  purchase after ``observation_period_end``), and its summary is that of
  :func:`beta_geometric_nbd_model` with the same seed;
* ``T`` (or ``N``) shorter than ``size`` raises
  :class:`retention.errors.LengthMismatchError` (lifetimes: ``IndexError``);
  longer, its first ``size`` entries are used, as lifetimes does.

Limits (core): 10,000,000 customers, 50,000,000 purchases and, for BG/BB,
100,000 opportunities per customer per call; beyond them
:class:`retention.errors.InvalidParameterError` /
:class:`retention.errors.InvalidRowsError`.

Examples
--------
>>> from retention.compat.lifetimes.generate_data import beta_geometric_nbd_model
>>> df = beta_geometric_nbd_model(30, 0.243, 4.414, 0.793, 2.426, size=3, seed=1)
>>> list(df.columns), df.index.name
(['frequency', 'recency', 'T', 'lambda', 'p', 'alive'], 'customer_id')
>>> df.equals(beta_geometric_nbd_model(30, 0.243, 4.414, 0.793, 2.426, size=3, seed=1))
True
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd
import pyarrow as pa

from ... import _retention
from ... import models as _m
from ...errors import LengthMismatchError

__all__ = [
    "beta_geometric_nbd_model",
    "beta_geometric_nbd_model_transactional_data",
    "pareto_nbd_model",
    "modified_beta_geometric_nbd_model",
    "beta_geometric_beta_binom_model",
]


def _seed(seed: Optional[int]) -> int:
    if seed is None:
        return int(np.random.randint(0, 2**62, dtype=np.int64))
    return int(seed)


def _ages(T: Any, size: int, name: str = "T") -> np.ndarray:
    size = int(size)
    if np.ndim(T) == 0:
        return np.full(size, float(T))
    ages = np.asarray(T, dtype=float).ravel()
    if ages.shape[0] < size:
        raise LengthMismatchError(
            f"`{name}` has {ages.shape[0]} entries for size={size} customers", field=name, expected=size,
            actual=int(ages.shape[0]),
        )
    return np.ascontiguousarray(ages[:size])


def _customers(model: _m.TransactionModel, ages: np.ndarray, seed: Optional[int], times: bool = False) -> Any:
    return _retention.simulate_transactions(model._inner, pa.array(ages), _seed(seed), times)


def _frame(table: Any, dropout: str, age: str = "T") -> pd.DataFrame:
    df = pa.table(table).to_pandas()
    df = df.rename(columns={"age": age, "rate": "lambda", "dropout": dropout})
    df["alive"] = df["alive"].astype(float)
    df.index.name = "customer_id"
    return df


def _transaction_model(model: _m.TransactionModel, T: Any, size: int, seed: Optional[int]) -> pd.DataFrame:
    """Customers of a fitted transaction model (the fitters' ``generate_new_data``)."""
    dropout = "mu" if model.model == "pareto_nbd" else "p"
    return _frame(_customers(model, _ages(T, size), seed)[0], dropout)


def beta_geometric_nbd_model(
    T: Any, r: float, alpha: float, a: float, b: float, size: int = 1, seed: Optional[int] = None
) -> pd.DataFrame:
    """Customers simulated from BG/NBD (Fader, Hardie & Lee 2005).

    Parameters
    ----------
    T : float or array_like
        Observation length per customer (one value for all, or at least
        ``size`` values).
    r, alpha, a, b : float
        The model's parameters.
    size : int
        Number of customers.
    seed : int, optional
        Seed of the core's random stream (default: drawn from numpy's
        global generator).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``; columns ``frequency``, ``recency``, ``T``,
        ``lambda``, ``p`` and ``alive`` (1.0 if not dropped out by ``T``).

    Examples
    --------
    >>> df = beta_geometric_nbd_model([10, 20], 0.5, 2.0, 0.8, 2.4, size=2, seed=7)
    >>> df["T"].tolist()
    [10.0, 20.0]
    """
    model = _m.TransactionModel("bg_nbd", [r, alpha, a, b])
    return _frame(_customers(model, _ages(T, size), seed)[0], "p")


def modified_beta_geometric_nbd_model(
    T: Any, r: float, alpha: float, a: float, b: float, size: int = 1, seed: Optional[int] = None
) -> pd.DataFrame:
    """Customers simulated from MBG/NBD (Batislam, Denizel & Filiztekin 2007);
    arguments and frame as :func:`beta_geometric_nbd_model`.

    Examples
    --------
    >>> df = modified_beta_geometric_nbd_model(10, 0.5, 2.0, 0.8, 2.4, size=4, seed=7)
    >>> df.shape
    (4, 6)
    """
    model = _m.TransactionModel("mbg_nbd", [r, alpha, a, b])
    return _frame(_customers(model, _ages(T, size), seed)[0], "p")


def pareto_nbd_model(
    T: Any, r: float, alpha: float, s: float, beta: float, size: int = 1, seed: Optional[int] = None
) -> pd.DataFrame:
    """Customers simulated from Pareto/NBD (Schmittlein, Morrison & Colombo
    1987); arguments as :func:`beta_geometric_nbd_model`, the frame has
    ``mu`` (the dropout rate) for ``p``.

    Examples
    --------
    >>> list(pareto_nbd_model(10, 0.55, 10.6, 0.61, 11.7, size=2, seed=3).columns)
    ['frequency', 'recency', 'T', 'lambda', 'mu', 'alive']
    """
    model = _m.TransactionModel("pareto_nbd", [r, alpha, s, beta])
    return _frame(_customers(model, _ages(T, size), seed)[0], "mu")


def beta_geometric_nbd_model_transactional_data(
    T: Any, r: float, alpha: float, a: float, b: float, observation_period_end: Any = "2019-1-1",
    freq: str = "D", size: int = 1, seed: Optional[int] = None,
) -> pd.DataFrame:
    """A BG/NBD transaction log: for each customer the first purchase at
    ``observation_period_end − T`` units of ``freq`` and each repeat purchase
    ``t`` units after it (the customers of :func:`beta_geometric_nbd_model`
    with the same ``seed``).

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id`` and ``date``, one row per purchase.

    Examples
    --------
    >>> log = beta_geometric_nbd_model_transactional_data(30, 0.5, 2.0, 0.8, 2.4, size=2, seed=7)
    >>> list(log.columns), int((log.groupby("customer_id").size() >= 1).sum())
    (['customer_id', 'date'], 2)
    """
    ages = _ages(T, size)
    model = _m.TransactionModel("bg_nbd", [r, alpha, a, b])
    _, purchases = _customers(model, ages, seed, times=True)
    end = pd.to_datetime(observation_period_end)
    first = end - pd.to_timedelta(ages, unit=freq)
    rep = pa.table(purchases).to_pandas()
    customer = np.concatenate([np.arange(ages.shape[0]), rep["customer"].to_numpy(dtype=np.int64)])
    date = np.concatenate([
        first.to_numpy(),
        (first[rep["customer"].to_numpy(dtype=np.int64)] + pd.to_timedelta(rep["time"].to_numpy(), unit=freq)).to_numpy(),
    ])
    out = pd.DataFrame({"customer_id": customer, "date": date})
    return out.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)


def _bgbb(model: _m.BgBbModel, N: Any, size: int, seed: Optional[int]) -> pd.DataFrame:
    periods = _ages(N, size, "N")
    df = _retention.simulate_bgbb(model._inner, pa.array(periods), _seed(seed))
    df = pa.table(df).to_pandas()
    df = df.rename(columns={"age": "n_periods", "rate": "p", "dropout": "theta"})
    df["alive"] = df["alive"].astype(float)
    df["customer_id"] = np.arange(len(df), dtype=float)
    return df


def beta_geometric_beta_binom_model(
    N: Any, alpha: float, beta: float, gamma: float, delta: float, size: int = 1, seed: Optional[int] = None
) -> pd.DataFrame:
    """Customers simulated from BG/BB (Fader, Hardie & Shang 2010) over ``N``
    transaction opportunities each.

    Returns
    -------
    pandas.DataFrame
        Columns ``frequency``, ``recency`` (the opportunity of the last
        transaction, 0 without any), ``n_periods``, ``p``, ``theta``,
        ``alive`` (1.0 if alive at opportunity ``N + 1``) and
        ``customer_id``, as lifetimes.

    Examples
    --------
    >>> df = beta_geometric_beta_binom_model(6, 1.204, 0.750, 0.657, 2.783, size=3, seed=2)
    >>> list(df.columns)
    ['frequency', 'recency', 'n_periods', 'p', 'theta', 'alive', 'customer_id']
    """
    return _bgbb(_m.BgBbModel(alpha, beta, gamma, delta), N, size, seed)
