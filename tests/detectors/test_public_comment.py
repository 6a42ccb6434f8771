from __future__ import annotations

import pytest
from _conduct import check, flagged

SPEAK = "public-comment.speaking-for-office"
STAFF = "public-comment.identified-staff-comment"


@pytest.mark.parametrize(
    ("text", "author", "capacity", "expected"),
    [
        ("On behalf of the Ombudsman, we reject these claims", "jo.citizen", "private", True),
        ("The Ombudsman will be investigating the ambulance delays", "", "private", True),
        ("Feel free to quote me: our office thinks the council got it wrong", "", "private", True),
        ("The Ombudsman has no comment at this stage", "intake.officer", "official", True),
        ("On behalf of the Ombudsman, we reject these claims", "ombudsman", "official", False),
        ("We will be investigating the department's handling", "deputy.ombudsman", "official",
         False),
        ("The Ombudsman welcomes the response", "former.spokesperson", "official", True),
        ("Our annual report is out, have a read", "", "private", False),
        ("The mechanic said they'll look into the noise", "", "private", False),
    ],
)
def test_when_speaking_for_office_then_flagged_unless_spokesperson(
    text: str, author: str, capacity: str, expected: bool
) -> None:
    assert flagged(SPEAK, text, author=author, capacity=capacity) is expected


@pytest.mark.parametrize(
    ("text", "profile", "expected"),
    [
        ("As an investigator at the Ombudsman, the state budget is a disgrace", "", True),
        ("The new bail laws are a mess. Views my own.", "Investigator @ Vic Ombudsman", True),
        ("I work at the Victorian Ombudsman and DFFH is hopeless", "", True),
        ("The new bail laws are a mess. Views my own.", "", False),
        ("Sourdough attempt number four 🍞", "Investigator @ Vic Ombudsman", False),
        ("I work at the Ombudsman and I love my team", "", False),
    ],
)
def test_when_staff_identified_and_government_comment_then_flagged(
    text: str, profile: str, expected: bool
) -> None:
    assert flagged(STAFF, text, profile=profile) is expected


def test_when_flagged_then_suggestion_says_drop_employer() -> None:
    result = check(STAFF, "I work at the Ombudsman and the Premier is wrong on this")
    assert "drop your employer" in result.findings[0].suggestion
