"""The reviews behind the golden files and the finish/report tests: a reviewer's session
on each seed cable, built from hand-made suggestions and a fixed clock."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reviewtool.core.review.review import Review
from tests.core.handmade import RULES_SHA, Clock, cable, term_suggestions

ON = date(2026, 11, 23)
SETTINGS = {"case_no": "F-2026-00417", "authority": "IPS/PP, E.O. 13526 sec. 3.3"}


def paris174(folder: Path, reviewer: str = "j.smith") -> Review:
    c = cable("05PARIS174")
    r = Review.open(folder, c, term_suggestions(c), reviewer=reviewer, rules_sha256=RULES_SHA,
                    clock=Clock())
    r.settings.update(SETTINGS, doc_no="C05760075")
    by_text: dict[str, list[str]] = {}
    for s in r.suggestions:
        by_text.setdefault(s.text, []).append(s.id)
    r.accept_everywhere(by_text["David Bertolotti"][0], note="MFA official's name")
    r.accept_everywhere(by_text["Bertolotti"][0])
    r.accept_everywhere(by_text["In'Trad"][0], codes=["(b)(1)", "1.4(b)", "1.4(d)"])
    r.reject(by_text["New Technologies Islamabad"][0], note="named in public reporting")
    r.dispose(2, "withhold", ["(b)(1)", "1.4(d)"])
    r.set_note("p2", "British liaison information throughout; nothing segregable")
    return r


def paris1196(folder: Path, reviewer: str = "j.smith") -> Review:
    c = cable("05PARIS1196")
    r = Review.open(folder, c, term_suggestions(c, ["Bertolotti", "David Bertolotti"]),
                    reviewer=reviewer, rules_sha256=RULES_SHA, clock=Clock())
    r.settings.update(SETTINGS, doc_no="C05760076")
    for s in r.suggestions:
        r.accept(s.id)
    i = c.text.index("ROBERT W. DRY")
    r.add_manual(i, i + len("ROBERT W. DRY"), ["(b)(6)"], "classifying official's name")
    r.dispose(3, "part")
    return r
