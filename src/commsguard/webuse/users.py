"""Who made a request: the proxy user name, or the client IP mapped through DHCP leases.

A mapping CSV has a ``person`` column and either ``username`` (an alias: proxy account ->
person) or ``ip`` with optional ``start`` and ``end`` (ISO 8601 or epoch; empty means open),
for addresses handed out by DHCP. ISC ``dhcpd.leases`` files are read too (the person is the
lease's ``client-hostname``, or its ``uid``). Requests with neither a user nor a mapped IP are
attributed to the client IP itself, so nothing is dropped.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from commsguard.errors import InputError
from commsguard.webuse.readers.base import parse_time

_LEASE = re.compile(r"lease\s+(\S+)\s*\{(.*?)\}", re.S)
_LEASE_TIME = re.compile(r"\b(starts|ends)\s+\d\s+(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2});")
_LEASE_WHO = re.compile(r'\b(client-hostname|uid)\s+"([^"]*)";')
_OPEN_END = 4.0e12


def normalise_user(name: str) -> str:
    """A proxy user name as a person key: lower case, without a ``DOMAIN\\`` prefix."""
    return name.strip().rsplit("\\", 1)[-1].lower()


@dataclass
class UserMap:
    """Proxy user aliases and IP leases (with time ranges) to person names."""

    aliases: dict[str, str] = field(default_factory=dict)
    leases: list[tuple[str, float, float, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> UserMap:
        """Read a mapping CSV or an ISC ``dhcpd.leases`` file."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise InputError(f"{path}: cannot read the user mapping: {e}") from e
        if path.suffix == ".leases" or text.lstrip().startswith(("lease ", "#")):
            return cls(leases=_dhcp_leases(text))
        return cls._from_csv(path, text)

    @classmethod
    def _from_csv(cls, path: Path, text: str) -> UserMap:
        rows = list(csv.DictReader(text.splitlines()))
        if not rows or "person" not in rows[0]:
            raise InputError(f"{path}: a user mapping needs a 'person' column")
        out = cls()
        for n, row in enumerate(rows, 2):
            person = (row.get("person") or "").strip()
            if not person:
                raise InputError(f"{path}:{n}: empty person")
            if (row.get("username") or "").strip():
                out.aliases[normalise_user(row["username"])] = person
            if (row.get("ip") or "").strip():
                start = parse_time(row.get("start") or "") or 0.0
                end = parse_time(row.get("end") or "") or _OPEN_END
                if end <= start:
                    raise InputError(f"{path}:{n}: lease ends before it starts")
                out.leases.append((row["ip"].strip(), start, end, person))
        return out

    def resolve(self, hits: pl.DataFrame) -> pl.DataFrame:
        """``hits`` with a ``person`` column: alias of the user, else the lease, else the IP."""
        users = hits["user"].drop_nulls().unique().to_list()
        names = {u: self.aliases.get(normalise_user(u), normalise_user(u)) for u in users}
        person = pl.col("user").replace_strict(names, default=None, return_dtype=pl.String)
        out = hits.with_columns(person=person)
        if self.leases:
            leases = pl.DataFrame(
                self.leases,
                schema={
                    "client": pl.String,
                    "l_start": pl.Float64,
                    "l_end": pl.Float64,
                    "l_person": pl.String,
                },
                orient="row",
            ).sort("l_start")
            out = (
                out.with_row_index("_row")
                .sort("t")
                .join_asof(
                    leases,
                    left_on="t",
                    right_on="l_start",
                    by="client",
                    strategy="backward",
                    check_sortedness=False,
                )
                .sort("_row")
                .with_columns(
                    person=pl.coalesce(
                        "person",
                        pl.when(pl.col("t") < pl.col("l_end")).then(pl.col("l_person")),
                    )
                )
                .drop("_row", "l_start", "l_end", "l_person")
            )
        return out.with_columns(person=pl.coalesce("person", "client"))


def _dhcp_leases(text: str) -> list[tuple[str, float, float, str]]:
    out: list[tuple[str, float, float, str]] = []
    for ip, body in _LEASE.findall(text):
        times = {k: _lease_time(v) for k, v in _LEASE_TIME.findall(body)}
        who = dict(_LEASE_WHO.findall(body))
        person = who.get("client-hostname") or who.get("uid")
        if person:
            out.append((ip, times.get("starts", 0.0), times.get("ends", _OPEN_END), person))
    return out


def _lease_time(text: str) -> float:
    return datetime.strptime(text, "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
