"""Person names in cable text, without a pretrained model.

`find_names(view, regions)` returns `NameHit`s (normalized spans of a `TextView`):
a capitalized run of words is a name when a title or honorific stands before it
("Deputy Director David Bertolotti", "Mr. Ereli"), when it starts with a known given
name and does not end in an ordinary word ("David Bertolotti"), or when a cue follows
or precedes it ("Bertolotti said", "according to Velasco", "Velasco (protect)").
Word lists: given names and surnames from Faker's locales (MIT); a stop-list learned
from the corpus (capitalized words that also occur in lower case), places (posts,
countries, words after "in"), and cable jargon. `surname_of` says which part of a
name propagates as a term. Built by tools/build_name_data.py into data/names.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import add, attrgetter, itemgetter, sub
from pathlib import Path
from typing import Literal

from reviewtool.core.suggest.textview import TextView

_DATA = Path(__file__).resolve().parents[2] / "data" / "names.json"

# Words that introduce a person's name. Lower-case keys; multiword titles end in one
# of these, so the last title word is enough.
TITLES = frozenset("""
mr mrs ms miss dr prof professor sir dame lord lady madame mme mlle monsieur herr frau
senor senora senorita señor señora sr sra don dona doña sheikh shaikh sheikha emir
ambassador amb minister counselor counsellor councillor consul attache attaché secretary
undersecretary president vice-president chairman chairwoman chairperson chair governor mayor
senator sen congressman congresswoman rep representative deputy director director-general
spokesman spokeswoman spokesperson commissioner coordinator adviser advisor envoy
general gen colonel col lieutenant lt major maj captain capt commander cdr admiral adm
brigadier marshal sergeant sgt officer judge justice prosecutor prince princess king queen
father bishop archbishop cardinal imam rabbi pastor reverend rev mullah ayatollah
premier chancellor speaker leader chief head dean rector poloff econoff pol/econ
polcouns econcouns dcm charge chargé d'affaires a.i. mp mep superintendent commandant
inspector treasurer ombudsman permrep permreps delegate designate minister-counselor
secretary-general ambassador-designate lawmaker deputies legislator
""".split())

# A run holding one of these names an institution, a place or a thing, not a person
# ("Smith College", "George Washington University", "Charles de Gaulle Airport").
INSTITUTIONS = frozenset("""
college university institute institution foundation center centre hospital airport street
avenue square hotel palace party group company corporation corp inc ltd bank fund school
museum bridge road prize award plan program programme act treaty accord agreement
initiative declaration doctrine airlines airways directorate secretariat ministry agency
council commission committee court tribunal organization organisation association league
front movement alliance coalition federation union forum club society church mosque
cathedral stadium port harbor harbour river lake mountain mount island islands province
district region county city town village valley desert sea gulf ocean canal station base
camp brigade battalion regiment division corps fleet army navy force forces police guard
administration government cabinet regime presidency era team
""".split())

# Short country names the learned place list can miss (its country list has the formal
# "Russian Federation"): "RUSSIA" in an all-caps cable is no person.
COUNTRIES = frozenset("""
russia syria laos usa wales czechia palestine asia iran vietnam korea burma myanmar
macedonia congo libya tanzania moldova bolivia venezuela brunei vatican britain england
""".split())

# Capitalized words that are never a name by themselves: cable jargon, institutions.
JARGON = frozenset("""
embassy ambassador mission post department ministry mfa gof usg gon gov government
congress parliament assembly council commission committee party union office section
bureau agency court army navy police service services force forces republic kingdom state
states united nations national international foreign defense defence interior justice
affairs political economic public general special deputy senior chief head member members
comment summary note end subject ref reftel septel tags codel staffdel sipdis noforn
secret confidential unclassified classified reasons reason decl memcon demarche non-paper
begin text action info para paragraph section the a an and or of for in on at to by with
americas europe africa asia gulf balkans caucasus sahel maghreb levant pacific atlantic
mediterranean caribbean latin arab arabic persian
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december spring summer autumn winter
north south east west northern southern eastern western central
god allah islam islamic muslim christian catholic orthodox jewish
prime vice acting former new old first second third
mr mrs ms dr sir president minister secretary director
""".split())

_PARTICLES = frozenset("de da del della der di du dos das van von bin ibn al el la le ben abu "
                       "y st".split())
_CUE_VERBS = """said says told noted added stated explained claimed remarked replied asked
argued commented emphasized emphasised stressed observed confirmed insisted warned agreed
suggested indicated believes thinks reported responded complained predicted acknowledged
admitted conceded urged cautioned opined lamented described expressed underscored
highlighted recalled announced informed asserted""".split()


def _by_first_letter(words: list[str]) -> str:
    """An alternation of whole words grouped by first letter ("s(?:aid|ays)"): the same
    matches (one word at most fits before a ``\\b``), tried faster."""
    rest: dict[str, list[str]] = {}
    for w in words:
        rest.setdefault(w[0], []).append(w[1:])
    return "|".join(f"{c}(?:{'|'.join(r)})" for c, r in rest.items())


# A cue after a name: "Bertolotti said", "Velasco, the deputy minister, noted",
# "Ereli (protect)". Possessive where a retry could not match: an aside or a white space
# taken back leaves a comma or a space where a cue word must start.
_CUES_AFTER = re.compile(
    r"(?:,[^,]{0,60},)?+\s?+(?:\((?:strictly\s)?protect[^)]{0,30}\)|(?:has\s|had\s|also\s|"
    r"then\s|further\s|again\s)?+(?:" + _by_first_letter(_CUE_VERBS) + r")\b)")
_CUES_BEFORE = re.compile(r"(?:according to|met with|meeting with|spoke with|talked with|"
                          r"told by|per)\s$", re.I)


def _cue_before(text: str, lo: int, end: int) -> re.Match[str] | None:
    """``_CUES_BEFORE.search(text, lo, end)``, skipped where it cannot match (hot: asked
    of most capitalized words): every cue is at least four characters and ends in "o",
    "h", "y" or "r" and one white space (a line break at the end: ``$`` is subtler)."""
    if end - lo < 4:
        return None
    c = text[end - 1]
    if c != "\n" and not (c.isspace() and text[end - 2] in "ohyrOHYR"):
        return None
    return _CUES_BEFORE.search(text, lo, end)


_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’\-]*\.?")
_XS = re.compile(r"^X{3,}$", re.I)


@dataclass(frozen=True, slots=True)
class NameHit:
    """A person's name at normalized ``[start, end)``; ``evidence`` says why."""

    start: int
    end: int
    text: str
    score: float
    evidence: str


@dataclass(frozen=True)
class Lexicon:
    first: frozenset[str]
    last: frozenset[str]
    stop: frozenset[str]
    places: frozenset[str]
    never: frozenset[str]  # never a one-word name: jargon, titles, places, ordinary words


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    low = str.lower
    stop = frozenset(map(low, data["stop"]))
    places = frozenset(map(low, data["places"])) | COUNTRIES
    return Lexicon(frozenset(map(low, data["first"])), frozenset(map(low, data["last"])),
                   stop, places, JARGON | TITLES | stop | places)


@lru_cache(maxsize=1 << 16)
def _bare(tok: str) -> str:
    """Lower-case token without a possessive or trailing dot."""
    t = tok.rstrip(".")
    for s in ("'s", "’s"):
        if t.lower().endswith(s):
            t = t[: -2]
    return t.lower()


def _is_initial(tok: str) -> bool:
    return len(tok) == 2 and tok[1] == "." and tok[0].isupper()


@lru_cache(maxsize=1 << 16)
def is_strong_stop(word: str) -> bool:
    """A word that is never a name by itself: jargon, places, XXXXXXXX, too short."""
    w = _bare(word)
    lex = lexicon()
    return (len(w) < 2 or w in JARGON or w in lex.places or bool(_XS.match(w))
            or w in TITLES
            # the plural of such a word: "Christians", "Indians", "Jordanians"
            or (len(w) > 4 and w[-1] == "s"
                and (w[:-1] in JARGON or (w[:-1] in lex.places and w not in lex.last
                                          and w not in lex.first))))


@lru_cache(maxsize=1 << 14)  # pure: asked again for every mention of a name
def surname_of(name: str, strict: bool = True) -> str | None:
    """The part of a name to look for on its own later ("David Bertolotti" ->
    "Bertolotti"), or ``None`` when it would be too short or (``strict``) an ordinary
    word as well ("Dry", "Wood": kept only when the name came from a header field)."""
    toks = [t for t in name.replace(",", " ").split() if not _is_initial(t)]
    while toks and _bare(toks[0]) in TITLES:
        toks.pop(0)
    if len(toks) < 2:
        return None
    last = toks[-1]
    if last.endswith("."):
        return None
    bare = _bare(last)
    if len(bare) < 3 or is_strong_stop(last) or (strict and bare in lexicon().stop):
        return None
    # Keep particles with the surname: "de Gaulle", "Van Rompuy".
    i = len(toks) - 1
    while i - 1 > 0 and toks[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(toks[i:])


_GROUP = re.Match.group
_START = re.Match.start
_END = re.Match.end
_SPAN = re.Match.span

_UP = "A-Z\u00C0-\u00DE"
_LO = "a-z\u00DF-\u00FF\u0100-\u024F"
# A capitalized word, or a capital letter before a full stop (an initial).
_TOK = (rf"[{_UP}](?:[{_LO}][A-Za-z\u00C0-\u024F'’\-]*|['’][{_UP}][A-Za-z\u00C0-\u024F\-]+"
        r"|(?=\.))")
_PART = "|".join(sorted(_PARTICLES, key=len, reverse=True))
# The full stop that may sit inside a run: after an abbreviated title or an initial.
# The dot is matched first so that the look-behinds run only where there is one.
_ABBR_DOT = (r"(?:\.(?:(?<=Mr\.|Ms\.|Dr\.|St\.|Lt\.|Jr\.|Sr\.)"
             r"|(?<=Mrs\.|Gen\.|Col\.|Maj\.|Adm\.|Sen\.|Rep\.|Amb\.|Sgt\.|Rev\.|Mme\.)"
             rf"|(?<=Capt\.|Prof\.|Mlle\.)|(?<=[^\w][{_UP}]\.)))")
# A run of capitalized words (mixed-case text) joined by single spaces, particles
# ("de", "al-") allowed inside. It starts with a capital so the regex engine can skip
# to candidates fast; the character before is checked by the caller.
_RUN = re.compile(rf"{_TOK}(?:{_ABBR_DOT}?(?: (?:(?:{_PART})[ -])*|-){_TOK})*{_ABBR_DOT}?")
# `_RUN` as the scanner runs it (same matches, a quarter faster): possessive quantifiers
# (its first path never fails: all after the first token is optional, and a particle
# is lower case where a token is not), and look-aheads that stop a repeat at once
# where its first character cannot follow (most words end a run).
_P0 = "".join(sorted({p[0] for p in _PARTICLES}))
_TOK_P = (rf"[{_UP}](?:[{_LO}][A-Za-z\u00C0-\u024F'’\-]*+|['’][{_UP}][A-Za-z\u00C0-\u024F\-]++"
          r"|(?=\.))")
_RUN_SCAN = re.compile(rf"{_TOK_P}(?:(?=[. -]){_ABBR_DOT}?+(?: (?:(?=[{_P0}])(?:{_PART})[ -])*+"
                       rf"|-){_TOK_P})*+{_ABBR_DOT}?+")
_RUN_TOKEN = re.compile(rf"{_TOK}{_ABBR_DOT}?|\b(?:{_PART})\b")
_UPPER_TOKEN = re.compile(r"[A-Z\u00C0-\u00DE][A-Z\u00C0-\u00DE'’\-]*\.?")


_GLUE = frozenset("'’.-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_FIRM = re.compile(r" (?:and|&) [A-Z]")  # "Ernst and Young", "Johnson & Johnson"
_LOWER_WORD = re.compile(r"[a-z]{3,}")
_UPPER_WORD = re.compile(r"[A-Z]{3,}")


def _upper_runs(text: str, a: int, b: int, lex: Lexicon) -> Iterable[list[re.Match[str]]]:
    """All-caps text: runs of words joined by single spaces, broken at ordinary words
    and after a word with a full stop."""
    toks = list(_UPPER_TOKEN.finditer(text, a, b))
    # Ordinary words only break runs: Python looks at the others (few) alone.
    run: list[re.Match[str]] = []
    last = -2
    for i in compress(range(len(toks)), map(_not_ordinary_upper, map(_GROUP, toks))):
        m = toks[i]
        if run and i == last + 1:
            p = run[-1]
            pe = p.end()
            if (m.start() - pe == 1 and text[pe] == " "
                    and not (p.group().endswith(".") and not _is_initial(p.group()))):
                run.append(m)
                last = i
                continue
        if run:
            yield run
        run = [m]
        last = i
    if run:
        yield run


@lru_cache(maxsize=1 << 16)
def _not_ordinary_upper(tok: str) -> bool:
    """An all-caps token that can be part of a name (`_upper_runs`)."""
    w = _bare(tok)
    return w in TITLES or not (w in lexicon().never or len(w) < 2 or bool(_XS.match(w)))


# A superset of `_cue_before` as one anchored match at the run's start (look-behinds):
# true wherever a cue word and a white space (and perhaps a final line break) end
# there. Asked in C (`map`) of every candidate; a yes is checked by `_cue_before`.
_CUE_WORDS_BEFORE = ("according to", "met with", "meeting with", "spoke with", "talked with",
                     "told by", "per")
_CUE_BEHIND = re.compile(r"(?:(?<=[ohyr]\s)|(?<=\s\n))(?:"
                         + "|".join(rf"(?<={w}\s)|(?<={w}\s\n)" for w in _CUE_WORDS_BEFORE)
                         + ")", re.I)

# What a `_RUN` match's text alone says (see `_run_kind`), by text: runs recur across
# cables ("The", "In", "Embassy", "The United States"), so most are judged by one dict
# lookup done in C (`map`) and never looked at in Python.
_SKIP, _CUE, _LONE, _MULTI = 0, 1, 2, 3
_IS_ONE = (False, True, True, False)  # by kind: one word (`_CUE` or `_LONE`)


class _Kinds(dict[str, int]):
    def __missing__(self, run: str) -> int:
        if len(self) >= 1 << 17:
            self.clear()  # bounded, like the lru_caches
        k = self[run] = _run_kind(run)
        return k


def _run_kind(run: str) -> int:
    """What a run's text says, whatever stands before it: `_SKIP` a run that is never a
    name; `_CUE` one word that is a name only next to a cue, `_LONE` one that may also
    be a known surname standing alone; `_MULTI` several words (judged per occurrence)."""
    lex = lexicon()
    if " " not in run:
        bare = _bare(run)
        if bare in lex.never or len(run) < 3:
            return _SKIP
        return _LONE if bare in lex.last and len(bare) >= 4 else _CUE
    # The test `_mixed_run` starts with. It holds for a run retried after glue too: a
    # retried run is this run from a later word on (some of its words).
    if all(map(_never_alone().__contains__, map(_bare, run.split(" ")))):
        return _SKIP
    return _MULTI


_KINDS = _Kinds()

# `_run_plan` kinds: no name; a name; a name if a cue stands next to it; a judgement
# that needs the character before (the plain path).
_NONE, _HIT, _CUE_HIT, _ODD = 0, 1, 2, 3
_RunPlan = tuple[int, int, int, int, int, str, float, str]
_NONE_PLAN: _RunPlan = (_NONE, 0, 0, 0, 0, "", 0.0, "")
_ODD_PLAN: _RunPlan = (_ODD, 0, 0, 0, 0, "", 0.0, "")
_ITEM0, _ITEM1, _ITEM2 = itemgetter(0), itemgetter(1), itemgetter(2)


@lru_cache(maxsize=1 << 16)
def _run_plan(run: str) -> _RunPlan:
    """`_mixed_run`'s judgement of a run (not `_SKIP`) that is not glued to the word
    before, as offsets in the run: ``(kind, s, e, hs, he, name, score, evidence)``; a
    `_CUE_HIT` asks for a cue next to ``[s, e)`` (the evidence names it). Only a first
    token that is an initial ("J. Smith") looks before the run (`_ABBR_DOT`'s
    look-behind): `_ODD`."""
    if run[1:2] == ".":
        return _ODD_PLAN
    spans, texts, plan = _tokens_plan("", run)  # `_run_kind` made `_mixed_run`'s test
    if plan is None:
        return _NONE_PLAN
    s, e, last = spans[plan[1]][0], spans[plan[2]][1], texts[plan[2]]
    # `_hit_span` looks only inside the name: it can be applied to the run alone.
    hs, he = _trimmed(run, s, e, last)
    if plan[0] == "hit":
        return (_HIT, s, e, hs, he, run[hs:he], plan[3], plan[4])
    return (_CUE_HIT, s, e, hs, he, run[hs:he], 0.85 if plan[3] else 0.75, "")


def find_names(view: TextView, regions: Iterable[tuple[int, int]]) -> list[NameHit]:
    """Person names in the normalized ``regions`` of ``view``, sorted by start."""
    lex = lexicon()
    text = view.norm
    hits: list[NameHit] = []
    # Each hit's place in the plain order (region by region, run by run: a run's index
    # in `ms`), which decides between hits of the same span from overlapping regions.
    order: list[float] = []
    lone: dict[str, list[re.Match[str]]] = {}  # known surnames standing alone, no cue
    # The runs of all mixed-case regions, and each one's region start: they are
    # judged together (below), so that the work done in C comes in few, long batches.
    ms: list[re.Match[str]] = []
    region_of: list[int] = []
    for a, b in regions:
        # Mixed case shows in the first few hundred characters; count only when unsure.
        upper = False
        if _LOWER_WORD.search(text, a, min(b, a + 300)) is None:
            chunk = text[a:b]
            upper = len(_LOWER_WORD.findall(chunk)) < 0.1 * len(_UPPER_WORD.findall(chunk))
        if upper:
            k = len(hits)
            for run in _upper_runs(text, a, b, lex):
                hits.extend(_judge(text, run, lex, True))
            order.extend(repeat(len(ms) - 0.5, len(hits) - k))
            continue
        k = len(ms)
        ms.extend(_RUN_SCAN.finditer(text, a, b))
        region_of.extend(repeat(a, len(ms) - k))
    # Most runs are skipped by their text alone (`_SKIP`, glued or not: see
    # `_run_kind`); `map` and `compress` drop them without a Python step each.
    n = len(ms)
    texts = list(map(_GROUP, ms))
    kinds = list(map(_KINDS.__getitem__, texts))
    cues: list[int] = []  # runs that are names if a cue stands next to them
    one = list(compress(range(n), map(_IS_ONE.__getitem__, kinds)))
    if one:
        _lone_words(text, ms, texts, kinds, region_of, one, cues, lone)
    multi = list(compress(range(n), map(_MULTI.__eq__, kinds)))
    if multi:
        cues += _judge_runs(text, ms, texts, region_of, multi, hits, order, lone, lex)
    if cues:
        _cue_hits(text, ms, texts, cues, hits, order)
    # A known surname that recurs in the cable is most likely the person's ("Chavez's
    # proposal ... Chavez"), even without a title or cue.
    named = {h.start for h in hits}
    k = len(hits)
    for found in lone.values():
        if len(found) >= 2:
            hits.extend(_hit(text, [m], 0.75, f"surname repeated {len(found)} times")
                        for m in found if m.start() not in named)
    order.extend(repeat(n, len(hits) - k))
    # By span, then in the plain order (two stable sorts).
    hits = list(map(_ITEM1, sorted(zip(order, hits, strict=True), key=_ITEM0)))
    hits.sort(key=_BY_SPAN)
    return hits


_BY_SPAN = attrgetter("start", "end")


def _lone_words(text: str, ms: list[re.Match[str]], texts: list[str], kinds: list[int],
                region_of: list[int], one: list[int], cues: list[int],
                lone: dict[str, list[re.Match[str]]]) -> None:
    """The one-word runs ``ms[one]`` (`_CUE`, `_LONE`): a name next to a cue (added to
    ``cues``, judged there), or a known surname standing alone. The cue tests run in C
    (`map`) over all of them; Python looks only at a word with a cue or a known surname."""
    words = list(map(ms.__getitem__, one))
    starts = list(map(_START, words))
    ends = list(map(_END, words))
    after = list(map(_CUES_AFTER.match, repeat(text), ends, map(add, ends, repeat(90))))
    before = list(map(_CUE_BEHIND.match, repeat(text), starts))
    k = len(one)
    look = set(compress(range(k), after))
    look.update(compress(range(k), before))
    look.update(compress(range(k), map(_LONE.__eq__, map(kinds.__getitem__, one))))
    for j in sorted(look):
        st = starts[j]
        if st and text[st - 1] in _GLUE:
            continue  # glued: retried from its next word, and one word has none
        i = one[j]
        if after[j] or (before[j] and _cue_before(text, max(region_of[i], st - 20), st)):
            cues.append(i)
        elif kinds[i] == _LONE and not _FIRM.match(text, ends[j], ends[j] + 12):
            lone.setdefault(_bare(texts[i]), []).append(words[j])


def _judge_runs(text: str, ms: list[re.Match[str]], texts: list[str], region_of: list[int],
                multi: list[int], hits: list[NameHit], order: list[float],
                lone: dict[str, list[re.Match[str]]], lex: Lexicon) -> list[int]:
    """The runs of several words ``ms[multi]``: names found are added to ``hits``;
    returned, the runs that are names if a cue stands next to them."""
    starts = list(map(_START, map(ms.__getitem__, multi)))
    plans = list(map(_run_plan, map(texts.__getitem__, multi)))
    kinds = list(map(_ITEM0, plans))
    # Glued to the word before ("EST" would give "T Counselor ..."): the plain path (kind
    # -1). Index -1 is the text's last character, before no run.
    glued = map(_GLUE.__contains__, map(text.__getitem__, map(sub, starts, repeat(1))))
    for j in compress(range(len(multi)), glued):
        if starts[j]:
            kinds[j] = -1
    for j in compress(range(len(multi)), map(_HIT.__eq__, kinds)):
        _, _, _, hs, he, name, score, evidence = plans[j]
        st = starts[j]
        hits.append(NameHit(st + hs, st + he, name, score, evidence))
        order.append(multi[j])
    for j in compress(range(len(multi)), map((-1).__eq__, kinds)):
        # Retried from its next word.
        m: re.Match[str] | None = ms[multi[j]]
        while m is not None and m.start() > 0 and text[m.start() - 1] in _GLUE:
            nxt = text.find(" ", m.start(), m.end())
            m = _RUN.match(text, nxt + 1, m.end()) if nxt != -1 else None
        if m is not None:
            k = len(hits)
            _mixed(text, m, region_of[multi[j]], hits, lone, lex)
            order.extend(repeat(multi[j], len(hits) - k))
    for j in compress(range(len(multi)), map(_ODD.__eq__, kinds)):
        _plain(text, ms[multi[j]], multi[j], hits, order)
    return list(map(multi.__getitem__, compress(range(len(multi)),
                                                map(_CUE_HIT.__eq__, kinds))))


def _plain(text: str, m: re.Match[str], i: int, hits: list[NameHit],
           order: list[float]) -> None:
    """Run ``i`` (not glued) judged with the character before it."""
    st = m.start()
    spans, toks, plan = _mixed_run(text[st - 1] if st else "", m.group())
    if plan is not None:
        k = len(hits)
        hits.extend(_judged(text, plan, st, spans, toks))
        order.extend(repeat(i, len(hits) - k))


def _cue_hits(text: str, ms: list[re.Match[str]], texts: list[str], runs: list[int],
              hits: list[NameHit], order: list[float]) -> None:
    """The runs ``ms[runs]`` (not glued) by `_run_plan`: names, or names if a cue stands
    next to them (the tests of `_cue_hit`, in C: `map`)."""
    starts = list(map(_START, map(ms.__getitem__, runs)))
    plans = list(map(_run_plan, map(texts.__getitem__, runs)))
    ss = list(map(add, starts, map(_ITEM1, plans)))
    es = list(map(add, starts, map(_ITEM2, plans)))
    after = list(map(_CUES_AFTER.match, repeat(text), es, map(add, es, repeat(90))))
    before = list(map(_CUE_BEHIND.match, repeat(text), ss))
    look = set(compress(range(len(runs)), after))
    look.update(compress(range(len(runs)), before))
    # A one-word run may plan otherwise: a name ("St.-Pierre"), none, or the plain path.
    look.update(compress(range(len(runs)), map(_CUE_HIT.__ne__, map(_ITEM0, plans))))
    for j in look:
        kind, _, _, hs, he, name, score, evidence = plans[j]
        st = starts[j]
        if kind == _CUE_HIT:
            cue = after[j]
            if cue:
                what = cue.group().strip(" ,").split()[-1]
            else:
                s = ss[j]
                cue_b = _cue_before(text, max(0, s - 20), s)
                if not cue_b:
                    continue
                what = cue_b.group().strip().split()[-1]
            hits.append(NameHit(st + hs, st + he, name, score, f"cue '{what}'"))
            order.append(runs[j])
        elif kind == _HIT:
            hits.append(NameHit(st + hs, st + he, name, score, evidence))
            order.append(runs[j])
        elif kind == _ODD:
            _plain(text, ms[runs[j]], runs[j], hits, order)


def _mixed(text: str, m: re.Match[str], a: int, hits: list[NameHit],
           lone: dict[str, list[re.Match[str]]], lex: Lexicon) -> None:
    """One run of mixed-case text, not glued to the word before: the plain path."""
    run_text = m.group()
    st = m.start()
    if " " not in run_text:
        # Most runs are one sentence-initial word: decide fast.
        bare = _bare(run_text)
        if bare in lex.never or len(run_text) < 3:
            return
        e = m.end()
        if not (_CUES_AFTER.match(text, e, e + 90)
                or _cue_before(text, max(a, st - 20), st)):
            if bare in lex.last and len(bare) >= 4 and not _FIRM.match(text, e, e + 12):
                lone.setdefault(bare, []).append(m)
            return
    spans, texts, plan = _mixed_run(text[st - 1] if st else "", run_text)
    if plan is not None:
        hits.extend(_judged(text, plan, st, spans, texts))


_POSSESSIVES = ("'s", "’s")  # what a token in the possessive ends in


@lru_cache(maxsize=1 << 16)  # pure (the lexicon is fixed): asked again per run
def _bad_lead(tok: str) -> bool:
    """Jargon, a place or an institution word: never the first word of a name (an
    ordinary word may be: "Foreign Secretary Straw", "Ambassador Dry")."""
    w = _bare(tok)
    if _is_initial(tok) or w in _PARTICLES or w in TITLES:
        return False
    if w in JARGON or w in INSTITUTIONS:
        return True
    # A place that is also a given name or surname is a name here ("Senator Jose
    # Sarney", "Vice Minister Martin Redrado", "Division Chief Paulo Alvarenga").
    lex = lexicon()
    return is_strong_stop(tok) and w not in lex.first and w not in lex.last


@lru_cache(maxsize=1 << 16)
def _bad_end(tok: str) -> bool:
    """An ordinary word or a particle: `_trim` drops it from the ends of a name."""
    w = _bare(tok)
    lex = lexicon()
    return (is_strong_stop(tok) or w in _PARTICLES or w in INSTITUTIONS
            or (w in lex.stop and w not in lex.last and w not in lex.first))


def _trim(texts: tuple[str, ...], lo: int, hi: int, lex: Lexicon) -> tuple[int, int]:
    """Drop ordinary words and particles from both ends of a candidate name
    ``texts[lo:hi]`` (an ordinary word after an initial or a given name stays:
    "Robert W. Dry"); the bounds of what is left."""
    while lo < hi and _bad_end(texts[lo]):
        lo += 1
    while lo < hi and _bad_end(texts[hi - 1]):
        if hi - lo > 1 and not is_strong_stop(texts[hi - 1]):
            prev = texts[hi - 2]
            if _is_initial(prev) or _bare(prev) in lex.first:
                break
        hi -= 1
    return lo, hi


def _hit(text: str, toks: list[re.Match[str]], score: float, evidence: str) -> NameHit:
    return _hit_span(text, toks[0].start(), toks[-1].end(), toks[-1].group(), score, evidence)


def _hit_span(text: str, s: int, e: int, last_tok: str, score: float,
              evidence: str) -> NameHit:
    """The name at ``text[s:e]`` (``last_tok``: its last token), without a possessive
    or a full stop that ends a sentence."""
    s, e = _trimmed(text, s, e, last_tok)
    return NameHit(s, e, text[s:e], score, evidence)


def _trimmed(text: str, s: int, e: int, last_tok: str) -> tuple[int, int]:
    """`_hit_span`'s bounds."""
    last = text[s:e]
    if last[-2:].lower() in ("'s", "’s"):
        e -= 2
    if text[e - 1] == "." and not _is_initial(last_tok):
        e -= 1
    return s, e


_ENGLISH_SUFFIX = re.compile(r"(?:ES|ED|ING|ION|IONS|LY|MENT|NESS|ITY|ANCE|ENCE|IVE|ABLE|OUS|"
                             r"FUL|LESS|ISM|IST|IZE|ISE|ATE)$")


# A judgement: None (no name), ("hit", first, last, score, evidence), or ("cue", first,
# last, known): a name only if a cue stands next to tokens first..last.
_NamePlan = tuple[Literal["hit"], int, int, float, str]
_CuePlan = tuple[Literal["cue"], int, int, bool]
_Plan = _NamePlan | _CuePlan | None


def _judge(text: str, run: list[re.Match[str]], lex: Lexicon, upper: bool) -> list[NameHit]:
    """The names in one run of capitalized words. Whether it is a name depends only on
    its words (judged once per distinct run, cached) and on cues around it."""
    texts = tuple(m.group() for m in run)
    return _judged(text, _plan(texts, upper), 0, tuple(m.span() for m in run), texts)


@lru_cache(maxsize=1)
def _stop_not_last() -> frozenset[str]:
    """Ordinary words that are not also surnames (no empty word)."""
    lex = lexicon()
    return lex.stop - lex.last - {""}


@lru_cache(maxsize=1)
def _never_alone() -> frozenset[str]:
    """Words never part of a name, title words aside (those introduce one)."""
    return lexicon().never - TITLES


@lru_cache(maxsize=1 << 16)
def _mixed_run(prev: str, run: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...],
                                             _Plan]:
    """A mixed-case run's tokens (spans relative to the run, texts) and judgement, by the
    run's text and the character before it (which `_RUN_TOKEN`'s look-behinds see):
    runs recur across cables ("Ambassador Ereli", "Foreign Minister")."""
    if all(map(_never_alone().__contains__, map(_bare, run.split(" ")))):
        return (), (), None  # "In November", "The United States": no name in it
    return _tokens_plan(prev, run)


def _tokens_plan(prev: str, run: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...],
                                               _Plan]:
    """`_mixed_run` without its first test."""
    spans, texts = _tokens(prev, run)
    return spans, texts, _plan(texts, False)


def _tokens(prev: str, run: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...]]:
    """A run's `_RUN_TOKEN`s (spans, texts) after the character ``prev``."""
    # The character before matters only to a first token that is an initial ("J.
    # Smith": `_ABBR_DOT`'s look-behind); a run never starts with a particle.
    if prev and run[1:2] == ".":
        toks = list(_RUN_TOKEN.finditer(prev + run, 1))
        return tuple((m.start() - 1, m.end() - 1) for m in toks), tuple(map(_GROUP, toks))
    if _PLAIN_WORDS.fullmatch(run):
        # Each word is one `_TOK` (its first form, which takes the whole word): the
        # tokens are the words.
        texts = tuple(run.split(" "))
        ends = list(accumulate(map((1).__add__, map(len, texts))))
        return tuple(zip([0, *ends], map((1).__rsub__, ends), strict=False)), texts
    toks = list(_RUN_TOKEN.finditer(run))
    return tuple(map(_SPAN, toks)), tuple(map(_GROUP, toks))


_WORD = rf"[{_UP}][{_LO}][A-Za-z\u00C0-\u024F'’\-]*"
_PLAIN_WORDS = re.compile(rf"{_WORD}(?: {_WORD})*")


def _judged(text: str, plan: _Plan, base: int, spans: tuple[tuple[int, int], ...],
            texts: tuple[str, ...]) -> list[NameHit]:
    """Apply a judgement to a run whose tokens stand at ``base + spans``."""
    if plan is None:
        return []
    if plan[0] == "hit":
        _, i, j, score, evidence = plan
        return [_hit_span(text, base + spans[i][0], base + spans[j][1], texts[j], score,
                          evidence)]
    _, i, j, known = plan
    hit = _cue_hit(text, base + spans[i][0], base + spans[j][1], texts[j], known)
    return [] if hit is None else [hit]


def _cue_hit(text: str, s: int, e: int, last_tok: str, known: bool) -> NameHit | None:
    """The name at ``text[s:e]`` if a cue stands next to it."""
    cue = _CUES_AFTER.match(text, e, e + 90)
    cue_b = _cue_before(text, max(0, s - 20), s)
    found = cue or cue_b
    if found is None:
        return None
    what = (found.group().strip(" ,") if cue else found.group().strip()).split()[-1]
    return _hit_span(text, s, e, last_tok, 0.85 if known else 0.75, f"cue '{what}'")


@lru_cache(maxsize=1 << 16)
def _plan(texts: tuple[str, ...], upper: bool) -> _Plan:
    """The judgement of a run of tokens ``texts`` (`upper`: of all-caps text): a name
    after a title, a given name and a surname, or a name only next to a cue."""
    lex = lexicon()
    words = list(map(_bare, texts))
    if words[-1] in INSTITUTIONS:
        return None  # "Smith College", "George Washington University"
    n = len(texts)
    last_title = _last_title(texts, words)
    lo = 0
    if last_title >= 0:
        lo = last_title + 1
        titled = _after_title(texts, words, last_title, lex, upper)
        if titled is not None:
            return titled
        if lo == n:
            return _cue_only(texts, 0, n, lex, upper)
    s, e = _trim(texts, lo, n, lex)
    # A possessive ends the name: "Necmettin Erbakan's Milli Gorus".
    if e - s > 1:
        e = next((i + 1 for i in range(s, e - 1) if texts[i].endswith(_POSSESSIVES)), e)
    if s >= e:
        return None
    return _given_name(texts, words, s, e, lex, upper) or _cue_only(texts, s, e, lex, upper)


def _last_title(texts: tuple[str, ...], words: list[str]) -> int:
    """The index of the run's last title word, or -1. A title in the possessive names
    a thing ("the President's Anti-Corruption Czar", "the King's National Day"), not
    the person after it."""
    if TITLES.isdisjoint(words):
        return -1
    return next((i for i in range(len(texts) - 1, -1, -1) if words[i] in TITLES
                 and not texts[i].endswith(_POSSESSIVES)), -1)


def _after_title(texts: tuple[str, ...], words: list[str], last_title: int, lex: Lexicon,
                 upper: bool) -> _Plan:
    """The name that follows the title ending at ``texts[last_title]``, or None."""
    n = len(texts)
    lo = last_title + 1
    # The name stands right after its title: "Justice Ministry Draft Bill" is none.
    if lo < n and _bad_lead(texts[lo]):
        name: list[int] = []
    else:
        s, e = _trim(texts, lo, n, lex)
        name = list(range(s, min(e, s + 4)))
    if upper:
        # All caps: a word after a title may be any word ("ADVISOR CONCEDES").
        name = [i for i in name if words[i] in lex.first or words[i] in lex.last
                or not _ENGLISH_SUFFIX.search(texts[i])]
    if name and not all(_is_initial(texts[i]) for i in name):
        title = " ".join(texts[: last_title + 1])
        return ("hit", name[0], name[-1], 0.9 if upper else 0.95, f"after title '{title}'")
    return None


def _given_name(texts: tuple[str, ...], words: list[str], s: int, e: int, lex: Lexicon,
                upper: bool) -> _Plan:
    """``texts[s:e]`` as a given name and a surname, or None."""
    first = _bare(texts[s].split("-")[0])
    if (e - s >= 2 and first in lex.first and not is_strong_stop(texts[e - 1])
            # a place or jargon inside is a headline, not a name ("... Germany Backs ...")
            and not any(map(_bad_lead, texts[s + 1:e - 1]))):
        last = words[e - 1]
        common = first in lex.stop
        if (not common and not upper) or (last in lex.last and last not in lex.stop):
            return ("hit", s, e - 1, 0.9 if last in lex.last else 0.85,
                    "given name and surname")
    return None


def _cue_only(texts: tuple[str, ...], lo: int, hi: int, lex: Lexicon, upper: bool) -> _Plan:
    """A run ``texts[lo:hi]`` without title or given name: a name only with a cue next
    to it."""
    lo, hi = _trim(texts, lo, hi, lex)
    if lo >= hi or hi - lo > 3:
        return None
    toks = texts[lo:hi]
    words = list(map(_bare, toks))
    # An ordinary word (not also a surname) in any part of the name.
    if len(words[-1]) < 3 or not _stop_not_last().isdisjoint("-".join(words).split("-")):
        return None
    if upper and _ENGLISH_SUFFIX.search(toks[-1]):
        return None
    if (not upper and any(map(str.isupper, toks))
            and any(t.isupper() and len(t) > 2 for t in toks)):
        return None  # acronyms: TAGS, GOF, MFA
    known = words[-1] in lex.last or words[0] in lex.first
    if upper and not known:
        return None
    return ("cue", lo, hi - 1, known)
