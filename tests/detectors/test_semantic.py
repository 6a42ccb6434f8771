"""The semantic tier: encoders, windows, the model file, and findings that explain themselves.

These run the shipped model (``data/semantic/model.json``) and the real encoders (the int8
ONNX MiniLM from its wheel, the static table in the pack): nothing is mocked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from _conduct import check, flagged

from commsguard.detectors.learned.encoder import build_encoder
from commsguard.detectors.learned.semantic import windows
from commsguard.detectors.learned.semantic_model import load_semantic_model
from commsguard.errors import PackError
from commsguard.policy import DEFAULT_PACK

DATA = DEFAULT_PACK / "data" / "semantic"


@pytest.mark.parametrize("name", ["minilm", "static"])
def test_when_texts_share_meaning_then_their_vectors_are_closer(name: str) -> None:
    enc = build_encoder(name, DATA)
    v = enc.embed([
        "Vote for the Democrats in November",
        "Support the Labour candidate at the general election",
        "My sourdough finally rose properly this morning",
    ])
    assert v.shape == (3, enc.dim)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])


@pytest.mark.parametrize("name", ["minilm", "static"])
def test_when_text_is_empty_then_encoders_agree_on_shape(name: str) -> None:
    enc = build_encoder(name, DATA)
    assert enc.embed([]).shape == (0, enc.dim)
    assert enc.embed([""]).shape == (1, enc.dim)


def test_when_text_is_long_then_windows_are_whole_sentences_within_the_limit() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(200))
    spans = windows(text, 120, 5)
    assert len(spans) == 5
    for s, e in spans:
        assert e - s <= 120
        assert text[s:e].startswith("Sentence") and text[s:e].endswith(".")
    assert windows("", 120, 5) == [] or windows("", 120, 5) == [(0, 0)]


def test_when_text_is_short_then_one_window_covers_it() -> None:
    text = "Just one short post."
    assert windows(text, 320, 48) == [(0, len(text))]


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("apolitical.semantic",
         "The Republicans just voted to gut healthcare for millions. Remember that in November."),
        ("equity-diversity.semantic",
         "Immigrants like them are ruining this country, send them all back"),
        ("public-trust.semantic", "You are a pathetic worthless idiot and everyone knows it"),
    ],
)
def test_when_flagged_then_the_finding_explains_itself(rule: str, text: str) -> None:
    result = check(rule, text)
    [finding] = [f for f in result.findings if f.rule == rule]
    assert finding.severity == "review"
    assert 0 <= finding.start < finding.end <= len(text)
    assert finding.evidence == text[finding.start : finding.end]
    e = finding.explanation
    assert e is not None and e.detector == "semantic"
    assert "threshold" in e.validation
    resembles = [n for n in e.notes if n.startswith("resembles")]
    assert len(resembles) == 3
    assert all("[" in n and n.endswith("]") for n in resembles)  # each names its labels


@pytest.mark.parametrize(
    "text",
    [
        "Thanks everyone for coming to the planning day, the notes are on the shared drive",
        "What do you think of the letter? Happy to change the second paragraph",
        "Can you send me the numbers for the Q3 forecast before Friday?",
    ],
)
def test_when_ordinary_work_text_then_no_head_flags(text: str) -> None:
    for clause in ("apolitical", "public-comment", "public-trust", "equity-diversity",
                   "privacy-confidentiality"):
        assert not flagged(f"{clause}.semantic", text), clause


def _copy_model(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    return pack / "data" / "semantic" / "model.json"


def test_when_model_format_is_wrong_then_pack_error_names_file_and_field(tmp_path: Path) -> None:
    path = _copy_model(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format"] = "something-else/9"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PackError, match="format") as info:
        load_semantic_model(path, path.parents[2])
    assert str(path) in str(info.value)


def test_when_head_weights_have_wrong_size_then_pack_error_names_the_head(tmp_path: Path) -> None:
    path = _copy_model(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["heads"]["apolitical"]["weights"] = [0.0, 1.0]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PackError, match="heads.apolitical"):
        load_semantic_model(path, path.parents[2])


def test_when_screen_rejects_every_window_then_main_encoder_never_runs() -> None:
    from commsguard.detectors.learned.semantic import SemanticScorer
    from commsguard.models import Message

    model = load_semantic_model(DATA / "model.json", DEFAULT_PACK)
    closed = {
        k: h.__class__(h.clause, h.layer, h.threshold, h.screen, 2.0)  # a probability never >= 2
        for k, h in model.heads.items()
    }
    scorer = SemanticScorer(model.__class__(**{**model.__dict__, "heads": closed}))
    scored = scorer.score([Message(id="1", text="Vote for the Democrats in November")])
    [(spans, vectors, probs)] = scored.per_message
    assert spans and not vectors.any() and not probs.any()
