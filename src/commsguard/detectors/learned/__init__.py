"""The model tiers: statistical detectors that generalise past the pack's word lists.

* ``detector``, ``features``, ``model``, ``train``: the n-gram tier (detector ``learned``), a
  calibrated linear model per clause over word and character n-grams.
* ``encoder``, ``semantic``, ``semantic_model``, ``semantic_train``: the meaning-level tier
  (detector ``semantic``), per-clause heads over a sentence encoder's embeddings.

Both are supplementary (``commsguard.supplementary``): they speak only where no rule did.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


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
