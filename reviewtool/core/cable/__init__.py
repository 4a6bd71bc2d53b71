"""Stage 1, the cable: text in, a `Cable` out.

Markings and exemption codes (the vocabulary every later stage speaks), the `Cable`
model whose every field and paragraph is a span of the original text, the parser,
declassification status and the JSON export of a parsed cable.
"""
