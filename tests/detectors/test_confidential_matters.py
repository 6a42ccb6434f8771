"""Confidential matters: case references, complainants and cases with cues, secrecy, staff news,
material sent outside; look-alikes, the spokesperson exemption, near misses, the prefilter."""

from __future__ import annotations

from pathlib import Path

import pytest
from _conduct import check, engine_for, flagged

from commsguard.detectors.base import DetectorContext
from commsguard.detectors.confidential_matters import ConfidentialMattersDetector
from commsguard.errors import PackError
from commsguard.models import Capacity, Message, Result
from commsguard.policy import load_pack

REF = "privacy-confidentiality.case-reference"
TALK = "privacy-confidentiality.discussing-matters"
STAFF = "privacy-confidentiality.staff-matters"
OUT = "privacy-confidentiality.material-outside"


def explained(rule: str, text: str, *, author: str = "", capacity: Capacity = "private") -> Result:
    message = Message(id="t", text=text, author=author, capacity=capacity)
    return engine_for(rule).check(message, explain=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Who moved C/2024/10331 off my desk??", "C/2024/10331"),
        ("c-2026-00419 is back from the agency", "c-2026-00419"),
        ("the file for 2025/7781 is in the compactus", "file for 2025/7781"),
        ("see ref VO-2025-118 before the meeting", "ref VO-2025-118"),
        ("Matter no. 2024/00921, finally closed!", "Matter no. 2024/00921"),
    ],
)
def test_when_case_reference_shape_then_flagged(text: str, expected: str) -> None:
    result = check(REF, text)
    assert [text[f.start : f.end] for f in result.findings] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Version 2025.04 is out",
        "Our flight is QF2025, gate 9",
        "Serial 2025/10 of the magazine arrived",
        "My car insurance case number 2025/4471 is still pending",
        "C/2025/00000 is not a real reference, just testing the form",
    ],
)
def test_when_number_is_not_a_case_reference_then_not_flagged(text: str) -> None:
    assert not flagged(REF, text)


@pytest.mark.parametrize(
    "text",
    [
        "A complainant sobbed down the phone for an hour, I'm wrecked",
        "the whistleblower in the roads matter is terrified of losing her job",
        "Typing up witness statements about the school camp, grim",
        "Working on an investigation into a rural hospital's rosters, it's a mess",
        "guess who called again for the fifth time, our favourite retired dentist",
        "An old bloke rang today about his pension, lives alone in Ouyen, broke my heart",
        "The draft findings say the shire ignored its own rules, can't wait for them to read it",
        "Between us, the agency we're looking at has lost half its records",
        "Interviewed a council planner today who admitted the permits were waved through",
        "Complaint of the week: a woman wants us to make the tram faster",
    ],
)
def test_when_discussing_a_matter_then_flagged(text: str) -> None:
    assert flagged(TALK, text)


@pytest.mark.parametrize(
    "text",
    [
        "Our annual report is out: 16,000 complaints resolved. Read it on our website",
        "How to make a complaint to the Ombudsman: fill in the form on the website",
        "My complaint to the airline got a voucher, woo",
        "Investigating why the sourdough won't rise. The kitchen is freezing",
        "The investigation into who ate my yoghurt continues",
        "New phone case, who dis",
        "Got a serious case of the Mondays",
        "Candidate interviews for the EA role are on Tuesday",
        "Reminder: case files must be saved in the records system",
        "Draft of my best man speech is done",
        "The report was tabled in Parliament today and is now public",
        "Can't say more but I'm proud of the team this week",
        "Don't tell anyone but I ate the last Tim Tam",
        "Our investigation officers run a great complaint-handling course",
        "No matter what, the footy is on Saturday",
    ],
)
def test_when_look_alike_then_not_flagged(text: str) -> None:
    assert not flagged(TALK, text)


@pytest.mark.parametrize(
    "text",
    [
        "My manager got a formal warning, no wonder he's cranky",
        "Poor Ali from intake is off on stress leave again",
        "our team is being restructured in May and half the roles are going",
        "my colleague is having chemo, she told me not to tell anyone",
        "Can someone from the team call Dee? Her home number is 03 9999 1234",
    ],
)
def test_when_confidential_staff_news_then_flagged(text: str) -> None:
    assert flagged(STAFF, text)


@pytest.mark.parametrize(
    "text",
    [
        "Partners now get 16 weeks paid parental leave, great news",
        "On leave next week, back on the 3rd",
        "Did a fun run for cancer research, thanks for donating",
        "My puppy passed her probation at puppy school",
        "Restructured my veggie patch, tomatoes on the left",
    ],
)
def test_when_staff_look_alike_then_not_flagged(text: str) -> None:
    assert not flagged(STAFF, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("forwarding the transcripts to my personal gmail for the weekend", True),
        ("left my case notes on the train, someone hand them in pls", True),
        ("bring the complaint file to the pub, I'll read it there", True),
        ("sent the wedding photos to my personal gmail", False),
        ("uploading the footy tipping spreadsheet to my google drive", False),
    ],
)
def test_when_work_material_moved_outside_then_flagged(text: str, expected: bool) -> None:
    assert flagged(OUT, text) is expected


def test_when_spokesperson_posts_officially_then_near_miss_only() -> None:
    text = "We're investigating the council's tendering, following a referral from Parliament."
    official = explained(TALK, text, author="ombudsman", capacity="official")
    assert official.findings == ()
    assert any("spokesperson" in n.reason for n in official.near_misses)
    # The same words from anyone else, or from a spokesperson's private account, are flagged.
    assert flagged(TALK, text, author="jo.bloggs", capacity="official")  # type: ignore[arg-type]


def test_when_finding_then_it_explains_signal_and_cue() -> None:
    result = check(TALK, "The complainant rang again today, third time")
    (finding,) = result.findings
    assert finding.explanation is not None
    assert finding.explanation.notes[0] == "strong"
    assert finding.evidence == "complainant"
    assert "complainant" in finding.message


def test_when_matter_word_without_cue_then_near_miss_says_why() -> None:
    result = explained(TALK, "An investigation came up at dinner.")
    assert result.findings == ()
    assert [n.reason for n in result.near_misses] == [
        "work-matter word 'investigation' with no cue in its sentence"
    ]


def test_when_text_is_long_then_time_is_linear() -> None:
    text = ("Lovely weather at the beach today with the kids. " * 20_000)
    result = check(TALK, text + "A complainant rang.")
    assert [f.evidence for f in result.findings] == ["complainant"]


def test_when_anchor_has_no_prefilter_keyword_then_pack_error(tmp_path: Path) -> None:
    source = load_pack().root / "data" / "confidential"
    target = tmp_path / "data" / "confidential"
    target.mkdir(parents=True)
    for f in source.iterdir():
        (target / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    with (target / "strong-terms.txt").open("a", encoding="utf-8") as fh:
        fh.write("zebra crossing\n")
    context = DetectorContext(pack_root=tmp_path)
    with pytest.raises(PackError, match="'zebra crossing' holds no keyword"):
        ConfidentialMattersDetector.from_params({"signals": ["strong"]}, context)


def test_when_rules_share_a_context_then_one_analysis_serves_them() -> None:
    context = DetectorContext(pack_root=load_pack().root)
    a = ConfidentialMattersDetector.from_params({"signals": ["strong"]}, context)
    b = ConfidentialMattersDetector.from_params({"signals": ["staff"]}, context)
    assert isinstance(a, ConfidentialMattersDetector)
    assert isinstance(b, ConfidentialMattersDetector)
    assert a.analyser is b.analyser
    message = Message(id="t", text="A complainant rang. My colleague failed her probation.")
    assert [h.explanation.notes[0] for h in a.detect(message) if not h.near_miss] == ["strong"]
    assert [h.explanation.notes[0] for h in b.detect(message) if not h.near_miss] == ["staff"]
