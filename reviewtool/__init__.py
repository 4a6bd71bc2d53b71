"""reviewtool: redaction and declassification review of diplomatic cables.

The public API: `parse_cable`/`read_cable` turn text into a `Cable` whose every field
and paragraph is a span of the original text; `declassification_status` says where a
cable stands; the rule, review, release and audit layers build on these.
"""

from .core.cables import Cable, Paragraph, parse_cable, read_cable
from .core.declass import DeclassStatus, declassification_status
from .core.markings import Level, Marking, overall, parse_marking
from .errors import ReviewToolError

__version__ = "0.1.0"

__all__ = [
    "Cable",
    "DeclassStatus",
    "Level",
    "Marking",
    "Paragraph",
    "ReviewToolError",
    "declassification_status",
    "overall",
    "parse_cable",
    "parse_marking",
    "read_cable",
]
