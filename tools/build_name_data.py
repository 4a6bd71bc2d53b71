"""Build reviewtool/data/names.json: the person-name recognizer's word lists.

- ``first``/``last``: given names and surnames in Latin script from Faker's person
  providers (MIT licensed), every locale that has them.
- ``stop``: capitalized words learned from the cable corpus to be ordinary words: they
  also occur in lower case often (``Will``, ``Mark``, ``Ministry``).
- ``places``: capitalized words that follow "in" often (``Paris``, ``Islamabad``),
  the posts in the corpus manifest, and Faker's country names.

Run from the repository root: ``python tools/build_name_data.py [CORPUS_DIR]``.
"""

from __future__ import annotations

import csv
import importlib
import json
import pkgutil
import re
import sys
from collections import Counter
from pathlib import Path

import faker.providers.address.en_US as address
import faker.providers.person as person

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "reviewtool" / "data" / "names.json"
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'\-]+$")


def faker_names() -> tuple[set[str], set[str]]:
    first: set[str] = set()
    last: set[str] = set()
    for mod_info in pkgutil.iter_modules(person.__path__):
        try:
            mod = importlib.import_module(f"{person.__name__}.{mod_info.name}")
        except Exception:  # noqa: BLE001 - a locale that fails to import is skipped
            continue
        provider = mod.Provider
        for attr in dir(provider):
            if attr.startswith("_") or ("first_name" not in attr and "last_name" not in attr):
                continue
            value = getattr(provider, attr)
            if callable(value) or not isinstance(value, tuple | list | dict):
                continue
            target = first if "first" in attr else last
            for name in value:
                if isinstance(name, str) and _LATIN.match(name):
                    target.add(name)
    return first, last


def learn(corpus: Path) -> tuple[set[str], set[str], set[str]]:
    """Words seen in lower case often, words that follow "in", and post names."""
    word = re.compile(r"(?<![\w'])([A-Za-z][a-z]+)(?![\w'])")
    after_in = re.compile(r"\b(?:in|from|near|to) ([A-Z][a-z]+)\b")
    # "the French government", "Italian officials": nationality and place adjectives.
    before_noun = re.compile(r"\b([A-Z][a-z]+) (?:government|officials?|authorities|"
                             r"embassy|delegation|counterparts?|side|troops|forces|press|"
                             r"media|parliament|people|firms?|companies|law|nationals?|"
                             r"citizens?|diplomats?|military|police|army|navy|economy)\b")
    lower: Counter[str] = Counter()
    title: Counter[str] = Counter()
    placed: Counter[str] = Counter()
    for f in sorted(corpus.glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        for m in word.finditer(text):
            w = m.group(1)
            if w[0].isupper():
                title[w.lower()] += 1
            else:
                lower[w] += 1
        for m in after_in.finditer(text):
            placed[m.group(1).lower()] += 1
        for m in before_noun.finditer(text):
            placed[m.group(1).lower()] += 1
    # Ordinary words: seen in lower case at least 3 times and a quarter of the time.
    stop = {w for w, n in lower.items() if n >= 3 and n / (n + title[w]) >= 0.25}
    places = {w for w, n in placed.items() if n >= 3 and n / max(1, title[w]) >= 0.2}
    posts: set[str] = set()
    manifest = corpus.parent / "manifest.csv"
    if manifest.exists():
        with manifest.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for w in re.findall(r"[A-Za-z]+", row["origin"]):
                    if w not in ("Embassy", "Consulate", "Mission", "USUN", "US", "Office"):
                        posts.add(w.lower())
    return stop, places, posts


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/corpus/cables"
    first, last = faker_names()
    stop, places, posts = learn(corpus)
    countries = {w.lower() for c in address.Provider.countries for w in re.findall(r"[A-Za-z]+", c)
                 if len(w) > 3}
    data = {
        "source": "Faker person providers (MIT); stop and places learned from the corpus",
        "first": sorted(first),
        "last": sorted(last),
        "stop": sorted(stop),
        "places": sorted(places | posts | countries),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: first {len(first)}, last {len(last)}, stop {len(stop)}, "
          f"places {len(data['places'])}, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
