"""Stage 5, the release copy: decided redactions in, a stamped copy that leaks nothing out.

Rendering from plain data, redaction marks, mirrored redactions of repeated text, and
the leak check that refuses a copy still holding a withheld string.
"""
