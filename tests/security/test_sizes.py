"""Attacks by size: archives and requests that make the service use unbounded memory or rows.

The probe's Slack zip was 202 KB; its day file inflated to a 207 MB array ``[[],[],…]``, which
took 5.2 GB to parse and left 5,050,000 quarantine rows. Here the same shape is smaller, and
the assertions are on rows and on the reader refusing past its caps, never on wall-clock time.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from commsguard import Engine, load_pack
from commsguard.ingest import Quarantined
from commsguard.ingest._common import Limits
from commsguard.ingest.slack import SlackReader
from commsguard.models import Message
from commsguard.store.db import get_engine, migrate, session_scope
from commsguard.store.tables import MessageRow, QuarantineRow
from commsguard.web import accounts
from commsguard.web.security import create_token
from commsguard.workflows.scan import scan
from web.conftest import Installation, build_installation

GOOD_DAY = [{"type": "message", "user": "U1", "ts": "1767607200.000100", "text": "hello"}]


def bomb(elements: int) -> bytes:
    """The probe's day file, ``elements`` empty arrays long."""
    return b"[" + b"[]," * (elements - 1) + b"[]]"


def slack_zip(path: Path, day: bytes) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("users.json", json.dumps([{"id": "U1", "name": "jo"}]))
        zf.writestr("channels.json", json.dumps([{"id": "C1", "name": "general"}]))
        zf.writestr("general/2026-01-05.json", json.dumps(GOOD_DAY))
        zf.writestr("general/2026-01-06.json", day)
    path.write_bytes(buf.getvalue())
    return path


def read(path: Path, limits: Limits | None = None) -> tuple[list[Message], list[Quarantined]]:
    items = list(SlackReader(limits=limits or Limits()).read(path))
    return ([i for i in items if isinstance(i, Message)],
            [i for i in items if isinstance(i, Quarantined)])


def test_slack_array_bomb_over_the_element_cap_is_one_quarantined_row(tmp_path: Path) -> None:
    path = slack_zip(tmp_path / "bomb.zip", bomb(300_000))
    assert path.stat().st_size < 10_000  # a few KB that inflate to 900 KB of arrays
    messages, quarantined = read(path)
    assert [m.text for m in messages] == ["hello"]  # the rest of the export is still read
    [q] = quarantined
    assert q.source.position == "general/2026-01-06.json"
    assert "300000 elements, over the limit of 200000" in q.reason


def test_slack_array_bomb_under_the_cap_is_one_row_with_a_count(tmp_path: Path) -> None:
    path = slack_zip(tmp_path / "bomb.zip", bomb(50_000))
    messages, quarantined = read(path)
    assert len(messages) == 1
    [q] = quarantined
    assert q.reason.startswith("50000 of 50000 elements are not messages")


def test_slack_array_bomb_past_the_value_cap_is_refused_unparsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = slack_zip(tmp_path / "bomb.zip", bomb(50_000))
    parsed: list[int] = []
    real = json.loads

    def spy(data: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr("commsguard.ingest._common.json.loads", spy)
    _, [q] = read(path, Limits(max_json_values=10_000))
    assert "over the limit of 10000 per file; not parsed" in q.reason
    assert max(parsed) < 1_000  # only the small files were parsed, never the bomb


def test_slack_array_bomb_past_the_inflated_size_cap_is_not_inflated(tmp_path: Path) -> None:
    path = slack_zip(tmp_path / "bomb.zip", bomb(300_000))
    _, [q] = read(path, Limits(max_json_member_bytes=100_000))
    assert "over the limit of 100000 bytes" in q.reason


def test_slack_folder_array_bomb_past_the_size_cap_is_not_read(tmp_path: Path) -> None:
    export = tmp_path / "slack"
    (export / "general").mkdir(parents=True)
    (export / "users.json").write_text("[]")
    (export / "general" / "2026-01-06.json").write_bytes(bomb(300_000))
    _, [q] = read(export, Limits(max_json_member_bytes=100_000))
    assert "over the 100000-byte limit" in q.reason


def test_slack_deeply_nested_day_file_is_quarantined_not_a_crash(tmp_path: Path) -> None:
    path = slack_zip(tmp_path / "deep.zip", b"[" * 200_000 + b"]" * 200_000)
    messages, [q] = read(path)
    assert len(messages) == 1 and "nested too deeply" in q.reason


def test_scanned_slack_array_bomb_stores_one_quarantine_row(tmp_path: Path) -> None:
    path = slack_zip(tmp_path / "bomb.zip", bomb(300_000))
    db = get_engine(f"sqlite:///{tmp_path / 'scan.db'}")
    migrate(db)
    summary = scan([path], engine=Engine(load_pack(), only_rules=[]), db=db)
    with session_scope(db) as s:
        rows = s.scalar(select(func.count()).select_from(QuarantineRow))
    assert (summary.messages, summary.quarantined, rows) == (1, 1, 1)


# --- POST /api/v1/check ---------------------------------------------------------------------


@pytest.fixture
def small_limit_app(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    """A service with a 64 KiB body limit and a staff token."""
    inst = build_installation(tmp_path, max_body_bytes=64 * 1024)
    with inst.session() as session:
        user = accounts.by_username(session, "staff")
        assert user is not None
        _, token = create_token(session, user=user, scopes=["check"])
    with TestClient(inst.app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client, inst.settings.database_url


def stored_messages(url: str) -> int:
    with session_scope(get_engine(url)) as s:
        return s.scalar(select(func.count()).select_from(MessageRow)) or 0


def test_check_with_a_body_over_the_default_limit_is_413_and_not_stored(
    api: Callable[[str], TestClient], inst: Installation
) -> None:
    before = stored_messages(inst.settings.database_url)
    body = json.dumps({"text": "a" * (1024 * 1024 + 10)})
    r = api("staff").post("/api/v1/check", content=body,
                          headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json() == {"detail": "request body is over the limit of 1048576 bytes "
                                  "(set by COMMSGUARD_MAX_BODY_BYTES)"}
    assert stored_messages(inst.settings.database_url) == before


def test_check_with_a_streamed_body_over_the_configured_limit_is_413(
    small_limit_app: tuple[TestClient, str],
) -> None:
    client, url = small_limit_app
    chunks = [b'{"text": "', *([b"a" * 8192] * 10), b'"}']
    r = client.post("/api/v1/check", content=iter(chunks),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "over the limit of 65536 bytes" in r.json()["detail"]
    assert stored_messages(url) == 0


@pytest.mark.parametrize("field, size", [
    ("text", 100_001), ("author", 201), ("channel", 101), ("profile", 2_001), ("id", 201),
])
def test_check_with_an_oversized_field_is_422(
    api: Callable[[str], TestClient], field: str, size: int
) -> None:
    body = {"text": "hello", field: "x" * size}
    r = api("staff").post("/api/v1/check", json=body, params={"record": "false"})
    assert r.status_code == 422, r.text
    assert field in json.dumps(r.json()["detail"])


@pytest.mark.parametrize("field", ["text", "author", "channel", "profile"])
def test_check_with_a_lone_surrogate_is_422_not_500(
    api: Callable[[str], TestClient], field: str
) -> None:
    body = b'{"text": "hello", "' + field.encode() + b'": "a\\ud800b"}'
    r = api("staff").post("/api/v1/check", content=body,
                          headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text


# --- an Outlook .msg whose streams lie about their size -------------------------------------


def _lying_msg(real_corpus: Path, tmp_path: Path, declared: int) -> Path:
    """A real .msg whose body and RTF body streams' directory entries declare ``declared``
    bytes (the stream size is the 8 bytes at offset 120 of a 128-byte directory entry)."""
    data = bytearray((real_corpus / "msg" / "msg-extractor_strangeDate.msg").read_bytes())
    for stream in ("__substg1.0_1000001F", "__substg1.0_10090102"):
        at = data.find(stream.encode("utf-16-le"))
        assert at > 0, stream
        data[at + 120 : at + 128] = declared.to_bytes(8, "little")
    path = tmp_path / "lying.msg"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.shared
@pytest.mark.parametrize("declared", [2 * 2**30, 3 * 2**30, 4 * 2**30 - 1])
def test_msg_whose_streams_declare_gigabytes_is_quarantined_not_stored_empty(
    real_corpus: Path, tmp_path: Path, declared: int,
) -> None:
    from commsguard.ingest.msg import MsgReader

    path = _lying_msg(real_corpus, tmp_path, declared)
    (item,) = MsgReader().read(path)
    assert isinstance(item, Quarantined), item
    assert f"declares {declared} bytes" in item.reason
    assert "__substg1.0_1000001F" in item.reason
