"""The model tiers: statistical detectors that generalise past the pack's word lists.

* ``detector``, ``features``, ``model``, ``train``: the n-gram tier (detector ``learned``), a
  calibrated linear model per clause over word and character n-grams.
* ``encoder``, ``semantic``, ``semantic_model``, ``semantic_train``: the meaning-level tier
  (detector ``semantic``), per-clause heads over a sentence encoder's embeddings.

Both are supplementary (``commsguard.supplementary``): they speak only where no rule did.
"""
