"""A report as a standalone HTML page, rendered from its Markdown with raw HTML off."""

from __future__ import annotations

import html

from markdown_it import MarkdownIt

STYLESHEET = """
body { font: 11pt/1.4 Georgia, serif; max-width: 60em; margin: 2em auto; color: #111; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
table { border-collapse: collapse; margin: 0.5em 0 1.2em; width: 100%; }
th, td { border: 1px solid #888; padding: 0.2em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
@media print {
  body { margin: 0; max-width: none; font-size: 9.5pt; }
  h2 { page-break-before: auto; } tr, td { page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def markdown_renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render_html(md: str, title: str) -> str:
    """A standalone HTML page for ``md``: raw HTML in the Markdown is shown as text."""
    body = markdown_renderer().render(md)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{STYLESHEET}</style>\n</head>\n"
            f"<body>\n{body}</body>\n</html>\n")
