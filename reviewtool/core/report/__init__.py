"""Stage 6, reports: finished reviews in, per-cable and per-set reports with a Vaughn index out."""
