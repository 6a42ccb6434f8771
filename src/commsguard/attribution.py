"""Whose words a finding is in: the author's, or someone the author quoted or forwarded.

The engine asks :func:`not_the_authors` about every finding of an e-mail-like message (an
``email`` channel, or any text with quoted, forwarded or header parts; see structure.py):

* In **quoted or forwarded** text, or in the **header lines** that introduce it, the words are
  another sender's: the finding is not the author's and becomes a near miss, "in quoted text
  from Jo Bloggs", which ``--explain`` shows. A breach the author writes above the quote is
  still the author's.
* In the author's **disclaimer** footer or the message's own header lines (addresses), the text
  is boilerplate, not something the author said.
* In the author's **signature**, contact details (phone, e-mail, street address, ABN/ACN) are
  the author's own, deliberately shared for business: not a finding. Anything else there (a
  slogan, a tax file number) is still reported: a signature is text the author chose.

A finding is spared only when its evidence lies wholly inside one such part.
"""

from __future__ import annotations

import functools

from commsguard.models import Message
from commsguard.structure import Structure, parse

#: Channels whose messages are e-mail: their signatures and footers are recognised even when
#: nothing is quoted.
EMAIL_CHANNELS = frozenset({"email", "e-mail", "mail", "outlook"})

#: Personal-information entities that are contact details when they sit in a signature.
CONTACT_ENTITIES = frozenset(
    {"PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS", "URL", "AU_ABN", "AU_ACN"}
)


@functools.lru_cache(maxsize=64)
def _parse(text: str) -> Structure:
    return parse(text)


def structure_for(message: Message) -> Structure | None:
    """The message's e-mail structure, or None when it is not e-mail-like."""
    text = message.text
    if "\n" not in text and not text.lstrip().startswith(">") and (
        message.channel.lower() not in EMAIL_CHANNELS
    ):
        # One line that is no quotation has no parts but the author's own: most posts and
        # chat messages. (Parsing costs as much as the PII rules themselves.)
        return None
    structure = _parse(text)
    if message.channel.lower() in EMAIL_CHANNELS or structure.structured:
        return structure
    return None


def not_the_authors(structure: Structure, start: int, end: int, entity: str | None) -> str | None:
    """Why the finding at ``[start, end)`` is not the author's, or None when it is."""
    part = structure.part_of(start, end)
    if part is None or part.kind == "own":
        return None
    sender = f" from {part.sender}" if part.sender else ""
    if part.kind in ("quoted", "forwarded"):
        return f"in {part.kind} text{sender}, not the author's words"
    if part.kind == "header":
        return f"in a header line{sender}, not the author's words"
    if part.kind == "disclaimer":
        return "in the author's disclaimer footer (boilerplate, not the author's words)"
    if entity in CONTACT_ENTITIES:
        return "in the author's signature: the author's own contact details, shared for business"
    return None
