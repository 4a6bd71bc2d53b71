"""The privacy policy: which withholdings protect a person, what a person's name looks
like, and when another spelling of it is the same name.

Written once, here: the engine suggests other occurrences and near spellings of a
withheld name by it, and the release's leak check refuses a copy by it, so what is
suggested and what is checked cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from reviewtool.core.cable.codes import short_code

PRIVACY_CODES = frozenset({"B6", "B7(C)"})  # personal privacy, in any spelling of the code
NEAR_CUTOFF = 88.0  # rapidfuzz ratio (0-100) at which another spelling is the same name
WORD_CUTOFF = NEAR_CUTOFF - 13  # each word of a several-word name must be at least this near
NAME_MIN_LEN = 5  # shorter withheld texts get no near-spelling search ("Li" is everywhere)

# Up to four capitalized words (the text's line breaks and tabs count as spaces).
_NAME_SHAPE = re.compile(r"^[A-Z][\w'’.-]+(?:[ \t\n]+[A-Z][\w'’.-]+){0,3}$")


@lru_cache(maxsize=1024)
def _private(codes: tuple[str, ...]) -> bool:
    return bool(PRIVACY_CODES & {short_code(c) for c in codes})


def is_private(codes: Iterable[str]) -> bool:
    """Some of ``codes`` withholds for personal privacy (B6, B7(C))."""
    return _private(tuple(codes))


def is_name(text: str) -> bool:
    """Shaped like a person's name: long enough, and up to four capitalized words."""
    t = text.strip()
    return len(t) >= NAME_MIN_LEN and _NAME_SHAPE.match(t) is not None


def near_spelling(name: str, candidate: str) -> float | None:
    """The ratio at which ``candidate`` is another spelling of ``name`` (both normalized,
    of the same number of words), or ``None`` when it is another word: too far, one the
    other's prefix ("Russia"/"Russian"), or one word of several too far ("Bush
    Administration"/"U.S. Administration")."""
    score = fuzz.ratio(name, candidate, score_cutoff=NEAR_CUTOFF)
    if not score:
        return None
    short, long_ = sorted((name, candidate), key=len)
    if long_.startswith(short):
        return None
    words, other = name.split(), candidate.split()
    if len(words) > 1 and any(fuzz.ratio(x, y) < WORD_CUTOFF
                              for x, y in zip(words, other, strict=False)):
        return None
    return float(score)
