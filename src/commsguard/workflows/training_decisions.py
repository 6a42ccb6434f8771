"""Reviewers' decisions as training data for the semantic tier (``pack train --from-decisions``).

A finding marked **breach** teaches its clause's head a positive; one **dismissed** (a false
positive) teaches that head a negative. Each decision speaks of one clause only, so its row
trains that head alone (``only_for``). Messages whose text was purged under retention have
nothing to learn from and are skipped. Register values stay masked: a message that matched the
confidential register is left out, so no complainant's name reaches a pack file.

The rows go to ``data/semantic/decisions.jsonl`` in the pack, replacing the previous export, in
a stable order (by finding id), so retraining on the same decisions gives the same model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.store.tables import FindingRow, MessageRow
from commsguard.workflows.masking import RegisterMask

#: Decisions that teach: the status a reviewer set -> does the message breach the clause.
TEACHING = {"breach": True, "dismissed": False}
REGISTER_DETECTORS = frozenset({"confidential-register"})


@dataclass(frozen=True, slots=True)
class DecisionExport:
    path: Path
    positives: int
    negatives: int
    skipped: int


def export_decisions(
    session: Session, path: Path, *, register_mask: RegisterMask | None = None
) -> DecisionExport:
    """With ``register_mask``, a message whose text matches the register now (a value added
    since it was checked) is left out too."""
    rows = session.execute(
        select(FindingRow, MessageRow)
        .join(MessageRow, FindingRow.message_id == MessageRow.id)
        .where(FindingRow.status.in_(tuple(TEACHING)))
        .order_by(FindingRow.id)
    ).all()
    masked = {
        f.message_id
        for (f,) in session.execute(
            select(FindingRow).where(FindingRow.detector.in_(tuple(REGISTER_DETECTORS)))
        ).all()
    }
    lines: list[str] = []
    seen: set[tuple[int, str]] = set()
    positives = negatives = skipped = 0
    for finding, message in rows:
        key = (message.id, finding.clause)
        if key in seen:
            continue
        seen.add(key)
        if not message.text or message.id in masked or (
            register_mask is not None and register_mask.spans(message.text)
        ):
            skipped += 1
            continue
        breach = TEACHING[finding.status]
        positives += breach
        negatives += not breach
        lines.append(json.dumps({
            "id": f"decision-{finding.id}",
            "text": message.text,
            "labels": [finding.clause] if breach else [],
            "only_for": [finding.clause],
            "note": f"reviewer {finding.status} of {finding.rule}",
        }, ensure_ascii=False))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return DecisionExport(path, positives, negatives, skipped)
