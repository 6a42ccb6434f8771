"""Presidio's AnalyzerEngine as the benchmark's reference, patterns only.

A bench-only extra: ``pip install -e '.[bench]'`` adds presidio-analyzer and spaCy. Official
spaCy models are not on PyPI and nothing is downloaded, so Presidio runs on a blank English
pipeline saved to disk (``spacy.blank("en").to_disk(dir)``): no NER, Presidio at its fastest.

Configured fairly for Australian text: the four Australian recognizers (ABN, ACN, TFN,
Medicare; shipped but disabled by default) are added to the registry, and the phone recognizer
is given the ``AU`` region (its default regions are US, GB, DE, FR, IL, IN, CA, BR). Results are
mapped to our entity names by :data:`ENTITY_MAP`; the score threshold is Presidio's default (0),
so every candidate it returns counts: its most generous recall.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from typing import Any

from commsguard.benchmark.runner import Found, Runner

INSTALL_HINT = (
    "Presidio is not installed: it is a bench-only extra. "
    "`pip install -e '.[bench]'` adds presidio-analyzer and spaCy."
)

#: Presidio's entity -> ours. Presidio has no street-address recognizer without an NER model
#: (LOCATION comes from spaCy's NER, absent from a blank pipeline), nor any Australian licence,
#: passport or bank-account one: its US recognizers are the nearest, and are counted.
ENTITY_MAP: dict[str, str] = {
    "PHONE_NUMBER": "PHONE_NUMBER",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "CREDIT_CARD": "CREDIT_CARD",
    "AU_TFN": "AU_TFN",
    "AU_MEDICARE": "AU_MEDICARE",
    "AU_ABN": "AU_ABN",
    "AU_ACN": "AU_ACN",
    "DATE_TIME": "DATE_OF_BIRTH",
    "LOCATION": "STREET_ADDRESS",
    "US_DRIVER_LICENSE": "DRIVER_LICENCE",
    "US_PASSPORT": "PASSPORT",
    "US_BANK_NUMBER": "BANK_ACCOUNT",
}
BATCH = 256


def _offline_tldextract() -> None:
    """Presidio's email recognizer calls ``tldextract.extract``, which fetches the public suffix
    list on first use; use the snapshot bundled with tldextract instead (no network)."""
    import tldextract.tldextract as tld

    tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                       fallback_to_snapshot=True)


def build_analyzer(model_dir: str) -> Any:
    """An AnalyzerEngine on the blank pipeline at ``model_dir``, with the AU recognizers."""
    try:
        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import (
            AuAbnRecognizer,
            AuAcnRecognizer,
            AuMedicareRecognizer,
            AuTfnRecognizer,
            PhoneRecognizer,
        )
    except ImportError as exc:
        raise ImportError(f"{INSTALL_HINT} ({exc})") from exc

    _offline_tldextract()
    spacy.blank("en").to_disk(model_dir)
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model_dir}],
        }
    )
    nlp_engine = provider.create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    registry.remove_recognizer("PhoneRecognizer")
    registry.add_recognizer(PhoneRecognizer(supported_regions=("AU",)))
    for cls in (AuAbnRecognizer, AuAcnRecognizer, AuTfnRecognizer, AuMedicareRecognizer):
        registry.add_recognizer(cls())
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


class PresidioRunner(Runner):
    label = "Presidio (blank spaCy)"

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="commsguard-bench-spacy-")
        try:
            self.analyzer = build_analyzer(self._dir)
            from presidio_analyzer import BatchAnalyzerEngine

            self.batcher = BatchAnalyzerEngine(analyzer_engine=self.analyzer)
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
        known = set(self.analyzer.get_supported_entities(language="en"))
        self.entities = [e for e in ENTITY_MAP if e in known]
        self.supported = frozenset(ENTITY_MAP[e] for e in self.entities)
        self.rules = len(self.analyzer.registry.recognizers)
        self.note = f"{self.rules} recognizers, AU phone region, threshold 0"

    def prepare(self, posts: Sequence[Any]) -> list[Any]:
        return [p.text for p in posts]

    def _found(self, results: Sequence[Any]) -> list[Found]:
        return [(ENTITY_MAP[r.entity_type], r.start, r.end) for r in results
                if r.entity_type in ENTITY_MAP]

    def batch(self, items: Sequence[str]) -> list[list[Found]]:
        results = self.batcher.analyze_iterator(
            list(items), language="en", batch_size=BATCH, entities=self.entities
        )
        return [self._found(r) for r in results]

    def one(self, item: str) -> list[Found]:
        return self._found(self.analyzer.analyze(item, language="en", entities=self.entities))
