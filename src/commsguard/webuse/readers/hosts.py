"""The host part of proxy URLs, for a whole column at once.

Proxy logs name the target as ``http://host:80/path``, ``https://host/...``, ``host:443``
(``CONNECT``) or ``cache_object://localhost/...``; the host is what follows ``://`` (or the
start) up to the first ``/`` or ``:``, and a bracketed IPv6 literal (``[2001:db8::1]:443``)
keeps its brackets and colons.

The fast way is literal ``find`` and ``slice`` on string views, in two steps so the part after
the scheme is cut once; ``split`` makes a struct of pieces and costs twice as much. But polars'
``find`` counts bytes and ``slice`` counts characters, so text with any non-ASCII character
(an internationalised name, a replaced invalid byte) takes the ``split`` way, which is right
for any text.
"""

from __future__ import annotations

import polars as pl


def with_hosts(frame: pl.DataFrame, url: str = "url", *, ascii: bool = False) -> pl.DataFrame:
    """``frame`` with a ``host`` column cut from its ``url`` column (null where it is null).

    Say ``ascii=True`` only when every ``url`` is known to be ASCII (e.g. ``bytes.isascii()``
    of the block it was read from): then the faster byte-offset way is exact.
    """
    link = pl.col(url)
    if ascii:
        after = link.str.find("://", literal=True).fill_null(-3) + 3
        frame = frame.with_columns(_rest=link.str.slice(after))
        rest = pl.col("_rest")
        frame = frame.with_columns(host=rest.str.slice(0, rest.str.find("[/:]")))
    else:
        scheme = link.str.split_exact("://", 1).struct.field("field_1")
        frame = frame.with_columns(_rest=pl.coalesce(scheme, link))
        rest = pl.col("_rest")
        cut = rest.str.split_exact("/", 1).struct.field("field_0")
        frame = frame.with_columns(host=cut.str.split_exact(":", 1).struct.field("field_0"))
    if frame["host"].str.starts_with("[").any():  # rare: fix up only when there is one
        bracketed = rest.str.split_exact("]", 1).struct.field("field_0") + "]"
        frame = frame.with_columns(
            host=pl.when(rest.str.starts_with("[")).then(bracketed).otherwise(pl.col("host"))
        )
    return frame.drop("_rest")
