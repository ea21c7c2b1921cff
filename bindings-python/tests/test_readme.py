"""The repository README's Python examples run as written."""

from __future__ import annotations

import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def python_blocks(spark: bool = False) -> list[str]:
    """The README's Python blocks; those using ``retention.spark`` run in ``tests/spark``."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    return [b for b in blocks if ("retention.spark" in b) == spark]


def test_readme_has_python_examples() -> None:
    assert python_blocks(), "README.md lost its Python examples"


def test_readme_python_examples_run() -> None:
    for block in python_blocks():
        exec(compile(block, str(README), "exec"), {})
