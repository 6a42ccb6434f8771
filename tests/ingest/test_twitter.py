"""The X/Twitter archive reader on a real tweets.js."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_golden import extract, golden_for, load_golden

from commsguard.ingest import Quarantined
from commsguard.ingest.twitter import TwitterReader


@pytest.mark.shared
def test_when_real_archive_is_read_then_it_matches_the_golden_file(real_corpus: Path) -> None:
    assert golden_for("twitter", real_corpus) == load_golden("twitter")


@pytest.mark.shared
def test_when_account_js_is_beside_then_author_is_the_handle(real_corpus: Path) -> None:
    items = extract("twitter", real_corpus, "twitter/community-archive_tweets.js")
    assert {i["author"] for i in items} == {"@exGenesis"}
    # The reply and the tweet it answers share the thread (the first tweet we can see).
    assert items[0]["thread"] == items[1]["thread"] == "1626699961042698240"


def test_when_prefix_is_missing_then_quarantined(tmp_path: Path) -> None:
    f = tmp_path / "tweets.js"
    f.write_text("[]")
    (item,) = TwitterReader().read(f)
    assert isinstance(item, Quarantined) and "prefix" in item.reason
