"""Attribution in the engine: quoted, forwarded, header, footer and signature text of an e-mail."""

from __future__ import annotations

from functools import cache

import pytest

from commsguard import Engine, Message, load_pack
from commsguard.models import Result


@cache
def engine() -> Engine:
    return Engine(load_pack())


def check(text: str, channel: str = "email") -> Result:
    message = Message(id="m", text=text, channel=channel, capacity="official")
    return engine().check(message, explain=True)


QUOTED_ABUSE = """\
Hi Chris, I've passed this on to the team lead to deal with.

-----Original Message-----
From: Pat Reilly
Sent: Monday, 10 June 2024 4:51 PM
To: Chris Nguyen
Subject: RE: roster

Shut up and get a life, nobody asked you.
"""

GMAIL_ABUSE = """\
I'm reporting this to HR.

On Tue, 11 Jun 2024 at 09:15, Pat Reilly <pat.reilly@example.com> wrote:
> You are an absolute idiot and everyone knows it.
"""

FORWARDED_PARTISAN = """\
FYI only, this arrived at the front desk.

---------- Forwarded message ---------
From: Campaign Office <info@example.org>
Subject: Rally

Vote Labor on Saturday and kick the Liberals out for good!
"""

AUTHOR_ABOVE_QUOTE = """\
You are an absolute idiot, fix it.

On Tue, 11 Jun 2024 at 09:15, Pat Reilly <pat.reilly@example.com> wrote:
> Roster attached.
"""

SIGNATURE = """\
Mr. Kohler:

Just a follow-up to check on the status of the Master Agreement.

Regards,

Marie Heard
Senior Legal Specialist
Enron North America Corp.
1400 Smith Street, Houston, TX 77002
Mobile: 0412 345 678
Email: marie.heard@enron.com
"""

QUOTED_HEADER = """\
Noted, thanks.

-----Original Message-----
From: Jane Citizen [mailto:jane.citizen@gmail.com]
Sent: Monday, 10 June 2024 4:51 PM
Subject: Leave

I'll be away Friday.
"""


@pytest.mark.parametrize(
    ("text", "rule", "reason"),
    [
        (QUOTED_ABUSE, "public-trust.abuse", "in quoted text from Pat Reilly"),
        (GMAIL_ABUSE, "public-trust.abuse", "in quoted text from Pat Reilly"),
        (FORWARDED_PARTISAN, "apolitical.party-political", "in forwarded text from Campaign"),
        (SIGNATURE, "public-trust.street-address", "in the author's signature"),
        (SIGNATURE, "public-trust.phone-number", "in the author's signature"),
        (SIGNATURE, "public-trust.email-address", "in the author's signature"),
        (QUOTED_HEADER, "public-trust.email-address", "in a header line from Jane Citizen"),
    ],
)
def test_when_breach_is_not_the_authors_then_near_miss_says_whose(
    text: str, rule: str, reason: str
) -> None:
    result = check(text)
    assert rule not in {f.rule for f in result.findings}
    assert any(n.rule == rule and n.reason.startswith(reason) for n in result.near_misses), [
        (n.rule, n.reason) for n in result.near_misses
    ]


@pytest.mark.parametrize("text", [QUOTED_ABUSE, GMAIL_ABUSE, SIGNATURE, QUOTED_HEADER])
def test_when_only_others_breach_then_decision_ok(text: str) -> None:
    assert check(text).decision == "ok"


def test_when_author_breaches_above_quote_then_still_found() -> None:
    result = check(AUTHOR_ABOVE_QUOTE)
    assert "public-trust.abuse" in {f.rule for f in result.findings}
    # An e-mail is correspondence, not publication: abuse in it goes to review, not block.
    assert result.decision == "review"


@pytest.mark.parametrize(
    ("text", "channel", "rule"),
    [
        # Contact details given in the body of a message are still the author's disclosure.
        ("Dear Committee,\n\nMy details:\n\nNikos\n22 Merri Pde, Northcote VIC 3070\n"
         "Mobile: 0418 664 210\n\nRegards,\nNikos", "email", "public-trust.phone-number"),
        # A signature is no place for a tax file number: it is still reported.
        ("Form attached.\n\nThanks,\nJo Bloggs\nTFN 123 456 782\n", "email",
         "public-trust.tax-file-number"),
        # Not an e-mail and nothing quoted: no structure applies.
        ("Thanks,\nJo\nCall me on 0412 345 678", "twitter", "public-trust.phone-number"),
    ],
)
def test_when_breach_is_the_authors_then_still_found(text: str, channel: str, rule: str) -> None:
    assert rule in {f.rule for f in check(text, channel).findings}


def test_when_quote_in_a_non_email_channel_then_attributed_too() -> None:
    result = check(GMAIL_ABUSE, channel="reddit")
    assert "public-trust.abuse" not in {f.rule for f in result.findings}
