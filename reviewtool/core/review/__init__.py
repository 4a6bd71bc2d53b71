"""Stage 4, decisions: suggestions in, a reviewer's decisions (and their audit log) out.

The decision model, the SQLite store that survives a crash, the `Review` API the CLI and
the TUI drive, and the JSON exchange of decisions.
"""
