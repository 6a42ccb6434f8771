"""The learned detector's features and model file: what is counted, and bad files named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from commsguard.detectors.learned.features import (
    feature_names,
    meta_terms,
    sentence_features,
)
from commsguard.detectors.learned.model import load_model, parse_model
from commsguard.engine import Engine
from commsguard.errors import PackError
from commsguard.models import Message
from commsguard.policy import DEFAULT_PACK, load_pack
from commsguard.text import sentence_spans

MODEL = DEFAULT_PACK / "data" / "learned" / "model.json"


def _feats(text: str, **kw: Any) -> set[str]:
    return feature_names(Message(id="t", text=text, **kw))


def test_when_handles_hashtags_and_numbers_then_normalised() -> None:
    got = _feats("@JaneDoe call 0491 570 123 #SpringSt")
    assert {"@user", "call", "<d4>", "<d3>", "springst", "@user call", "<d4> <d3>"} <= got
    assert not any("janedoe" in f or "0491" in f for f in got)


def test_when_two_sentences_then_bigrams_and_characters_stay_inside_each() -> None:
    got = _feats("Great work team. Vote Greens")
    assert {"work team", "vote greens", "c: vot", "c:team"} <= got
    assert "team vote" not in got and "c:m vo" not in got


def test_when_profile_and_capacity_then_meta_features_but_not_channel() -> None:
    got = _feats("hello", capacity="official", channel="Teams", profile="Investigator, Ombudsman")
    assert {"meta:capacity=official", "meta:profile", "profile:ombudsman"} <= got
    assert not any("teams" in f for f in got)
    assert "meta:profile" not in _feats("hello")


@pytest.mark.parametrize(
    "text",
    ["Don’t tell anyone!! The case… is huge.\nNew line here", "one", "", "a. b? c! 42 #x @y"],
)
def test_when_offsets_kept_then_same_features_as_fast_path(text: str) -> None:
    # The explanation (sentence by sentence, with offsets) must see what the scorer saw.
    slow = set(meta_terms(Message(id="t", text=text)))
    for terms, chars in sentence_features(text).values():
        slow |= terms | {f"c:{c}" for c in chars}
    assert slow == _feats(text)


def test_when_sentences_split_then_spans_trimmed() -> None:
    text = "First one.  Second one!\nThird"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["First one.", "Second one!", "Third"]


def test_when_batch_scored_with_numpy_then_equals_the_plain_formula() -> None:
    # The scorer hashes character 4-grams for the whole batch in numpy; check it against
    # b + sum(w * idf) / sqrt(sum(idf ** 2)) over feature_names(), term by term.
    model = load_model(MODEL)
    texts = ["", "a", "Ünïcödé 😀 straße… İstanbul", "Why do we keep hiring people with accents?",
             "Vote 1 Greens!\n\nDoorknocking Saturday. @sam #springst 0491 570 123",
             "the libs have no idea what they're doing lol " * 20]
    messages = [Message(id=str(i), text=t, profile="VO staff" if i % 2 else "")
                for i, t in enumerate(texts)]
    got = model.raw_scores(messages)
    for message, row in zip(messages, got, strict=True):
        rows = sorted(
            r for name in feature_names(message)
            if (r := (model.char_index.get(name[2:]) if name.startswith("c:")
                      else model.index.get(name)))
        )
        norm = float(model.idf_squared[rows].sum()) ** 0.5 or 1.0
        expected = model.weights[rows].sum(axis=0) / norm + model.intercepts
        assert row == pytest.approx(expected, abs=1e-9)


def test_when_every_vocabulary_gram_looked_up_then_each_finds_its_own_row() -> None:
    # Covers the direct-mapped slots and the overflow list of slots two grams share.
    model = load_model(MODEL)
    grams = sorted(model.char_index)
    rows, owners = model._char_rows(grams)
    assert list(owners) == list(range(len(grams)))
    assert [model.names[r] for r in rows] == [f"c:{g}" for g in grams]
    assert len(model._over_hash) > 0  # the overflow path exists in the shipped model
    unknown_rows, _ = model._char_rows(["qzqz", "xqxj"])
    assert len(unknown_rows) == 0


def _model_dict() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MODEL.read_text(encoding="utf-8"))
    return data


def test_when_shipped_model_then_it_loads_with_every_head() -> None:
    model = load_model(MODEL)
    rules = [r for r in load_pack().rules if r.detector == "learned"]
    assert {r.params["head"] for r in rules} == set(model.head_index)
    assert all(0.5 <= h.threshold <= 1.0 for h in model.heads)


@pytest.mark.parametrize(
    ("corrupt", "field"),
    [
        (lambda d: d["heads"]["apolitical"].__setitem__("threshold", "high"),
         "heads.apolitical.threshold"),
        (lambda d: d["heads"]["public-trust"].__setitem__("calibration", [1.0]),
         "heads.public-trust.calibration"),
        (lambda d: d.__setitem__("format", "pickle"), "format"),
        (lambda d: d.__setitem__("features", "chars-3-5"), "features"),
        (lambda d: d.__setitem__("columns", ["apolitical"]), "columns"),
        (lambda d: d["vocabulary"].__setitem__("vote", [1.0]), "vocabulary.vote"),
        (lambda d: d["vocabulary"].__setitem__("c:votes", [1.0] * 6), "vocabulary.c:votes"),
        (lambda d: d["vocabulary"].__setitem__("vote", [0.0] * 6), "vocabulary.vote"),
    ],
)
def test_when_model_field_bad_then_pack_error_names_file_and_field(
    corrupt: Any, field: str
) -> None:
    data = _model_dict()
    corrupt(data)
    with pytest.raises(PackError, match=rf"model\.json \({field}\)"):
        parse_model(data, MODEL)


def _pack_copy(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, root)
    return root


def test_when_model_file_not_json_then_engine_fails_naming_file_and_line(tmp_path: Path) -> None:
    root = _pack_copy(tmp_path)
    (root / "data" / "learned" / "model.json").write_text('{\n  "format": ,\n}', encoding="utf-8")
    with pytest.raises(PackError, match=r"model\.json:2: model file is not valid JSON"):
        Engine(load_pack(root))


def test_when_model_file_missing_then_engine_fails_naming_it(tmp_path: Path) -> None:
    root = _pack_copy(tmp_path)
    (root / "data" / "learned" / "model.json").unlink()
    with pytest.raises(PackError, match=r"model\.json: model file cannot be read"):
        Engine(load_pack(root))


def test_when_rule_names_unknown_head_then_error_lists_heads(tmp_path: Path) -> None:
    root = _pack_copy(tmp_path)
    rules = root / "rules" / "learned.yaml"
    text = rules.read_text(encoding="utf-8").replace("{head: apolitical}", "{head: politics}")
    rules.write_text(text, encoding="utf-8")
    with pytest.raises(PackError, match=r"model\.json \(heads\): model has no head 'politics'"):
        Engine(load_pack(root))
