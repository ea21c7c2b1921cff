"""Spark models and segments on a generated shop: time and equality with one machine.

Runs ``retention.spark`` (``local[2]`` by default) on the sample shop's
generator scaled to about ``--events`` events, and the single-machine
``retention`` functions on the same events, then checks that the answers are
equal (model input and scores exactly, BG/NBD and Gamma-Gamma parameters to
1e-12, RFM scores and thresholds, cohort matrices) and prints the wall times
and the rows the driver received for the fits.

Usage::

    .venv/bin/python benches/compare_spark_models.py --events 1000000 --master "local[2]"

Last run (2026-12-03, 2 shared cores under a load average of ~7.7, so the
Spark times are pessimistic): 1,086,642 events, 38,461 customers, 32,517 with
an order; every answer equal to one machine; the BG/NBD fit moved 10,169
distinct histories to the driver. Spark seconds (one machine, log already
built): model input 12.3 (0.06), BG/NBD fit 1.2 (0.04), Gamma-Gamma fit 1.2
(0.01), scores 1.2 (0.15), RFM 12.9 (0.20), cohort matrix 6.9 (0.05).
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


def timed(label, fn, results):
    t0 = time.perf_counter()
    out = fn()
    results.append((label, time.perf_counter() - t0))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=8)
    args = ap.parse_args()

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    import retention
    import retention.spark as rs
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(args.master).config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC").config("spark.sql.shuffle.partitions", str(args.partitions))
        .config("spark.driver.memory", "2g").config("spark.ui.showConsoleProgress", "false").config("spark.log.level", "ERROR").getOrCreate()
    )
    # About 26 events per customer in the sample shop.
    customers = max(100, args.events // 26)
    log = retention.EventLog.sample(seed=7, customers=customers)
    frame = log.to_frame("pyarrow")
    print(f"{len(frame):,} events, {customers:,} customers, master {args.master}")
    events = spark.createDataFrame(frame).repartition(args.partitions).cache()
    events.count()
    end = "2025-01-01"
    spark_t, local_t = [], []

    inputs = rs.model_input(events, end, unit="week").cache()
    n_inputs = timed("model input", lambda: inputs.count(), spark_t)
    local_in = timed("model input", lambda: retention.summary_data(log, end, unit="week"), local_t)
    distinct = inputs.select("frequency", "recency", "T").distinct().count()
    bg = timed("BG/NBD fit", lambda: rs.fit("bg_nbd", inputs), spark_t)
    bg_local = timed("BG/NBD fit", lambda: retention.TransactionModel.fit("bg_nbd", local_in), local_t)
    gg = timed("Gamma-Gamma fit", lambda: rs.fit_gamma_gamma(inputs), spark_t)
    gg_local = timed("Gamma-Gamma fit", lambda: retention.fit_gamma_gamma(local_in["frequency"], local_in["monetary_value"]), local_t)
    sc = timed("scores", lambda: rs.scores(inputs, bg, gg, t=12, time_unit="week").toArrow().to_pandas(), spark_t)

    def local_scores():
        f, r, T, m = (local_in[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value"))
        return (bg_local.probability_alive(f, r, T), bg_local.conditional_expected_purchases(12, f, r, T),
                retention.predictive_clv(bg_local, gg_local, f, r, T, m, time_unit="week"))

    p, e, c = timed("scores", local_scores, local_t)
    rfm_out = timed("RFM", lambda: (lambda s_t: (s_t[0].toArrow().to_pandas(), s_t[1]))(rs.rfm(events, end)), spark_t)
    rfm_local = timed("RFM", lambda: retention.rfm(log, end), local_t)
    cm = timed("cohort matrix", lambda: rs.cohort_matrix(events, end), spark_t)
    cm_local = timed("cohort matrix", lambda: retention.cohort_matrix(log, end), local_t)

    # Equality with one machine.
    got_in = inputs.toArrow().to_pandas().sort_values("customer_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(got_in, local_in.sort_values("customer_id").reset_index(drop=True), check_exact=True, check_dtype=False)
    for a, b in ((bg.params, bg_local.params), (gg.params, gg_local.params)):
        assert all(abs(a[k] - b[k]) <= 1e-12 * max(1, abs(b[k])) for k in b), (a, b)
    sc = sc.set_index("customer_id").loc[local_in["customer_id"]]
    assert np.array_equal(sc["probability_alive"], p) and np.array_equal(sc["expected_purchases"], e)
    assert np.array_equal(sc["clv"], c)
    rfm_scores, thresholds = rfm_out
    assert thresholds == rfm_local.attrs["thresholds"]
    pd.testing.assert_frame_equal(
        rfm_scores.sort_values("customer_id").reset_index(drop=True),
        rfm_local.sort_values("customer_id").reset_index(drop=True), check_exact=True, check_dtype=False)
    for name in cm_local:
        pd.testing.assert_frame_equal(cm[name], cm_local[name], check_exact=True)
    print(f"equal to one machine: model input ({n_inputs:,} customers), parameters (1e-12), scores, RFM, cohorts")
    print(f"rows to the driver for the BG/NBD fit: {distinct:,} distinct histories (of {n_inputs:,} customers)")
    print(f"{'step':<18}{'spark s':>10}{'one machine s':>16}")
    for (label, ts), (_, tl) in zip(spark_t, local_t):
        print(f"{label:<18}{ts:>10.2f}{tl:>16.2f}")
    spark.stop()


if __name__ == "__main__":
    main()
