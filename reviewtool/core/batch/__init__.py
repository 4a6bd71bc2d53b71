"""Batch: the pipeline over a whole archive, on local processes or a Dask cluster.

Modules, each importing only those above it::

    types        the request, options, tasks, results, records, summary (no logic)
    consistency  withheld terms, the term index, the scan of one cable
    draft        draft mode: the policy, the draft review and its release copy
    work         what a worker does for one cable; the seam to the rules and the engine
    executors    the local process pool and the Dask cluster, chunks, the window
    manifest     the resumable manifest and the consistency scan's cache
    report       triage.csv, errors.jsonl, consistency.csv, report.md and .html
    run          `run_batch`: the run, step by step
"""
