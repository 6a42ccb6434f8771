"""Strings to integer codes for a whole column at once, learning new strings as they come.

The sessioniser turns every request's host into a site code and every user (or client
address) into a person code. A Python dictionary handed to ``replace_strict`` is copied into
polars on every call, which costs as much as the distinct values seen so far: fine for twenty
hosts, ruinous for the tens of thousands a real proxy sees in a day. Instead each
:class:`CodeTable` owns a polars ``Categories`` (a string-to-id table that lives as long as the
table does): casting a column to it is one hash probe per row however many strings are known,
and the ids index an array of codes. Only strings never seen before reach Python, once each.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import polars as pl

_UNSET = np.iinfo(np.int64).min


class CodeTable:
    """Codes for strings, from ``resolve`` (called once per distinct string)."""

    def __init__(self, resolve: Callable[[str], int]) -> None:
        self.resolve = resolve
        # A Categories is only a weak reference to its string-to-id table, which lives as long
        # as some data of its type does: the empty anchor keeps the ids stable across chunks.
        self._dtype = pl.Categorical(pl.Categories.random())
        self._anchor = pl.Series("anchor", [], dtype=self._dtype)
        self._codes: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self._series = pl.Series(self._codes)

    def __len__(self) -> int:
        return int(self._codes.size)

    def codes(self, values: pl.Series) -> pl.Series:
        """An Int64 code per value (null stays null), learning the values not seen before."""
        ids = values.cast(pl.String).cast(self._dtype).to_physical()
        top = ids.max()
        if top is not None and int(top) >= self._codes.size:  # type: ignore[arg-type]
            self._learn(values, ids, int(top))  # type: ignore[arg-type]
        return self._series.gather(ids).rename(values.name)

    def _learn(self, values: pl.Series, ids: pl.Series, top: int) -> None:
        known = self._codes.size
        grown = np.full(top + 1, _UNSET, dtype=np.int64)
        grown[:known] = self._codes
        fresh = pl.DataFrame({"value": values.cast(pl.String), "id": ids}).filter(
            pl.col("id") >= known
        )
        for value, at in fresh.unique("id").iter_rows():
            grown[at] = self.resolve(value)
        if (grown == _UNSET).any():  # ids are handed out in order: every new one is here
            raise RuntimeError("a category id was handed out for a value this table never saw")
        self._codes = grown
        self._series = pl.Series(grown)
