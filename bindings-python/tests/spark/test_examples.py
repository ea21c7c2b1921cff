"""The README's Spark example and the notebook-style example run as written (on the shared session)."""

import pathlib
import runpy

import pytest

pytest.importorskip("pyspark")

from test_readme import README, python_blocks  # noqa: E402

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "spark_summaries.py"


def test_readme_spark_examples_run(spark):
    blocks = python_blocks(spark=True)
    assert blocks, "README.md lost its Spark example"
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})


def test_notebook_style_example_runs(spark, capsys):
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "incremental update == one-shot summary" in out
    assert "2 amount -3 negative" in out
