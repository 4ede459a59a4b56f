"""Self-service bot (data/lex/bot.yaml, the Lex twin in local_connect/lex, lambdas/lex_fulfillment).

Method. Understanding: the twin's classifier (scikit-learn, trained on the sample utterances) reads
every line of tests/lex/heldout.yaml, phrasings the bot was not given (misspellings and off-topic
requests included); intent accuracy is over the in-domain lines, fallback over the off-topic ones
(the issue asks >= 90 % for both). Latency: one utterance classified (interpretations with
nluConfidence), every held-out line CLASSIFY_ROUNDS times, in-process; a knowledge passage
retrieved (rapidfuzz) for each knowledge line; and RecognizeText end to end through an
unmodified boto3 lexv2-runtime client against the twin on a real local HTTP server, the fulfillment
Lambda (code hook, twice per turn) included, hours from the Connect twin over HTTP.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from lex_fulfillment.bot import FALLBACK, LOCALES, kb_dir, load
from lex_fulfillment.knowledge import knowledge_base
from werkzeug.serving import WSGIRequestHandler

from local_connect.lex.evaluation import confusion_table, evaluate, held_out
from local_connect.lex.nlu import IntentClassifier

CLASSIFY_ROUNDS = 20
ROUND_TRIPS = 200


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


def _round_trips(lines: list[str]) -> list[float]:
    import boto3
    from werkzeug.serving import make_server

    from local_connect.definitions import load_definitions
    from local_connect.flows.testing import DefinitionsTwin
    from local_connect.lex.app import create_backend, create_lex_app
    from local_connect.lex.models import TEST_ALIAS_ID
    from scripts.seed import main as seed

    definitions = load_definitions()
    connect = DefinitionsTwin(definitions)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "jam.sqlite3"
        seed(["sqlite", "--sqlite-path", str(database)])
        backend = create_backend(definitions, str(database), connect.url)
        server = make_server("127.0.0.1", 0, create_lex_app(backend), threaded=True, request_handler=_Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            lex: Any = boto3.client(
                "lexv2-runtime",
                endpoint_url=f"http://127.0.0.1:{server.server_port}",
                region_name="us-east-1",
                aws_access_key_id="local",
                aws_secret_access_key="local",
            )
            ids = {"botId": backend.bot_id, "botAliasId": TEST_ALIAS_ID, "localeId": "en_US"}
            with contextlib.redirect_stdout(io.StringIO()):
                lex.recognize_text(**ids, sessionId="warm-up", text=lines[0])
            samples = []
            with contextlib.redirect_stdout(io.StringIO()):  # the Lambda's log lines
                for n in range(ROUND_TRIPS):
                    started = time.perf_counter()
                    lex.recognize_text(**ids, sessionId=f"bench-{n}", text=lines[n % len(lines)])
                    samples.append((time.perf_counter() - started) * 1000)
            return samples
        finally:
            server.shutdown()
            connect.close()


def run() -> str:
    bot = load()
    cases = held_out()
    lines = [__doc__.split("\n\n", 1)[1].strip(), ""]
    lines += [
        "| locale | held-out lines | intent accuracy | off-topic → fallback | training | classify p50 / p99 |"
    ]
    lines += ["|---|---:|---:|---:|---:|---:|"]
    tables: list[str] = []
    for locale in LOCALES:
        started = time.perf_counter()
        classifier = IntentClassifier(bot, locale)
        trained = time.perf_counter() - started
        report = evaluate(classifier, locale, cases[locale])
        texts = [t for group in cases[locale].values() for t in group]
        samples = []
        for _ in range(CLASSIFY_ROUNDS):
            for text in texts:
                began = time.perf_counter()
                classifier.interpret(text)
                samples.append((time.perf_counter() - began) * 1000)
        lines.append(
            f"| {locale} | {len(texts)} | {report.accuracy:.1%} ({report.correct}/{report.in_domain}) "
            f"| {report.fallback_rate:.1%} ({report.fell_back}/{report.off_topic}) | {trained:.2f} s "
            f"| {_p(samples, 0.5):.2f} / {_p(samples, 0.99):.2f} ms |"
        )
        misses = "\n".join(f"- {e} → {g}: “{t}”" for e, g, t in report.misses) or "- none"
        tables += [
            f"#### {locale}: confusion (rows expected, columns answered)",
            "",
            confusion_table(report),
            "",
        ]
        tables += [f"Misses ({len(report.misses)}):", "", misses, ""]
    retrieval = []
    for locale in LOCALES:
        kb = knowledge_base(str(kb_dir()), locale)
        for text in cases[locale]["KnowledgeQuestion"] * CLASSIFY_ROUNDS:
            began = time.perf_counter()
            kb.best(text)
            retrieval.append((time.perf_counter() - began) * 1000)
    trips = _round_trips([t for k, group in cases["en_US"].items() if k != FALLBACK for t in group])
    lines += [
        "",
        "| measure | p50 | p99 |",
        "|---|---:|---:|",
        f"| knowledge passage retrieval ({len(retrieval)} questions) | {_p(retrieval, 0.5):.2f} ms "
        f"| {_p(retrieval, 0.99):.2f} ms |",
        f"| RecognizeText via boto3 → twin → fulfillment Lambda ({len(trips)} turns) "
        f"| {statistics.median(trips):.1f} ms | {_p(trips, 0.99):.1f} ms |",
        "",
        *tables,
    ]
    return "## Self-service bot (Lex twin)\n\n" + "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(run())
