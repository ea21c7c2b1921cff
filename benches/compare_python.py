"""Time the `retention` Python package against lifelines and plain pandas on
the same generated data, check that the numbers agree, and print ratios.

Usage, from the repository root, after ``bash scripts/test-python.sh`` (which
builds the wheel and installs it into ``.venv-ref`` next to lifelines and
pandas 2):

    .venv-ref/bin/python benches/compare_python.py [--scale 1.0] [--repeat 3]

Workloads (``--scale`` multiplies every size; the defaults are the targets):

* Kaplan-Meier on 1,000,000 durations, Cox (Efron) on 100,000 rows x 7
  covariates, concordance on 100,000 rows: against lifelines; curves,
  coefficients, log-likelihood and concordance must agree to 1e-6 relative
  (Cox coefficients to lifelines' own convergence tolerance: 1e-5 absolute).
* Parametric: compat ``WeibullAFTFitter`` on 100,000 rows x 7 covariates and
  compat ``WeibullFitter`` on 1,000,000 durations against lifelines' fitters;
  coefficients within 5e-3 standard errors (lifelines stops BFGS early), the
  univariate parameters to 1e-5 relative, our log-likelihood at least
  lifelines'.
* RFM scores of ~1,000,000 customers (~3M orders) against pandas
  ``groupby`` + ``qcut(rank(method="first"), 5)``: scores must be identical.
* Monthly acquisition-cohort retention matrix over ~10,000,000 orders
  against pandas ``groupby`` / ``nunique``: every cell equal (to 1e-12).
* Cohort retention broken down by a customer property with 10 values
  (``cohort_retention(..., breakdown=...)``: one monthly matrix per value
  plus the total) over ~10,000,000 orders against pandas ``groupby`` on the
  orders frame carrying the property: every eligible cell's retention equal
  (to 1e-12). Attaching the property to the log is timed apart.
* Ingestion: ``EventLog.from_frame`` of a 10,000,000-row pandas frame and
  polars frame (1,000,000 integer customer ids, µs timestamps in random order,
  four event kinds as Arrow-backed strings, amounts with NaN where absent);
  rows per second, using every core (``LogOptions.threads``).

Each timing is the median of ``--repeat`` runs (one run for the slow pandas
cohort reference unless asked). Not part of the test command: it takes
minutes and gigabytes.
"""

from __future__ import annotations

import argparse
import time
import warnings
from typing import Any, Callable, List, Tuple

import numpy as np
import pandas as pd

import retention

RESULTS: List[Tuple[str, float, float, str, str]] = []


def median_time(repeat: int, fn: Callable[[], Any]) -> Tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), out


def record(name: str, ours: float, ref: float, ref_name: str, check: str) -> None:
    RESULTS.append((name, ours, ref, ref_name, check))
    print(f"  {name}: retention {ours:.3f}s, {ref_name} {ref:.3f}s, ratio {ref / ours:.1f}x  [{check}]", flush=True)


def rel(a: Any, b: Any) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


# ----------------------------------------------------------------- survival


def survival(rng: np.random.Generator, scale: float, repeat: int) -> None:
    import lifelines
    from lifelines.utils import concordance_index

    n = int(1_000_000 * scale)
    event = rng.exponential(20.0, size=n)
    censor = 60.0 * rng.uniform(size=n)
    d = np.ceil(np.minimum(event, censor))
    e = event <= censor
    ours, (table, median, _) = median_time(repeat, lambda: retention.kaplan_meier(d, e))
    km = lifelines.KaplanMeierFitter()
    ref, _ = median_time(repeat, lambda: km.fit(d, e))
    err = max(rel(table["survival"], km.survival_function_["KM_estimate"].values),
              rel(table["lower"], km.confidence_interval_.iloc[:, 0].values))
    assert err < 1e-6, err
    record(f"Kaplan-Meier, {n:,} durations", ours, ref, "lifelines", f"max rel diff {err:.1e}")

    # The lifelines door itself, on continuous (all distinct) durations.
    from retention.compat.lifelines import CoxPHFitter as CompatCox
    from retention.compat.lifelines import KaplanMeierFitter as CompatKM
    dc = np.minimum(event, censor)
    ours_km = CompatKM()
    ours, _ = median_time(repeat, lambda: ours_km.fit(dc, e))
    ref, _ = median_time(repeat, lambda: km.fit(dc, e))
    err = rel(ours_km.survival_function_.values[:, 0], km.survival_function_.values[:, 0])
    assert err < 1e-6, err
    record(f"compat KaplanMeierFitter, {n:,} distinct durations", ours, ref, "lifelines", f"max rel diff {err:.1e}")

    n = int(100_000 * scale)
    x = rng.normal(size=(n, 7))
    beta = np.array([0.5, -0.3, 0.2, 0.0, 0.1, -0.2, 0.4])
    t = rng.exponential(10.0 * np.exp(-x @ beta))
    c = rng.uniform(0, 25, size=n)
    df = pd.DataFrame(x, columns=[f"x{i}" for i in range(7)])
    df["T"] = np.minimum(t, c)
    df["E"] = (t <= c).astype(int)
    ours, got = median_time(repeat, lambda: retention.cox_ph(df, "T", "E"))
    cph = lifelines.CoxPHFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, _ = median_time(repeat, lambda: cph.fit(df, duration_col="T", event_col="E"))
    # Absolute: one true coefficient is 0, where a relative difference means nothing.
    err_b = float(np.max(np.abs(np.asarray(got["coefficients"]) - cph.params_.values)))
    err_ll = rel(got["log_likelihood"], cph.log_likelihood_)
    assert err_b < 1e-5 and err_ll < 1e-6, (err_b, err_ll)
    record(f"Cox (Efron), {n:,} x 7", ours, ref, "lifelines", f"coef abs {err_b:.1e}, loglik rel {err_ll:.1e}")

    # Through the lifelines door: strata and case weights.
    sw = df.assign(stratum=rng.integers(0, 4, size=n), w=rng.integers(1, 4, size=n).astype(float))
    ours_cph = CompatCox(strata=["stratum"])
    ours, _ = median_time(repeat, lambda: ours_cph.fit(sw, "T", "E", weights_col="w"))
    cph_s = lifelines.CoxPHFitter(strata=["stratum"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, _ = median_time(repeat, lambda: cph_s.fit(sw, "T", "E", weights_col="w"))
    err_b = float(np.max(np.abs(ours_cph.params_.values - cph_s.params_.values)))
    assert err_b < 1e-5, err_b
    record(f"compat CoxPHFitter, strata + weights, {n:,} x 7", ours, ref, "lifelines", f"coef abs {err_b:.1e}")

    scores = -(x @ beta)
    ours, ci = median_time(repeat, lambda: retention.concordance_index(df["T"], scores, df["E"]))
    ref, ci_ref = median_time(repeat, lambda: concordance_index(df["T"], scores, df["E"]))
    err = rel(ci, ci_ref)
    assert err < 1e-6, err
    record(f"concordance, {n:,}", ours, ref, "lifelines", f"rel diff {err:.1e}")


# --------------------------------------------------------------- parametric


def parametric(rng: np.random.Generator, scale: float, repeat: int) -> None:
    import lifelines

    from retention.compat.lifelines import WeibullAFTFitter, WeibullFitter

    n = int(100_000 * scale)
    x = rng.normal(size=(n, 7))
    beta = np.array([0.5, -0.3, 0.2, 0.0, 0.1, -0.2, 0.4])
    t = np.exp(2.5 + x @ beta) * rng.weibull(1.5, size=n)
    c = rng.uniform(0, 40, size=n)
    df = pd.DataFrame(x, columns=[f"x{i}" for i in range(7)])
    df["T"] = np.minimum(t, c)
    df["E"] = (t <= c).astype(int)
    ours_aft = WeibullAFTFitter()
    ours, _ = median_time(repeat, lambda: ours_aft.fit(df, "T", "E"))
    ref_aft = lifelines.WeibullAFTFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, _ = median_time(repeat, lambda: ref_aft.fit(df, "T", "E"))
    err = float(np.max(np.abs(ours_aft.params_.values - ref_aft.params_.values) / ref_aft.standard_errors_.values))
    assert err < 5e-3 and ours_aft.log_likelihood_ >= ref_aft.log_likelihood_ - 1e-6, err
    record(f"compat WeibullAFTFitter, {n:,} x 7", ours, ref, "lifelines", f"coef {err:.1e} se")

    n = int(1_000_000 * scale)
    d = 20.0 * rng.weibull(1.3, size=n)
    cens = rng.uniform(0, 60, size=n)
    dur, e = np.minimum(d, cens), d <= cens
    ours_wf = WeibullFitter()
    ours, _ = median_time(repeat, lambda: ours_wf.fit(dur, e))
    ref_wf = lifelines.WeibullFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, _ = median_time(repeat, lambda: ref_wf.fit(dur, e))
    err = rel(ours_wf.params_.values, ref_wf.params_.values)
    assert err < 1e-5 and ours_wf.log_likelihood_ >= ref_wf.log_likelihood_ - 1e-6, err
    record(f"compat WeibullFitter, {n:,} durations", ours, ref, "lifelines", f"params rel {err:.1e}")


# ---------------------------------------------------------------------- RFM


def orders(rng: np.random.Generator, customers: int, per_customer: float, months: int) -> pd.DataFrame:
    """Orders of `customers` customers over `months` months from 2023-01-01:
    a first order uniformly in time, then Poisson repeats after it."""
    start = np.datetime64("2023-01-01T00:00:00", "us")
    span_us = int(months * 30.4375 * 86_400e6)
    first = rng.integers(0, span_us, size=customers)
    extra = rng.poisson(per_customer - 1.0, size=customers)
    ids = np.repeat(np.arange(customers, dtype=np.int64), 1 + extra)
    firsts = np.repeat(first, 1 + extra)
    offsets = rng.integers(0, span_us, size=len(ids))
    is_first = np.concatenate([[True], ids[1:] != ids[:-1]])
    ts = np.where(is_first, firsts, firsts + (offsets % np.maximum(span_us - firsts, 1)))
    amount = np.round(rng.gamma(2.0, 25.0, size=len(ids)), 2)
    return pd.DataFrame({
        "customer_id": ids,
        "timestamp": (start + ts.astype("timedelta64[us]")).astype("datetime64[us]"),
        "amount": amount,
    })


def pandas_rfm(df: pd.DataFrame, as_of: pd.Timestamp, k: int = 5) -> pd.DataFrame:
    # Exact keys for the ranks: integer microseconds and integer cents. Float
    # days or float sums can round two different customers to the same value
    # (or two equal totals apart), and rank-first then breaks those ties
    # differently; the core ranks exact fixed-point sums.
    cents = (df["amount"] * 100).round().astype("int64")
    g = df.assign(cents=cents).groupby("customer_id", sort=True)
    out = pd.DataFrame({
        "recency": (as_of - g["timestamp"].max()).dt.total_seconds().mul(1e6).round().astype("int64"),
        "frequency": g.size(),
        "monetary": g["cents"].sum(),
    })

    def score(s: pd.Series) -> pd.Series:
        return pd.qcut(s.rank(method="first"), k, labels=False) + 1

    out["r"] = k + 1 - score(out["recency"])
    out["f"] = score(out["frequency"])
    out["m"] = score(out["monetary"])
    return out


def rfm(rng: np.random.Generator, scale: float, repeat: int) -> None:
    n = int(1_000_000 * scale)
    df = orders(rng, n, 3.0, 24)
    as_of = pd.Timestamp("2025-01-01")

    def ours_fn() -> Any:
        return retention.rfm(retention.EventLog.from_frame(df).summaries(), as_of)

    ours, got = median_time(repeat, ours_fn)
    ref, want = median_time(repeat, lambda: pandas_rfm(df, as_of))
    got = got.set_index("customer_id")
    same = all((got[c].to_numpy() == want[c].to_numpy()).all() for c in ("r", "f", "m"))
    assert same, "RFM scores differ"
    record(f"RFM scores, {n:,} customers / {len(df):,} orders", ours, ref, "pandas", "R, F, M identical")


# ------------------------------------------------------------------ cohorts


def pandas_cohorts(df: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    month = df["timestamp"].dt.year * 12 + df["timestamp"].dt.month - 1
    cohort = month.groupby(df["customer_id"]).transform("min")
    age = month - cohort
    sizes = cohort.groupby(df["customer_id"]).first().value_counts().sort_index()
    active = pd.DataFrame({"cohort": cohort, "age": age, "customer_id": df["customer_id"]}).drop_duplicates()
    counts = active.groupby(["cohort", "age"]).size().unstack(fill_value=0)
    matrix = counts.div(sizes, axis=0)
    last_complete = as_of.year * 12 + as_of.month - 2  # as_of at a month start
    for c in matrix.index:
        matrix.loc[c, [a for a in matrix.columns if c + a > last_complete]] = np.nan
    return matrix


def cohorts(rng: np.random.Generator, scale: float, repeat: int) -> None:
    n_orders = int(10_000_000 * scale)
    df = orders(rng, max(n_orders // 5, 1), 5.0, 24)
    as_of = pd.Timestamp("2025-01-01")
    log = retention.EventLog.from_frame(df)
    ours, got = median_time(repeat, lambda: retention.cohort_matrix(log, as_of)["retention"])
    ref, want = median_time(1, lambda: pandas_cohorts(df, as_of))
    ages = [str(a) for a in want.columns]
    got_cells = got[ages].to_numpy(dtype=float, na_value=np.nan)
    want_cells = want.to_numpy(dtype=float)
    both_nan = np.isnan(got_cells) & np.isnan(want_cells)
    diff = np.where(both_nan, 0.0, np.abs(got_cells - want_cells))
    assert got_cells.shape == want_cells.shape and np.nanmax(diff) < 1e-12, np.nanmax(diff)
    record(f"cohort matrix (month), {len(df):,} orders", ours, ref, "pandas",
           f"{got_cells.size} cells equal")


def pandas_breakdown(df: pd.DataFrame, as_of: pd.Timestamp) -> dict:
    """Monthly retention per (segment, cohort, age) and of the total, eligible cells only."""
    month = df["timestamp"].dt.year * 12 + df["timestamp"].dt.month - 1
    cohort = month.groupby(df["customer_id"]).transform("min")
    frame = pd.DataFrame({"segment": df["segment"], "cohort": cohort, "age": month - cohort,
                          "customer_id": df["customer_id"]}).drop_duplicates()
    last_complete = as_of.year * 12 + as_of.month - 2  # as_of at a month start
    frame = frame[frame["cohort"] + frame["age"] <= last_complete]
    firsts = frame[frame["age"] == 0]
    out = {}
    for keys, by in ((["segment"], frame), ([], frame)):
        sizes = firsts.groupby(keys + ["cohort"], observed=True).size()
        counts = by.groupby(keys + ["cohort", "age"], observed=True).size()
        share = counts / sizes.reindex(counts.index.droplevel("age")).to_numpy()
        for key, value in share.items():
            segment, c, a = key if keys else ("*total*",) + key
            out[(segment, f"{c // 12:04d}-{c % 12 + 1:02d}", a)] = value
    return out


def breakdown_cohorts(rng: np.random.Generator, scale: float, repeat: int) -> None:
    n_orders = int(10_000_000 * scale)
    df = orders(rng, max(n_orders // 5, 1), 5.0, 24)
    segments = np.array([f"segment_{k}" for k in range(10)])
    customer_segment = segments[rng.integers(0, 10, size=int(df["customer_id"].max()) + 1)]
    df["segment"] = pd.Categorical(customer_segment[df["customer_id"].to_numpy()])
    as_of = pd.Timestamp("2025-01-01")
    log = retention.EventLog.from_frame(df[["customer_id", "timestamp", "amount"]])
    ids = np.unique(df["customer_id"].to_numpy())
    props = pd.DataFrame({"customer_id": ids, "segment": customer_segment[ids]})
    attach, log = median_time(1, lambda: log.with_customer_properties(props))
    ours, got = median_time(repeat, lambda: retention.cohort_retention(log, as_of, breakdown="segment"))
    ref, want = median_time(1, lambda: pandas_breakdown(df, as_of))
    cells = got["cells"][got["cells"]["eligible"] > 0]
    mine = {
        ("*total*" if t else g, c, int(a)): v
        for t, g, c, a, v in zip(cells["total"], cells["breakdown"], cells["cohort"], cells["first_age"],
                                 cells["retention"])
    }
    # pandas lists only cells with a retained customer: the others are 0 here.
    assert all(v == 0.0 for k, v in mine.items() if k not in want)
    worst = max(abs(mine[k] - v) for k, v in want.items())
    assert worst < 1e-12, worst
    print(f"  attaching the property to {len(ids):,} customers: {attach:.3f}s", flush=True)
    record(f"cohort retention by 10 segments, {len(df):,} orders", ours, ref, "pandas",
           f"{len(mine)} cells equal")


# ---------------------------------------------------------------- ingestion


def ingestion(rng: np.random.Generator, scale: float, repeat: int) -> None:
    import polars as pl

    n = int(10_000_000 * scale)
    kinds = np.array(["order", "session", "email_open", "refund"])
    kind = kinds[rng.choice(4, size=n, p=[0.6, 0.3, 0.08, 0.02])]
    df = pd.DataFrame({
        "customer_id": rng.integers(0, n // 10, size=n, dtype=np.int64),
        "timestamp": pd.to_datetime(rng.integers(1.67e18, 1.73e18, size=n, dtype=np.int64)).as_unit("us"),
        # Arrow-backed strings: pandas 3's default `str`; the same in pandas 2.
        "event": pd.array(kind, dtype="string[pyarrow]"),
        "amount": np.where((kind == "order") | (kind == "refund"), np.round(rng.gamma(2.0, 25.0, size=n), 2), np.nan),
    })
    ours_pd, log = median_time(repeat, lambda: retention.EventLog.from_frame(df))
    assert len(log) == n
    pl_df = pl.from_pandas(df)
    ours_pl, log = median_time(repeat, lambda: retention.EventLog.from_frame(pl_df))
    assert len(log) == n
    print(f"  ingestion, {n:,} rows: pandas {n / ours_pd / 1e6:.1f}M rows/s ({ours_pd:.2f}s), "
          f"polars {n / ours_pl / 1e6:.1f}M rows/s ({ours_pl:.2f}s)", flush=True)
    INGEST.extend([("pandas", n, ours_pd), ("polars", n, ours_pl)])


INGEST: List[Tuple[str, int, float]] = []


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--only", choices=["survival", "parametric", "rfm", "cohorts", "breakdown", "ingestion"],
                   action="append")
    args = p.parse_args()
    rng = np.random.default_rng(2024)
    steps = {"survival": survival, "parametric": parametric, "rfm": rfm, "cohorts": cohorts,
             "breakdown": breakdown_cohorts, "ingestion": ingestion}
    for name in args.only or list(steps):
        print(f"{name}:", flush=True)
        steps[name](rng, args.scale, args.repeat)
    print()
    print(f"{'workload':<52} {'retention':>10} {'reference':>10} {'ratio':>7}  check")
    for name, ours, ref, ref_name, check in RESULTS:
        print(f"{name:<52} {ours:>9.3f}s {ref:>9.3f}s {ref / ours:>6.1f}x  {ref_name}; {check}")
    for lib, n, secs in INGEST:
        flag = "ok" if n / secs >= 20e6 else "below the 20M rows/s target"
        print(f"{'ingestion from ' + lib + f', {n:,} rows':<52} {secs:>9.3f}s {'':>10} {'':>7}  "
              f"{n / secs / 1e6:.1f}M rows/s ({flag})")


if __name__ == "__main__":
    main()
