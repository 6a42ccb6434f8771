"""commsguard: check posts and messages against a Social Media and Electronic Communications Policy.

The library's front door::

    from commsguard import Engine, Message, load_pack

    engine = Engine(load_pack())
    result = engine.check(Message(id="1", text="Vote 1 for the Greens!", capacity="official"))
    result.decision, [f.clause for f in result.findings]
"""

from commsguard.engine import Engine
from commsguard.errors import CommsguardError, InputError, PackError, PackErrors, StoreError
from commsguard.models import (
    Attachment,
    Explanation,
    Finding,
    Message,
    NearMiss,
    Result,
    Source,
)
from commsguard.policy.loader import DEFAULT_PACK, Pack, load_pack

__version__ = "0.1.0"

__all__ = [
    "Attachment",
    "CommsguardError",
    "DEFAULT_PACK",
    "Engine",
    "Explanation",
    "Finding",
    "InputError",
    "Message",
    "NearMiss",
    "Pack",
    "PackError",
    "PackErrors",
    "Result",
    "Source",
    "StoreError",
    "load_pack",
]
