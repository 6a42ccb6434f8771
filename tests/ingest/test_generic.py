"""The generic CSV and JSONL readers with a column mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commsguard.ingest import Quarantined, detect_reader
from commsguard.ingest._common import Limits
from commsguard.ingest.generic import CsvReader, JsonlReader
from commsguard.models import Message


def test_when_csv_has_same_named_columns_then_default_mapping_reads_them(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text(
        "id,text,author,time,capacity\n1,hello,ann,2024-01-02T03:04:05+01:00,official\n"
        "2,bye,bob,1700000000,\n3,bad,carl,,royal\n",
        encoding="utf-8",
    )
    assert detect_reader(f) == "csv"
    items = list(CsvReader().read(f))
    a, b = (i for i in items if isinstance(i, Message))
    assert (a.id, a.text, a.author, a.capacity, a.channel) == (
        "1",
        "hello",
        "ann",
        "official",
        "csv",
    )
    assert a.time is not None and a.time.isoformat() == "2024-01-02T02:04:05+00:00"
    assert b.time is not None and b.time.isoformat() == "2023-11-14T22:13:20+00:00"
    (bad,) = [i for i in items if isinstance(i, Quarantined)]
    assert bad.source.position == "line 4" and "capacity 'royal'" in bad.reason


def test_when_mapping_renames_columns_then_they_are_used(tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text("body,from,when\nhi,ann,2024-01-01\n", encoding="utf-8")
    (msg,) = CsvReader(mapping={"text": "body", "author": "from", "time": "when"}).read(f)
    assert isinstance(msg, Message)
    assert (msg.text, msg.author, msg.id) == ("hi", "ann", "m.csv:line 2")


def test_when_mapping_names_unknown_field_then_error() -> None:
    with pytest.raises(ValueError, match="unknown message field"):
        CsvReader(mapping={"txet": "body"})


def test_when_jsonl_has_bad_lines_then_each_is_quarantined(tmp_path: Path) -> None:
    f = tmp_path / "m.jsonl"
    lines = [json.dumps({"text": "ok", "author": "ann", "thread": "t1"}), "{nope", "[1]",
             json.dumps({"author": "no text"}), "", json.dumps({"text": "x" * 300})]  # fmt: skip
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert detect_reader(f) == "jsonl"
    items = list(JsonlReader(limits=Limits(max_message_bytes=200)).read(f))
    assert isinstance(items[0], Message) and items[0].thread == "t1"
    assert items[0].channel == "jsonl"
    reasons = [(i.source.position, i.reason.split(":")[0]) for i in items[1:]
               if isinstance(i, Quarantined)]  # fmt: skip
    assert reasons == [
        ("line 2", "not JSON"),
        ("line 3", "line is not a JSON object"),
        ("line 4", "no 'text' column in this row"),
        ("line 6", "line is over the 200-byte limit"),
    ]
