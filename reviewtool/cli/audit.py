"""``reviewtool audit verify LOG...``: check audit logs' hash chains and seals.

The seal is taken from ``--seal``, else from what sits beside the log (the review
store, the release copy's header, a report naming the log). Exit status 1 when any
log is tampered with or unreadable.
"""

from __future__ import annotations

import argparse
import json

from reviewtool.cli.common import Exit, SubParsers, error
from reviewtool.core.audit import Seal, verify
from reviewtool.core.review.seals import find_seal
from reviewtool.errors import ReviewToolError


def register(sub: SubParsers) -> None:
    p = sub.add_parser("audit", help="verify audit logs",
                       description="Work with the hash-chained audit logs of reviews.")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = asub.add_parser("verify", help="detect edited, deleted, inserted, reordered or "
                        "truncated lines",
                        description="Check each log's hash chain, and its seal (the count "
                        "and last hash recorded in the review store, release copy or "
                        "report). Exit status 1 if any log was tampered with.")
    v.add_argument("logs", nargs="+", metavar="LOG")
    v.add_argument("--seal", metavar="SEAL",
                   help="expected seal, 'COUNT:HASH' or the 'Audit seal: ...' line")
    v.add_argument("--json", action="store_true", help="one JSON object per log")
    v.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    failed = False
    for log in args.logs:
        seal: Seal | None = None
        where: str | None = None  # where the seal was found
        try:
            if args.seal:
                seal, where = Seal.parse(args.seal), "--seal"
            else:
                found = find_seal(log)
                if found:
                    seal, where = found
            res = verify(log, seal)
        except ReviewToolError as exc:
            error(str(exc))
            failed = True
            continue
        failed = failed or not res.ok
        if args.json:
            print(json.dumps({
                "log": res.path, "ok": res.ok, "events": res.count, "last_hash": res.last_hash,
                "seal": {"count": seal.count, "hash": seal.hash, "from": where} if seal else None,
                "problems": [{"line": p.line, "kind": p.kind, "message": p.message}
                             for p in res.problems],
                "notes": list(res.notes)}))
            continue
        print(res.summary())
        if seal is not None:
            print(f"  seal from {where}: {seal.count} events")
        else:
            print("  no seal found: lines cut off the end cannot be detected")
        for p in res.problems:
            print(f"  line {p.line}: {p.kind}: {p.message}")
        for note in res.notes:
            print(f"  note: {note}")
    return Exit.FAILED if failed else Exit.OK
