"""Tests of retention.spark (a package, so that its conftest does not shadow tests/conftest.py)."""
