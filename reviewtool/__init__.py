"""reviewtool: redaction and declassification review of diplomatic cables.

The public API: `parse_cable`/`read_cable` turn text into a `Cable` whose every field
and paragraph is a span of the original text; `declassification_status` says where a
cable stands; the rule, review, release and audit layers build on these.
"""

from reviewtool.core.audit import AuditLog
from reviewtool.core.audit import verify as verify_audit
from reviewtool.core.cable.declass import DeclassStatus, declassification_status
from reviewtool.core.cable.markings import Level, Marking, overall, parse_marking
from reviewtool.core.cable.model import Cable, Paragraph
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.cable.read import read_cable
from reviewtool.core.finish import FinishResult, finish_review
from reviewtool.core.release.model import Release
from reviewtool.core.release.render import render_release
from reviewtool.core.review.folder import ReviewFolder
from reviewtool.core.review.review import Review
from reviewtool.core.rules.load import load_rules
from reviewtool.core.rules.model import RuleSet
from reviewtool.core.suggest.engine import suggest
from reviewtool.core.suggest.model import Suggestion
from reviewtool.errors import ReviewToolError

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
