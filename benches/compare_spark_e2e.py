"""End to end on Spark: ``retention.spark`` against Spark SQL + ``toPandas`` + lifetimes.

The issue's Performance section (#14): a generated shop of about 1M and 10M
events on ``local[2]`` (and ``local[1]`` for the scaling), taken from events
to per-customer scores (P(alive), expected purchases over 30 days, 12-month
CLV), two ways, in one script:

* ``retention.spark``: ``summaries`` (the mergeable state, written as the
  table a team keeps) -> ``model_input`` (on the executors) -> ``fit``
  (BG/NBD) and ``fit_gamma_gamma`` (only the distinct histories reach the
  driver, with counts as weights) -> ``scores`` on the executors, written to
  Parquet. Every step is materialised (Parquet), so nothing is recomputed.
* ``lifetimes`` (what teams do today): a Spark SQL aggregation of the orders
  to frequency / recency / T / monetary value per customer (lifetimes'
  ``summary_data_from_transaction_data`` rules, daily periods),
  ``toPandas`` (Arrow enabled), then lifetimes 0.11.3 ``BetaGeoFitter`` and
  ``GammaGammaFitter`` fits and the three predictions on the driver, written
  with pandas to Parquet.

Each (approach, size, master) runs in its own process with its own JVM, so
its peak memory is its own: the ``retention.spark`` runs in ``.venv`` (our
wheel, pyspark), the lifetimes runs in ``.venv-ref`` (lifetimes 0.11.3
needs pandas < 3; pyspark is installed there too: ``.venv-ref/bin/pip
install pyspark==4.3.0``). The events are generated once per size
(``retention.sample_events``, the sample shop, seed 7) and written to
Parquet; both approaches read that file. Spark's start-up (JVM, session) is
not timed; the table's seconds run from reading the Parquet events to the
scores on disk.

Memory, "driver peak": the peak resident set (``VmHWM`` in
``/proc/<pid>/status``; not ``ru_maxrss``, which Linux carries over from the
forked parent) of the driver's Python process, and of the JVM its peak
resident set and the sum of the heap pools' peak
usage (``MemoryPoolMXBean.getPeakUsage``). In ``local[n]`` the JVM is the
driver and the executors in one process, so its figures include the
executors' work; Spark's Python workers (children of the JVM) are not
counted.

The two model inputs are checked to be equal (frequency, recency, T exactly,
monetary value to 1e-9) and the parameters and scores of the two approaches
are printed side by side (lifetimes' optimiser stops at its own tolerance, so
they agree to a few digits, not bitwise).

Usage, from the repository root (after ``bash scripts/test-python.sh``)::

    .venv/bin/python benches/compare_spark_e2e.py --events 1000000,10000000 \\
        --masters "local[2],local[1]"

Figures (2026-12-03, this repository's 2-core development machine, shared
with seven other jobs: ``uptime`` load average 20-31 throughout, so every
time is several times what an idle machine gives; sample shop seed 7, 26
events per customer, 7.5 % of them orders; seconds from reading the events
to the scores on disk; "ours x" = lifetimes' time / ours)::

    events     master   approach   seconds  ours x  (steps, s)
    1,086,642  local[2] ours         239.2          summaries 177.0, model input 17.3, fits 38.0, scores 7.0
    1,086,642  local[2] lifetimes     57.7   0.24x  Spark SQL + toPandas 52.6, fits 3.1, scores 2.0
    1,086,642  local[1] ours         266.0          summaries 191.6, model input 18.6, fits 48.2, scores 7.5
    1,086,642  local[1] lifetimes     67.3   0.25x  Spark SQL + toPandas 62.5, fits 3.5, scores 1.4
    3,265,152  local[2] ours *       354.4          summaries 298.5, model input 19.2, fits 31.0, scores 5.6
    3,265,152  local[2] lifetimes *  244.7   0.69x  Spark SQL + toPandas 185.4, fits 35.1, scores 24.2
    (* both approaches at once, --parallel)

Second run, both approaches at once (``--parallel``, load average 25-32),
with the driver's peak memory in MiB (Python: peak resident set of the
driver process; JVM: peak resident set / sum of the heap pools' peaks; in
``local[n]`` the JVM also does the executors' work, ``-Xmx2g``)::

    events     approach   seconds  ours x  Python  JVM RSS  JVM heap
    1,086,642  ours         185.6             153     1003       564
    1,086,642  lifetimes    141.8   0.76x     216      624       326
    3,265,152  ours         372.9             156     1062       636
    3,265,152  lifetimes    232.8   0.62x     236      872       478

The driver's Python stays flat for ours (153 -> 156 MiB for 3x the events;
it holds only the distinct histories) and grows for lifetimes (216 -> 236
MiB: every customer's row in pandas). The JVM's figures vary from run to
run with garbage collection (the sequential 1M run: ours 873 / 458,
lifetimes 692 / 324; 3M: ours 1490 / 1124, lifetimes 782 / 377), and ours
needs more JVM memory for the shuffle of all events.

The target (at least 10x faster than lifetimes on the driver, at 10M events)
is not met: on one 2-core machine ``retention.spark`` is 1.3-4x slower end
to end. Where the time goes: the mergeable state reads every event (8
columns, all 12 event kinds), shuffles them by customer and passes them
through Arrow to Python workers, while the Spark SQL aggregation reads only
the 4 columns of the orders (Parquet pruning) inside the JVM; ``summaries``
is 75-85 % of our time. Our fits and scores stay flat (the fit moved 18,103
and 51,026 distinct histories of 32,517 and 97,484 customers; 31-48 s, mostly
Spark job start-up at this load), while lifetimes' fits and predictions on
the driver grow with the customers (5 s at 1M events, 59 s at 3M). The 10M
case was not run: at this load our 3M run took 6 min, so 10M would have
taken ~20 min per approach, past the session's deadline. Extrapolating
linearly from 3M: lifetimes ~800 s (Spark SQL ~610, driver ~195), ours
~1,050 s (summaries ~990), a speed-up of ~0.75x. ``local[1]`` against
``local[2]``: 266 s against 239 s (ours), 67 s against 58 s (lifetimes),
i.e. almost no gain, because the machine's two cores were saturated by the
other jobs; these figures do not show Spark's scaling.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

END = "2025-01-01"  # the sample shop is observed up to 2025-01-01 00:00 UTC
T_DAYS = 30.0  # horizon of the expected purchases
HORIZON_MONTHS = 12
DISCOUNT = 0.01  # per month
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _session(master: str, arrow: bool):
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true" if arrow else "false")
        .config("spark.log.level", "ERROR")
        .getOrCreate()
    )


def _peak_rss_mib(pid: int) -> float:
    """Peak resident set of a process (``VmHWM``), MiB.

    Not ``ru_maxrss``: Linux carries that over ``execve`` from the forked
    parent, so a worker started by this script would report the parent's
    peak (which holds the generated events).
    """
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _memory(spark) -> dict:
    """Peak memory of this driver: Python's ru_maxrss, the JVM's VmHWM and heap pools' peaks (MiB)."""
    jvm = spark._jvm
    hwm = _peak_rss_mib(int(jvm.java.lang.ProcessHandle.current().pid()))
    heap = 0
    for pool in jvm.java.lang.management.ManagementFactory.getMemoryPoolMXBeans():
        if str(pool.getType().toString()) == "Heap memory":
            heap += int(pool.getPeakUsage().getUsed())
    return {
        "python_mib": _peak_rss_mib(os.getpid()),
        "jvm_rss_mib": hwm,
        "jvm_heap_mib": heap / 2**20,
    }


def run_ours(events_path: str, master: str, out: str) -> dict:
    import retention.spark as rs

    spark = _session(master, arrow=False)
    steps = {}
    t0 = time.perf_counter()
    with rs.typed_errors():
        t = time.perf_counter()
        rs.summaries(spark.read.parquet(events_path)).write.mode("overwrite").parquet(f"{out}/state")
        steps["summaries"] = time.perf_counter() - t
        t = time.perf_counter()
        rs.model_input(spark.read.parquet(f"{out}/state"), END, unit="day").write.mode("overwrite").parquet(f"{out}/input")
        steps["model input"] = time.perf_counter() - t
        t = time.perf_counter()
        inputs = spark.read.parquet(f"{out}/input")
        bg = rs.fit("bg_nbd", inputs)
        gg = rs.fit_gamma_gamma(inputs)
        steps["fits"] = time.perf_counter() - t
        t = time.perf_counter()
        scores = rs.scores(inputs, bg, gg, t=T_DAYS, horizon_months=HORIZON_MONTHS,
                           monthly_discount_rate=DISCOUNT, time_unit="day")
        scores.write.mode("overwrite").parquet(f"{out}/scores")
        steps["scores"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    distinct = inputs.select("frequency", "recency", "T").distinct().count()
    result = {"steps": steps, "total": total, "params": bg.params, "gg_params": gg.params,
              "customers": inputs.count(), "rows_to_driver": distinct, **_memory(spark)}
    spark.stop()
    return result


def run_lifetimes(events_path: str, master: str, out: str) -> dict:
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    spark = _session(master, arrow=True)
    steps = {}
    t0 = time.perf_counter()
    t = time.perf_counter()
    spark.read.parquet(events_path).createOrReplaceTempView("events")
    # lifetimes' summary_data_from_transaction_data on daily periods: spend summed per
    # (customer, day); frequency = days - 1, recency and T from the first day, monetary
    # value = mean spend of the repeat days (0 without one).
    summary = spark.sql(f"""
        WITH days AS (
          SELECT customer_id, to_date(timestamp) AS day, SUM(amount) AS spend
          FROM events WHERE event = 'order' GROUP BY customer_id, to_date(timestamp)
        ), ranked AS (
          SELECT *, MIN(day) OVER (PARTITION BY customer_id) AS first_day FROM days
        )
        SELECT customer_id,
               CAST(COUNT(*) - 1 AS DOUBLE) AS frequency,
               CAST(DATEDIFF(MAX(day), MIN(first_day)) AS DOUBLE) AS recency,
               CAST(DATEDIFF(DATE'{END}', MIN(first_day)) AS DOUBLE) AS T,
               COALESCE(AVG(CASE WHEN day > first_day THEN spend END), 0D) AS monetary_value
        FROM ranked GROUP BY customer_id
    """)
    data = summary.toPandas()
    steps["Spark SQL + toPandas"] = time.perf_counter() - t
    t = time.perf_counter()
    bgf = BetaGeoFitter(penalizer_coef=0.0).fit(data["frequency"], data["recency"], data["T"])
    repeat = data[data["frequency"] > 0]
    ggf = GammaGammaFitter(penalizer_coef=0.0).fit(repeat["frequency"], repeat["monetary_value"])
    steps["fits"] = time.perf_counter() - t
    t = time.perf_counter()
    f, r, T, m = data["frequency"], data["recency"], data["T"], data["monetary_value"]
    scores = pd.DataFrame({
        "customer_id": data["customer_id"],
        "probability_alive": bgf.conditional_probability_alive(f, r, T),
        "expected_purchases": bgf.conditional_expected_number_of_purchases_up_to_time(T_DAYS, f, r, T),
        "clv": ggf.customer_lifetime_value(bgf, f, r, T, m, time=HORIZON_MONTHS, discount_rate=DISCOUNT,
                                           freq="D").to_numpy(),
    })
    scores.to_parquet(f"{out}/scores.parquet")
    data.to_parquet(f"{out}/input.parquet")
    steps["scores"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    result = {"steps": steps, "total": total, "params": {k: float(v) for k, v in bgf.params_.items()},
              "gg_params": {k: float(v) for k, v in ggf.params_.items()}, "customers": len(data),
              "rows_to_driver": len(data), **_memory(spark)}
    spark.stop()
    return result


def _worker(args) -> None:
    fn = run_ours if args.worker == "ours" else run_lifetimes
    load = os.getloadavg()[0]
    result = fn(args.events_path, args.master, args.out)
    result["load"] = (load + os.getloadavg()[0]) / 2
    print("RESULT " + json.dumps(result))


def _start(python: str, approach: str, events_path: str, master: str, out: str):
    cmd = [python, os.path.abspath(__file__), "--worker", approach, "--events-path", events_path,
           "--master", master, "--out", out]
    env = dict(os.environ, PYSPARK_PYTHON=python, PYSPARK_DRIVER_PYTHON=python)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finish(proc, timeout: float, what: str):
    """The worker's result, or None if it ran past ``timeout`` seconds (then it is stopped)."""
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    sys.stderr.write(stdout[-3000:] + stderr[-6000:])
    raise SystemExit(f"{what} failed")


def _compare(out_ours: str, out_ref: str) -> str:
    """Model inputs equal; the largest differences of the scores between the two approaches."""
    import numpy as np
    import pyarrow.parquet as pq

    def frame(path):
        return pq.read_table(path).to_pandas().sort_values("customer_id").reset_index(drop=True)

    a, b = frame(f"{out_ours}/input"), frame(f"{out_ref}/input.parquet")
    assert len(a) == len(b) and (a["customer_id"].to_numpy() == b["customer_id"].to_numpy()).all()
    for c in ("frequency", "recency", "T"):
        assert np.array_equal(a[c].to_numpy(), b[c].to_numpy()), c
    assert np.allclose(a["monetary_value"], b["monetary_value"], rtol=1e-9, atol=1e-9)
    sa, sb = frame(f"{out_ours}/scores"), frame(f"{out_ref}/scores.parquet")
    diffs = []
    for c in ("probability_alive", "expected_purchases", "clv"):
        x, y = sa[c].to_numpy(), sb[c].to_numpy()
        diffs.append(f"{c} {np.max(np.abs(x - y) / np.maximum(1.0, np.abs(y))):.1e}")
    return "model inputs equal; largest score difference (relative, floor 1): " + ", ".join(diffs)


def _dir(approach: str, n: int, master: str) -> str:
    """An output folder name without glob characters (Hadoop paths treat ``[2]`` as a glob)."""
    return f"{approach}-{n}-" + "".join(c if c.isalnum() else "_" for c in master)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", default="1000000,10000000", help="comma-separated event counts (approximate)")
    ap.add_argument("--masters", default="local[2],local[1]")
    ap.add_argument("--approaches", default="ours,lifetimes")
    ap.add_argument("--ref-python", default=os.path.join(ROOT, ".venv-ref", "bin", "python"))
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a run is abandoned")
    ap.add_argument("--parallel", action="store_true",
                    help="run the approaches of a size at the same time (each then shares the cores with the other)")
    ap.add_argument("--worker", choices=["ours", "lifetimes"], help=argparse.SUPPRESS)
    ap.add_argument("--events-path", help=argparse.SUPPRESS)
    ap.add_argument("--master", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _worker(args)
        return

    import pyarrow.parquet as pq

    import retention

    pythons = {"ours": sys.executable, "lifetimes": args.ref_python}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.events.split(",")):
            path = os.path.join(tmp, f"events-{n}.parquet")
            table = retention.sample_events(seed=7, customers=max(100, n // 26), library="pyarrow")
            events = table.num_rows
            pq.write_table(table, path, row_group_size=500_000)
            del table
            for master in args.masters.split(","):
                got, procs = {}, {}
                for approach in args.approaches.split(","):
                    out = os.path.join(tmp, _dir(approach, n, master))
                    os.makedirs(out, exist_ok=True)
                    procs[approach] = _start(pythons[approach], approach, path, master, out)
                    if not args.parallel:
                        got[approach] = _finish(procs[approach], args.timeout, f"{approach}, {n:,} events, {master}")
                for approach in args.approaches.split(","):
                    if args.parallel:
                        got[approach] = _finish(procs[approach], args.timeout, f"{approach}, {n:,} events, {master}")
                    r = got[approach]
                    print(f"{events:,} events, {master}, {approach}: " + (
                        "did not finish" if r is None else
                        f"{r['total']:.1f} s ({', '.join(f'{k} {v:.1f}' for k, v in r['steps'].items())}); "
                        f"{r['customers']:,} customers, {r['rows_to_driver']:,} rows to the driver; "
                        f"BG/NBD {r['params']}; load {r['load']:.1f}"), flush=True)
                if all(got.get(a) for a in ("ours", "lifetimes")):
                    print("  " + _compare(os.path.join(tmp, _dir("ours", n, master)),
                                          os.path.join(tmp, _dir("lifetimes", n, master))), flush=True)
                rows.append((events, master, got))
    print()
    print(f"{'events':>11} {'master':<9}{'approach':<11}{'seconds':>9}{'ours x':>8}"
          f"{'py MiB':>8}{'JVM RSS':>9}{'JVM heap':>9}{'load':>6}")
    for events, master, got in rows:
        ours = got.get("ours")
        for approach, r in got.items():
            if r is None:
                print(f"{events:>11,} {master:<9}{approach:<11}{'DNF':>9}")
                continue
            ratio = f"{r['total'] / ours['total']:.2f}x" if ours and approach != "ours" else ""
            print(f"{events:>11,} {master:<9}{approach:<11}{r['total']:>9.1f}{ratio:>8}{r['python_mib']:>8.0f}"
                  f"{r['jvm_rss_mib']:>9.0f}{r['jvm_heap_mib']:>9.0f}{r['load']:>6.1f}")


if __name__ == "__main__":
    main()
