"""Stage 3, suggestions: a `Cable` and a `RuleSet` in, `Suggestion`s out.

The text view that maps normalized offsets back to the original, one recognizer per
rule kind, the name recognizer, same-text propagation, the privacy policy (shared with
the release's leak check) and the engine that runs them and merges their hits.
"""
