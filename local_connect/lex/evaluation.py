"""How well the twin's classifier understands phrasings it was not given (tests/lex/heldout.yaml):
intent accuracy on the in-domain lines, the share of off-topic lines that fall back, and the
confusion table. Shared by tests/lex/test_quality.py and bench/lex.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from lex_fulfillment.bot import FALLBACK

from local_connect.lex.nlu import IntentClassifier

HELD_OUT = Path(__file__).resolve().parents[2] / "tests" / "lex" / "heldout.yaml"


def held_out(path: Path = HELD_OUT) -> dict[str, dict[str, list[str]]]:
    """locale -> expected intent -> phrasings."""
    raw = yaml.safe_load(path.read_text("utf-8"))
    return {str(loc): {str(k): [str(v) for v in lines] for k, lines in by.items()} for loc, by in raw.items()}


@dataclass
class Report:
    locale: str
    in_domain: int = 0
    correct: int = 0
    off_topic: int = 0
    fell_back: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, got) -> count
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (expected, got, text)

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_domain if self.in_domain else 0.0

    @property
    def fallback_rate(self) -> float:
        return self.fell_back / self.off_topic if self.off_topic else 0.0


def evaluate(classifier: IntentClassifier, locale: str, cases: Mapping[str, Sequence[str]]) -> Report:
    report = Report(locale)
    for expected, lines in cases.items():
        for text in lines:
            got = classifier.interpret(text)[0].intent
            report.confusion[(expected, got)] += 1
            if expected == FALLBACK:
                report.off_topic += 1
                report.fell_back += got == FALLBACK
            else:
                report.in_domain += 1
                report.correct += got == expected
            if got != expected:
                report.misses.append((expected, got, text))
    return report


def confusion_table(report: Report) -> str:
    """Markdown: one row per expected intent, one column per answer given."""
    expected = sorted({e for e, _ in report.confusion})
    answered = sorted({g for _, g in report.confusion})
    head = "| expected \\ got | " + " | ".join(answered) + " |"
    rule = "| --- |" + " ---: |" * len(answered)
    rows = [
        f"| {e} | " + " | ".join(str(report.confusion[(e, g)] or "") for g in answered) + " |"
        for e in expected
    ]
    return "\n".join([head, rule, *rows])
