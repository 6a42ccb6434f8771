from __future__ import annotations

import pytest
from _conduct import flagged

from commsguard.detectors.jurisdiction import council_terms

BODY = "public-trust.jurisdiction-body"
MEDIA = "public-trust.media-debate"
INTERNAL = "public-trust.internal-material"


def test_when_council_list_then_79_councils_with_usual_forms() -> None:
    from commsguard.policy import load_pack

    pack = load_pack()
    lines = [
        line for line in (pack.root / "data/jurisdiction/councils.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert len(lines) == 79
    forms = {t.text for t in council_terms(["Greater Geelong | city", "Alpine | shire"])}
    expected = {"City of Greater Geelong", "Geelong Council", "Alpine Shire", "Shire of Alpine"}
    assert expected <= forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wyndham City Council is hopeless, six months for a permit", True),
        ("Massive thanks to Barwon Water for the quick fix", True),
        ("The Department of Health is a shambles right now", True),
        ("Shire of Yarra Ranges took three weeks to collect hard rubbish. Useless.", True),
        ("Yarra Trams: what a joke of a service today", True),
        ("Knox City Council green waste collection is on Thursday", False),
        ("VicRoads licence testing centre moves to Burwood next month", False),
        ("Victoria Police were brilliant at the fete", False),
        ("Services Australia is hopeless", False),
        ("Melbourne City won again, what a side", False),
    ],
)
def test_when_body_in_jurisdiction_with_stance_then_flagged(text: str, expected: bool) -> None:
    assert flagged(BODY, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@journo_x your piece on the Ombudsman is rubbish", True),
        ("The Herald Sun editorial about our office was a disgrace", True),
        ("Nice piece in the Guardian about the Ombudsman's report", False),
        ("The reporter called reception for comms", False),
    ],
)
def test_when_debating_media_about_office_then_flagged(text: str, expected: bool) -> None:
    assert flagged(MEDIA, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Leaked memo from the exec: hot desking from March", True),
        ("Screenshot of the internal all-staff email, lol", True),
        ("Found this on the office printer: DRAFT, NOT FOR CIRCULATION", True),
        ("Remember to keep internal emails internal", False),
        ("The job ad is on our public website", False),
    ],
)
def test_when_internal_material_shared_then_flagged(text: str, expected: bool) -> None:
    assert flagged(INTERNAL, text) is expected
