"""Alignment suggestions: the items of another plan that use the same words as this one.

For whoever reads the code (the page says it in plain words): each word is reduced to its
Spanish stem (Snowball), so "mujer" and "mujeres" count as one; stop words and words every
plan repeats are dropped; each stem weighs more the fewer items use it (TF-IDF), and the
score is the cosine of the two texts' weights, from 0 (nothing shared) to 1 (the same words).
No model to download.

Pure functions. The person decides; nothing is linked automatically.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import snowballstemmer

# fmt: off
STOP_WORDS = frozenset("""
a al algo algunas algunos ante antes como con contra cual cuales cuando de del desde donde durante e
el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto estos fue fueron ha
han hasta hay la las le les lo los mas me mi mientras muy mismo mismos nos o otra otras otro otros
para pero poco por porque que quien quienes se ser si sin sobre son su sus tal tambien tanto te todo
todos tras tu u un una uno unos y ya asi cada mediante hacia segun sea sean dicho dicha esta estan
fin forma manera traves
""".split())
# fmt: on
# Words every plan repeats: they would make everything look alike.
DOMAIN_STOP_WORDS = frozenset(
    {"promover", "fortalecer", "impulsar", "establecer", "garantizar", "acciones", "accion"}
)

# Letters of any script, accented ones included ("político" is one word, not "pol" + "tico").
_WORD = re.compile(r"[^\W\d_]+")
_stemmer = snowballstemmer.stemmer("spanish")


def _fold(word: str) -> str:
    return "".join(
        ch
        for ch in unicodedata.normalize("NFD", word)
        if unicodedata.category(ch) != "Mn" or ch == "\u0303"
    )


def terms(text: str) -> list[tuple[str, str]]:
    """(stem, word) pairs for the meaningful words of ``text``."""
    pairs = []
    for raw in _WORD.findall(unicodedata.normalize("NFC", (text or "").lower())):
        word = unicodedata.normalize("NFC", _fold(raw))
        plain = word.replace("ñ", "n")
        if len(word) < 3 or plain in STOP_WORDS or plain in DOMAIN_STOP_WORDS:
            continue
        pairs.append((_stemmer.stemWord(plain), raw))
    return pairs


# Scores on the seeds (PED Zacatecas 2.10 and Durango's objectives against PROIGUALDAD): a
# match through "mujeres" alone, a word nearly every item uses, scores under 0.01; the weakest
# real match ("mujeres", "niñas") 0.05; "violencia" 0.10; "participación", "políticas" 0.16;
# short texts sharing their main word 0.3 and more. Below MIN_SCORE nothing is offered.
MIN_SCORE = 0.05
HIGH_SCORE = 0.2
MEDIUM_SCORE = 0.08


def strength(score: float) -> str:
    """ "high", "medium" or "low": what the page says instead of the number."""
    if score >= HIGH_SCORE:
        return "high"
    return "medium" if score >= MEDIUM_SCORE else "low"


@dataclass(frozen=True)
class Suggestion:
    index: int
    score: float
    shared_terms: tuple[str, ...]  # as the words appear in the query, the weightiest first

    @property
    def strength(self) -> str:
        return strength(self.score)


def suggest(query: str, candidates: Sequence[str], *, top: int = 5) -> list[Suggestion]:
    """The ``top`` candidates most similar to ``query`` (at least MIN_SCORE), with the words
    they share."""
    docs = [terms(text) for text in candidates]
    query_terms = terms(query)
    corpus = [*docs, query_terms]
    df: Counter[str] = Counter()
    for doc in corpus:
        df.update({stem for stem, _ in doc})
    n = len(corpus)

    def vector(doc):
        counts = Counter(stem for stem, _ in doc)
        vec = {
            stem: (1 + math.log(c)) * math.log((1 + n) / (1 + df[stem])) + 0.0
            for stem, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {k: v / norm for k, v in vec.items()}

    qv = vector(query_terms)
    words = {}
    for stem, word in query_terms:
        words.setdefault(stem, word)
    results = []
    for index, doc in enumerate(docs):
        dv = vector(doc)
        weights = {s: qv[s] * dv[s] for s in set(qv) & set(dv)}
        score = sum(weights.values())
        if score >= MIN_SCORE:
            # A word every text uses weighs nothing: it explains nothing either.
            shared = sorted(
                (s for s in weights if weights[s] > 0), key=lambda s: (-weights[s], words[s])
            )
            results.append(Suggestion(index, round(score, 4), tuple(words[s] for s in shared)))
    results.sort(key=lambda s: (-s.score, s.index))
    return results[:top]
