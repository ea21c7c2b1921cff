#!/usr/bin/env bash
# Builds the `retention` Python package and runs its checks, from a machine
# with only python3 (>= 3.9) and cargo. Idempotent; safe to run repeatedly.
#
#   .venv      test environment: pinned pandas 3 / polars / pyarrow / numpy,
#              pytest, mypy (stubtest), matplotlib, notebook runner.
#   .venv-ref  reference environment: lifelines 0.30.3 and lifetimes 0.11.3,
#              which require pandas < 3 (lifelines pins `pandas<3.0`), so they
#              live apart; only the `reference`-marked tests run there.
#
# Steps: build the abi3 wheel once (maturin, release), install it into both
# environments, pytest (warnings are errors), the docstring examples
# (doctest), mypy.stubtest against the built
# extension module, the quickstart notebook (executed headless), and the
# reference comparisons.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

step() { printf '\n==> %s\n' "$*"; }

PY=${PYTHON:-python3}
MAIN_PINS=(
  maturin==1.16.0 pytest==9.2.0 numpy==2.4.6 pandas==3.1.1 polars==2.1.0 pyarrow==26.0.1
  matplotlib==3.11.2 mypy==2.4.1 nbclient==0.11.0 nbformat==5.11.1 ipykernel==7.4.0
  formulaic==1.2.2
)
# retention.spark (the Spark door): its tests run a local Spark on Java 17.
# PySpark 4.3 needs Python >= 3.11; on older interpreters the Spark tests skip.
if "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  MAIN_PINS+=(pyspark==4.3.0)
else
  echo "python < 3.11: pyspark 4.3 is not installable, the Spark tests will be skipped"
fi
# lifetimes 0.11.3 runs fine under numpy 2 / pandas 2.3 / scipy 1.17. (A
# "recency larger than T" error from BetaGeoFitter().fit(df.frequency,
# df.recency, df.T) is `df.T`, the transpose, not the column: use df["T"].)
REF_PINS=(
  pytest==9.2.0 numpy==2.4.6 pandas==2.3.3 polars==2.1.0 pyarrow==26.0.1
  lifelines==0.30.3 lifetimes==0.11.3
  # print_summary(style="latex") renders through pandas' Styler, on both sides.
  jinja2==3.1.6
)

# Creates (if missing) a venv and installs pins (if not already satisfied).
ensure_venv() {
  local dir=$1; shift
  [ -x "$dir/bin/python" ] || "$PY" -m venv "$dir"
  local stamp="$dir/.pins"
  local want; want=$(printf '%s\n' "$@")
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
    printf '%s\n' "$want" > "$stamp"
  fi
}

step "Java runtime for Spark (installed only where java is absent)"
if command -v java >/dev/null 2>&1; then
  java -version 2>&1 | head -1
else
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  java -version 2>&1 | head -1
fi
# Spark's Python workers must run the test environment's interpreter.
export PYSPARK_PYTHON="$ROOT/.venv/bin/python" PYSPARK_DRIVER_PYTHON="$ROOT/.venv/bin/python"

step "test environments (.venv, .venv-ref)"
ensure_venv .venv "${MAIN_PINS[@]}"
ensure_venv .venv-ref "${REF_PINS[@]}"

step "build the abi3 wheel (maturin, release)"
rm -rf target/wheels-python
.venv/bin/maturin build --release --quiet -m bindings-python/Cargo.toml --out target/wheels-python
WHEEL=$(ls target/wheels-python/retention-*-cp39-abi3-*.whl)
echo "$WHEEL"

step "install the wheel"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
.venv-ref/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"

step "pytest (installed wheel, warnings are errors)"
# Run from the tests directory so that `import retention` finds the installed
# package, not the source tree.
(cd bindings-python/tests && "$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider -m "not reference" --ignore=spark .)

step "Spark tests (retention.spark on a local[2] Spark, one session)"
(cd bindings-python/tests && "$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider -m "not reference" spark)

step "doctests: the examples in the installed package's docstrings"
(cd bindings-python/tests && "$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider --doctest-modules --pyargs retention)

step "mypy.stubtest against the built extension"
(cd bindings-python/tests && "$ROOT/.venv/bin/python" -m mypy.stubtest retention --ignore-missing-stub \
   --mypy-config-file "$ROOT/bindings-python/mypy.ini" --allowlist "$ROOT/bindings-python/stubtest-allowlist.txt")

step "quickstart notebook (nbclient, kernel from .venv)"
# A kernelspec inside .venv (found through sys.prefix) so that the notebook
# runs on .venv's python and the installed wheel, whatever kernels the user has.
.venv/bin/python -m ipykernel install --prefix "$ROOT/.venv" --name retention-venv \
  --display-name "retention (.venv)" >/dev/null
(cd bindings-python/examples && "$ROOT/.venv/bin/python" - <<'PY'
import nbformat
from nbclient import NotebookClient

nb = nbformat.read("quickstart.ipynb", as_version=4)
NotebookClient(nb, kernel_name="retention-venv", timeout=300, allow_errors=False).execute()
print(f"quickstart.ipynb: {sum(c.cell_type == 'code' for c in nb.cells)} code cells ran without error")
PY
)

step "reference comparisons (lifelines, lifetimes) in .venv-ref"
(cd bindings-python/tests && RETENTION_REQUIRE_REFERENCE=1 "$ROOT/.venv-ref/bin/python" -m pytest -q -p no:cacheprovider -m reference --ignore=spark .)

echo
echo "python checks passed"
