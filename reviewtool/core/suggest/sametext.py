"""The phases after matching: propagation, the same text elsewhere, near spellings.

`propagate` makes each name a propagating rule found (names, fields, some patterns) a
term for the rest of the cable: its full form and its surname. `same_text` suggests
every other occurrence of a suggested text (case- and line-break-insensitive, as the
release leak check reads it), and for a person's name withheld for privacy its near
spellings too (`privacy`: the policy the leak check applies). Each derived hit records
where it came from (`Derived`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from rapidfuzz import fuzz, process

from reviewtool.core.rules.kinds import RuleKind
from reviewtool.core.suggest.hits import Hit
from reviewtool.core.suggest.matchers import find_exact
from reviewtool.core.suggest.model import Derived, Origin
from reviewtool.core.suggest.names import is_strong_stop, lexicon, surname_of
from reviewtool.core.suggest.occurrences import Occurrences
from reviewtool.core.suggest.places import Places, in_scope
from reviewtool.core.suggest.privacy import (
    NEAR_CUTOFF,
    WORD_CUTOFF,
    is_name,
    is_private,
    near_spelling,
)
from reviewtool.core.suggest.textview import TextView, normalize_term, safe_lower

DERIVED_FACTOR = 0.95  # a propagated name scores a little below the match it came from


def seen(view: TextView, places: Places) -> Occurrences:
    """The `Occurrences` of ``view``, kept with the cable's `Places` (one per `suggest`
    call: nothing is shared between calls or threads)."""
    memo = places.seen
    if memo is None or memo.view is not view:
        memo = places.seen = Occurrences(view)
    return memo


# --------------------------------------------------------------------------- propagation


@lru_cache(maxsize=1 << 14)  # pure, and the same names recur in every cable citing them
def _forms(raw: str, field: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What `propagate` seeks for a match whose text is ``raw``: its full form and its
    surname, each with the variants to find (as written, in capitals)."""
    text = normalize_term(raw, case_sensitive=True).strip(" ,.;:")
    forms = [text]
    # A name from a header field is a name for sure, even if it is also a word.
    sur = surname_of(text, strict=not field)
    if sur:
        forms.append(sur)
    stop = lexicon().stop
    out = []
    for form in forms:
        if len(form.split()) == 1 and (len(form) < 3 or is_strong_stop(form)
                                       or (not field and form.lower() in stop)):
            continue
        out.append((form, tuple(dict.fromkeys((form, form.upper())))))
    return tuple(out)


_Needles = dict[str, list[tuple[Hit, str]]]  # variant -> (source hit, form) seeking it


def _needles(text: str, hits: list[Hit]) -> _Needles:
    """The variants each propagating rule's matches seek, once per rule and variant."""
    needles: _Needles = {}
    done: set[tuple[str, str]] = set()
    for h in hits:
        if not h.rule.propagate:
            continue
        rid = h.rule.id
        for form, variants in _forms(text[h.start:h.end], h.kind == RuleKind.FIELD):
            for variant in variants:
                if (rid, variant) not in done:
                    done.add((rid, variant))
                    needles.setdefault(variant, []).append((h, form))
    return needles


def _needle_places(view: TextView, needles: _Needles, memo: Occurrences) -> dict[str, list[int]]:
    """Where each needle stands. A needle and its capitals are one search in the
    lower-cased text (half the scans), each occurrence then told apart by how it is
    written. Lowering keeps ASCII letters in place, and a character is a word
    character exactly when its lower case is, so the whole-word test agrees too."""
    norm = view.norm
    found: dict[str, list[int]] = {v: [] for v in needles}
    families: dict[str, list[str]] = {}
    for variant in needles:
        if variant.isascii():
            families.setdefault(variant.lower(), []).append(variant)
        else:
            found[variant] = list(find_exact(norm, variant))
    # Single words first: a name of several words is then found from them (`search`).
    for folded, variants in sorted(families.items(), key=lambda fv: fv[0].count(" ")):
        n = len(folded)
        family = {v: found[v] for v in variants}
        for i in memo.where(folded):
            got = family.get(norm[i:i + n])
            if got is not None:
                got.append(i)
    return found


def propagate(view: TextView, hits: list[Hit], places: Places) -> list[Hit]:
    """Each name a propagating rule found becomes a term for the rest of the cable:
    its full form and its surname, matched as written (and in capitals)."""
    text = view.text
    needles = _needles(text, hits)
    memo = seen(view, places)
    found = _needle_places(view, needles, memo)
    out = []
    whence: dict[int, Derived] = {}  # per source hit: what a derived hit says it came from
    span, locus_of = view.span, places.locus
    norm_spans = memo.norm_spans
    for variant, sources in needles.items():
        n = len(variant)
        for ns in found[variant]:
            s, e = span(ns, ns + n)
            norm_spans[(s, e)] = (ns, ns + n)
            locus = locus_of(s, e)
            for src, form in sources:
                if src.start <= s and e <= src.end:
                    continue  # the match it came from
                if not in_scope(src.rule, locus, check_where=False):
                    continue
                why = whence.get(id(src))
                if why is None:
                    quote = " ".join(text[src.start:src.end].split())
                    why = whence[id(src)] = Derived(Origin.PROPAGATED, quote, src.start)
                out.append(Hit(s, e, src.rule, "derived", form, src.score * DERIVED_FACTOR,
                               None, why))
    return out


# --------------------------------------------------------------------------- same text

_WORDS = re.compile(r"\w+")
_START, _END = attrgetter("start"), attrgetter("end")
# A character that may be part of a whitespace run `TextView` collapses.
_COLLAPSIBLE = re.compile(r"[\s\\]")

_Group = tuple[int, int, list[Hit]]  # merged span (start, end) and its hits
_Name = tuple[str, int, str, list[Hit]]  # a withheld name: key, start, quote, group


def _groups(hits: Iterable[Hit]) -> list[_Group]:
    """Overlapping hits as the merged spans merging will make, sorted by start."""
    out: list[_Group] = []
    # Sorted by (start, -end) as two stable sorts in C (reverse=True keeps ties in order).
    ordered = sorted(hits, key=_END, reverse=True)
    ordered.sort(key=_START)
    for h in ordered:
        if out and h.start < out[-1][1]:
            s, e, g = out[-1]
            g.append(h)
            out[-1] = (s, max(e, h.end), g)
        else:
            out.append((h.start, h.end, [h]))
    return out


@lru_cache(maxsize=1 << 14)  # the same names and terms recur from cable to cable
def _ordinary(key: str) -> bool:
    """Every word of ``key`` is an ordinary word ("day" for the name "Day")."""
    never = lexicon().never
    return all(w in never for w in _WORDS.findall(key))


@dataclass(slots=True)
class _Sought:
    """The groups whose text is sought elsewhere, in original and normalized offsets.

    Most occurrences found lie in a group (they are the mentions found already), so
    coverage is checked there, before mapping back. When no group starts or ends in a
    collapsed whitespace run (``exact``), normalized offsets map back one to one at the
    groups' edges, and an occurrence lies in a group in normalized offsets exactly when
    its original span lies in it. (`propagate` mapped most of them the other way
    already.)"""

    groups: list[_Group]
    starts: list[int]
    ends: list[int]
    nstarts: list[int]
    nends: list[int]
    exact: bool

    def covered(self, s: int, e: int) -> bool:
        """The original span ``[s, e)`` lies in a group."""
        i = bisect_right(self.starts, s) - 1
        return i >= 0 and e <= self.ends[i]


def _sought(view: TextView, groups: list[_Group], memo: Occurrences) -> _Sought:
    text, norm_pos, known = view.text, view.norm_pos, memo.norm_spans
    starts = [g[0] for g in groups]
    ends = [g[1] for g in groups]
    nstarts, nends = [], []
    for s, e, _ in groups:
        got = known.get((s, e))
        if got is None:
            got = norm_pos(s), norm_pos(e - 1) + 1
        nstarts.append(got[0])
        nends.append(got[1])
    edges = "".join(map(text.__getitem__, starts)) + "".join(
        map(text.__getitem__, map((-1).__add__, ends)))
    exact = _COLLAPSIBLE.search(edges) is None
    return _Sought(groups, starts, ends, nstarts, nends, exact)


def same_text(view: TextView, hits: list[Hit], places: Places) -> list[Hit]:
    """Every other whole-word occurrence of a suggested text, case- and
    whitespace-insensitive (as the release leak check reads it), becomes a suggestion
    too, explained as the same text as the first; for a person's name withheld for
    privacy, near spellings as well. A capitalized name that is also an ordinary word
    ("Day", "Bill") is not sought in lower case ("the next day")."""
    # Names and terms; a pattern's match only when its rule propagates (a pattern
    # often needs its context: the same words elsewhere need not be the same thing).
    # A case-sensitive term means the other cases are other words ("US" and "us").
    groups = _groups(h for h in hits if h.rule.same_text and h.kind != RuleKind.PARAGRAPH
                     and (h.kind != RuleKind.REGEX or h.rule.propagate)
                     and not (h.kind == RuleKind.TERMS and h.rule.case_sensitive))
    if not groups:
        return []
    memo = seen(view, places)
    sought = _sought(view, groups, memo)
    norm, low = view.norm, view.lower
    out: list[Hit] = []
    taken: list[tuple[int, int]] = []
    keys: set[str] = set()
    names: list[_Name] = []
    for (s, _, g), ns, ne in zip(groups, sought.nstarts, sought.nends, strict=True):
        key = low[ns:ne]
        if key in keys or len(key) < 2 or not _WORDS.search(key):
            continue
        keys.add(key)
        written = norm[ns:ne]
        quote = " ".join(written.split())
        where = _elsewhere(view, key, written != key and _ordinary(key), sought, memo)
        if where:
            origin = Derived(Origin.SAME_TEXT, quote, s)
            for os_, oe in where:
                out.extend(_derived(g, os_, oe, places, quote, origin, None))
            taken.extend(where)
        # Privacy of the group's codes together = of some hit's (a set intersection).
        if is_name(quote) and any(is_private(h.rule.codes) for h in g):
            names.append((key, s, quote, g))
    if names:
        out.extend(_near_spellings(view, names, places, sought.covered, taken))
    return out


def _elsewhere(view: TextView, key: str, plain: bool, sought: _Sought,
               memo: Occurrences) -> list[tuple[int, int]]:
    """The original spans of ``key``'s occurrences outside every sought group (not in
    lower case when ``plain``: "day" for the name "Day")."""
    norm, span, n = view.norm, view.span, len(key)
    nstarts, nends = sought.nstarts, sought.nends
    out = []
    for i in memo.where(key):
        if plain and norm[i:i + n] == key:
            continue  # "day" for the name "Day"
        if sought.exact:
            j = bisect_right(nstarts, i) - 1
            if j >= 0 and i + n <= nends[j]:
                continue
            out.append(span(i, i + n))
        else:
            os_, oe = span(i, i + n)
            if not sought.covered(os_, oe):
                out.append((os_, oe))
    return out


def _derived(g: list[Hit], s: int, e: int, places: Places, quote: str, origin: Derived,
             fuzzy: float | None) -> list[Hit]:
    """One derived hit per rule of the source group whose scope admits ``[s, e)``."""
    locus = places.locus(s, e)
    out = []
    done: set[str] = set()
    for src in g:
        # A propagating rule's names count wherever they stand (as in `propagate`);
        # another rule's text, within the rule's own scope.
        if src.rule.id in done or not in_scope(src.rule, locus,
                                                check_where=not src.rule.propagate):
            continue
        done.add(src.rule.id)
        factor = DERIVED_FACTOR * (fuzzy / 100 if fuzzy is not None else 1.0)
        out.append(Hit(s, e, src.rule, "derived", quote, src.score * factor, fuzzy, origin))
    return out


# --------------------------------------------------------------------------- near spellings

_PUNCT = ".,;:()[]{}\"'’!?/-"
# A capitalized word, candidates only (where it stands is checked by `find_exact`),
# without trailing punctuation: the word characters and inner ' ’ . - after a capital.
# Possessive, so it takes what ``[A-Z…][\w'’.-]*`` would, then `rstrip(_PUNCT)`.
_CAP_WORD = re.compile(r"[A-Z\u00C0-\u00DE]\w*+(?:[.'’-]++\w++)*+")
_CAP_WORD_ASCII = re.compile(r"[A-Z]\w*+(?:[.'-]++\w++)*+", re.ASCII)  # the same on ASCII


def _capitalized_words(norm: str) -> list[str]:
    """The distinct capitalized words of ``norm``, lower-cased, shortest first (a sort
    in C: the words of a range of lengths are one slice)."""
    if norm.isascii():  # the common case: lower-case them all in one call
        distinct = set("\n".join(_CAP_WORD_ASCII.findall(norm)).lower().split("\n"))
    else:
        capitalized = set(_CAP_WORD.findall(norm))
        # A line break bounds each word (it is not cased, so context-dependent lowering
        # such as a final sigma sees the same word ends).
        joined = "\n".join(capitalized)
        lowered = joined.lower()
        distinct = (set(lowered.split("\n")) if len(lowered) == len(joined)
                    else {safe_lower(w) for w in capitalized})
    return sorted(distinct, key=len)


def _near_words(word: str, cutoff: float, words: list[str], lengths: list[int]) -> list[str]:
    """``words`` (sorted by length) within ``cutoff`` of ``word``: best first, ties by
    length, then alphabetically (a fixed order)."""
    # ratio = 2M / (a + b) >= c needs c/(2-c) <= b/a <= (2-c)/c: only those lengths.
    c, n = cutoff / 100, len(word)
    lo = bisect_left(lengths, int(n * c / (2 - c)))
    hi = bisect_right(lengths, int(n * (2 - c) / c))
    found = process.extract(word, words[lo:hi], scorer=fuzz.ratio, score_cutoff=cutoff,
                            limit=None)
    found.sort(key=lambda m: (-m[1], len(m[0]), m[0]))
    return [w for w, _, _ in found]


def _near_spellings(view: TextView, names: list[_Name], places: Places,
                    covered: Callable[[int, int], bool],
                    taken: list[tuple[int, int]]) -> list[Hit]:
    """Capitalized word windows within `NEAR_CUTOFF` of a withheld name (``names``: its
    lower-cased key, start, quote and group), by `privacy.near_spelling`.

    Candidates first: the cable's distinct words near the name's first word (rapidfuzz
    in C over a few hundred words); a window of the name's length is scored only where
    one of those stands, so a cable costs one regex pass, not a scan per window."""
    low, norm = view.lower, view.norm
    memo = seen(view, places)
    words = _capitalized_words(norm)
    lengths = list(map(len, words))
    out: list[Hit] = []
    nearby: dict[tuple[str, float], list[str]] = {}
    for key, s0, quote, g in names:
        kw = key.split(" ")
        k = len(kw)
        lead_cut = NEAR_CUTOFF if k == 1 else WORD_CUTOFF
        # Names often share a first word: each search is made once.
        near = nearby.get((kw[0], lead_cut))
        if near is None:
            near = nearby[(kw[0], lead_cut)] = _near_words(kw[0], lead_cut, words, lengths)
        origin = Derived(Origin.NEAR_SPELLING, quote, s0)
        for w in near:
            if k == 1 and w == key:
                continue  # the name itself: found exactly already
            for i in memo.where(w):
                if not norm[i].isupper():
                    continue  # a name is written with a capital
                parts = low[i:i + 2 * len(key) + 8].split(" ", k)[:k]
                cand = " ".join(parts).rstrip(_PUNCT)
                if len(parts) < k or cand == key:
                    continue
                score = near_spelling(key, cand)
                if score is None:
                    continue
                s, e = view.span(i, i + len(cand))
                if covered(s, e) or any(x < e and s < y for x, y in taken):
                    continue
                taken.append((s, e))
                out.extend(_derived(g, s, e, places, quote, origin, round(score, 1)))
    out.sort(key=lambda h: (h.start, h.end))
    return out
