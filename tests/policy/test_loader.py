"""The pack loader: the default pack loads, and bad packs say file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commsguard.errors import PackError, PackErrors
from commsguard.policy import DEFAULT_PACK, load_pack

CLAUSE_IDS = {
    "apolitical",
    "public-comment",
    "public-trust",
    "privacy-confidentiality",
    "equity-diversity",
    "work-resources",
    "responsibility",
    "compliance",
    "identifying-inappropriate-use",
    "definitions",
}


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, dest)
    return dest


def test_when_default_pack_loaded_then_it_has_the_fixed_clause_ids() -> None:
    pack = load_pack()
    assert set(pack.clauses) == CLAUSE_IDS
    assert pack.meta.version
    assert all(rule.clause in CLAUSE_IDS for rule in pack.rules)


def test_when_clauses_loaded_then_they_quote_the_policy(policy_text: str) -> None:
    folded = " ".join(policy_text.replace("\xa0", " ").split())
    for clause in load_pack().clauses.values():
        for line in clause.text.splitlines():
            assert " ".join(line.split()) in folded, (clause.id, line)


def test_when_rule_names_unknown_detector_then_error_names_file_line_field(
    pack_copy: Path,
) -> None:
    path = pack_copy / "rules" / "privacy-confidentiality.yaml"
    text = path.read_text().replace(
        "detector: confidential-register", "detector: no-such-detector", 1
    )
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "no-such-detector" in row)
    with pytest.raises(PackError, match=r"unknown detector 'no-such-detector'") as info:
        load_pack(pack_copy)
    assert info.value.location is not None
    assert info.value.location.path == str(path)
    assert info.value.location.line == line
    assert info.value.location.field.endswith(".detector")


def test_when_severity_invalid_then_error_points_at_it(pack_copy: Path) -> None:
    path = pack_copy / "rules" / "privacy-confidentiality.yaml"
    text = path.read_text().replace(
        "{official: block, private: block}", "{official: severe, private: block}", 1
    )
    path.write_text(text)
    with pytest.raises(
        PackError, match=r"privacy-confidentiality.yaml:\d+ \(rules\[0\]\.severity\.official\)"
    ):
        load_pack(pack_copy)


def test_when_rule_cites_unknown_clause_then_error_lists_known(pack_copy: Path) -> None:
    path = pack_copy / "rules" / "privacy-confidentiality.yaml"
    path.write_text(
        path.read_text().replace("clause: privacy-confidentiality", "clause: privacy", 1)
    )
    with pytest.raises(PackError, match=r"unknown clause 'privacy'; known clauses: .*apolitical"):
        load_pack(pack_copy)


def test_when_too_few_examples_then_error(pack_copy: Path) -> None:
    policy = pack_copy / "policy.yaml"
    policy.write_text(policy.read_text().replace("min_examples: 5", "min_examples: 50"))
    with pytest.raises(PackError, match=r"'flag' examples; a rule needs at least 50"):
        load_pack(pack_copy)


def test_when_collecting_errors_then_all_are_reported(pack_copy: Path) -> None:
    path = pack_copy / "rules" / "privacy-confidentiality.yaml"
    original = path.read_text()
    rules = original.count("clause: privacy-confidentiality")
    text = original.replace("clause: privacy-confidentiality", "clause: nowhere")
    path.write_text(text.replace("detector: confidential-register", "detector: nothing"))
    with pytest.raises(PackErrors) as info:
        load_pack(pack_copy, collect_errors=True)
    messages = [str(e) for e in info.value.errors]
    assert rules >= 2
    assert sum("unknown clause 'nowhere'" in m for m in messages) == rules
    assert any("unknown detector 'nothing'" in m for m in messages)


def test_when_yaml_is_broken_then_error_has_line(pack_copy: Path) -> None:
    (pack_copy / "clauses.yaml").write_text("clauses:\n  - id: a\n    title: [unclosed\n")
    with pytest.raises(PackError, match=r"clauses.yaml:\d+: invalid YAML"):
        load_pack(pack_copy)


def test_when_unknown_key_then_error_names_field(pack_copy: Path) -> None:
    policy = pack_copy / "policy.yaml"
    policy.write_text(policy.read_text() + "\nthreshold: 3\n")
    with pytest.raises(PackError, match=r"policy.yaml:\d+ \(threshold\).*Extra inputs"):
        load_pack(pack_copy)


def test_when_thresholds_out_of_order_then_message_shows_right_yaml(pack_copy: Path) -> None:
    policy = pack_copy / "policy.yaml"
    policy.write_text(policy.read_text().replace("review: 0.4", "review: 0.9"))
    with pytest.raises(PackError, match=r"report <= review <= block"):
        load_pack(pack_copy)


def test_when_missing_directory_then_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="pack directory not found"):
        load_pack(tmp_path / "nope")
