"""Draft mode: every suggestion the rule sets' policy admits accepted in a review of its
own, by the batch's reviewer on the batch date, and the draft release copy of that
review, marked as a draft on its first line. A reviewer confirms it later
(`reviewtool review CABLES_DIR --review-dir OUT/review`).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from datetime import time as dtime

from reviewtool.core.batch.types import BatchOptions
from reviewtool.core.cable.model import Cable
from reviewtool.core.outputs import AUDIT, RELEASE, CableFiles
from reviewtool.core.report.leaks import leak_fields, leak_place
from reviewtool.core.review.model import Action
from reviewtool.core.rules.model import Policy, RuleSet
from reviewtool.core.suggest.model import Suggestion


def policy_allows(suggestion: Suggestion, policy: Policy | None) -> bool:
    """The rule sets' draft policy (`Policy.admits`: a minimum score, and codes)."""
    return policy is not None and policy.admits(suggestion.score, suggestion.codes)


def _draft(cable: Cable, name: str, suggestions: Sequence[Suggestion],
           accepted: Sequence[Suggestion], rules: RuleSet,
           opts: BatchOptions) -> tuple[list[tuple[str, bytes]], str]:
    """Draft mode: a review in which every suggestion the policy admits is accepted (by
    ``opts.reviewer``, stamped with the batch date), its draft release copy, and the review
    store and audit log, all returned as bytes: the driver writes them (a Dask worker may
    not see OUT). The review folder files let `reviewtool review` open the draft. The
    second value says whether the copy was written or why the leak check refused it."""
    from reviewtool.core.release.render import render_release
    from reviewtool.core.review.outcome import release_input
    from reviewtool.core.review.review import Review

    with tempfile.TemporaryDirectory(prefix="reviewtool-draft-") as tmp:
        review = Review.open(tmp, cable, suggestions, reviewer=opts.reviewer,
                             rules_sha256=opts.rules_sha256, clock=draft_clock(opts.on),
                             rules=rules)
        try:
            for s in accepted:
                if review.decision(s.id) is None:
                    review.accept(s.id, note="draft: admitted by the rule sets' policy; "
                                             "awaiting a reviewer")
            release = render_release(release_input(review, on=opts.on, seal=review.seal))
            outputs: list[tuple[str, bytes]] = []
            if release.leaks:
                # The leak check is always on, drafts included: no copy, and the review
                # (in the review folder) is where a reviewer settles the places it lists.
                # Status and log say where, never what: both leave the private store.
                status = (f"refused by the leak check: {len(release.leaks)} place(s) still "
                          f"show withheld text (first: "
                          f"{leak_place(release, release.leaks[0])})")
                review.log_event(Action.RELEASE_REFUSED, note=f"draft: {status}",
                                 leaks=[leak_fields(release, lk) for lk in release.leaks])
            else:
                status = "written"
                text = draft_banner(release.text)
                review.log_event("output", note="draft release copy, awaiting review",
                                 file=f"{name}{RELEASE}", stamp=release.stamp,
                                 sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
                outputs.append((f"cables/{name}{RELEASE}", text.encode("utf-8")))
        finally:
            review.close()
        files = CableFiles.of(tmp, cable)
        audit = files.audit.read_bytes()
        outputs += [
            (f"cables/{name}{AUDIT}", audit),
            (f"review/{files.store.name}", files.store.read_bytes()),
            (f"review/{files.audit.name}", audit),
        ]
        return outputs, status


DRAFT_NOTICE = ("DRAFT - AWAITING REVIEW: redactions proposed by rule sets, not yet "
                "confirmed by a reviewer. NOT FOR RELEASE.")


def draft_banner(text: str) -> str:
    """A draft release copy says so on its first line, before the release stamp."""
    return f"{DRAFT_NOTICE}\n{text}"


def draft_clock(on: date) -> Callable[[], datetime]:
    """The clock draft decisions are stamped with: the batch date, midnight UTC, so that
    a rerun writes byte-identical audit logs; the reviewer's confirmations carry real
    times."""
    stamp = datetime.combine(on, dtime(0, 0), tzinfo=UTC)
    return lambda: stamp
