"""Widgets of the review screen: the paragraph list, the paragraph text, the explanation."""
