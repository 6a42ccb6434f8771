"""The confidential register detector: keyed-hash exact match, masked evidence, partial hints."""

from __future__ import annotations

import secrets

import pytest

from commsguard import Engine, Message, load_pack
from commsguard.registers import ConfidentialRegister, hash_entry, normalise

RULE = "privacy-confidentiality.register-match"
SECRET = secrets.token_bytes(32)
VALUES = [
    ("complainant", "Marjorie Pettigrew"),
    ("case_ref", "C/2025/04417"),
    ("investigation", "Operation Bluegum"),
    ("complainant", "Zoë Álvarez-Ng"),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    register = ConfidentialRegister.build(SECRET, (hash_entry(SECRET, k, v) for k, v in VALUES))
    return Engine(load_pack(), register=register, only_rules=[RULE])


@pytest.mark.parametrize(
    ("text", "entity", "matched"),
    [
        ("Guess who: marjorie  PETTIGREW again", "COMPLAINANT", "marjorie  PETTIGREW"),
        ("re c/2025/04417 pls", "CASE_REF", "c/2025/04417"),
        ("C-2025-04417 is closed", "CASE_REF", "C-2025-04417"),
        ("OPERATION bluegum!!", "INVESTIGATION", "OPERATION bluegum"),
        ("zoë álvarez ng called", "COMPLAINANT", "zoë álvarez ng"),
        ("Marjorie\nPettigrew", "COMPLAINANT", "Marjorie\nPettigrew"),
        # Non-ASCII text around an ASCII value: the word-by-word casefold path.
        ("Café chat: MARJORIE Pettigrew again", "COMPLAINANT", "MARJORIE Pettigrew"),
    ],
)
def test_when_register_value_present_then_flagged_and_masked(
    engine: Engine, text: str, entity: str, matched: str
) -> None:
    (f,) = engine.check(Message(id="m", text=text)).findings
    assert f.entity == entity
    assert text[f.start : f.end] == matched
    assert not any(ch.isalnum() for ch in f.evidence), "register evidence must be masked"
    assert len(f.evidence) == len(matched)
    assert f.severity == "block"


@pytest.mark.parametrize(
    "text",
    [
        "Marjorie from accounts brought scones",
        "Pettigrew St, Fitzroy",
        "c/2025/04418 is not in the register",
        "Operation Christmas Child",
        "marjoriepettigrew",
    ],
)
def test_when_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert engine.check(Message(id="m", text=text)).findings == ()


def test_when_part_of_value_matches_then_near_miss_says_so(engine: Engine) -> None:
    result = engine.check(Message(id="m", text="Pettigrew rang again"), explain=True)
    assert result.findings == ()
    (near,) = result.near_misses
    assert near.reason == (
        "one word of a 2-word complainant register value matched, but not the whole value"
    )
    assert near.evidence == "•••••••••"


def test_when_no_register_loaded_then_nothing_found() -> None:
    engine = Engine(load_pack(), only_rules=[RULE])
    assert engine.check(Message(id="m", text="Marjorie Pettigrew")).findings == ()


def test_normalise_folds_case_space_and_punctuation() -> None:
    assert normalise("  C/2025/04417 ") == normalise("c 2025 04417") == "c 2025 04417"
    assert normalise("O'Hara-Nguyen") == "o hara nguyen"


def test_when_different_secret_then_no_match() -> None:
    other = secrets.token_bytes(32)
    register = ConfidentialRegister.build(other, [hash_entry(SECRET, "complainant", "Ann Lee")])
    engine = Engine(load_pack(), register=register, only_rules=[RULE])
    assert engine.check(Message(id="m", text="Ann Lee")).findings == ()
