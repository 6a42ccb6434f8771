"""Who may speak for the office: the authorisation register, read the same way by every rule.

The Making Public Comment clause lets "the Ombudsman, Deputy Ombudsman or Assistant Director,
Communication and Engagement (or authorised individual)" comment for the office. The
rule-based public-comment detector and the model tiers' public-comment heads both exempt
them, through this one function.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from commsguard.detectors.base import DetectorContext, Hit
from commsguard.models import Message


def holds_authority(context: DetectorContext, message: Message, authority: str) -> bool:
    """Whether the message's author held ``authority`` on the message's date (or today)."""
    register = context.authorisations
    if register is None or not message.author:
        return False
    on: date | None = message.time.date() if message.time else None
    return register.holds(message.author, authority, on)


def authority_near_miss(message: Message, authority: str) -> str:
    return f"{message.author} holds a current {authority} authorisation"


def exempt_if_authorised(
    hit: Hit, message: Message, context: DetectorContext, authority: str | None
) -> Hit:
    """``hit`` as a near miss when its author, writing officially, holds ``authority``."""
    if authority and message.capacity == "official" and holds_authority(context, message,
                                                                         authority):
        return replace(hit, near_miss=authority_near_miss(message, authority))
    return hit
