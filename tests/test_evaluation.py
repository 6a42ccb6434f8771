"""Evaluation metrics on a tiny hand-made dataset, the CLI, and the dev-set targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commsguard.errors import InputError
from commsguard.evaluation import (
    Example,
    evaluate,
    evaluation_engine,
    load_dataset,
    score,
)
from commsguard.models import Finding, Message, Result
from commsguard.policy import load_pack

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "eval" / "dev.jsonl"


def _finding(clause: str) -> Finding:
    return Finding(clause=clause, rule=f"{clause}.x", detector="d", severity="review",
                   confidence=0.9, start=0, end=1, evidence="x", message="m", suggestion="s")


def _ex(i: int, *labels: str) -> Example:
    return Example(Message(id=str(i), text=f"text {i}"), frozenset(labels))


def _res(i: int, *clauses: str) -> Result:
    findings = tuple(_finding(c) for c in clauses)
    return Result(message_id=str(i), decision="review" if findings else "ok", findings=findings)


def test_when_results_scored_then_per_clause_counts_and_macro_f1_are_right() -> None:
    examples = [_ex(1, "a"), _ex(2, "a"), _ex(3, "b"), _ex(4), _ex(5), _ex(6, "a", "b")]
    results = [_res(1, "a"), _res(2), _res(3, "b", "a"), _res(4), _res(5, "b"), _res(6, "a")]
    report = score(examples, results)
    a, b = report.scores["a"], report.scores["b"]
    assert (a.tp, a.fp, a.fn) == (2, 1, 1)
    assert (b.tp, b.fp, b.fn) == (1, 1, 1)
    assert a.precision == pytest.approx(2 / 3) and a.recall == pytest.approx(2 / 3)
    assert b.f1 == pytest.approx(0.5)
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.5) / 2)
    assert (report.benign, report.benign_flagged) == (2, 1)
    assert report.benign_fp_rate == pytest.approx(0.5)
    kinds = sorted((m.id, m.clause, m.kind) for m in report.misses)
    assert kinds == [("2", "a", "missed"), ("3", "a", "extra"), ("5", "b", "extra"),
                     ("6", "b", "missed")]


def test_when_clause_only_found_never_labelled_then_left_out_of_macro_f1() -> None:
    report = score([_ex(1, "a"), _ex(2)], [_res(1, "a"), _res(2, "z")])
    assert report.scores["z"].support == 0
    assert report.macro_f1 == pytest.approx(1.0)
    assert report.benign_fp_rate == pytest.approx(1.0)


def test_when_benign_decision_not_ok_then_counted_as_false_positive() -> None:
    flagged = Result(message_id="1", decision="review")
    report = score([_ex(1)], [flagged])
    assert report.benign_flagged == 1


def test_when_dataset_loaded_then_messages_and_labels_read(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    rows = [
        {"id": "x1", "text": "Vote 1 Greens!", "author": "a", "capacity": "official",
         "channel": "twitter", "profile": "", "labels": ["apolitical"], "note": "n"},
        {"id": "x2", "text": "Lovely day", "labels": []},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    examples = load_dataset(path)
    assert [e.message.id for e in examples] == ["x1", "x2"]
    assert examples[0].labels == {"apolitical"} and examples[0].message.capacity == "official"
    report = evaluate(examples, evaluation_engine(load_pack()))
    assert report.scores["apolitical"].tp == 1
    assert report.benign_flagged == 0


@pytest.mark.parametrize(
    ("line", "match"),
    [("{not json", "not valid JSON"), ('{"text": "x", "labels": "apolitical"}', "labels"),
     ('{"labels": []}', "text")],
)
def test_when_dataset_line_bad_then_error_names_the_line(
    tmp_path: Path, line: str, match: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=match):
        load_dataset(path)


def test_when_eval_command_run_then_table_and_rates_printed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from commsguard.cli.app import app

    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "Vote 1 Greens!", "labels": ["apolitical"]})
                    + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(path)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "benign false-positive rate" in result.output


needs_dev = pytest.mark.skipif(
    not DEV.is_file(), reason="eval/dev.jsonl (the labelled dev set) is absent"
)
CONDUCT = ("apolitical", "public-comment", "public-trust", "equity-diversity")


@needs_dev
def test_when_dev_set_evaluated_then_conduct_clauses_meet_targets() -> None:
    """The conduct clauses (apolitical, public comment, public trust, equity) on their own."""
    report = evaluate(load_dataset(DEV), evaluation_engine(load_pack()))
    f1 = {c: report.scores[c].f1 for c in CONDUCT}
    assert min(f1.values()) >= 0.9, f1
    assert sum(f1.values()) / len(f1) >= 0.95, f1
    conduct_fp = {
        m.id for m in report.misses
        if m.kind == "extra" and m.clause in ("apolitical", "public-comment", "equity-diversity")
    }
    assert len(conduct_fp) / report.benign <= 0.02


@needs_dev
def test_when_dev_set_evaluated_then_targets_met() -> None:
    report = evaluate(load_dataset(DEV), evaluation_engine(load_pack()))
    summary = ", ".join(f"{s.clause} {s.f1:.3f}" for s in report.scores.values())
    assert report.benign == 178, "eval/dev.jsonl changed: update eval/README.md and this count"
    assert report.benign_fp_rate <= 0.01, f"benign FP rate {report.benign_fp_rate:.3f}"
    assert report.macro_f1 >= 0.95, f"macro-F1 {report.macro_f1:.3f} ({summary})"


HOLDOUT = REPO / "eval" / "holdout2.jsonl"


@pytest.mark.skipif(not HOLDOUT.is_file(), reason="eval/holdout2.jsonl is absent")
def test_when_blind_holdout_evaluated_then_no_regression_below_the_measured_floor() -> None:
    """200 messages written blind to the detectors and never tuned on (eval/README.md). The
    floor sits just under the figure measured when the set was added (macro-F1 0.780): a
    change that loses generalisation fails here even if the dev set still passes."""
    report = evaluate(load_dataset(HOLDOUT), evaluation_engine(load_pack()))
    summary = ", ".join(f"{s.clause} {s.f1:.3f}" for s in report.scores.values())
    assert report.benign == 86
    assert report.macro_f1 >= 0.77, f"macro-F1 {report.macro_f1:.3f} ({summary})"
    assert report.benign_fp_rate <= 0.05, f"benign FP rate {report.benign_fp_rate:.3f}"


TUNING = REPO / "eval" / "tuning.jsonl"


@pytest.mark.skipif(not TUNING.is_file(), reason="eval/tuning.jsonl is absent")
def test_when_generalisation_batches_evaluated_then_families_still_caught() -> None:
    """The hand-written families (harassment by compliment, pregnancy and parental status,
    derogation without slurs, talking to the media, internal material, the office's matters in
    everyday words, @handles) and their benign look-alikes: a regression guard for the pack."""
    batches = [e for e in load_dataset(TUNING) if e.message.id >= "t189"]
    assert len(batches) == 400
    report = evaluate(batches, evaluation_engine(load_pack()))
    summary = ", ".join(f"{s.clause} {s.f1:.3f}" for s in report.scores.values())
    assert report.benign == 196
    assert report.benign_flagged == 0, [m.id for m in report.misses if m.kind == "extra"]
    assert min(s.f1 for s in report.scores.values()) >= 0.95, summary
