"""Small facts about text shared by the engine and the detectors."""

from __future__ import annotations

import re

#: A label followed closely by digits of its own ("Licence no. 8372…", "order no. 1793",
#: "Tracking says order no. 8963…"): such a label describes that number, not another one.
OWN_NUMBER = re.compile(r"[^\d!?\n]{0,20}\d")
