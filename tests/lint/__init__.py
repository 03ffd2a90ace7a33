"""Tests of `python -m generator lint` and of the spec loader."""
