"""E-mail structure: quoted replies, forwards, headers, signatures and footers as typed parts."""

from __future__ import annotations

import pytest

from commsguard.structure import PartKind, parse

OUTLOOK_REPLY = """\
Sounds good, I'll bring the figures.

Thanks,
Dana

-----Original Message-----
From: Lee Park [mailto:lee.park@example.com]
Sent: Tuesday, 4 June 2024 9:12 AM
To: Dana Wu
Subject: RE: Budget meeting

Can we meet Thursday at 10?
"""

GMAIL_REPLY = """\
Works for me.

On Mon, 3 Jun 2024 at 10:02, Jo Bloggs <jo.bloggs@example.com> wrote:
> Shall we push the launch to July?
> Let me know.
"""

GMAIL_WRAPPED = """\
Agreed.

On Mon, 3 Jun 2024 at 10:02, Jo Bloggs <jo.bloggs@example.com>
wrote:

> Shall we push the launch to July?
"""

INLINE_REPLY = """\
Hi Sam,

Sam Lee wrote:
> Is the report ready?

Nearly, by Friday.
"""

FORWARDED = """\
FYI, see below.

---------- Forwarded message ---------
From: Alex Chen <alex.chen@example.com>
Date: Wed, 5 Jun 2024 at 16:40
Subject: Roster
To: Team <team@example.com>

Roster for next week attached.
"""

NOTES_FORWARD = """\
Please handle.

------------ Forwarded by Sally Beck/HOU/ECT on 11/20/2000 10:58 AM ------------

Brenda Flores@ENRON
11/20/2000 10:58 AM
To: Sally Beck/HOU/ECT@ECT
cc:
Subject: Holiday schedule

The office closes at noon on Friday.
"""

NOTES_REPLY = """\
congrats on the acceptance - where will you go?


   Hector Campos                02/20/2001 03:07 PM
"""

SIGNED = """\
Mr. Kohler:

Just a follow-up on the Master Agreement sent to you for execution.

Thanks!

Marie Heard
Senior Legal Specialist
Enron North America Corp.
1400 Smith Street, Houston, TX 77002
Phone:  (713) 853-3907
marie.heard@example.com
"""

DASH_SIGNATURE = """\
See you at the workshop.

--\u0020
Priya Kaur | Policy Officer
Level 2, 570 Bourke St, Melbourne VIC 3000
Ph 03 9613 6222
"""

CONTACT_BLOCK = """\
FYI: Tim has developed a new form for PIPs.

Michelle Cash
Enron North America Corp.
1400 Smith Street, EB 3823
Houston, Texas  77002
(713) 853-6401
michelle.cash@example.com

This message may contain confidential information that is protected by the
attorney-client and/or work product privileges.
"""

DISCLAIMER = """\
Please find the signed agreement attached.

Regards,
Tom

This e-mail and any attachments are confidential and intended solely for the addressee. If
you have received this e-mail in error, please notify the sender and delete it.
"""

DETAILS_IN_BODY = """\
Dear Committee,

Happy to be the contact for the working bee. My details:

Nikos Andreadis
22 Merri Pde, Northcote VIC 3070
Mobile: 0418 664 210

Regards,
Nikos
"""

OWN_HEADERS = """\
To: payroll@example.com
Subject: Leave form

Hi, my leave form is attached.
"""


def kind_of(text: str, fragment: str) -> tuple[PartKind, str]:
    """The kind and sender of the part holding ``fragment``."""
    start = text.index(fragment)
    part = parse(text).part_of(start, start + len(fragment))
    assert part is not None, f"{fragment!r} straddles two parts"
    return part.kind, part.sender


@pytest.mark.parametrize(
    ("text", "fragment", "kind", "sender"),
    [
        (OUTLOOK_REPLY, "Sounds good", "own", ""),
        (OUTLOOK_REPLY, "Can we meet Thursday", "quoted", "Lee Park"),
        (OUTLOOK_REPLY, "Subject: RE: Budget meeting", "header", "Lee Park"),
        (GMAIL_REPLY, "Works for me", "own", ""),
        (GMAIL_REPLY, "Shall we push the launch", "quoted", "Jo Bloggs"),
        (GMAIL_WRAPPED, "Shall we push the launch", "quoted", "Jo Bloggs"),
        (INLINE_REPLY, "Is the report ready?", "quoted", "Sam Lee"),
        (INLINE_REPLY, "Nearly, by Friday.", "own", ""),
        (FORWARDED, "FYI, see below.", "own", ""),
        (FORWARDED, "Roster for next week", "forwarded", "Alex Chen"),
        (FORWARDED, "To: Team <team@example.com>", "header", "Alex Chen"),
        (NOTES_FORWARD, "The office closes at noon", "forwarded", "Brenda Flores@ENRON"),
        (NOTES_REPLY, "Hector Campos", "header", "Hector Campos"),
        (NOTES_REPLY, "where will you go?", "own", ""),
    ],
)
def test_when_reply_or_forward_then_other_senders_text_is_typed(
    text: str, fragment: str, kind: PartKind, sender: str
) -> None:
    assert kind_of(text, fragment) == (kind, sender)


@pytest.mark.parametrize(
    ("text", "fragment", "kind"),
    [
        (SIGNED, "(713) 853-3907", "signature"),
        (SIGNED, "1400 Smith Street", "signature"),
        (SIGNED, "Just a follow-up", "own"),
        (DASH_SIGNATURE, "570 Bourke St", "signature"),
        (CONTACT_BLOCK, "1400 Smith Street, EB 3823", "signature"),
        (CONTACT_BLOCK, "attorney-client", "disclaimer"),
        (DISCLAIMER, "intended solely for the addressee", "disclaimer"),
        (DISCLAIMER, "signed agreement", "own"),
        (OUTLOOK_REPLY, "Dana", "signature"),
        (OWN_HEADERS, "payroll@example.com", "header"),
        (OWN_HEADERS, "my leave form", "own"),
    ],
)
def test_when_signature_footer_or_header_then_typed(
    text: str, fragment: str, kind: PartKind
) -> None:
    assert kind_of(text, fragment)[0] == kind


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (DETAILS_IN_BODY, "0418 664 210"),  # details the author gives in the message itself
        (DETAILS_IN_BODY, "22 Merri Pde"),
        ("As the minister wrote:\nWe will act.\n", "We will act."),  # not an e-mail quote
        (">From 1997 to 2001 the figures rose.\n", "From 1997"),  # an mbox-escaped line
        ("Thanks for the help yesterday, it went well.\nCall me on 0412 345 678\n",
         "0412 345 678"),
    ],
)
def test_when_text_only_looks_structured_then_it_stays_own(text: str, fragment: str) -> None:
    assert kind_of(text, fragment)[0] == "own"


def test_when_plain_text_then_one_own_part() -> None:
    structure = parse("Just a plain note with no structure.")
    assert [p.kind for p in structure.parts] == ["own"]
    assert not structure.structured
    assert parse("").parts[0].kind == "own"


def test_when_parsed_then_parts_cover_the_text_in_order() -> None:
    for text in (OUTLOOK_REPLY, GMAIL_REPLY, FORWARDED, NOTES_FORWARD, SIGNED, CONTACT_BLOCK):
        parts = parse(text).parts
        assert parts[0].start == 0 and parts[-1].end == len(text)
        assert all(a.end == b.start for a, b in zip(parts, parts[1:], strict=False))
