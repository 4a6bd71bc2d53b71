"""RuleSet + Cable -> `Suggestion`s, each with an explanation of every rule that fired.

`suggest(cable, rules)` runs the rule set's compiled matchers (built once per rule set
and cached on it) over a normalized view of the cable, keeps each match inside its
rule's scope (where: body, header, subject or all; and the paragraph's effective
marking), drops allow-listed text, propagates names found by name, field and pattern
rules to their later bare mentions, suggests every other occurrence of a suggested name
or term (case- and line-break-insensitive, near spellings of withheld names too: the
release leak check refuses a copy that withholds a text in one place and shows it in
another), withholds whole paragraphs for `paragraph` rules, and merges overlapping
matches into one suggestion that keeps every contribution.
Same input, same output, same order (sorted by start). `match_text` runs one rule on a
plain string (used by `rules test`).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from rapidfuzz import fuzz, process

from reviewtool.core.cable.codes import short_code, sort_codes
from reviewtool.core.cable.markings import Level, Marking
from reviewtool.core.cable.model import Cable
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.rules.model import Rule, RuleSet
from reviewtool.core.suggest.matchers import (
    FuzzyMatcher,
    RegexPlan,
    TermMatcher,
    TextView,
    find_exact,
    find_words,
    is_capitalized,
    normalize_term,
    regex_plan,
    run_regex,
    safe_lower,
)
from reviewtool.core.suggest.model import Contribution, Suggestion
from reviewtool.core.suggest.names import find_names, is_strong_stop, lexicon, surname_of

CONTEXT_WINDOW = 120  # normalized characters either side searched for context words
CONTEXT_BOOST = 0.1  # score added per context word found
DERIVED_FACTOR = 0.95  # a propagated name scores a little below the match it came from


@dataclass(frozen=True)
class _Compiled:
    terms: TermMatcher
    fuzzy: tuple[FuzzyMatcher, FuzzyMatcher]  # (other terms, capitalized terms)
    allow: TermMatcher
    rules: tuple[Rule, ...]
    plans: dict[str, RegexPlan | None]
    allow_keys: frozenset[str]
    # Characters a hit's text may start with to be an allowed key (`_allowed`): the
    # keys' first characters, and the capitals that lower-case to them.
    allow_firsts: frozenset[str]


def _compile(rules: RuleSet) -> _Compiled:
    cached = rules.cache.get("engine")
    if cached is not None:
        return cached
    # Near-miss spellings are not sought among ordinary words, jargon and place names
    # ("Scud" vs "Such", "Ghauri" vs "Gharui" yes, "Paris" no). Capitalized terms get a
    # matcher of their own, which looks only at capitalized words (much faster).
    terms, allow = TermMatcher(), TermMatcher()
    fuzzy = (FuzzyMatcher(skip=lexicon().never), FuzzyMatcher(skip=lexicon().never))
    for i, r in enumerate(rules.rules):
        if r.kind != "terms":
            continue
        for t in r.terms:
            terms.add(t, (i, t), r.case_sensitive)
            if r.fuzzy is not None:
                fuzzy[is_capitalized(t)].add(t, (i, t), r.fuzzy, r.case_sensitive)
    for a in rules.allow:
        allow.add(a, a)
    plans = {r.id: regex_plan(r.regex) for r in rules.rules if r.regex is not None}
    keys = frozenset(allow.keys())
    firsts = {k[0] for k in keys}
    firsts |= {c.upper() for c in firsts if safe_lower(c.upper()) == c}
    compiled = _Compiled(terms, fuzzy, allow, rules.rules, plans, keys, frozenset(firsts))
    rules.cache["engine"] = compiled
    return compiled


# --------------------------------------------------------------------------- where


@dataclass(frozen=True, slots=True)
class _Locus:
    kinds: frozenset[str]
    marking: Marking | None
    unmarked: bool


_BODY = frozenset(("body", "all"))
_HEADER = frozenset(("header", "all"))
_SUBJECT = frozenset(("subject", "all"))
_SUBJECT_HEADER = frozenset(("subject", "header", "all"))
_ALL = frozenset(("all",))


class _Places:
    """Which part of the cable an original span lies in, and under which marking."""

    def __init__(self, cable: Cable) -> None:
        self.cable = cable
        self.classified = cable.classification.level > Level.U
        self.subject = cable.subject
        self.segments = sorted(cable.segments, key=lambda s: s.start)
        self.title_span: tuple[int, int] | None = None
        self._paragraph_locus: dict[int, _Locus] = {}
        self.seen: _Seen | None = None  # what later phases learn of the view (`_seen`)
        meta = next((s for s in self.segments if s.kind == "meta"), None)
        if cable.title and meta is not None:
            i = cable.text.find(cable.title, meta.start, meta.end)
            if i != -1:
                self.title_span = (i, i + len(cable.title))

    def locus(self, start: int, end: int) -> _Locus | None:
        c = self.cable
        p = c.paragraph_at(start)
        if p is not None:
            if end > p.end:
                return None  # runs across paragraphs: not one place
            # One locus per paragraph (asked for every match in it).
            loc = self._paragraph_locus.get(p.index)
            if loc is None:
                loc = self._paragraph_locus[p.index] = _Locus(_BODY, p.marking, p.unmarked)
            return loc
        if self.subject and self.subject.start <= start and end <= self.subject.end:
            return _Locus(_SUBJECT_HEADER, c.subject_marking or c.classification, False)
        if self.title_span and self.title_span[0] <= start and end <= self.title_span[1]:
            return _Locus(_SUBJECT, c.subject_marking or c.classification, False)
        for s in self.segments:
            if s.start <= start < s.end:
                if end > s.end:
                    return _Locus(_ALL, c.classification, False)
                kinds = {"duplicate": _BODY, "header": _HEADER}.get(s.kind, _ALL)
                return _Locus(kinds, c.classification, False)
        return None

    def regions(self, where: str) -> list[tuple[int, int]]:
        """Original spans making up ``where``."""
        c = self.cable
        if where == "all":
            return [(0, len(c.text))]
        if where == "subject":
            out = [(self.subject.start, self.subject.end)] if self.subject else []
            if self.title_span:
                out.append(self.title_span)
            return sorted(out)
        if where == "header":
            return [(s.start, s.end) for s in self.segments if s.kind == "header"]
        out = [(p.text_start, p.end) for p in c.paragraphs]
        out += [(s.start, s.end) for s in self.segments if s.kind == "duplicate"]
        return sorted(out)


def _in_scope(rule: Rule, locus: _Locus | None, check_where: bool = True) -> bool:
    if locus is None:
        return False
    if check_where and rule.scope.where not in locus.kinds:
        return False
    return rule.scope.admits(locus.marking, locus.unmarked)


# --------------------------------------------------------------------------- matching


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    rule: Rule
    kind: str
    matched: str
    score: float
    fuzzy: float | None = None
    derived_from: str | None = None
    context: tuple[str, ...] = ()


def _term_hits(view: TextView, comp: _Compiled, places: _Places) -> list[_Hit]:
    out: list[_Hit] = []
    for h in comp.terms.find(view):
        s, e = view.span(h.start, h.end)
        locus = places.locus(s, e)
        for i, term in h.payloads:  # type: ignore[misc]
            r = comp.rules[i]
            if _in_scope(r, locus):
                out.append(_Hit(s, e, r, "terms", term, r.score))
    for fh in (h for matcher in comp.fuzzy for h in matcher.find(view)):
        s, e = view.span(fh.start, fh.end)
        locus = places.locus(s, e)
        for i, term in fh.payloads:  # type: ignore[misc]
            r = comp.rules[i]
            if _in_scope(r, locus):
                out.append(_Hit(s, e, r, "terms", term, r.score * fh.score / 100, fh.score))
    return out


def _regex_hits(view: TextView, rule: Rule, plan: RegexPlan | None,
                places: _Places) -> list[_Hit]:
    assert rule.regex is not None
    out = []
    group = rule.group if rule.group is not None else 0
    if rule.scope.where in ("body", "all"):
        bounds = [(0, len(view.norm))]
    else:  # only the header or subject: look nowhere else
        bounds = [(view.norm_pos(a), view.norm_pos(b - 1) + 1)
                  for a, b in places.regions(rule.scope.where) if b > a]
    for lo, hi in bounds:
        for m in run_regex(rule.regex, plan, view, lo, hi):
            a, b = m.span(group)
            if a < 0 or b <= a:
                continue
            s, e = view.span(a, b)
            p = places.cable.paragraph_at(s)
            if p is not None and s < p.text_start:
                # Never take a paragraph's number or portion marking with it.
                s = p.text_start
                if e <= s:
                    continue
            if _in_scope(rule, places.locus(s, e)):
                out.append(_Hit(s, e, rule, "regex", rule.pattern or "", rule.score))
    return out


def _field_hits(cable: Cable, rule: Rule, places: _Places) -> list[_Hit]:
    f = cable.fields.get(rule.field or "")
    if f is None or f.end <= f.start or not cable.text[f.start:f.end].strip():
        return []
    if not _in_scope(rule, places.locus(f.start, f.end), check_where=False):
        return []
    return [_Hit(f.start, f.end, rule, "field", rule.field or "", rule.score)]


def _name_hits(view: TextView, rule: Rule, places: _Places) -> list[_Hit]:
    regions = [(view.norm_pos(a), view.norm_pos(b - 1) + 1)
               for a, b in places.regions(rule.scope.where) if b > a]
    out = []
    for h in find_names(view, regions):
        if h.score < rule.min_score:
            continue
        s, e = view.span(h.start, h.end)
        if _in_scope(rule, places.locus(s, e)):
            out.append(_Hit(s, e, rule, "names", h.evidence, h.score))
    return out


class _Seen:
    """What the phases after matching learn about one view and ask again: where a text
    stands whole in ``view.lower`` (`_propagate`, `_same_text` and `_near_spellings`
    seek many of the same names), and the normalized span of an original span that
    `_propagate` mapped (`_same_text` maps the same spans back)."""

    __slots__ = ("view", "found", "norm_spans")

    def __init__(self, view: TextView | None) -> None:
        self.view = view
        self.found: dict[str, list[int]] = {}
        self.norm_spans: dict[tuple[int, int], tuple[int, int]] = {}

    def where(self, key: str) -> list[int]:
        """`find_exact` of ``key`` in ``view.lower``, as a list."""
        got = self.found.get(key)
        if got is None:
            assert self.view is not None
            got = self.found[key] = _search(self.view.lower, key, self.found)
        return got


def _seen(view: TextView, places: _Places) -> _Seen:
    """The `_Seen` of ``view``, kept with the cable's `_Places` (one per `suggest` call:
    nothing is shared between calls or threads)."""
    seen = places.seen
    if seen is None or seen.view is not view:
        seen = places.seen = _Seen(view)
    return seen


def _search(low: str, key: str, known: dict[str, list[int]]) -> list[int]:
    """`find_exact` of ``key`` in ``low``; for words such as "david bertolotti", from
    where its first or last words stand ("bertolotti", found already) when they are
    known and few: each of those is one whole-word occurrence of these words inside
    every occurrence of ``key``, so checking there finds them all, without a scan."""
    if " " in key:
        best: tuple[int, list[int]] | None = None
        words = key.split(" ")
        for j in range(1, len(words)):
            for part, offset in ((" ".join(words[:j]), 0),
                                 (" ".join(words[j:]), len(key) - len(" ".join(words[j:])))):
                occ = known.get(part) if part else None
                if occ is not None and (best is None or len(occ) < len(best[1])):
                    best = (offset, occ)
        if best is not None and len(best[1]) <= 64:
            offset, occ = best
            n, size = len(key), len(low)
            head, tail = _WORD_CHAR(key[0]), _WORD_CHAR(key[-1])
            out = []
            for p in occ:
                i = p - offset
                if i < 0 or not low.startswith(key, i):
                    continue
                if head and i and _WORD_CHAR(low[i - 1]):
                    continue
                if tail and i + n < size and _WORD_CHAR(low[i + n]):
                    continue
                out.append(i)
            return out
    return list(find_exact(low, key))


def _WORD_CHAR(ch: str) -> bool:  # noqa: N802 - as `find_exact` tells a word character
    return ch.isalnum() or ch == "_"


@lru_cache(maxsize=1 << 14)  # pure, and the same names recur in every cable citing them
def _forms(raw: str, field: bool) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What `_propagate` seeks for a match whose text is ``raw``: its full form and its
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


def _propagate(view: TextView, hits: list[_Hit], places: _Places) -> list[_Hit]:
    """Each name a propagating rule found becomes a term for the rest of the cable:
    its full form and its surname, matched as written (and in capitals)."""
    needles: dict[str, list[tuple[_Hit, str]]] = {}
    seen: set[tuple[str, str]] = set()
    text = view.text
    for h in hits:
        if not h.rule.propagate:
            continue
        rid = h.rule.id
        for form, variants in _forms(text[h.start:h.end], h.kind == "field"):
            for variant in variants:
                if (rid, variant) not in seen:
                    seen.add((rid, variant))
                    needles.setdefault(variant, []).append((h, form))
    # Where each needle stands. A needle and its capitals are one search in the
    # lower-cased text (half the scans), each occurrence then told apart by how it is
    # written. Lowering keeps ASCII letters in place, and a character is a word
    # character exactly when its lower case is, so the whole-word test agrees too.
    norm = view.norm
    memo = _seen(view, places)
    found: dict[str, list[int]] = {v: [] for v in needles}
    families: dict[str, list[str]] = {}
    for variant in needles:
        if variant.isascii():
            families.setdefault(variant.lower(), []).append(variant)
        else:
            found[variant] = list(find_exact(norm, variant))
    # Single words first: a name of several words is then found from them (`_search`).
    for folded, variants in sorted(families.items(), key=lambda fv: fv[0].count(" ")):
        n = len(folded)
        family = {v: found[v] for v in variants}
        for i in memo.where(folded):
            got = family.get(norm[i:i + n])
            if got is not None:
                got.append(i)
    out = []
    whence: dict[int, str] = {}  # per source hit: what a derived hit says it came from
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
                if not _in_scope(src.rule, locus, check_where=False):
                    continue
                why = whence.get(id(src))
                if why is None:
                    quote = " ".join(text[src.start:src.end].split())
                    why = whence[id(src)] = f"{quote!r} at {src.start}"
                out.append(_Hit(s, e, src.rule, "derived", form, src.score * DERIVED_FACTOR,
                                None, why))
    return out


# Near spellings of a withheld person's name count as the same text (the release leak
# check flags them at this rapidfuzz ratio); a name is written with capitals.
SAME_FUZZY_CUTOFF = 88.0
_PRIVACY = frozenset({"B6", "B7(C)"})
_NAME_SHAPE = re.compile(r"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3}$")
_WORDS = re.compile(r"\w+")
_START, _END = attrgetter("start"), attrgetter("end")


def _groups(hits: Iterable[_Hit]) -> list[tuple[int, int, list[_Hit]]]:
    """Overlapping hits as the merged spans `_merge` will make, sorted by start."""
    out: list[tuple[int, int, list[_Hit]]] = []
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


@lru_cache(maxsize=1024)
def _private(codes: tuple[str, ...]) -> bool:
    """Some of ``codes`` withholds for personal privacy."""
    return bool(_PRIVACY & {short_code(c) for c in codes})


# A character that may be part of a whitespace run `TextView` collapses.
_COLLAPSIBLE = re.compile(r"[\s\\]")


def _same_text(view: TextView, hits: list[_Hit], places: _Places) -> list[_Hit]:
    """Every other whole-word occurrence of a suggested text, case- and
    whitespace-insensitive (as the release leak check reads it), becomes a suggestion
    too, explained as the same text as the first; for a person's name withheld for
    privacy, near spellings as well. A capitalized name that is also an ordinary word
    ("Day", "Bill") is not sought in lower case ("the next day")."""
    # Names and terms; a pattern's match only when its rule propagates (a pattern
    # often needs its context: the same words elsewhere need not be the same thing).
    # A case-sensitive term means the other cases are other words ("US" and "us").
    groups = _groups(h for h in hits if h.rule.same_text and h.kind != "paragraph"
                     and (h.kind != "regex" or h.rule.propagate)
                     and not (h.kind == "terms" and h.rule.case_sensitive))
    if not groups:
        return []
    starts = [g[0] for g in groups]
    ends = [g[1] for g in groups]

    def covered(s: int, e: int) -> bool:
        i = bisect_right(starts, s) - 1
        return i >= 0 and e <= ends[i]

    text, norm, low = view.text, view.norm, view.lower
    norm_pos, span = view.norm_pos, view.span
    # The groups in normalized offsets. Most occurrences found lie in a group (they are
    # the mentions found already), so coverage is checked there, before mapping back.
    # When no group starts or ends in a collapsed whitespace run, normalized offsets
    # map back one to one at the groups' edges, and an occurrence lies in a group in
    # normalized offsets exactly when its original span lies in it.
    # (`_propagate` mapped most of them the other way already.)
    memo = _seen(view, places)
    known = memo.norm_spans
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
    out: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    seen: set[str] = set()
    names: list[tuple[str, int, str, list[_Hit]]] = []
    for (s, _, g), ns, ne in zip(groups, nstarts, nends, strict=True):
        key = low[ns:ne]
        if key in seen or len(key) < 2 or not _WORDS.search(key):
            continue
        seen.add(key)
        written = norm[ns:ne]
        plain = written != key and _ordinary(key)
        quote = " ".join(written.split())
        n = len(key)
        for i in memo.where(key):
            if plain and norm[i:i + n] == key:
                continue  # "day" for the name "Day"
            if exact:
                j = bisect_right(nstarts, i) - 1
                if j >= 0 and i + n <= nends[j]:
                    continue
                os_, oe = span(i, i + n)
            else:
                os_, oe = span(i, i + n)
                if covered(os_, oe):
                    continue
            out.extend(_derived(g, os_, oe, places, quote, s, None))
            taken.append((os_, oe))
        # Privacy of the group's codes together = of some hit's (a set intersection).
        if len(quote) >= 5 and _NAME_SHAPE.match(quote) \
                and any(_private(h.rule.codes) for h in g):
            names.append((key, s, quote, g))
    if names:
        out.extend(_near_spellings(view, names, places, covered, taken))
    return out


def _derived(g: list[_Hit], s: int, e: int, places: _Places, quote: str, at: int,
             fuzzy: float | None) -> list[_Hit]:
    """One derived hit per rule of the source group whose scope admits ``[s, e)``."""
    locus = places.locus(s, e)
    out = []
    done: set[str] = set()
    for src in g:
        # A propagating rule's names count wherever they stand (as in `_propagate`);
        # another rule's text, within the rule's own scope.
        if src.rule.id in done or not _in_scope(src.rule, locus,
                                                 check_where=not src.rule.propagate):
            continue
        done.add(src.rule.id)
        factor = DERIVED_FACTOR * (fuzzy / 100 if fuzzy is not None else 1.0)
        out.append(_Hit(s, e, src.rule, "derived", quote, src.score * factor, fuzzy,
                        derived_from=f"same text as {quote!r} at {at}"
                        if fuzzy is None else f"near spelling of {quote!r} at {at}"))
    return out


_PUNCT = ".,;:()[]{}\"'’!?/-"
# A capitalized word, candidates only (where it stands is checked by `find_exact`),
# without trailing punctuation: the word characters and inner ' ’ . - after a capital.
# Possessive, so it takes what ``[A-Z…][\w'’.-]*`` would, then `rstrip(_PUNCT)`.
_CAP_WORD = re.compile(r"[A-Z\u00C0-\u00DE]\w*+(?:[.'’-]++\w++)*+")
_CAP_WORD_ASCII = re.compile(r"[A-Z]\w*+(?:[.'-]++\w++)*+", re.ASCII)  # the same on ASCII


def _near_spellings(view: TextView, names: list[tuple[str, int, str, list[_Hit]]],
                    places: _Places, covered: Callable[[int, int], bool],
                    taken: list[tuple[int, int]]) -> list[_Hit]:
    """Capitalized word windows within `SAME_FUZZY_CUTOFF` of a withheld name
    (``names``: its lower-cased key, start, quote and group).

    Candidates first: the cable's distinct words near the name's first word (rapidfuzz
    in C over a few hundred words); a window of the name's length is scored only where
    one of those stands, so a cable costs one regex pass, not a scan per window."""
    low, norm = view.lower, view.norm
    memo = _seen(view, places)
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
    # By length (a sort in C): the words of a range of lengths are one slice.
    words = sorted(distinct, key=len)
    lengths = list(map(len, words))
    out: list[_Hit] = []
    nearby: dict[tuple[str, float], list[str]] = {}
    for key, s0, quote, g in names:
        kw = key.split(" ")
        k = len(kw)
        lead_cut = SAME_FUZZY_CUTOFF if k == 1 else SAME_FUZZY_CUTOFF - 13
        # Names often share a first word: each search is made once.
        near = nearby.get((kw[0], lead_cut))
        if near is None:
            # ratio = 2M / (a + b) >= c needs c/(2-c) <= b/a <= (2-c)/c: only those lengths.
            c, n = lead_cut / 100, len(kw[0])
            lo = bisect_left(lengths, int(n * c / (2 - c)))
            hi = bisect_right(lengths, int(n * (2 - c) / c))
            found = process.extract(kw[0], words[lo:hi], scorer=fuzz.ratio,
                                    score_cutoff=lead_cut, limit=None)
            # Best first; ties by length, then alphabetically (a fixed order).
            found.sort(key=lambda m: (-m[1], len(m[0]), m[0]))
            near = nearby[(kw[0], lead_cut)] = [w for w, _, _ in found]
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
                score = fuzz.ratio(key, cand, score_cutoff=SAME_FUZZY_CUTOFF)
                if not score:
                    continue
                short, long_ = sorted((key, cand), key=len)
                if long_.startswith(short):
                    continue  # "Russia"/"Russian": another word, not a misspelling
                if k > 1 and any(fuzz.ratio(x, y) < SAME_FUZZY_CUTOFF - 13
                                 for x, y in zip(kw, cand.split(" "), strict=False)):
                    continue  # each word must be near, not just the whole
                s, e = view.span(i, i + len(cand))
                if covered(s, e) or any(x < e and s < y for x, y in taken):
                    continue
                taken.append((s, e))
                out.extend(_derived(g, s, e, places, quote, s0, round(score, 1)))
    out.sort(key=lambda h: (h.start, h.end))
    return out


def _paragraph_hits(cable: Cable, rules: Sequence[Rule], hits: list[_Hit]) -> list[_Hit]:
    out: list[_Hit] = []
    text = cable.text
    for r in rules:
        for p in cable.paragraphs:
            s, e = p.text_start, p.end
            while e > s and text[e - 1] in " \t\r\n\\":
                e -= 1
            if e <= s:
                continue
            if r.when:
                inside = [h for h in hits if h.rule.id in r.when and p.start <= h.start < p.end]
                if not inside or not r.scope.admits(p.marking, p.unmarked):
                    continue
                why = ", ".join(dict.fromkeys(h.rule.id for h in inside))
                out.append(_Hit(s, e, r, "paragraph", f"when {why}", r.score))
            elif r.scope.admits(p.marking, p.unmarked):
                mk = p.marking.format() if p.marking else "unmarked"
                score = r.score * (0.6 if p.unmarked else 1.0)
                out.append(_Hit(s, e, r, "paragraph", f"marking {mk}", score))
    return out


def _allowed_spans(view: TextView, comp: _Compiled) -> list[tuple[int, int]]:
    """Original spans of the allow-listed terms in the cable."""
    keys = comp.allow_keys
    if len(keys) <= 50:  # a few terms: plain searches beat a regex scan
        found = [(i, i + len(k)) for k in keys for i in find_exact(view.lower, k)]
    else:
        found = [(h.start, h.end) for h in comp.allow.find(view)]
    return [view.span(a, b) for a, b in found]


def _allowed(view: TextView, comp: _Compiled, hits: list[_Hit],
             spans: list[tuple[int, int]]) -> list[_Hit]:
    """``hits`` without those whose text is allow-listed or inside an allowed term's
    ``spans`` (`_allowed_spans`)."""
    keys = comp.allow_keys
    if not keys:
        return hits
    # A hit's text is an allowed key only if its first character (lower-cased as
    # `normalize_term` does) starts one: most hits are ruled out without normalizing.
    firsts = comp.allow_firsts
    text = view.text
    out = []
    for h in hits:
        if h.kind == "paragraph":
            out.append(h)
            continue
        c = text[h.start]
        if (c in firsts or c.isspace() or (not c.isascii() and safe_lower(c) in firsts)) \
                and normalize_term(text[h.start:h.end]) in keys:
            continue
        if spans and any(a <= h.start and h.end <= b for a, b in spans):
            continue
        out.append(h)
    return out


def _add_context(view: TextView, hits: list[_Hit]) -> None:
    for h in hits:
        if not h.rule.context:
            continue
        ns, ne = view.norm_pos(h.start), view.norm_pos(h.end - 1) + 1
        # Nearby means either side of the match, not inside it.
        found = find_words(view, h.rule.context, max(0, ns - CONTEXT_WINDOW), ns)
        found += find_words(view, h.rule.context, ne, min(len(view.norm), ne + CONTEXT_WINDOW))
        found = tuple(dict.fromkeys(found))
        if found:
            h.context = found
            h.score = min(1.0, h.score + CONTEXT_BOOST * len(found))


# --------------------------------------------------------------------------- merging


def suggestion_id(cable_key: str, start: int, end: int) -> str:
    """A short stable id: the same cable and span always give the same id."""
    return "s" + hashlib.sha1(f"{cable_key}:{start}:{end}".encode()).hexdigest()[:10]


def _inner_dropped(g: list[_Hit]) -> list[_Hit]:
    """``g`` without a rule's match inside its own strictly longer match of the same
    kind (it adds nothing to explain). Compared within (rule, kind) only, in one pass:
    ``g`` is sorted by (start, -end), so every hit before ``h`` with another span starts
    at or before it, and ``h`` lies inside one of them iff the furthest end among them
    reaches ``h.end`` (hits of one span are adjacent, so they never cover each other)."""
    reach: dict[tuple[str, str], list] = {}  # (rule, kind) -> [span, reach before span]
    drop: list[_Hit] = []
    for h in g:
        k = (h.rule.id, h.kind)
        st = reach.get(k)
        if st is None:
            reach[k] = [h.start, h.end, -1, h.end]  # this span, reach of spans before, max
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


def _merge(cable: Cable, hits: list[_Hit]) -> list[Suggestion]:
    order = {r: i for i, r in enumerate(dict.fromkeys(h.rule.id for h in hits))}
    hits.sort(key=lambda h: (h.start, -h.end, order[h.rule.id], h.kind, h.matched))
    groups: list[list[_Hit]] = []
    end = -1
    for h in hits:
        if h.start < end:
            groups[-1].append(h)
            if h.end > end:
                end = h.end
        else:
            groups.append([h])
            end = h.end
    key = cable.id or cable.sha256[:16]
    prefix = hashlib.sha1(f"{key}:".encode())
    cid = cable.id or ""
    text = cable.text
    cable_marking = cable.classification.format()
    paragraph_at = cable.paragraph_at
    # Per paragraph: (index, number, marking short form), formatted once.
    place: dict[int, tuple[int, str | None, str | None]] = {}
    out = []
    append = out.append
    for g in groups:
        s = g[0].start
        if len(g) > 1:
            e = max([h.end for h in g])
            g = _inner_dropped(g)
        else:
            e = g[0].end
        if len(g) == 1:
            h = g[0]
            r = h.rule
            fz = h.fuzzy
            contributions: tuple[Contribution, ...] = (Contribution(
                r.id, r.ruleset, h.kind, h.matched, r.reason, r.codes, h.start, h.end,
                None if fz is None else round(fz, 1), h.context, h.derived_from),)
            score = 1 - 1.0 * (1 - (h.score if h.score > 0.0 else 0.0))
            codes = _sorted_codes(r.codes)
        else:
            contribs: dict[tuple, Contribution] = {}
            best: dict[str, float] = {}
            listed: list[str] = []
            for h in g:
                r = h.rule
                ck = (r.id, h.kind, h.matched, h.start, h.end)
                if ck not in contribs:
                    fz = h.fuzzy
                    contribs[ck] = Contribution(
                        r.id, r.ruleset, h.kind, h.matched, r.reason, r.codes, h.start, h.end,
                        None if fz is None else round(fz, 1), h.context, h.derived_from)
                if h.score > best.get(r.id, 0.0):
                    best[r.id] = h.score
                else:
                    best.setdefault(r.id, 0.0)
                listed.extend(r.codes)
            # Independent rules agreeing raise confidence: 1 - prod(1 - score).
            acc = 1.0
            for x in best.values():
                acc *= 1 - x
            score = 1 - acc
            contributions = tuple(contribs.values())
            codes = _sorted_codes(tuple(dict.fromkeys(listed)))
        p = paragraph_at(s)
        if p is None:
            pi = number = None
            marking = cable_marking
        else:
            got = place.get(p.index)
            if got is None:
                got = place[p.index] = (p.index, p.number,
                                        p.marking.format() if p.marking else None)
            pi, number, marking = got
        d = prefix.copy()  # = suggestion_id(key, s, e), the key hashed once
        d.update(b"%d:%d" % (s, e))
        append(Suggestion("s" + d.hexdigest()[:10], cid, s, e, text[s:e], pi, number, marking,
                          codes, round(min(1.0, score), 3), contributions))
    return out


def suggest(cable: Cable, rules: RuleSet) -> list[Suggestion]:
    """Suggested redactions for ``cable`` under ``rules``, sorted by start."""
    comp = _compile(rules)
    view = TextView(cable.text)
    places = _Places(cable)
    hits = _term_hits(view, comp, places)
    for r in rules.rules:
        if r.kind == "regex":
            hits.extend(_regex_hits(view, r, comp.plans.get(r.id), places))
        elif r.kind == "field":
            hits.extend(_field_hits(cable, r, places))
        elif r.kind == "names":
            hits.extend(_name_hits(view, r, places))
    allowed = _allowed_spans(view, comp) if comp.allow_keys else []
    hits = _allowed(view, comp, hits, allowed)
    hits.extend(_allowed(view, comp, _propagate(view, hits, places), allowed))
    hits.extend(_allowed(view, comp, _same_text(view, hits, places), allowed))
    para_rules = [r for r in rules.rules if r.kind == "paragraph"]
    if para_rules:
        hits.extend(_paragraph_hits(cable, para_rules, hits))
    _add_context(view, hits)
    return _merge(cable, hits)


# --------------------------------------------------------------------------- examples

_EXAMPLE_HEADER = "E.O. 12958: DECL: 01/01/2030\nTAGS: PREL\nSUBJECT: EXAMPLE\n\n1. (S) "


def example_cable(text: str) -> Cable:
    """A cable for a rule example: the text itself when it parses as a cable with
    paragraphs, else the text as paragraph 1 of a SECRET cable."""
    try:
        cable = parse_cable(text, source="<example>")
        if cable.paragraphs or cable.classified_by:
            return cable
    except Exception:  # noqa: BLE001 - not a cable: wrap it
        pass
    return parse_cable(_EXAMPLE_HEADER + text + "\n", source="<example>")


def match_text(text: str, rule: Rule, rules: RuleSet) -> list[str]:
    """The texts ``rule`` contributes to when the rule set runs on ``text``."""
    cable = example_cable(text)
    one = RuleSet(tuple(r for r in rules.rules if r.id == rule.id or r.id in rule.when),
                  rules.sets, rules.allow, rules.policy, rules.sha256, rules.extra_codes)
    found = []
    for s in suggest(cable, one):
        for c in s.contributions:
            if c.rule == rule.id:
                found.append(cable.text[c.start:c.end])
    return list(dict.fromkeys(found))


def rule_examples(rules: RuleSet) -> Iterable[tuple[Rule, str, bool, str | None]]:
    """Each example's outcome: (rule, example text, passed, what went wrong)."""
    for r in rules.rules:
        for ex in r.match_examples:
            got = match_text(ex.text, r, rules)
            if not got:
                yield r, ex.text, False, "expected a match, got none"
            elif ex.expect and not set(ex.expect) <= {" ".join(g.split()) for g in got}:
                yield r, ex.text, False, f"expected {list(ex.expect)}, got {got}"
            else:
                yield r, ex.text, True, None
        for ex in r.no_match_examples:
            got = match_text(ex.text, r, rules)
            if got:
                yield r, ex.text, False, f"expected no match, got {got}"
            else:
                yield r, ex.text, True, None
