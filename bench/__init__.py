"""Benchmarks run by hand on a throwaway database (see bench/README.md); not part of the app."""
