"""The navigation bar as data: a page registers its entry, with the roles that see it.

Later areas add entries with :func:`register` (e.g. ``register(NavItem("Cases", "/cases",
roles=("reviewer",)))``) and the base layout shows each user the entries their role allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from commsguard.store.tables import ROLES


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    path: str
    #: Roles that see the entry; everyone signed in if empty.
    roles: tuple[str, ...] = ()
    #: Lower comes first.
    order: int = 100

    def visible_to(self, role: str) -> bool:
        return not self.roles or role in self.roles


NAV: list[NavItem] = []


def register(item: NavItem) -> None:
    if any(n.path == item.path for n in NAV):
        return
    unknown = [r for r in item.roles if r not in ROLES]
    if unknown:
        raise ValueError(f"nav entry {item.label!r}: unknown role {unknown[0]!r}")
    NAV.append(item)
    NAV.sort(key=lambda n: (n.order, n.label))


def for_role(role: str) -> list[NavItem]:
    return [n for n in NAV if n.visible_to(role)]
