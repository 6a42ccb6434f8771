from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from commsguard.errors import InputError
from commsguard.webuse.readers.base import HIT_SCHEMA
from commsguard.webuse.users import UserMap, normalise_user


def hits(rows: list[tuple[float, str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(t, c, u, "GET", "x.com", 200, 1) for t, c, u in rows], schema=HIT_SCHEMA, orient="row"
    )


@pytest.mark.parametrize(
    ("name", "person"), [("CORP\\Alice", "alice"), ("Bob", "bob"), ("c@x.org", "c@x.org")]
)
def test_when_user_name_normalised_then_lower_case_without_domain(name: str, person: str) -> None:
    assert normalise_user(name) == person


def test_when_dhcp_leases_then_ip_maps_by_time(tmp_path: Path) -> None:
    path = tmp_path / "dhcpd.leases"
    path.write_text(
        """# ISC dhcpd
lease 10.0.0.7 {
  starts 2 2024/03/04 22:00:00;
  ends 2 2024/03/05 01:00:00;
  client-hostname "bob-laptop";
}
lease 10.0.0.7 {
  starts 2 2024/03/05 01:00:00;
  ends 2 2024/03/05 09:00:00;
  uid "carol-phone";
}
""",
        encoding="utf-8",
    )
    users = UserMap.load(path)
    t = 1709593200.0  # 2024-03-04 23:00 UTC
    out = users.resolve(
        hits(
            [
                (t, "10.0.0.7", None),
                (t + 3 * 3600, "10.0.0.7", None),
                (t + 20 * 3600, "10.0.0.7", None),
                (t, "10.0.0.8", "Dan"),
            ]
        )
    )
    assert out["person"].to_list() == ["bob-laptop", "carol-phone", "10.0.0.7", "dan"]


def test_when_mapping_has_no_person_column_then_error(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("ip,name\n10.0.0.1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="'person' column"):
        UserMap.load(path)


def test_when_lease_ends_before_start_then_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "person,ip,start,end\nx,10.0.0.1,2024-03-05T10:00Z,2024-03-05T09:00Z\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"m.csv:2: lease ends before it starts"):
        UserMap.load(path)
