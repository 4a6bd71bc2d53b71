"""Batch: the pipeline over a whole archive, on local processes or a Dask cluster.

Task types, the run, executors, the resumable manifest, the consistency scan, draft
release copies and the corpus report.
"""
