"""Code tables: the same string gets the same code in every chunk, resolved once."""

from __future__ import annotations

import gc

import polars as pl

from commsguard.webuse.codes import CodeTable


def test_when_chunks_repeat_values_then_same_codes_and_one_resolve_each() -> None:
    asked: list[str] = []

    def resolve(value: str) -> int:
        asked.append(value)
        return 100 + len(asked)

    table = CodeTable(resolve)
    first = table.codes(pl.Series("h", ["a.com", "b.com", "a.com"]))
    gc.collect()  # the table's ids must outlive the chunks cast with them
    second = table.codes(pl.Series("h", [None, "c.com", "b.com", "a.com"], dtype=pl.String))
    code = dict(zip(asked, range(101, 101 + len(asked)), strict=True))
    assert sorted(asked) == ["a.com", "b.com", "c.com"]
    assert first.to_list() == [code["a.com"], code["b.com"], code["a.com"]]
    assert second.to_list() == [None, code["c.com"], code["b.com"], code["a.com"]]
    assert second.name == "h" and second.dtype == pl.Int64
    assert len(table) == 3


def test_when_two_tables_then_codes_independent() -> None:
    one, two = CodeTable(lambda v: 1), CodeTable(lambda v: 2)
    values = pl.Series(["x", "y"])
    assert one.codes(values).to_list() == [1, 1]
    assert two.codes(values.reverse()).to_list() == [2, 2]
    assert len(one) == len(two) == 2


def test_when_many_distinct_values_then_each_maps_to_its_own_code() -> None:
    table = CodeTable(lambda v: int(v[1:]))
    for start in range(0, 30_000, 10_000):
        batch = pl.Series([f"h{i}" for i in range(start + 10_000 - 1, start - 1, -1)])
        assert table.codes(batch).to_list() == list(range(start + 10_000 - 1, start - 1, -1))
    assert table.codes(pl.Series(["h5", "h29999"])).to_list() == [5, 29_999]


def test_when_all_null_or_empty_then_nothing_learned() -> None:
    table = CodeTable(lambda v: 1)
    assert table.codes(pl.Series([None, None], dtype=pl.String)).to_list() == [None, None]
    assert table.codes(pl.Series([], dtype=pl.String)).to_list() == []
    assert len(table) == 0
