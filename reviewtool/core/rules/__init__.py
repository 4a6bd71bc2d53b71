"""Stage 2, the rules: YAML rule sets in, a validated `RuleSet` out.

Loading with file, line and rule named in every error, one validator per rule kind,
regex risk analysis and the rules' own examples.
"""
