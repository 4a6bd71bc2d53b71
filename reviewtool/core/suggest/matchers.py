"""Matchers over a `TextView` of a cable's text (normalized offsets; the view maps back).

`TermMatcher` compiles any number of terms into one trie-shaped regex (thousands of
terms cost about what a few cost) matching whole words, next to punctuation; lower-case
terms are tried only where the text holds their first word (one set intersection).
`FuzzyMatcher` finds near-miss spellings: candidates come from a deletion
neighbourhood index (one typo: a letter added, dropped, changed or two swapped), then
rapidfuzz scores only those. `run_regex` runs a pattern only where the literals every
match needs occur.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from rapidfuzz import fuzz

from reviewtool.core.suggest.textview import NON_ASCII_WORD, TextView, normalize_term

if TYPE_CHECKING:  # typeshed describes the regex parser under its former names
    import sre_constants as C  # noqa: N812
    import sre_parse as Parser  # noqa: N812
else:
    import re._constants as C  # noqa: N812
    import re._parser as Parser  # noqa: N812

_WORD_HEAD = re.compile(r"\w+")
P = TypeVar("P")  # what a matcher's caller registers with a term, and gets back


# --------------------------------------------------------------------------- terms


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_Trie = dict[str, "_Trie"]  # a character -> what may follow it ("" -> {}: a key ends)


_MAX_NEST = 100  # groups nested deeper than this overflow `re`'s recursive compiler
_END = ""  # trie marker key, never a character: a key ends here


def trie_regex(keys: Iterable[str]) -> str:
    """One regex source matching any key, shaped as a trie (shared prefixes factored),
    each key whole: a key ending in a word character must not run into another.

    Built bottom-up without recursion, so a term of any length is fine; a branch nested
    deeper than `re` can compile is written as a flat list of its keys' endings instead
    (the same matches, in the same order)."""
    root: _Trie = {}
    for k in keys:
        if not k:
            continue
        node = root
        for ch in k:
            node = node.setdefault(ch, {})
        node[_END] = {}
    # Nodes in depth-first pre-order with the character leading to each; reversed, every
    # child comes before its parent.
    order: list[tuple[_Trie, str]] = []
    stack: list[tuple[_Trie, str]] = [(root, "")]
    while stack:
        node, last = stack.pop()
        order.append((node, last))
        stack.extend((child, ch) for ch, child in node.items() if ch)
    built: dict[int, tuple[str, int]] = {}  # id(node) -> (regex, nesting)
    for node, last in reversed(order):
        alts = [(re.escape(ch) + built[id(child)][0], built[id(child)][1])
                for ch, child in sorted(node.items()) if ch]
        if _END in node:
            alts.append((r"(?!\w)" if _is_word(last) else "", 0))
        if len(alts) == 1:
            built[id(node)] = alts[0]
            continue
        nest = 1 + max(n for _, n in alts)
        if nest > _MAX_NEST:
            alts, nest = [(a, 0) for a in _endings(node, last)], 1
        built[id(node)] = ("(?:" + "|".join(a for a, _ in alts) + ")", nest)
    return built[id(root)][0]


def _endings(node: _Trie, last: str) -> list[str]:
    """Every key's remainder below ``node`` as a flat regex, in the trie regex's order
    (characters sorted, a key ending here last)."""
    out: list[str] = []
    stack: list[tuple[_Trie, str, str]] = [(node, last, "")]
    while stack:
        n, prev, prefix = stack.pop()
        if n is _STOP:
            out.append(prefix + (r"(?!\w)" if _is_word(prev) else ""))
            continue
        # pushed in reverse so that they pop in order: children sorted, then the end
        if _END in n:
            stack.append((_STOP, prev, prefix))
        stack.extend((child, ch, prefix + re.escape(ch))
                     for ch, child in sorted(n.items(), reverse=True) if ch)
    return out


_STOP: _Trie = {}  # a sentinel on `_endings`' stack: the key ends here


@dataclass(frozen=True, slots=True)
class TermHit(Generic[P]):
    """A term found: normalized span, the key that matched, the payloads registered."""

    start: int
    end: int
    key: str
    payloads: tuple[P, ...]


class TermMatcher(Generic[P]):
    """Every term of every rule in one compiled regex per case mode (and, for lower-case
    terms, looked for only where their first word is a token of the text).

    ``add(term, payload, case_sensitive)`` registers a term; `find` yields every term
    occurrence, including terms inside or overlapping a longer one (so that every rule
    that matched is kept), in order of start."""

    def __init__(self) -> None:
        self._keys: dict[bool, dict[str, list[P]]] = {False: {}, True: {}}
        self._rx: dict[bool, _TermPlan | None] | None = None

    def add(self, term: str, payload: P, case_sensitive: bool = False) -> None:
        key = normalize_term(term, case_sensitive)
        if key:
            self._keys[case_sensitive].setdefault(key, []).append(payload)
            self._rx = None

    def __len__(self) -> int:
        return sum(len(d) for d in self._keys.values())

    def keys(self) -> set[str]:
        """Every registered term's key (normalized; lower-cased unless case-sensitive)."""
        return {k for d in self._keys.values() for k in d}

    def _compile(self) -> dict[bool, _TermPlan | None]:
        out: dict[bool, _TermPlan | None] = {}
        for cs, keys in self._keys.items():
            if not keys:
                out[cs] = None
                continue
            # Terms that all start with a capital (names, case-sensitive): no leading
            # look-behind, so the regex engine skips ahead by first character and `find`
            # checks the left edge.
            if all(not k[0].islower() for k in keys):
                out[cs] = _TermPlan(re.compile(trie_regex(keys)))
                continue
            wordy = [k for k in keys if _is_word(k[0])]
            other = [k for k in keys if not _is_word(k[0])]
            if cs:  # lower-case keys, case-sensitive: a look-behind tried everywhere
                parts = ([r"(?<!\w)" + trie_regex(wordy)] if wordy else []) + (
                    [trie_regex(other)] if other else [])
                out[cs] = _TermPlan(re.compile("|".join(parts)))
                continue
            # Lower-case keys would start almost anywhere, and a look-behind tried at
            # every place is slow. A key starting with a word character is looked for
            # only where the longest ASCII chunk of its first \w+ run is a token of the
            # text (`TextView.blocks`: one set intersection a block), then matched
            # there. Keys without such a chunk, and keys starting with another
            # character, are searched for by regex as before.
            chunks: dict[bytes, set[int]] = {}  # chunk -> where it is in its keys
            ascii_chunks: set[bytes] = set()
            plain: list[str] = []
            for k in wordy:
                m = _WORD_HEAD.match(k)
                assert m is not None  # k starts with a word character
                head = m.group()
                pieces = head.encode().translate(NON_ASCII_WORD).split()
                if not pieces:
                    plain.append(k)
                    continue
                c = max(pieces, key=len)
                chunks.setdefault(c, set()).add(head.find(c.decode()))
                if k.isascii():  # then c is its whole first word
                    ascii_chunks.add(c)
            out[cs] = _TermPlan(
                re.compile(trie_regex(other)) if other else None,
                re.compile(trie_regex(wordy)) if wordy else None,
                re.compile(r"(?<!\w)" + trie_regex(plain)) if plain else None,
                {c: tuple(sorted(offs)) for c, offs in chunks.items()},
                frozenset(ascii_chunks))
        return out

    def find(self, view: TextView) -> Iterator[TermHit[P]]:
        if self._rx is None:
            self._rx = self._compile()
        hits: list[TermHit[P]] = []
        for cs, plan in self._rx.items():
            if plan is None:
                continue
            keys = self._keys[cs]
            text = view.norm if cs else view.lower
            matches: list[re.Match[str]] = []
            if plan.search is not None:
                pos = 0
                while True:
                    m = plan.search.search(text, pos)
                    if m is None:
                        break
                    s = m.start()
                    pos = s + 1  # terms that start inside this one are found next
                    if s and _is_word(m.group()[0]) and _is_word(text[s - 1]):
                        continue  # starts inside a word (so would every term starting here)
                    matches.append(m)
            if plan.at is not None:
                at = plan.at.match
                matches += [m for s in sorted(plan.starts(view, text))
                            if (m := at(text, s)) is not None]
            for m in matches:
                s, e = m.span()
                key = m.group()
                hits.append(TermHit(s, e, key, tuple(keys[key])))
                # Shorter terms starting here too (the regex took the longest).
                for j in range(e - 1, s, -1):
                    sub = key[: j - s]
                    if sub in keys and (not _is_word(sub[-1]) or not _is_word(text[j])):
                        hits.append(TermHit(s, j, sub, tuple(keys[sub])))
        hits.sort(key=lambda h: (h.start, -h.end, h.key))
        yield from hits


@dataclass(frozen=True, slots=True)
class _TermPlan:
    """How `TermMatcher` finds one case mode's keys: ``search``, a regex searched for
    everywhere; ``at``, the keys starting with a word character, matched at the
    places `starts` gives (only where no word character precedes)."""

    search: re.Pattern[str] | None
    at: re.Pattern[str] | None = None
    plain: re.Pattern[str] | None = None  # keys of ``at`` with no ASCII chunk
    chunks: dict[bytes, tuple[int, ...]] = field(default_factory=dict)
    ascii_chunks: frozenset[bytes] = frozenset()

    def starts(self, view: TextView, low: str) -> set[int]:
        """Where a key of ``at`` may start in ``low`` (``view.lower``), no word character
        before: each key's chunk is a token of the text there, at the key's offset."""
        out: set[int] = set()
        if self.plain is not None:
            out.update(m.start() for m in _overlapping(self.plain, low))
        flat = view.flat()
        if flat is not None:  # ASCII: only ASCII keys, whose chunk is the first word
            for bs, be, tokens in view.blocks():
                for c in self.ascii_chunks.intersection(tokens):
                    # As a whole token (the byte before is a space: what came before
                    # in the text was no word character). flat has a byte more in front.
                    needle, n = b" " + c + b" ", len(c) + 1
                    i = flat.find(needle, bs, be + 2)
                    while i != -1:
                        out.add(i)
                        i = flat.find(needle, i + n, be + 2)
            return out
        for bs, be, tokens in view.blocks():
            for c in self.chunks.keys() & set(tokens):
                chunk = c.decode()
                i = low.find(chunk, bs, be)
                while i != -1:
                    for off in self.chunks[c]:
                        s = i - off
                        if s >= 0 and _is_word(low[s]) and not (s and _is_word(low[s - 1])):
                            out.add(s)
                    i = low.find(chunk, i + 1, be)
        return out


def _overlapping(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match of ``rx``, one at each place it matches (overlapping)."""
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


# --------------------------------------------------------------------------- fuzzy

def is_capitalized(term: str) -> bool:
    """Every word starts with a capital, lower-case particles aside ("Charles de
    Gaulle"). A fuzzy matcher whose terms all are looks only at capitalized runs."""
    return all(w[:1].isupper() or (w.islower() and len(w) <= 3) for w in term.split())


def _deletions(s: str) -> set[str]:
    return {s, *(s[:i] + s[i + 1:] for i in range(len(s)))}


@dataclass(frozen=True, slots=True)
class FuzzyHit(Generic[P]):
    start: int
    end: int
    text: str
    key: str  # the term it is close to
    score: float
    payloads: tuple[P, ...]


class FuzzyMatcher(Generic[P]):
    """Near-miss spellings of terms (one typo), scored by rapidfuzz ``ratio``.

    Candidate windows are runs of 1..k words (k = the most words in a term); when every
    term has its words capitalized, windows must be too, as a name would be. A window
    of several words must begin or end with a word that begins or ends such a term
    (with no one-word terms, only windows around those words are looked at). Windows
    are narrowed through a deletion-neighbourhood index, so only a handful of terms are
    scored per window whatever the number of terms. Exact matches are left to
    `TermMatcher`. Terms shorter than 4 characters are not fuzzed (too many false hits).
    """

    MIN_LEN = 4

    def __init__(self, skip: frozenset[str] = frozenset()) -> None:
        """``skip``: lower-case words that never start or end a window (ordinary words,
        jargon); near-miss spellings of terms are sought among the other words."""
        self._terms: dict[tuple[str, bool], list[tuple[float, P]]] = {}
        self._index: dict[str, set[tuple[str, bool]]] | None = None
        self._capitalized = True
        self._any_caps = False  # some term is written in capitals ("SCUD")
        self._skip = skip

    def add(self, term: str, payload: P, cutoff: float,
            case_sensitive: bool = False) -> None:
        key = normalize_term(term, case_sensitive)
        if len(key) >= self.MIN_LEN:
            self._capitalized &= is_capitalized(term)
            self._any_caps |= term.isupper()
            self._terms.setdefault((key, case_sensitive), []).append((cutoff, payload))
            self._index = None

    def __len__(self) -> int:
        return len(self._terms)

    def _build(self) -> None:
        index: dict[str, set[tuple[str, bool]]] = {}
        nwords: set[int] = set()
        self._len: dict[int, tuple[int, int]] = {}
        self._ends: dict[int, tuple[set[str], set[str]]] = {}
        self._modes = tuple(sorted({cs for _, cs in self._terms}))
        # ALL-CAPS words are candidates only if some term is written in capitals: a
        # mixed-case name's near-misses are sought among words written like it.
        self._caps_ok = self._any_caps
        for key, cs in self._terms:
            nw = key.count(" ") + 1
            nwords.add(nw)
            lo, hi = self._len.get(nw, (10**9, 0))
            self._len[nw] = (min(lo, len(key)), max(hi, len(key)))
            for d in _deletions(key):
                index.setdefault(d, set()).add((key, cs))
            if nw > 1:  # one typo leaves the first or the last word intact
                words = key.lower().split(" ")
                self._ends.setdefault(nw, (set(), set()))
                self._ends[nw][0].add(words[0])
                self._ends[nw][1].add(words[-1])
        self._nwords = sorted(nwords)
        self._index = index
        self._cache: dict[tuple[str, str], tuple[str, float, tuple[P, ...]] | None] = {}
        # Anchors: for every word that can start (end) a k-word window, those ks, going
        # up. A window qualifies only through one, so with no one-word terms only the
        # windows around anchors in the text need looking at (`_anchored`). A word in
        # ``skip`` starts and ends no window; one not shaped like a run's word (letters,
        # digits, single inner hyphens) never is one.
        ks: dict[str, tuple[list[int], list[int]]] = {}
        for nw in sorted(self._ends):
            for side, ends in enumerate(self._ends[nw]):
                for w in ends:
                    if w not in self._skip and _ANY_WORD.fullmatch(w):
                        ks.setdefault(w, ([], []))[side].append(nw)
        self._ks = ks
        # Anchors by the longest ASCII chunk of their first \w+ piece ("jean-luc":
        # b"jean", "józefów": b"zef"), which is then a token of the text's
        # `NON_ASCII_WORD` split; anchors without one ("иван") are looked for as they are.
        self._by_chunk: dict[bytes, list[str]] = {}
        self._unchunked: list[str] = []
        for w in sorted(self._ks):
            chunks = w.split("-")[0].encode().translate(NON_ASCII_WORD).split()
            if chunks:
                self._by_chunk.setdefault(max(chunks, key=len), []).append(w)
            else:
                self._unchunked.append(w)
        self._chunks = frozenset(self._by_chunk)
        self._ascii_chunk = {c: [w for w in ws if w.isascii()] for c, ws in self._by_chunk.items()}

    def find(self, view: TextView) -> Iterator[FuzzyHit[P]]:
        if not self._terms:
            return
        if self._index is None:
            self._build()
        out: list[FuzzyHit[P]] = []
        score = self._scorer(view.norm, view.lower, out)
        # Runs of words joined by single spaces (capitalized words only, when every term
        # is capitalized); windows of 1..k words are taken inside a run.
        if not self._capitalized:
            runs = _ANY_RUN
        else:  # ALL-CAPS words cannot be near-misses of mixed-case terms: leave them out
            runs = _CAP_RUN if self._caps_ok else _TITLE_RUN
        if self._nwords[0] > 1:  # no one-word terms: only the windows around anchors matter
            for s0, e in self._anchored(view, _RUN_WORD[runs]):
                score(s0, e)
        else:
            self._scan(view.norm, view.lower, runs, score)
        out.sort(key=lambda h: (h.start, h.end))
        yield from out

    def _scorer(self, norm: str, low: str, out: list[FuzzyHit[P]]) -> Callable[[int, int], None]:
        """``score(s0, e)``: the window ``norm[s0:e]`` scored, its hit (if any) added
        to ``out``."""
        memo: dict[str, tuple[str, float, tuple[P, ...]] | None] = {}
        caps_ok, cache = self._caps_ok, self._cache

        def score(s0: int, e: int) -> None:
            # The same words recur in a cable: score each distinct window once.
            w = norm[s0:e]
            if not caps_ok and w.isupper() and len(w) > 2:
                return  # ALL-CAPS words cannot be near-misses of mixed-case terms
            if w not in memo:
                # Across cables too: a window's score depends on its text alone.
                ck = (w, low[s0:e])
                try:
                    memo[w] = cache[ck]
                except KeyError:
                    if len(cache) >= _CACHE_MAX:
                        cache.clear()
                    hit = self._score(norm, low, s0, e)
                    memo[w] = cache[ck] = (hit.key, hit.score, hit.payloads) if hit else None
            got = memo[w]
            if got is not None:
                out.append(FuzzyHit(s0, e, w, got[0], got[1], got[2]))

        return score

    def _scan(self, norm: str, low: str, runs: re.Pattern[str],
              score: Callable[[int, int], None]) -> None:
        """Score every window of 1..k words inside each of the text's ``runs``."""
        lens, skip = self._len, self._skip
        lo1, hi1 = lens.get(1, (0, -1))
        for m in runs.finditer(norm):
            base, run = m.start(), m.group()
            if " " not in run:  # one word: the common case, decided fast
                n = len(run)
                if lo1 - 1 <= n <= hi1 + 1 and not (skip and low[base:base + n] in skip):
                    score(base, base + n)
                continue
            self._scan_run(low[base:m.end()].split(" "), base, score)

    def _scan_run(self, parts: list[str], base: int, score: Callable[[int, int], None]) -> None:
        """Score the windows of a run of several words (``parts``, lower-cased) at
        ``base``: of a term's length, not starting or ending with a word to skip, and
        of several words only if its first word starts a term or its last ends one."""
        nwords, lens, skip = self._nwords, self._len, self._skip
        n = len(parts)
        starts = [base]
        for part in parts[:-1]:
            starts.append(starts[-1] + len(part) + 1)
        for i in range(n):
            first = parts[i]
            if skip and first in skip:
                continue
            for k in nwords:
                j = i + k - 1
                if j >= n:
                    break
                s0, e = starts[i], starts[j] + len(parts[j])
                lo, hi = lens[k]
                if not lo - 1 <= e - s0 <= hi + 1:
                    continue
                if k > 1:
                    last = parts[j]
                    if skip and last in skip:
                        continue
                    firsts, lasts = self._ends[k]
                    if first not in firsts and last not in lasts:
                        continue
                score(s0, e)

    def _anchored(self, view: TextView, word: re.Pattern[str]) -> list[tuple[int, int]]:
        """The windows `find`'s run scan would score when every term has two words or
        more, in its order (by start, then end), found from the anchors: a k-word
        window is scored only if its first word starts a k-word term or its last word
        ends one (`_ends`), so windows are built around those words alone. A run's
        word is a ``word`` match at a place no word character or hyphen precedes
        (a run's first word by its look-behind, the others by their space), taken
        greedily; two words are in one run when one space parts them."""
        norm, low = view.norm, view.lower
        occ = self._anchor_places(view, low)
        if not occ:
            return []
        after, before = _run_steps(norm, word)
        skip, lens, ks = self._skip, self._len, self._ks
        windows: set[tuple[int, int]] = set()
        for a, at in occ:
            n = len(a)
            if at and (_is_word(low[at - 1]) or low[at - 1] == "-"):
                continue  # inside a word: not a run's word
            m = word.match(norm, at)
            if m is None or m.end() != at + n:
                continue
            firsts, lasts = ks[a]
            for k in firsts:  # windows of k words starting here (k going up)
                w = _walk(after, (at, at + n), k)
                if w is None:
                    break  # the run ends: longer windows neither
                lo, hi = lens[k]
                if lo - 1 <= w[1] - at <= hi + 1 and low[w[0]:w[1]] not in skip:
                    windows.add((at, w[1]))
            for k in lasts:  # windows of k words ending here
                w = _walk(before, (at, at + n), k)
                if w is None:
                    break
                lo, hi = lens[k]
                if lo - 1 <= at + n - w[0] <= hi + 1 and low[w[0]:w[1]] not in skip:
                    windows.add((w[0], at + n))
        return sorted(windows)

    def _anchor_places(self, view: TextView, low: str) -> list[tuple[str, int]]:
        """Where anchors may occur, as (anchor, where it may start): C-level
        tokenization and set intersection block by block, then a search for each anchor
        found, in its block only (a block ends at a space, which no anchor holds). Few
        anchors: a search of the whole text each."""
        by_chunk, size = self._by_chunk, len(low)
        occ: list[tuple[str, int]] = []
        scan: list[tuple[str, int, int]]  # (anchor, in low[lo:hi])
        if len(by_chunk) <= 8:
            scan = [(a, 0, size) for a in (*self._unchunked, *(
                w for ws in by_chunk.values() for w in ws))]
        else:
            scan = [(a, 0, size) for a in self._unchunked]
            chunks = self._chunks
            # No anchor with a non-ASCII character occurs in ASCII text.
            group = self._ascii_chunk if low.isascii() else by_chunk
            for bs, be, tokens in view.blocks():
                scan += [(w, bs, be) for c in chunks.intersection(tokens) for w in group[c]]
        for a, bs, be in scan:
            i = low.find(a, bs, be)
            while i != -1:
                occ.append((a, i))
                i = low.find(a, i + 1, be)
        return occ

    def _score(self, norm: str, low: str, s0: int, e: int) -> FuzzyHit[P] | None:
        """The best near-miss term for the window ``[s0, e)``, or None."""
        index, terms = self._index, self._terms
        assert index is not None
        best: FuzzyHit[P] | None = None
        for cs in self._modes:
            w = norm[s0:e] if cs else low[s0:e]
            cands: set[tuple[str, bool]] = set()
            got = index.get(w)
            if got:
                cands |= got
            for j in range(len(w)):
                got = index.get(w[:j] + w[j + 1:])
                if got:
                    cands |= got
            # In order: of two terms at the same score the first in sort order wins,
            # whatever the hash seed (set order would make the output vary by run).
            for key, kcs in sorted(cands):
                if kcs != cs or key == w:
                    continue
                entries = terms[(key, kcs)]
                cutoff = min(c for c, _ in entries)
                score = fuzz.ratio(w, key, score_cutoff=cutoff)
                if score and (best is None or score > best.score):
                    best = FuzzyHit(s0, e, norm[s0:e], key, score,
                                    tuple(p for c, p in entries if score >= c))
        return best


_Span = tuple[int, int]
_Step = Callable[[_Span], "_Span | None"]


def _run_steps(norm: str, word: re.Pattern[str]) -> tuple[_Step, _Step]:
    """The steps from a run's word (its span) to the next one and to the one before
    (`_anchored`): None where the run ends."""
    size = len(norm)

    def after(w: _Span) -> _Span | None:
        e = w[1]
        if e < size and norm[e] == " ":
            m = word.match(norm, e + 1)
            if m:
                return e + 1, m.end()
        return None

    def before(w: _Span) -> _Span | None:
        s = w[0]
        if s < 2 or norm[s - 1] != " ":
            return None
        m = _TOKEN_TAIL.search(norm, norm.rfind(" ", 0, s - 1) + 1, s - 1)
        if m is None:
            return None
        m2 = word.match(norm, m.start())
        return (m.start(), s - 1) if m2 and m2.end() == s - 1 else None

    return after, before


def _walk(step: _Step, w: _Span, k: int) -> _Span | None:
    """The word ``k - 1`` steps from ``w``, or None where the run ends first."""
    for _ in range(k - 1):
        got = step(w)
        if got is None:
            return None
        w = got
    return w


_CAP_RUN = re.compile(r"(?<![\w-])[A-Z\u00C0-\u00DE]\w*(?:-\w+)*"
                      r"(?: [A-Z\u00C0-\u00DE]\w*(?:-\w+)*)*")
_TITLE_RUN = re.compile(r"(?<![\w-])[A-Z\u00C0-\u00DE][a-z\u00DF-\u024F][\w]*(?:-\w+)*"
                        r"(?: [A-Z\u00C0-\u00DE][a-z\u00DF-\u024F]\w*(?:-\w+)*)*")
_ANY_RUN = re.compile(r"(?<![\w-])\w+(?:-\w+)*(?: \w+(?:-\w+)*)*")
# A word of each kind of run (a run is such words joined by single spaces).
_RUN_WORD = {
    _CAP_RUN: re.compile(r"[A-Z\u00C0-\u00DE]\w*(?:-\w+)*"),
    _TITLE_RUN: re.compile(r"[A-Z\u00C0-\u00DE][a-z\u00DF-\u024F]\w*(?:-\w+)*"),
    _ANY_RUN: re.compile(r"\w+(?:-\w+)*"),
}
_ANY_WORD = _RUN_WORD[_ANY_RUN]
# The characters around a word's last \w+ piece ([\w-]+ up to the end).
_TOKEN_TAIL = re.compile(r"[\w-]+\Z")
_CACHE_MAX = 50_000  # windows' scores kept by a `FuzzyMatcher` across cables


def find_exact(text: str, needle: str) -> Iterator[int]:
    """Start offsets of ``needle`` in ``text`` as a whole word (for a few needles this
    is faster than compiling a matcher)."""
    n = len(needle)
    if not n:
        return
    # The needle's ends are checked once, not per occurrence (hot: called per name).
    head, tail = _is_word(needle[0]), _is_word(needle[-1])
    size = len(text)
    find = text.find
    i = find(needle)
    while i != -1:
        if head and i:
            c = text[i - 1]
            if c.isalnum() or c == "_":
                i = find(needle, i + 1)
                continue
        j = i + n
        if tail and j < size:
            c = text[j]
            if c.isalnum() or c == "_":
                i = find(needle, i + 1)
                continue
        yield i
        i = find(needle, i + 1)


def find_words(view: TextView, words: Iterable[str], start: int, end: int) -> tuple[str, ...]:
    """Which of ``words`` occur whole (case-insensitive) in ``view.lower[start:end]``."""
    low = view.lower
    found = []
    for w in words:
        key = normalize_term(w)
        i = low.find(key, start, end)
        while i != -1:
            a_ok = i == 0 or not _is_word(low[i - 1]) or not _is_word(key[0])
            j = i + len(key)
            b_ok = j >= len(low) or not _is_word(low[j]) or not _is_word(key[-1])
            if a_ok and b_ok:
                found.append(w)
                break
            i = low.find(key, i + 1, end)
    return tuple(found)


# --------------------------------------------------------------------------- regex plans


@dataclass(frozen=True, slots=True)
class RegexPlan:
    """How to run a regex fast: every match contains one literal of each tuple in
    ``options`` (lower-cased when ``icase``) and is at most ``width`` characters long
    (None: unbounded). At run time the option whose literals occur least is used, and the
    regex runs only in windows around those occurrences."""

    options: tuple[tuple[str, ...], ...]
    icase: bool
    width: int | None
    # Literals one of which every match starts with (lower-cased when ``icase``), when
    # the pattern begins so: a match can then only start where one of them is.
    lead: tuple[str, ...] | None = None

    @property
    def literals(self) -> tuple[str, ...]:
        return self.options[0]


def _required(items: object, icase: bool) -> list[tuple[str, ...]]:
    """Candidate requirements of a parsed sequence: each a tuple of alternatives, one of
    which every match contains."""

    out: list[tuple[str, ...]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(("".join(run),))
            run.clear()

    for op, av in items:  # type: ignore[attr-defined]
        if op is C.LITERAL:
            run.append(chr(av).lower() if icase else chr(av))
            continue
        flush()
        if op is C.SUBPATTERN:
            out.extend(_required(av[-1], icase))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            body = list(av[2])
            if len(body) == 1 and body[0][0] is C.LITERAL:  # X{6,} requires XXXXXX
                ch = chr(body[0][1])
                out.append(((ch.lower() if icase else ch) * min(av[0], 8),))
            else:
                out.extend(_required(av[2], icase))
        elif op is C.BRANCH:
            alts: list[tuple[str, ...]] = []
            for branch in av[1]:
                cands = _required(branch, icase)
                if not cands:
                    alts = []
                    break
                alts.append(max(cands, key=lambda c: min(map(len, c))))
            if alts:
                out.append(tuple(dict.fromkeys(a for alt in alts for a in alt)))
    flush()
    return out


def _leading(items: object, icase: bool) -> tuple[str, ...] | None:
    """Literals one of which starts every match of a parsed sequence, or None. Leading
    zero-width assertions (``\\b``, look-arounds) are passed over: a match starts at
    the first character it takes."""

    run: list[str] = []
    for op, av in items:  # type: ignore[attr-defined]
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            break
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        if op is C.SUBPATTERN and not av[1] and not av[2]:  # no flags of its own
            return _leading(av[-1], icase)
        if op is C.BRANCH:
            out: dict[str, None] = {}
            for branch in av[1]:
                lits = _leading(branch, icase)
                if lits is None:
                    return None
                out.update(dict.fromkeys(lits))
            return tuple(out)
        return None
    if not run:
        return None
    lit = "".join(run)
    return (lit.lower() if icase else lit,)


def regex_plan(pattern: re.Pattern[str]) -> RegexPlan | None:
    """A `RegexPlan` for ``pattern``, or None when no literal is required (run it all)."""

    icase = bool(pattern.flags & re.IGNORECASE)
    try:
        parsed = Parser.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    cands = [c for c in _required(parsed, icase) if min(map(len, c)) >= 3]
    if not cands:
        return None
    cands.sort(key=lambda c: (-min(map(len, c)), len(c)))
    hi = parsed.getwidth()[1]
    # Case-insensitive: a literal's other forms need not lower to it ("ſ" for "s").
    lead = None if icase else _leading(parsed, icase)
    return RegexPlan(tuple(dict.fromkeys(cands)), icase,
                     None if hi >= C.MAXREPEAT or hi > 5000 else hi,
                     lead if lead and min(map(len, lead)) >= 3 else None)


_LEAD_MAX = 256  # lead literals in a text beyond which a plain search is as fast


def _find_all(hay: str, lit: str, lo: int, hi: int) -> Iterator[int]:
    i = hay.find(lit, lo, hi)
    while i != -1:
        yield i
        i = hay.find(lit, i + 1, hi)


def run_regex(pattern: re.Pattern[str], plan: RegexPlan | None, view: TextView,
              lo: int = 0, hi: int | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(view.norm, lo, hi)``, skipping text that cannot hold a match."""
    text = view.norm
    hi = len(text) if hi is None else hi
    if plan is None:
        yield from pattern.finditer(text, lo, hi)
        return
    hay = view.lower if plan.icase else text
    if plan.lead is not None:
        starts = [i for lit in plan.lead for i in _find_all(hay, lit, lo, hi)]
        if len(starts) <= _LEAD_MAX:
            yield from _at_leads(pattern, text, starts, lo, hi)
            return
    best = _rarest(plan, hay, view.counts, lo, hi)
    if best is None:
        return  # a literal every match needs is not there: no match
    total, literals = best
    if plan.width is None or total > 64:
        yield from pattern.finditer(text, lo, hi)  # common literals: windows save little
        return
    for a, b in _windows(hay, literals, plan.width, lo, hi):
        yield from pattern.finditer(text, a, b)


def _at_leads(pattern: re.Pattern[str], text: str, starts: list[int], lo: int,
              hi: int) -> Iterator[re.Match[str]]:
    """Every match starts with a lead literal (at ``starts``): try the pattern at each
    one, in order, from the end of the last match on (what `finditer` does, without
    trying every other place). ``match`` at i sees what precedes i as a search reaching
    i would (look-behinds, \\b, ^ look at the whole string)."""
    pos = lo
    for i in sorted(set(starts)):
        if i >= pos:
            m = pattern.match(text, i, hi)
            if m is not None:
                yield m
                pos = m.end()


def _rarest(plan: RegexPlan, hay: str, counts: dict[tuple[bool, str, int, int], int],
            lo: int, hi: int) -> tuple[int, tuple[str, ...]] | None:
    """The requirement whose literals occur least in ``hay[lo:hi]`` (it decides where
    to look), with their count; None when some requirement's literals are absent.
    Rules share literals ("Minister", "said"): each is counted once per view
    (``counts``). As ``min((sum(map(count, o)), o) for o in plan.options)``, but an
    option stops being counted once it is sure to lose (a long list of alternatives
    often is)."""
    icase = plan.icase
    best: tuple[int, tuple[str, ...]] | None = None
    for option in plan.options:
        n = 0
        for lit in option:
            k = (icase, lit, lo, hi)
            c = counts.get(k)
            if c is None:
                c = counts[k] = hay.count(lit, lo, hi)
            n += c
            if best is not None and n > best[0]:
                break
        else:
            if not n:
                return None
            if best is None or (n, option) < best:
                best = (n, option)
    assert best is not None  # a plan has at least one option
    return best if best[0] else None


def _windows(hay: str, literals: tuple[str, ...], width: int, lo: int,
             hi: int) -> list[list[int]]:
    """The spans around every occurrence of ``literals`` that a match of at most
    ``width`` characters holding one can lie in, overlapping ones joined."""
    hits: list[int] = []
    for lit in literals:
        i = hay.find(lit, lo, hi)
        while i != -1:
            hits.append(i)
            i = hay.find(lit, i + 1, hi)
    hits.sort()
    windows: list[list[int]] = []
    for i in hits:
        # A little margin so that lookarounds at a window's edge see what they would.
        a, b = max(lo, i - width - 2), min(hi, i + width + 2)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    return windows
