"""Intent classification from the bot's sample utterances, with an nluConfidence in [0, 1].

A scikit-learn pipeline: TF-IDF over words (1-2 grams) and characters (2-5 grams within words,
accents stripped, so "conexion" and typos still share most features) feeding a multinomial logistic
regression trained on the sample utterances with their slot references filled in (data/lex/bot.yaml).

Lex gives FallbackIntent when no intent reaches the confidence threshold. A classifier alone is
sure of itself on anything (it must choose among the intents it knows: "order a pizza" is a new
order), so the confidence is the classifier's probability times how much of the utterance the bot
knows at all: the share of the utterance's words, weighted by their IDF in the training utterances,
that are in the training vocabulary, typo-tolerant through rapidfuzz (an unknown word weighs as
the rarest one). How Amazon Lex computes its own scores is not published; this reproduces the
observable contract (a score per interpretation, FallbackIntent under the threshold).
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from lex_fulfillment.bot import FALLBACK, Bot, expand
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from local_connect.lex.text import words

# Each sample utterance with slot references yields at most this many filled-in texts, so an intent
# with slots does not outweigh the others by the size of its slot types.
EXPANSIONS_PER_UTTERANCE = 4
# A word not in the vocabulary still counts as known when this similar (0-100) to a known word.
TYPO_SIMILARITY = 80
MIN_TYPO_LENGTH = 4


@dataclass(frozen=True)
class Interpretation:
    intent: str
    confidence: float


def training_set(bot: Bot, locale: str) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    for intent in bot.intents:
        for utterance in intent.utterances[locale]:
            filled = list(expand(bot, intent, locale, utterance))
            step = max(1, len(filled) // EXPANSIONS_PER_UTTERANCE)
            for text in filled[::step][:EXPANSIONS_PER_UTTERANCE]:
                texts.append(text)
                labels.append(intent.name)
    for text in bot.out_of_domain[locale]:
        texts.append(text)
        labels.append(FALLBACK)
    return texts, labels


class IntentClassifier:
    """One locale's classifier; `interpret` ranks every intent, FallbackIntent included."""

    def __init__(self, bot: Bot, locale: str) -> None:
        self.threshold = bot.nlu_confidence_threshold
        texts, labels = training_set(bot, locale)
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), strip_accents="unicode", sublinear_tf=True)),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(2, 5), strip_accents="unicode", sublinear_tf=True
                    ),
                ),
            ]
        )
        # C high: the sample utterances are few and clean, so fit them closely; balanced, since the
        # out-of-domain examples outnumber any one intent's utterances.
        self.model = make_pipeline(
            features, LogisticRegression(C=20.0, class_weight="balanced", max_iter=3000)
        )
        self.model.fit(texts, labels)
        self.classes: list[str] = [str(c) for c in self.model.classes_]
        documents = Counter(w for text in texts for w in set(words(text)))
        total = len(texts)
        self.idf = {w: math.log((total + 1) / (df + 1)) + 1.0 for w, df in documents.items()}
        self.unknown_weight = math.log(total + 1) + 1.0
        self.vocabulary = sorted(self.idf)

    def coverage(self, text: str) -> float:
        """The IDF-weighted share of the text's words the bot knows (typos through rapidfuzz)."""
        tokens = words(text)
        if not tokens:
            return 0.0
        known = weight = 0.0
        for token in tokens:
            idf = self.idf.get(token)
            if idf is not None:
                known += idf
                weight += idf
                continue
            weight += self.unknown_weight
            if len(token) >= MIN_TYPO_LENGTH:
                match = process.extractOne(
                    token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY
                )
                if match is not None:
                    known += self.unknown_weight * match[1] / 100.0
        return known / weight

    def interpret(self, text: str) -> list[Interpretation]:
        """Every intent with its confidence, best first; FallbackIntent first when the best guess is
        out of domain or no intent reaches the threshold (as Lex answers)."""
        if not words(text):
            return [Interpretation(FALLBACK, 1.0)]
        probabilities: Sequence[float] = self.model.predict_proba([text])[0]
        coverage = self.coverage(text)
        scores = {c: float(p) ** 0.5 * coverage for c, p in zip(self.classes, probabilities, strict=True)}
        out_of_domain = scores.pop(FALLBACK, 0.0)
        ranked = sorted(
            (Interpretation(c, round(v, 2)) for c, v in scores.items()), key=lambda i: -i.confidence
        )
        best = ranked[0]
        if best.confidence < self.threshold or out_of_domain > best.confidence:
            # Lex's FallbackIntent interpretation carries no nluConfidence of its own; the twin
            # gives how sure it is that nothing matched.
            return [Interpretation(FALLBACK, round(max(out_of_domain, 1.0 - best.confidence), 2)), *ranked]
        return ranked


_trained: dict[tuple[int, str], tuple[Bot, IntentClassifier]] = {}
_trained_lock = threading.Lock()


def classifier_for(bot: Bot, locale: str) -> IntentClassifier:
    """One trained classifier per bot definition and locale in this process (training takes
    seconds; the stack, the bench and the tests share it). Keyed by the definition object, which
    lex_fulfillment.bot.load() caches, and kept with it so the key stays valid."""
    key = (id(bot), locale)
    with _trained_lock:
        found = _trained.get(key)
        if found is None or found[0] is not bot:
            found = _trained[key] = (bot, IntentClassifier(bot, locale))
        return found[1]
