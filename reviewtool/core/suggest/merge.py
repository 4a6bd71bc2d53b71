"""Overlapping hits -> one `Suggestion` each, keeping every hit as a `Contribution`.

A suggestion's score combines its rules' as independent evidence (1 - prod(1 - s),
each rule's best hit once); its codes are the union in vocabulary order; its id is the
stable hash of the cable and the span (`suggestion_id`).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from reviewtool.core.cable.codes import sort_codes
from reviewtool.core.cable.model import Cable
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.model import Contribution, Suggestion


def suggestion_id(cable_key: str, start: int, end: int) -> str:
    """A short stable id: the same cable and span always give the same id."""
    return "s" + hashlib.sha1(f"{cable_key}:{start}:{end}".encode()).hexdigest()[:10]


def _inner_dropped(g: list[Hit]) -> list[Hit]:
    """``g`` without a rule's match inside its own strictly longer match of the same
    kind (it adds nothing to explain). Compared within (rule, kind) only, in one pass:
    ``g`` is sorted by (start, -end), so every hit before ``h`` with another span starts
    at or before it, and ``h`` lies inside one of them iff the furthest end among them
    reaches ``h.end`` (hits of one span are adjacent, so they never cover each other)."""
    # (rule, kind) -> [this span's start, end, reach of the spans before it, max reach]
    reach: dict[tuple[str, str], list[int]] = {}
    drop: list[Hit] = []
    for h in g:
        k = (h.rule.id, h.kind)
        st = reach.get(k)
        if st is None:
            reach[k] = [h.start, h.end, -1, h.end]
            continue
        if st[0] != h.start or st[1] != h.end:  # a new span: earlier ones count now
            st[0], st[1], st[2] = h.start, h.end, st[3]
        if st[2] >= h.end:
            drop.append(h)
        if h.end > st[3]:
            st[3] = h.end
    if not drop:
        return g
    dropped = set(map(id, drop))
    return [h for h in g if id(h) not in dropped]


@lru_cache(maxsize=4096)  # few distinct code lists: sorting each once is enough
def _sorted_codes(codes: tuple[str, ...]) -> tuple[str, ...]:
    return sort_codes(codes)


def _contribution(h: Hit) -> Contribution:
    r, fz, base = h.rule, h.fuzzy, h.base_score
    return Contribution(r.id, r.ruleset, h.kind, h.matched, r.reason, r.codes, h.start,
                        h.end, None if fz is None else round(fz, 1), h.context, h.derived,
                        h.score if base is None else base, h.score)


def _overlapping(hits: list[Hit]) -> list[list[Hit]]:
    """``hits`` sorted (by start, longest first, then rule by first appearance, kind
    and what matched) and cut into groups of overlapping hits."""
    order = {r: i for i, r in enumerate(dict.fromkeys(h.rule.id for h in hits))}
    hits.sort(key=lambda h: (h.start, -h.end, order[h.rule.id], h.kind, h.matched))
    groups: list[list[Hit]] = []
    end = -1
    for h in hits:
        if h.start < end:
            groups[-1].append(h)
            if h.end > end:
                end = h.end
        else:
            groups.append([h])
            end = h.end
    return groups


def _combined(g: list[Hit]) -> tuple[tuple[Contribution, ...], float, tuple[str, ...]]:
    """The contributions, score and codes of a group of several hits: one contribution
    per (rule, kind, matched, span), each rule's best score once."""
    contribs: dict[tuple[str, str, str, int, int], Contribution] = {}
    best: dict[str, float] = {}
    listed: list[str] = []
    for h in g:
        r = h.rule
        ck = (r.id, h.kind, h.matched, h.start, h.end)
        if ck not in contribs:
            contribs[ck] = _contribution(h)
        if h.score > best.get(r.id, 0.0):
            best[r.id] = h.score
        else:
            best.setdefault(r.id, 0.0)
        listed.extend(r.codes)
    # Independent rules agreeing raise confidence: 1 - prod(1 - score).
    acc = 1.0
    for x in best.values():
        acc *= 1 - x
    return tuple(contribs.values()), 1 - acc, _sorted_codes(tuple(dict.fromkeys(listed)))


_Place = tuple[int | None, str | None, str | None]  # paragraph index, number, marking


def merge(cable: Cable, hits: list[Hit]) -> list[Suggestion]:
    """One suggestion per group of overlapping ``hits``, sorted by start."""
    key = cable.id or cable.sha256[:16]
    prefix = hashlib.sha1(f"{key}:".encode())
    cid = cable.id or ""
    text = cable.text
    outside: _Place = (None, None, cable.classification.format())
    paragraph_at = cable.paragraph_at
    # Per paragraph: (index, number, marking short form), formatted once.
    place: dict[int, _Place] = {}
    out: list[Suggestion] = []
    append = out.append
    for g in _overlapping(hits):
        s = g[0].start
        if len(g) > 1:
            e = max([h.end for h in g])
            g = _inner_dropped(g)
        else:
            e = g[0].end
        if len(g) == 1:
            h = g[0]
            contributions: tuple[Contribution, ...] = (_contribution(h),)
            score = 1 - 1.0 * (1 - (h.score if h.score > 0.0 else 0.0))
            codes = _sorted_codes(h.rule.codes)
        else:
            contributions, score, codes = _combined(g)
        p = paragraph_at(s)
        got: _Place | None = outside if p is None else place.get(p.index)
        if got is None:
            assert p is not None
            got = place[p.index] = (p.index, p.number,
                                    p.marking.format() if p.marking else None)
        d = prefix.copy()  # = suggestion_id(key, s, e), the key hashed once
        d.update(b"%d:%d" % (s, e))
        append(Suggestion("s" + d.hexdigest()[:10], cid, s, e, text[s:e], got[0], got[1],
                          got[2], codes, round(min(1.0, score), 3), contributions))
    return out
