"""Seklik's own tooling: the `seklik` CLI, the local stack, the site build, deploy packaging.

Runs on workstations and in CI; never deployed. The deployed API lives in
functions/ (chalicelib), which this package imports but never the reverse.
"""
