"""The external sets: the fixed split, the label mapping, and the one table of rates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commsguard.evaluation_external import score_external
from commsguard.external import ExternalItem, is_held_out, read_set
from commsguard.models import Finding, Message, Result


def test_when_ids_hashed_then_about_a_quarter_held_out_and_stable() -> None:
    ids = [f"item-{i}" for i in range(4000)]
    held = [i for i in ids if is_held_out(i)]
    assert 0.22 < len(held) / len(ids) < 0.28
    assert held == [i for i in ids if is_held_out(i)]  # a pure function of the id


def _write_sets(d: Path) -> None:
    (d / "SOURCES.md").write_text("test sets\n", encoding="utf-8")
    rows = [",count,hate_speech,offensive_language,neither,class,tweet"]
    rows += [f"{i},3,3,0,0,0,hate tweet {i}" for i in range(40)]
    rows += [f"{i},3,0,0,3,2,plain tweet {i}" for i in range(40, 80)]
    (d / "davidson_labeled_data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    pol = [{"id": f"pol-{i}", "text": f"post {i}", "label": {"bias": "partisan" if i % 2 else
            "neutral"}} for i in range(40)]
    (d / "political_dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in pol),
                                           encoding="utf-8")
    (d / "enron_dev.jsonl").write_text(json.dumps({"id": "e1", "text": "hi",
                                                   "capacity": "official"}) + "\n",
                                       encoding="utf-8")


def test_when_split_read_then_train_and_holdout_partition_the_set(tmp_path: Path) -> None:
    _write_sets(tmp_path)
    for name in ("davidson", "political"):
        held = {i.message.id for i in read_set(name, directory=tmp_path)}
        train = {i.message.id for i in read_set(name, directory=tmp_path, split="train")}
        every = {i.message.id for i in read_set(name, directory=tmp_path, split="all")}
        assert held and train and not held & train and held | train == every
    hate = [i for i in read_set("davidson", directory=tmp_path, split="all") if i.group == "hate"]
    assert all(i.labels == {"equity-diversity"} for i in hate)


def _item(source: str, group: str) -> ExternalItem:
    return ExternalItem(source, group, Message(id="x", text="t"), frozenset())


def _found(clause: str, *, entity: str | None = None, decision: str = "review") -> Result:
    f = Finding(clause=clause, rule=f"{clause}.r", detector="d", severity="review",
                confidence=0.9, start=0, end=1, evidence="t", message="m", suggestion="s",
                entity=entity)
    return Result("x", decision, (f,))  # type: ignore[arg-type]


def test_when_scored_then_each_group_counts_only_its_clauses() -> None:
    items = [_item("davidson", "hate"), _item("davidson", "hate"),
             _item("davidson", "neither"), _item("davidson", "neither"),
             _item("enron", "mail"), _item("enron", "mail")]
    results = [_found("public-trust"), Result("x", "ok"),
               _found("public-trust"),  # not equity-diversity: no false positive for 'neither'
               _found("equity-diversity"),
               _found("public-trust", entity="PHONE_NUMBER"),  # personal details: not conduct
               _found("apolitical", decision="block")]
    rows = {(r.source, r.group): r for r in score_external(items, results)}
    assert rows[("davidson", "hate")].rate == 0.5
    assert rows[("davidson", "neither")].rate == 0.5
    assert rows[("davidson", "neither")].any_finding == 1.0
    assert rows[("enron", "mail")].rate == 0.5
    assert rows[("enron", "mail")].blocked == 0.5


@pytest.mark.shared
def test_when_shared_sets_present_then_holdout_sizes_are_fixed(shared_dir: Path) -> None:
    d = shared_dir / "corpus" / "external"
    sizes = {name: len(read_set(name, directory=d)) for name in ("davidson", "political", "enron")}
    assert sizes == {"davidson": 4928, "political": 978, "enron": 546}


def test_when_training_then_each_group_teaches_what_external_says(tmp_path: Path) -> None:
    _write_sets(tmp_path)
    items = read_set("davidson", directory=tmp_path, split="all")
    hate = next(i for i in items if i.group == "hate")
    neither = next(i for i in items if i.group == "neither")
    assert hate.training_labels() == ({"equity-diversity", "public-trust"}, frozenset())
    assert neither.training_labels() == (frozenset(), frozenset())
    offensive = ExternalItem("davidson", "offensive", Message(id="o", text="t"), frozenset())
    assert offensive.training_labels() == ({"public-trust"}, {"public-trust"})
