"""Knowledge answers: the best passage of the curated articles (data/kb/*.md) for a question.

Each article is Markdown with a small front matter (title, department, keywords, locale); each `## ` section
is one passage. Retrieval is IDF-weighted term matching in which a question's word matches a
passage's word through rapidfuzz's similarity (so "restarting" finds "restart", and typos still
match): a passage's score is the share of the question's weight it covers. Below MIN_SCORE nothing
is answered (the caller is offered an agent instead).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

MIN_SCORE = 0.4
HEADING_WEIGHT = 0.25
SIMILARITY = 82  # 0-100: how alike two words must be to count as the same
_WORD = re.compile(r"\w+")
# Words that carry no topic (question words, pronouns, articles): they weigh nothing.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "my",
        "me",
        "you",
        "your",
        "we",
        "our",
        "is",
        "are",
        "do",
        "does",
        "did",
        "can",
        "could",
        "how",
        "what",
        "when",
        "where",
        "why",
        "which",
        "who",
        "to",
        "of",
        "in",
        "on",
        "for",
        "and",
        "or",
        "it",
        "if",
        "be",
        "have",
        "has",
        "with",
        "at",
        "by",
        "from",
        "this",
        "that",
        "there",
        "about",
        "get",
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "mi",
        "mis",
        "su",
        "sus",
        "yo",
        "tu",
        "usted",
        "de",
        "del",
        "en",
        "y",
        "o",
        "que",
        "qué",
        "como",
        "cómo",
        "cuando",
        "cuándo",
        "donde",
        "dónde",
        "por",
        "para",
        "con",
        "es",
        "son",
        "se",
        "me",
        "le",
        "lo",
        "al",
        "puedo",
        "hay",
        "cual",
        "cuál",
        "cuánto",
        "cuanto",
    ]
)


def words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [w for w in _WORD.findall(plain) if w not in STOPWORDS]


@dataclass(frozen=True)
class Passage:
    article: str
    department: str
    heading: str
    text: str
    terms: frozenset[str]
    heading_terms: frozenset[str]


@dataclass(frozen=True)
class Answer:
    passage: Passage
    score: float


def parse_article(name: str, source: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    meta: dict[str, str] = {}
    body = source
    if source.startswith("---\n"):
        head, _, body = source[4:].partition("\n---\n")
        for line in head.splitlines():
            key, _, value = line.partition(":")
            if value:
                meta[key.strip()] = value.strip()
    sections: list[tuple[str, str]] = []
    for block in re.split(r"^## ", body, flags=re.MULTILINE)[1:]:
        heading, _, text = block.partition("\n")
        text = " ".join(text.split())
        if text:
            sections.append((heading.strip(), text))
    if not sections:
        raise ValueError(f"{name}: no '## ' sections")
    return meta, sections


class KnowledgeBase:
    def __init__(self, passages: list[Passage]) -> None:
        if not passages:
            raise ValueError("no passages")
        self.passages = passages
        counts = Counter(t for p in passages for t in p.terms)
        total = len(passages)
        self.idf = {t: math.log((total + 1) / (n + 0.5)) for t, n in counts.items()}
        self.vocabulary = sorted(self.idf)

    @classmethod
    def from_dir(cls, folder: Path, locale: str) -> KnowledgeBase:
        passages: list[Passage] = []
        for path in sorted(folder.glob(f"*.{locale}.md")):
            meta, sections = parse_article(path.name, path.read_text("utf-8"))
            for heading, text in sections:
                # The article's keywords (front matter) belong to each of its passages.
                terms = frozenset(words(f"{meta.get('keywords', '')} {heading} {text}"))
                heading_terms = frozenset(words(heading))
                passages.append(
                    Passage(path.name, meta.get("department", ""), heading, text, terms, heading_terms)
                )
        return cls(passages)

    def best(self, question: str) -> Answer | None:
        query = list(dict.fromkeys(words(question)))
        if not query:
            return None
        # Each question word's matches in the vocabulary, with their similarity (0-1).
        matches = {
            q: {
                term: score / 100.0
                for term, score, _ in process.extract(
                    q, self.vocabulary, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None
                )
            }
            for q in query
        }
        rarest = max(self.idf.values())
        weights = {q: max((self.idf[t] for t in m), default=rarest) for q, m in matches.items()}
        total = sum(weights.values())
        best: Answer | None = None
        for passage in self.passages:
            covered = titled = 0.0
            for q, found in matches.items():
                similarity = max((s for t, s in found.items() if t in passage.terms), default=0.0)
                covered += weights[q] * similarity
                in_heading = max((s for t, s in found.items() if t in passage.heading_terms), default=0.0)
                titled += weights[q] * in_heading
            # What the heading covers decides between passages that cover the question alike.
            score = (covered + HEADING_WEIGHT * titled) / (total * (1 + HEADING_WEIGHT))
            if best is None or score > best.score:
                best = Answer(passage, round(score, 3))
        return best if best is not None and best.score >= MIN_SCORE else None


@lru_cache(maxsize=4)
def knowledge_base(folder: str, locale: str) -> KnowledgeBase:
    return KnowledgeBase.from_dir(Path(folder), locale)
