"""The model tiers: statistical detectors that generalise past the pack's word lists.

* ``detector``, ``features``, ``model``, ``train``: the n-gram tier (detector ``learned``), a
  calibrated linear model per clause over word and character n-grams.
* ``encoder``, ``semantic``, ``semantic_model``, ``semantic_train``: the meaning-level tier
  (detector ``semantic``), per-clause heads over a sentence encoder's embeddings.

Both are supplementary (``commsguard.supplementary``): they speak only where no rule did.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from commsguard.errors import PackError

if TYPE_CHECKING:
    from commsguard.detectors.base import DetectorContext
    from commsguard.models import Message


class HeadParams(BaseModel):
    """What every model-tier rule names: its model file, its head, who is exempt."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The model file written by ``commsguard pack train``, relative to the pack.
    model_file: str
    #: The head (a clause id) this rule reports.
    head: str
    #: An authority (e.g. ``spokesperson``) whose current holders, writing in official
    #: capacity, may do what this head looks for: their hits are near misses.
    exempt_authority: str | None = None

    def model_path(self, context: DetectorContext) -> Path:
        """The model file inside the pack the rule came from."""
        if context.pack_root is None:
            raise PackError(f"model file {self.model_file!r} needs a pack directory")
        return context.pack_root / self.model_file


def same_batch(last: Sequence[Message], messages: Sequence[Message]) -> bool:
    """Whether ``messages`` is the very batch scored last (the same message objects): the rules
    of one model ask about a batch in turn, and its scorer does the work once."""
    return len(last) == len(messages) and all(
        a is b for a, b in zip(last, messages, strict=True)
    )
