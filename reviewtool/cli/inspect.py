"""``reviewtool inspect``: a readable summary, or JSON Lines, per cable."""

from __future__ import annotations

import argparse
import json
import textwrap

from reviewtool.cli.common import Exit, SubParsers, read_cables
from reviewtool.core.cable.declass import declassification_status
from reviewtool.core.cable.export import cable_to_json
from reviewtool.core.cable.model import Cable


def register(sub: SubParsers) -> None:
    p = sub.add_parser("inspect", help="show a cable's header fields, paragraphs and status",
                       description="Parse cables and summarize each: header fields, "
                       "paragraphs with number, marking and first words, declassification "
                       "status.")
    p.add_argument("paths", nargs="+", metavar="CABLE_OR_DIR")
    p.add_argument("--json", action="store_true", help="one JSON object per cable per line")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    failed = False
    for _path, cable in read_cables(args.paths):
        if cable is None:
            failed = True
            continue
        if args.json:
            print(json.dumps(cable_to_json(cable), ensure_ascii=False))
        else:
            print(summary(cable))
    return Exit.FAILED if failed else Exit.OK


def summary(cable: Cable) -> str:
    st = declassification_status(cable)
    cb = cable.classified_by
    lines = [
        f"{cable.id}  {cable.classification.banner()}  {cable.origin or ''}  "
        f"{cable.created.date().isoformat() if cable.created else ''}",
        f"  source      {cable.source}",
        f"  subject     {cable.subject.value if cable.subject else '-'}",
        f"  tags        {' '.join(cable.tags) or '-'}",
        f"  refs        {'; '.join(cable.refs) or '-'}",
        f"  E.O.        {f'{cable.decl.order}: {cable.decl.text}' if cable.decl else '-'}",
        f"  classified  {cb.text if cb else '-'}",
    ]
    if cb:
        lines.append(f"    by {cb.name or '?'} ({cb.title or '?'}); reasons "
                     f"{', '.join(cb.reasons) or '-'}")
    auto = st.automatic.isoformat() if st.automatic else "-"
    lines.append(f"  status      {st.status}: {st.detail}; 25-year date {auto}")
    if cable.duplicates:
        lines.append(f"  duplicates  {len(cable.duplicates)} repeated block(s), not reviewed")
    lines.append(f"  paragraphs  {len(cable.paragraphs)}")
    for p in cable.paragraphs:
        mark = p.marking.format() if p.marking else "-"
        flag = " inherited" if p.inherited else (" UNMARKED" if p.unmarked else "")
        words = " ".join(cable.text[p.text_start:p.end].split())
        lines.append(f"    {p.label:<6} {mark:<10}{flag:<10} "
                     f"{textwrap.shorten(words, 60, placeholder='...')}")
    if cable.signer:
        lines.append(f"  signer      {cable.signer.value}")
    return "\n".join(lines) + "\n"
