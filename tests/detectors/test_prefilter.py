"""The Hyperscan prefilter must never change what the pattern lists find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commsguard.detectors.gazetteer import LinePatterns
from commsguard.detectors.prefilter import Prefilter, as_bytes, translate
from commsguard.engine import Engine
from commsguard.evaluation import evaluation_engine, load_dataset
from commsguard.policy import load_pack

pytest.importorskip("hyperscan")

EVAL = Path(__file__).resolve().parents[2] / "eval"

PATTERNS = [
    r"shut\s+up",
    r"you(?:'re|\s+are)\s+(?:an?\s+)?(?:idiot|disgrace)",
    r"\bcafé\b",
    r"don[’']t\s+tell",
    r"[^a-z\s]{2}x",
    r"case\s+\d{4}/\d{3,5}",
    r"(?<!not\s)great\s+job",
    r"\w+ing\s+(?:the\s+)?premier",
    r"x*",  # matches the empty string: never ruled out
]
TEXTS = [
    "Oh SHUT   UP already",
    "you're an idiot and you are a disgrace",
    "Meet at the café, or the CAFÉ? cafés",
    "don’t tell anyone, don't tell",
    "€€x and ??x and ¡¡x",
    "see case 2024/7712 and case ２０２４/１２３",
    "not great job / great job",
    "attacking the premier, fighting premier",
    "nothing here at all",
    "naïve ÉTÉ — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 shut\u2003up",
]


def _lists(prefilter: Prefilter | None) -> list[LinePatterns]:
    return [LinePatterns(PATTERNS[i : i + 3], prefilter) for i in range(0, len(PATTERNS), 3)]


def _found(lists: list[LinePatterns], text: str) -> list[list[tuple[int, int, str]]]:
    out = []
    for lp in lists:
        out.append([(m.start(), m.end(), m.group()) for m in lp.finditer(text)])
        out.append([(m.start(), m.end(), m.group()) for m in lp.finditer(text, 3, len(text) - 4)])
    return out


def test_filtered_lists_find_exactly_what_plain_lists_find() -> None:
    prefilter = Prefilter(compile_after=0)
    filtered, plain = _lists(prefilter), _lists(None)
    for text in TEXTS:
        assert _found(filtered, text) == _found(plain, text), text
    assert prefilter.active


def test_a_list_that_cannot_match_is_not_run() -> None:
    prefilter = Prefilter(compile_after=0)
    lp = LinePatterns([r"shut\s+up", r"get\s+a\s+life"], prefilter)
    assert lp.regex_for("have a nice day") is None
    assert lp.regex_for("get   a life") is not None
    assert [m.group() for m in lp.finditer("Get a LIFE")] == ["get a life"]


def test_loosened_patterns_match_at_least_what_python_matches() -> None:
    hyperscan = pytest.importorskip("hyperscan")
    from re import _parser  # type: ignore[attr-defined]

    for pattern in PATTERNS[:-1]:
        loose = translate(_parser.parse(pattern, 0))
        db = hyperscan.Database()
        db.compile(expressions=[loose.pattern.encode()], ids=[0], elements=1,
                   flags=hyperscan.HS_FLAG_DOTALL)
        for text in TEXTS:
            low = text.lower()
            hits: list[int] = []
            db.scan(as_bytes(low), match_event_handler=lambda *a, h=hits: h.append(1))
            if re.search(pattern, low):
                assert hits, (pattern, text)


def test_long_patterns_are_cut_to_a_prefix() -> None:
    from re import _parser  # type: ignore[attr-defined]

    loose = translate(_parser.parse("abcdefghij", 0), budget=4)
    assert (loose.pattern, loose.complete) == ("abcd", False)


def test_until_compiled_nothing_is_ruled_out() -> None:
    prefilter = Prefilter(compile_after=2)
    prefilter.add(r"shut\s+up")
    assert prefilter.possible("a") is None
    assert prefilter.possible("b") is None
    assert prefilter.possible("c") == frozenset()
    assert prefilter.possible("shut up") == frozenset({0})


@pytest.mark.parametrize("name", ["dev", "fresh"])
def test_engine_results_are_the_same_with_and_without_the_prefilter(name: str) -> None:
    messages = [e.message for e in load_dataset(EVAL / f"{name}.jsonl")]
    pack = load_pack()
    filtered = evaluation_engine(pack).warm()
    assert filtered.context.prefilter.active
    plain = evaluation_engine(pack)
    plain.context.prefilter.enabled = False
    assert isinstance(plain, Engine)
    got = [r.to_dict(explain=True) for r in filtered.check_many(messages, explain=True)]
    want = [r.to_dict(explain=True) for r in plain.check_many(messages, explain=True)]
    assert got == want


def test_patterns_hyperscan_refuses_or_cannot_filter_are_never_ruled_out() -> None:
    from commsguard.detectors.prefilter import _compile

    db, refused = _compile(((0, "abc"), (1, "(")))
    assert db is not None and refused == frozenset({1})
    prefilter = Prefilter(compile_after=0)
    ignorecase = prefilter.add(r"(?i)shout")
    empty = prefilter.add(r"(?:shout)?")
    plain = prefilter.add(r"shout")
    assert prefilter.possible("nothing at all") == frozenset({ignorecase, empty})
    assert prefilter.possible("shout") == frozenset({ignorecase, empty, plain})
