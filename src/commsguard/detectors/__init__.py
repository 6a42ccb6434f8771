"""Detectors, in an explicit registry: a rule's ``detector`` names one of these.

Add a detector by writing its module and naming it here; an unknown name is a pack error.
"""

from __future__ import annotations

from typing import Any

from commsguard.detectors.abuse import AbuseDetector
from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.confidential_matters import ConfidentialMattersDetector
from commsguard.detectors.discrimination import DiscriminationDetector
from commsguard.detectors.gazetteer import GazetteerDetector
from commsguard.detectors.jurisdiction import JurisdictionDetector
from commsguard.detectors.learned.detector import LearnedDetector
from commsguard.detectors.learned.semantic import SemanticDetector
from commsguard.detectors.phrases import PhraseDetector
from commsguard.detectors.pii import PersonalInformationDetector
from commsguard.detectors.political import PoliticalDetector
from commsguard.detectors.public_comment import PublicCommentDetector
from commsguard.detectors.register import ConfidentialRegisterDetector
from commsguard.errors import UnknownDetectorError

DETECTORS: dict[str, type[Detector]] = {
    "abuse": AbuseDetector,
    "confidential-matters": ConfidentialMattersDetector,
    "confidential-register": ConfidentialRegisterDetector,
    "discrimination": DiscriminationDetector,
    "gazetteer": GazetteerDetector,
    "jurisdiction": JurisdictionDetector,
    "learned": LearnedDetector,
    "phrases": PhraseDetector,
    "pii": PersonalInformationDetector,
    "political": PoliticalDetector,
    "public-comment": PublicCommentDetector,
    "semantic": SemanticDetector,
}


def build_detector(name: str, params: dict[str, Any], context: DetectorContext) -> Detector:
    try:
        cls = DETECTORS[name]
    except KeyError:
        known = ", ".join(sorted(DETECTORS))
        raise UnknownDetectorError(f"unknown detector {name!r} (known: {known})") from None
    return cls.from_params(params, context)


__all__ = ["DETECTORS", "Detector", "DetectorContext", "Hit", "build_detector"]
