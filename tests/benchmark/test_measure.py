"""Scoring, targets and the ``commsguard bench`` command (no assertions on times)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from commsguard.benchmark.generate import Post, Span
from commsguard.benchmark.measure import SystemResult, percentile, score
from commsguard.benchmark.report import targets
from commsguard.cli.app import app


def _post(text: str, planted: list[tuple[str, str]], decoys: list[tuple[str, str]]) -> Post:
    def spans(items: list[tuple[str, str]]) -> tuple[Span, ...]:
        out = []
        for kind, value in items:
            start = text.index(value)
            out.append(Span(kind, start, start + len(value), value))
        return tuple(out)

    return Post(id="p", channel="sms", author="a", capacity="private", profile="", text=text,
                planted=spans(planted), decoys=spans(decoys))


def test_when_findings_overlap_planted_spans_then_recall_counts_same_entity_only() -> None:
    text = "Call 0412 345 678 or mail jo@example.com; TFN 123 456 782; order 123456789"
    post = _post(
        text,
        planted=[("PHONE_NUMBER", "0412 345 678"), ("EMAIL_ADDRESS", "jo@example.com"),
                 ("AU_TFN", "123 456 782")],
        decoys=[("ORDER_NUMBER", "123456789")],
    )
    phone = text.index("0412")
    tfn = text.index("123 456")
    order = text.index("123456789")
    found = [
        ("PHONE_NUMBER", phone + 5, phone + 30),  # partial overlap, same entity: found
        ("AU_ACN", tfn, tfn + 11),  # overlaps the TFN but is another entity: not found
        ("EMAIL_ADDRESS", 0, 4),  # same entity, no overlap: not found
        ("AU_TFN", order, order + 9),  # hits the decoy
    ]
    scores = score([post], [found])
    assert (scores.entities["PHONE_NUMBER"].planted, scores.entities["PHONE_NUMBER"].found) == (
        1, 1)
    assert scores.entities["EMAIL_ADDRESS"].found == 0
    assert scores.entities["AU_TFN"].found == 0
    assert scores.entities["AU_TFN"].recall == 0.0
    assert scores.entities["PASSPORT"].recall is None  # none planted
    assert (scores.decoys, scores.decoy_hits) == (1, 1)
    assert set(scores.misses) == {"EMAIL_ADDRESS", "AU_TFN"}


def test_when_spans_touch_without_overlap_then_not_found() -> None:
    post = _post("ab 0412 345 678", [("PHONE_NUMBER", "0412 345 678")], [])
    start = post.planted[0].start
    assert score([post], [[("PHONE_NUMBER", 0, start)]]).entities["PHONE_NUMBER"].found == 0


def test_when_percentile_then_nearest_rank() -> None:
    values = [float(i) for i in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([3.0], 99) == 3.0


def _result(system: str, rate: float, p99: float, rss: float,
            recall: dict[str, tuple[int, int]]) -> SystemResult:
    return SystemResult(system=system, posts_per_s=rate, p99_ms=p99, peak_rss_mb=rss,
                        supported=list(recall), recall=recall)


def test_when_targets_judged_then_each_verdict_follows_the_figures() -> None:
    pii = _result("commsguard-pii", 9000, 0.5, 60, {"AU_TFN": (9, 10), "PASSPORT": (5, 10)})
    ref = _result("presidio", 800, 4.0, 120, {"AU_TFN": (10, 10)})
    rules = _result("commsguard-rules", 2000, 6.0, 90, {})
    full = _result("commsguard-full", 600, 12.0, 520, {})
    verdicts = {(t.system, t.what): t.met for t in targets([pii, ref, rules, full])}
    assert verdicts[("commsguard-pii", "throughput vs Presidio")] is True  # 11.25x
    assert verdicts[("commsguard-pii", "recall vs Presidio, every entity")] is False  # TFN
    assert verdicts[("commsguard-pii", "p99 latency")] is True
    assert verdicts[("commsguard-pii", "peak RSS")] is True
    assert verdicts[("commsguard-rules", "throughput")] is False  # < 2,500 without the model
    assert verdicts[("commsguard-rules", "p99 latency")] is False
    assert verdicts[("commsguard-rules", "peak RSS")] is True
    assert verdicts[("commsguard-full", "throughput")] is True  # >= 500 with it
    assert verdicts[("commsguard-full", "p99 latency")] is False  # > 10 ms
    assert verdicts[("commsguard-full", "peak RSS")] is False  # > 500 MB


def test_when_presidio_not_run_then_relative_targets_are_not_judged() -> None:
    pii = _result("commsguard-pii", 9000, 0.5, 60, {"AU_TFN": (9, 10)})
    missing = SystemResult(system="presidio", error="not installed")
    verdicts = {t.what: t.met for t in targets([pii, missing])}
    assert verdicts["throughput vs Presidio"] is None
    assert verdicts["recall vs Presidio, every entity"] is None


def test_when_bench_runs_commsguard_only_then_it_prints_the_columns() -> None:
    result = CliRunner().invoke(app, ["bench", "--posts", "200", "--only", "commsguard"])
    assert result.exit_code == 0, result.output
    out = result.output
    for column in ("system", "posts/s", "p50 ms", "p99 ms", "peak RSS MB", "PHONE", "TFN",
                   "BANK", "targets"):
        assert column in out
    assert "commsguard, full pack" in out
    assert "Presidio" not in out.split("targets")[0]


def test_when_presidio_installed_then_its_runner_finds_australian_entities() -> None:
    pytest.importorskip("presidio_analyzer",
                        reason="Presidio is a bench-only extra: pip install -e '.[bench]'")
    pytest.importorskip("spacy", reason="spaCy is a bench-only extra: pip install -e '.[bench]'")
    from commsguard.benchmark.presidio_runner import PresidioRunner

    runner = PresidioRunner()
    found = runner.one("Call me on 0412 345 678 or email jo.smith@gmail.com, ABN 51 824 753 556")
    assert {"PHONE_NUMBER", "EMAIL_ADDRESS", "AU_ABN"} <= {e for e, _, _ in found}
