"""reviewtool: redaction and declassification review of diplomatic cables.

The public API: `parse_cable`/`read_cable` turn text into a `Cable` whose every field
and paragraph is a span of the original text; `declassification_status` says where a
cable stands; the rule, review, release and audit layers build on these.
"""

from .core.audit import AuditLog
from .core.audit import verify as verify_audit
from .core.cables import Cable, Paragraph, parse_cable, read_cable
from .core.declass import DeclassStatus, declassification_status
from .core.engine import suggest
from .core.finish import FinishResult, finish_review
from .core.markings import Level, Marking, overall, parse_marking
from .core.release import Release, render_release
from .core.review import Review, ReviewFolder
from .core.rules import RuleSet, load_rules
from .core.suggestions import Suggestion
from .errors import ReviewToolError

__version__ = "0.1.0"

__all__ = [
    "AuditLog",
    "Cable",
    "DeclassStatus",
    "FinishResult",
    "Level",
    "Marking",
    "Paragraph",
    "Release",
    "Review",
    "ReviewFolder",
    "ReviewToolError",
    "RuleSet",
    "Suggestion",
    "declassification_status",
    "finish_review",
    "load_rules",
    "overall",
    "parse_cable",
    "parse_marking",
    "read_cable",
    "render_release",
    "suggest",
    "verify_audit",
]
