"""Personal information beyond Australia: each new format, each decoy, and the corpus floors.

As in ``test_pii.py``, every table runs the text through all the PII rules of the default pack,
so a case also asserts that no other entity claims the text.
"""

from __future__ import annotations

import pytest
from _pii import Spans, near, pii_engine, spans

from commsguard.benchmark.pii_international import (
    ENTITIES,
    FLOORS,
    IBAN_LAYOUTS,
    generate_world,
    score_world,
)
from commsguard.detectors import checksums
from commsguard.engine import Engine

P, C, BAN, S, N, A, IP = (
    "PHONE_NUMBER", "CREDIT_CARD", "IBAN", "US_SSN", "UK_NINO", "STREET_ADDRESS", "IP_ADDRESS",
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return pii_engine()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # International forms need no phone word.
        ("see you, +1 (415) 555-0132", [(P, "+1 (415) 555-0132")]),
        ("+44 20 7946 0958 is the flat", [(P, "+44 20 7946 0958")]),
        ("+49 30 12345678", [(P, "+49 30 12345678")]),
        ("+33 6 12 34 56 78", [(P, "+33 6 12 34 56 78")]),
        ("+81 90-1234-5678", [(P, "+81 90-1234-5678")]),
        # National forms count beside a phone word.
        ("Call me on (415) 555-0132 tonight", [(P, "(415) 555-0132")]),
        ("my mobile 020 7946 0958", [(P, "020 7946 0958")]),
        ("Ruf mich an: 030 12345678", [(P, "030 12345678")]),
        ("Mon portable : 06 12 34 56 78", [(P, "06 12 34 56 78")]),
        ("Meine Handynummer ist 090-1234-5678.", [(P, "090-1234-5678")]),
        ("cell 415.555.0132", [(P, "415.555.0132")]),
        # Australian behaviour is unchanged.
        ("Call me on 0412 345 678 tonight", [(P, "0412 345 678")]),
        ("ph (03) 9123 4567 after 5", [(P, "(03) 9123 4567")]),
    ],
)
def test_when_phone_of_any_region_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "(415) 555-0132",  # a bare national number with no phone word: could be anything
        "The reference is 020 7946 0958",
        "Call me. Order 4155550132 shipped",  # the phone word is in another sentence
        "call about invoice INV-2024-5285",
        "call at 12.05.2024",
        "ring 192.168.10.12 from the console",
        "Call 1-800-555-0199 for the helpline",  # toll-free: an organisation's line
        "phone (877) 779-7724 for licensing",
        "Price €1.234,56 call me",
    ],
)
def test_when_phone_lookalike_abroad_then_no_phone(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == P] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("card 4111 1111 1111 1111 exp 09/27", "4111 1111 1111 1111"),
        ("Amex 3782 822463 10005", "3782 822463 10005"),  # 4-6-5
        ("Diners 3056 930902 5904", "3056 930902 5904"),  # 14 digits, 4-6-4
        ("visa 4222222222222", "4222222222222"),  # 13 digits
        ("maestro 6759-6498-2643-8453", "6759-6498-2643-8453"),
        ("card 6250 9470 0000 0000 019", "6250 9470 0000 0000 019"),  # 19 digits, 4-4-4-4-3
        ("Mir 2200 0000 0000 0004", "2200 0000 0000 0004"),
        ("JCB 3530111333300000", "3530111333300000"),
    ],
)
def test_when_card_of_any_length_or_grouping_then_flagged(
    engine: Engine, text: str, expected: str
) -> None:
    assert spans(engine, text) == [(C, expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IBAN DE89 3704 0044 0532 0130 00 please", "DE89 3704 0044 0532 0130 00"),
        ("pay GB82WEST12345698765432 today", "GB82WEST12345698765432"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606"),
        ("Konto CH93 0076 2011 6238 5295 7 (Mama)", "CH93 0076 2011 6238 5295 7"),
        ("NO93 8601 1117 947", "NO93 8601 1117 947"),  # the shortest: 15 characters
        ("MT84 MALT 0110 0001 2345 MTLC AST0 01S", "MT84 MALT 0110 0001 2345 MTLC AST0 01S"),
    ],
)
def test_when_iban_then_flagged(engine: Engine, text: str, expected: str) -> None:
    assert spans(engine, text) == [(BAN, expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My SSN is 536-22-8741", [(S, "536-22-8741")]),
        ("social security 219 45 6712", [(S, "219 45 6712")]),
        ("SSN 287654321 on file", [(S, "287654321")]),
        ("NI number AB 12 34 56 C", [(N, "AB 12 34 56 C")]),
        ("nino JG103759A", [(N, "JG103759A")]),
        ("national insurance CE 92 41 07", [(N, "CE 92 41 07")]),  # no suffix, but the word
        ("my home IP is 81.2.69.160", [(IP, "81.2.69.160")]),
        ("from 2a02:c7f:5e1a:ab00:9d2f:3b1c:6e44:12fa",
         [(IP, "2a02:c7f:5e1a:ab00:9d2f:3b1c:6e44:12fa")]),
        ("ping 2001:4860:4860::8888", [(IP, "2001:4860:4860::8888")]),
    ],
)
def test_when_ssn_nino_or_ip_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    ("text", "entity", "evidence", "reason"),
    [
        ("card 4111 1111 1111 1112", C, "4111 1111 1111 1112", "fails the Luhn check"),
        ("IBAN DE89 3704 0044 0532 0130 01", BAN, "DE89 3704 0044 0532 0130 01", "mod-97"),
        ("SSN 666-12-3456", S, "666-12-3456", "never issues"),
        ("SSN 912-34-5678", S, "912-34-5678", "never issues"),
        ("ssn 123-00-4567", S, "123-00-4567", "never issues"),
        ("ssn 123-45-0000", S, "123-45-0000", "never issues"),
        ("ssn 078-05-1120", S, "078-05-1120", "published sample"),
        ("NI number QQ 12 34 56 C", N, "QQ 12 34 56 C", "never allocated"),
        ("NI DF 12 34 56 A", N, "DF 12 34 56 A", "never allocated"),
        ("version 1.2.3.4 is out", IP, "1.2.3.4", "version or section"),
        ("printer on 192.168.1.20", IP, "192.168.1.20", "private"),
        ("localhost 127.0.0.1", IP, "127.0.0.1", "loopback"),
        ("docs use 203.0.113.5", IP, "203.0.113.5", "documentation"),
        ("fe80::1ff:fe23:4567:890a on eth0", IP, "fe80::1ff:fe23:4567:890a", "link-local"),
        ("call 1-800-555-0199", P, "1-800-555-0199", "toll-free"),
    ],
)
def test_when_checksum_or_range_fails_then_near_miss_says_why(
    engine: Engine, text: str, entity: str, evidence: str, reason: str
) -> None:
    assert [s for s in spans(engine, text) if s[0] == entity] == []
    misses = [(e, r) for n, e, r in near(engine, text) if n == entity]
    assert any(e == evidence and reason in r for e, r in misses), misses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live at Hauptstraße 12, 10115 Berlin", "Hauptstraße 12, 10115 Berlin"),
        ("Bahnhofstr. 5a", "Bahnhofstr. 5a"),
        ("address Calle Mayor 14, 28013 Madrid", "Calle Mayor 14, 28013 Madrid"),
        ("Calle de Alcalá, 42", "Calle de Alcalá, 42"),
        ("Via Roma 3", "Via Roma 3"),
        ("Kungsgatan 7, 111 57 Stockholm", "Kungsgatan 7, 111 57 Stockholm"),
        ("Mannerheimintie 4", "Mannerheimintie 4"),
        ("Karl Johans gate 22", "Karl Johans gate 22"),
        ("Keizersgracht 123, 1015 CJ Amsterdam", "Keizersgracht 123, 1015 CJ Amsterdam"),
        ("Carrer de Balmes 45", "Carrer de Balmes 45"),
        ("Rua Augusta 120, 1100-053 Lisboa", "Rua Augusta 120, 1100-053 Lisboa"),
        ("Rue de la Loi 16, 1000 Bruxelles", "Rue de la Loi 16, 1000 Bruxelles"),
        ("J'habite au 14 rue des Lilas, 75011 Paris", "14 rue des Lilas, 75011 Paris"),
        ("5 avenue des Champs-Élysées", "5 avenue des Champs-Élysées"),
        ("1600 Pennsylvania Avenue NW, Washington, DC 20500",
         "1600 Pennsylvania Avenue NW, Washington, DC 20500"),
        ("221B Baker Street, London NW1 6XE", "221B Baker Street, London NW1 6XE"),
        ("10 Downing St", "10 Downing St"),
        ("350 5th Avenue, New York, NY 10118", "350 5th Avenue, New York, NY 10118"),
        ("8855 Merlin Ct, Houston, Texas", "8855 Merlin Ct, Houston, Texas"),
    ],
)
def test_when_address_of_any_country_then_flagged(
    engine: Engine, text: str, expected: str
) -> None:
    assert spans(engine, text) == [(A, expected)]


@pytest.mark.parametrize(
    "text",
    [
        "Windows 10 crashed twice",
        "Gate 12 for the Lufthansa flight",
        "Platform 9 for Hamburg",
        "The Brigade 3 reunion",
        "Hottie 10 out of 10",
        "Terminal 2, Level 3 car park",
        "The deal closed at $3.50 on 10/04/2000",
        "Deal 564512 priced at 4.25 for May",
        "Meeting at 10:30 in Room 4",
    ],
)
def test_when_address_lookalike_then_no_address(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == A] == []


def test_when_iban_table_then_lengths_match_the_generator_layouts() -> None:
    for country, layout in IBAN_LAYOUTS.items():
        counts = [int(part[:-1]) for part in layout.replace("a", "a ").replace("n", "n ").split()]
        assert sum(counts) + 4 == checksums.IBAN_LENGTHS[country], country


def test_when_generated_then_deterministic_and_planted_values_valid() -> None:
    posts = generate_world(300, seed=5)
    assert [p.text for p in posts] == [p.text for p in generate_world(300, seed=5)]
    for post in posts:
        for span in post.planted:
            assert post.text[span.start : span.end] == span.text
            if span.kind == BAN:
                assert checksums.is_iban(span.text), span.text
            elif span.kind == C:
                assert checksums.is_card("".join(ch for ch in span.text if ch.isdigit()))
            elif span.kind == S:
                assert checksums.is_ssn("".join(ch for ch in span.text if ch.isdigit()))
            elif span.kind == N:
                assert checksums.is_nino(span.text.replace(" ", ""))


def test_when_international_corpus_scored_then_floors_hold(engine: Engine) -> None:
    scores = score_world(generate_world(1200, seed=3), engine)
    for entity in ENTITIES:
        assert scores.planted.get(entity, 0) > 50, entity
    for entity, floor in FLOORS.items():
        if entity != "precision":
            assert scores.recall(entity) >= floor, (entity, scores.misses.get(entity, [])[:5])
    assert scores.precision >= FLOORS["precision"], scores.false_alarms[:5]
