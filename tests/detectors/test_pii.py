"""Personal information: each entity's formats, check digits, context words, decoys, near misses.

Every table runs the text through all sixteen PII rules of the default pack at once, so a case
also asserts that no other entity claims the text.
"""

from __future__ import annotations

import pytest
from _pii import PII_RULES, Spans, check, near, pii_engine, spans
from pydantic import ValidationError

from commsguard.detectors import DETECTORS
from commsguard.detectors.base import DetectorContext
from commsguard.detectors.pii import PersonalInformationDetector, PIIParams
from commsguard.engine import Engine
from commsguard.models import Message


@pytest.fixture(scope="module")
def engine() -> Engine:
    return pii_engine()


def test_when_registry_then_pii_is_registered() -> None:
    assert DETECTORS["pii"] is PersonalInformationDetector
    assert len(PII_RULES) == 16


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on 0412 345 678 tonight", [("PHONE_NUMBER", "0412 345 678")]),
        ("mob 0412345678.", [("PHONE_NUMBER", "0412345678")]),
        ("ring 0412-345-678", [("PHONE_NUMBER", "0412-345-678")]),
        ("ph (03) 9123 4567 after 5", [("PHONE_NUMBER", "(03) 9123 4567")]),
        ("landline 02 5550 1234", [("PHONE_NUMBER", "02 5550 1234")]),
        ("+61 412 345 678 on WhatsApp", [("PHONE_NUMBER", "+61 412 345 678")]),
        ("+61412345678", [("PHONE_NUMBER", "+61412345678")]),
        ("+61 (0)3 9123 4567", [("PHONE_NUMBER", "+61 (0)3 9123 4567")]),
        ("text +44 7911 123456", [("PHONE_NUMBER", "+44 7911 123456")]),
        ("room 5 0412 345 678 two times", [("PHONE_NUMBER", "0412 345 678")]),
        ("0412 345 678 or 0491 570 156", [("PHONE_NUMBER", "0412 345 678"),
                                          ("PHONE_NUMBER", "0491 570 156")]),
    ],
)
def test_when_phone_number_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call 000 in an emergency",
        "Lifeline 13 11 14",
        "call 131 450 for an interpreter",
        "Ring 1300 363 072 for enquiries",
        "Freecall 1800 806 314",
        "Order number 0412345678 has shipped",
        "ISBN 0-306-40615-2",
        "Meeting at 10:30 on 12/03/2025",
        "Price $1,234.56 for 10 000 units",
        "Version 4.12.345.678",
        "9613 6222",  # eight digits with no area code: not checkable
    ],
)
def test_when_phone_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "PHONE_NUMBER"] == []


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Call 000 now", "000"),
        ("Lifeline 13 11 14", "13 11 14"),
        ("1300 363 072", "1300 363 072"),
        ("+61 1800 806 314", "+61 1800 806 314"),
        ("dial 112 from a mobile", "112"),
    ],
)
def test_when_public_service_number_then_near_miss_says_so(
    engine: Engine, text: str, evidence: str
) -> None:
    misses = [n for n in near(engine, text) if n[0] == "PHONE_NUMBER"]
    assert [(e, "a public service number" in r) for _, e, r in misses] == [(evidence, True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email jane.citizen@gmail.com.", [("EMAIL_ADDRESS", "jane.citizen@gmail.com")]),
        ("j.smith+work@outlook.com.au pls", [("EMAIL_ADDRESS", "j.smith+work@outlook.com.au")]),
        ("<Tom.O'Brien@example.org>", [("EMAIL_ADDRESS", "Tom.O'Brien@example.org")]),
        ("priya.k@ombudsman.vic.gov.au", [("EMAIL_ADDRESS", "priya.k@ombudsman.vic.gov.au")]),
        ("a@b.co and c@d.io", [("EMAIL_ADDRESS", "a@b.co"), ("EMAIL_ADDRESS", "c@d.io")]),
    ],
)
def test_when_email_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "complaints@ombudsman.vic.gov.au",
        "INFO@melbourne.vic.gov.au",
        "Follow @VicOmbudsman",
        "2 @ $5.00",
        "user@localhost",
        "@@@@",
    ],
)
def test_when_email_lookalike_or_role_mailbox_then_not_flagged(engine: Engine, text: str) -> None:
    assert spans(engine, text) == []


def test_when_role_mailbox_then_near_miss_explains(engine: Engine) -> None:
    ((entity, evidence, reason),) = near(engine, "write to complaints@ombudsman.vic.gov.au")
    assert (entity, evidence) == ("EMAIL_ADDRESS", "complaints@ombudsman.vic.gov.au")
    assert "role mailbox" in reason


def test_when_ignore_domains_then_domain_and_subdomains_skipped() -> None:
    params = {"entity": "EMAIL_ADDRESS", "ignore_domains": ["example.org"]}
    detector = PersonalInformationDetector.from_params(params, DetectorContext())
    hits = list(detector.detect(Message(id="t", text="a@example.org b@mail.example.org c@x.org")))
    assert [(h.near_miss is None) for h in hits] == [False, False, True]


def test_when_ignore_domains_on_other_entity_then_error_shows_yaml() -> None:
    with pytest.raises(ValidationError, match="entity: EMAIL_ADDRESS"):
        PIIParams.model_validate({"entity": "AU_TFN", "ignore_domains": ["x.org"]})


def test_when_unknown_entity_then_error() -> None:
    with pytest.raises(ValidationError, match="AU_TFN"):
        PIIParams.model_validate({"entity": "TFN"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My TFN is 123 456 782", [("AU_TFN", "123 456 782")]),
        ("tax file number 628194821", [("AU_TFN", "628194821")]),
        ("TFN: 385-280-841.", [("AU_TFN", "385-280-841")]),
        ("tfn 876 543 210", [("AU_TFN", "876 543 210")]),
        ("legacy tax file number 10000017", [("AU_TFN", "10000017")]),
        ("just 628 194 821 on its own", [("AU_TFN", "628 194 821")]),
    ],
)
def test_when_tfn_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Order number 628 194 821 still hasn't shipped",
        "Invoice 252760189 is overdue",
        "tracking ref 385280841",
        "ISBN 0-306-40615-2",
        "Upgraded to version 12.3.456",
        "The population is 123,456,782",
        "$123456782 is a lot of money",
        "10000017",  # a legacy-shaped number without TFN context stays below the threshold
        "12345678",
        "628 194 821 5",  # part of a longer spaced number
        "v628194821",
        "1.628194821",
    ],
)
def test_when_tfn_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "AU_TFN"] == []


def test_when_tfn_checksum_fails_then_near_miss_explains(engine: Engine) -> None:
    misses = {(e, ev, r) for e, ev, r in near(engine, "my TFN is 123 456 789")}
    assert (
        "AU_TFN", "123 456 789", "9-digit number shaped like a TFN but fails the TFN checksum"
    ) in misses
    assert spans(engine, "my TFN is 123 456 789") == []


def test_when_tfn_near_order_word_then_near_miss_names_the_word(engine: Engine) -> None:
    misses = [n for n in near(engine, "order number 628 194 821") if n[0] == "AU_TFN"]
    assert len(misses) == 1 and "lowered by nearby 'order number'" in misses[0][2]


def test_when_tfn_context_then_confidence_raised_and_explained(engine: Engine) -> None:
    plain = check(engine, "628 194 821").findings[0]
    raised = check(engine, "my tfn is 628 194 821").findings[0]
    assert raised.confidence > plain.confidence
    assert raised.explanation is not None and raised.explanation.context_words == ("tfn",)
    assert "TFN check digit passed" in raised.explanation.validation
    assert raised.severity == "block"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("medicare 2123 45670 1", [("AU_MEDICARE", "2123 45670 1")]),
        ("Medicare card: 3290484446", [("AU_MEDICARE", "3290484446")]),
        ("my medicare 2954 18582 4/1", [("AU_MEDICARE", "2954 18582 4/1")]),
        ("medicare 2954-18582-4", [("AU_MEDICARE", "2954-18582-4")]),
    ],
)
def test_when_medicare_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "medicare 2123 45671 1",  # check digit wrong
        "medicare 1123 45670 1",  # first digit must be 2-6
        "Order 3290 48444 6",
        "tracking number 4027390011",
        "the rebate is $41.20",
    ],
)
def test_when_medicare_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "AU_MEDICARE"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ABN 51 824 753 556", [("AU_ABN", "51 824 753 556")]),
        ("abn: 98417982718", [("AU_ABN", "98417982718")]),
        ("ABN 42-645-672-420", [("AU_ABN", "42-645-672-420")]),
    ],
)
def test_when_abn_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text", ["ABN 51 824 753 557", "Order 51 824 753 556", "reference 42645672420"]
)
def test_when_abn_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "AU_ABN"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ACN 004 085 616", [("AU_ACN", "004 085 616")]),
        ("Smith Holdings Pty Ltd (ACN 439 008 474)", [("AU_ACN", "439 008 474")]),
        ("company number 431039931", [("AU_ACN", "431039931")]),
    ],
)
def test_when_acn_then_flagged_as_info(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected
    assert check(engine, text).decision == "ok"  # an ACN is recorded, never blocking


@pytest.mark.parametrize("text", ["004 085 616", "ACN 004 085 617", "order 004 085 616"])
def test_when_acn_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert spans(engine, text) == []


def test_when_nine_digits_read_as_tfn_and_acn_then_context_decides(engine: Engine) -> None:
    # 000000019 passes both checks: "ACN" makes it an ACN, "TFN" a TFN; one finding either way.
    assert spans(engine, "ACN 000 000 019") == [("AU_ACN", "000 000 019")]
    assert spans(engine, "TFN 000 000 019") == [("AU_TFN", "000 000 019")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("card 4111 1111 1111 1111 exp 09/27", [("CREDIT_CARD", "4111 1111 1111 1111")]),
        ("visa 4012-8888-8888-1881", [("CREDIT_CARD", "4012-8888-8888-1881")]),
        ("Amex 3782 822463 10005", [("CREDIT_CARD", "3782 822463 10005")]),
        ("5555555555554444", [("CREDIT_CARD", "5555555555554444")]),
        ("diners 3056 930902 5904", [("CREDIT_CARD", "3056 930902 5904")]),
    ],
)
def test_when_card_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",
        "ISBN 978-0-306-40615-7",
        "IMEI 490154203237518",
        "Order 4111111111111111",
        "1234 5678 9012 3456 7890 1234",
        "4111 1111 1111 1111 1111 1111",
    ],
)
def test_when_card_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "CREDIT_CARD"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Use the test card 4242 4242 4242 4242 with any future expiry in the payments sandbox",
        "Stripe test mode: 4000 0566 5566 5556 is the Visa debit",
        "dummy visa 4111-1111-1111-1111 for the QA run",
        "Example: 3782 822463 10005 (Amex test number)",
        "Sandbox accepts 5555555555554444 as a test Mastercard",
    ],
)
def test_when_published_test_card_with_test_word_then_not_flagged(
    engine: Engine, text: str
) -> None:
    assert [s for s in spans(engine, text) if s[0] == "CREDIT_CARD"] == []


def test_when_published_test_card_with_test_word_then_near_miss_says_so(engine: Engine) -> None:
    misses = [n for n in near(engine, "the Stripe test card 4242 4242 4242 4242 works")
              if n[0] == "CREDIT_CARD"]
    assert [r for _, _, r in misses] == [
        "a published test card number (Visa), with 'Stripe' nearby"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A listed test number with no test word is still reported: it is posted as a card.
        ("my card is 4242 4242 4242 4242 exp 11/28", [("CREDIT_CARD", "4242 4242 4242 4242")]),
        # A real-looking number next to a test word: the pack's lower words drop it.
        ("testing with 4556 7375 8689 9855 now", []),
        # The test word must be near: 60 characters either side.
        ("test " + "x" * 80 + " card 4242424242424242", [("CREDIT_CARD", "4242424242424242")]),
    ],
)
def test_when_test_card_context_varies_then_flagged_as_expected(
    engine: Engine, text: str, expected: Spans
) -> None:
    assert [s for s in spans(engine, text) if s[0] == "CREDIT_CARD"] == expected


def test_when_card_fails_luhn_then_near_miss_names_issuer(engine: Engine) -> None:
    misses = [n for n in near(engine, "4111 1111 1111 1112") if n[0] == "CREDIT_CARD"]
    assert [r for _, _, r in misses] == [
        "16-digit card number with a Visa prefix but fails the Luhn check"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live at 12 Smith St, Richmond VIC 3121 now",
         [("STREET_ADDRESS", "12 Smith St, Richmond VIC 3121")]),
        ("Unit 4/27 Rose Avenue, Fitzroy North 3068",
         [("STREET_ADDRESS", "Unit 4/27 Rose Avenue, Fitzroy North 3068")]),
        ("at 45 Wattle Crescent, Ballarat", [("STREET_ADDRESS", "45 Wattle Crescent")]),
        ("7 Kookaburra Ct Bendigo VIC 3550",
         [("STREET_ADDRESS", "7 Kookaburra Ct Bendigo VIC 3550")]),
        ("12A St Kilda Rd", [("STREET_ADDRESS", "12A St Kilda Rd")]),
        ("PO Box 1234, Geelong VIC 3220", [("STREET_ADDRESS", "PO Box 1234, Geelong VIC 3220")]),
        ("GPO Box 99 Melbourne 3001", [("STREET_ADDRESS", "GPO Box 99 Melbourne 3001")]),
        # Street names must be capitalised: all-lower-case addresses are not recognised.
        ("home is 3 high street", []),
        # A street named after a month, and an abbreviated word with its full stop.
        ("moved to 12 May Street, Fitzroy VIC 3065",
         [("STREET_ADDRESS", "12 May Street, Fitzroy VIC 3065")]),
        ("she lives at 9 Mt. Dandenong Rd", [("STREET_ADDRESS", "9 Mt. Dandenong Rd")]),
    ],
)
def test_when_street_address_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The new cafe at 12 Smith St does great coffee",
        "Catch tram 96 down Bourke Street",
        "We ate 3 Big Macs",
        "I ran 5 km down the road",
        "Visit us at Level 2, 570 Bourke Street, Melbourne VIC 3000",
        "Top 10 Street Food spots",
        # A date then a full stop: the sentence ends, the next one is not a street name.
        "Applications close 12 May. Great place to work if you care about fairness.",
        "Entries close 14 June. Grand prize is a weekend away",
        "Back on 3 Sept. Lovely Court hearing went well",
        # A day and month then capitalised words: a date, not a street number.
        "Ride on 3 March Beach Road loop, 7am",
    ],
)
def test_when_address_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "STREET_ADDRESS"] == []


def test_when_day_and_month_then_near_miss_says_date(engine: Engine) -> None:
    misses = [n for n in near(engine, "see you 3 March Beach Road loop")
              if n[0] == "STREET_ADDRESS"]
    assert [r for _, _, r in misses] == ["a day and month, not a street number and name"]


def test_when_office_address_then_near_miss_says_public(engine: Engine) -> None:
    misses = [n for n in near(engine, "Level 2, 570 Bourke Street, Melbourne VIC 3000")
              if n[0] == "STREET_ADDRESS"]
    assert len(misses) == 1 and "public contact detail" in misses[0][2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("born 3/4/1987", [("DATE_OF_BIRTH", "3/4/1987")]),
        ("DOB: 03-04-87", [("DATE_OF_BIRTH", "03-04-87")]),
        ("date of birth 1987-04-03", [("DATE_OF_BIRTH", "1987-04-03")]),
        ("I was born on 3 April 1987", [("DATE_OF_BIRTH", "3 April 1987")]),
        ("born on the 3rd of April, 1987", [("DATE_OF_BIRTH", "3rd of April, 1987")]),
        ("birthday: April 3rd 1987", [("DATE_OF_BIRTH", "April 3rd 1987")]),
        ("b'day 12.05.1975", [("DATE_OF_BIRTH", "12.05.1975")]),
        ("born 12/25/1990 in Ohio", [("DATE_OF_BIRTH", "12/25/1990")]),
        ("my birthday is 3 April", [("DATE_OF_BIRTH", "3 April")]),
    ],
)
def test_when_date_of_birth_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Meeting moved to 3/4/2025",
        "Invoice due 15 March 2026",
        "Version 1.2.24 released",
        "born 31/02/1987",  # no such day
        "born in May 3 years ago",
        "Our 50th birthday as an office: founded 1 July 1973!",
        "DOB field is 10:30 wide",
    ],
)
def test_when_date_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "DATE_OF_BIRTH"] == []


def test_when_date_without_birth_context_then_near_miss(engine: Engine) -> None:
    misses = [n for n in near(engine, "See you on 3 April 1987") if n[0] == "DATE_OF_BIRTH"]
    assert len(misses) == 1 and "no birth context" in misses[0][2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my licence number is 012345678", [("DRIVER_LICENCE", "012345678")]),
        ("Driver's license: 0876543210", [("DRIVER_LICENCE", "0876543210")]),
        ("DL 98765432 for the rental", [("DRIVER_LICENCE", "98765432")]),
        ("12345678 is my licence no.", [("DRIVER_LICENCE", "12345678")]),
    ],
)
def test_when_driver_licence_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The software licence costs $1,200",
        "Licence expires 12/03/2027",
        "Order 12345678 includes a licence",
        "98765432 has nothing to do with anything",
        "my licence was renewed in 2019",
    ],
)
def test_when_licence_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "DRIVER_LICENCE"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("passport PA1234567", [("PASSPORT", "PA1234567")]),
        ("My passport number is N7654321", [("PASSPORT", "N7654321")]),
        ("lost my passport (M9876543)", [("PASSPORT", "M9876543")]),
    ],
)
def test_when_passport_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text", ["Product code AB1234567", "Passport photos $15", "passport ABC1234567", "PA12345678"]
)
def test_when_passport_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "PASSPORT"] == []


def test_when_passport_shape_without_context_then_near_miss(engine: Engine) -> None:
    misses = [n for n in near(engine, "code PA1234567") if n[0] == "PASSPORT"]
    assert len(misses) == 1 and "no 'passport' nearby" in misses[0][2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BSB 063-000 acc 1234 5678", [("BANK_ACCOUNT", "BSB 063-000 acc 1234 5678")]),
        ("BSB: 083004 Account: 123456789", [("BANK_ACCOUNT", "BSB: 083004 Account: 123456789")]),
        ("bank details 063-000 12345678", [("BANK_ACCOUNT", "063-000 12345678")]),
        ("Pay me: BSB 033 088, a/c 87654321", [("BANK_ACCOUNT", "BSB 033 088, a/c 87654321")]),
    ],
)
def test_when_bank_account_then_flagged(engine: Engine, text: str, expected: Spans) -> None:
    assert spans(engine, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Our bank's BSB is 063-000",
        "Ticket 063-000 12345678 at the counter",
        "Order 123-456 12345678 for the account",
    ],
)
def test_when_bank_lookalike_then_not_flagged(engine: Engine, text: str) -> None:
    assert [s for s in spans(engine, text) if s[0] == "BANK_ACCOUNT"] == []


def test_when_score_overridden_then_used() -> None:
    params = {"entity": "AU_TFN", "score": 0.9}
    detector = PersonalInformationDetector.from_params(params, DetectorContext())
    (hit,) = detector.detect(Message(id="t", text="123 456 782"))
    assert hit.score == 0.9


def test_when_text_has_no_digits_or_at_then_nothing(engine: Engine) -> None:
    result = check(engine, "Lovely weekend at the beach with the kids!", explain=True)
    assert result.findings == () and result.near_misses == ()


def test_when_five_megabyte_text_then_linear_and_offsets_exact(engine: Engine) -> None:
    filler = (
        "Thanks all, the 3 drafts are in and v2.1.4 ships on 4/5 at 10:30 for $1,250.00. "
        "Ping me @ the usual place; rooms 12-14 are booked. "
    ) * 50
    planted = [
        ("AU_TFN", "my tfn 123 456 782", "123 456 782"),
        ("EMAIL_ADDRESS", "mail jane.citizen@gmail.com", "jane.citizen@gmail.com"),
        ("PHONE_NUMBER", "call 0412 345 678", "0412 345 678"),
        ("CREDIT_CARD", "card 4111 1111 1111 1111", "4111 1111 1111 1111"),
    ]
    parts: list[str] = []
    expected: list[tuple[str, int, int]] = []
    size = 0
    while size < 5_000_000:
        for entity, chunk, value in planted:
            parts.append(filler)
            size += len(filler)
            start = size + chunk.index(value)
            expected.append((entity, start, start + len(value)))
            parts.append(chunk + ". ")
            size += len(chunk) + 2
    # Pathological runs for the patterns: long digit, dash, dotted and '@' runs.
    parts.append("9" * 100_000 + " " + "1-" * 50_000 + " " + "a" * 100_000 + "@" + "b." * 50_000)
    text = "".join(parts)
    findings = check(engine, text).findings
    assert [(f.entity, f.start, f.end) for f in findings] == expected
    assert all(text[f.start : f.end] == f.evidence for f in findings)
