"""Porth benchmarks: `python -m bench [engine|http|weight|all]` (see __main__.py)."""
