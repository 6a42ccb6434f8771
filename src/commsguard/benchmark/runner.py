"""The contract of a system under test: what the benchmark measures, and how it is fed.

Its own module so that the measuring code (:mod:`.measure`) and the systems it measures
(:mod:`.systems`, :mod:`.presidio_runner`) both import it, and neither imports the other back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from commsguard.benchmark.generate import ENTITIES, Post

#: A finding as the benchmark scores it: (entity, start, end).
Found = tuple[str, int, int]


class Runner:
    """A system under test: built once, then fed prepared inputs."""

    label = ""
    note = ""
    rules = 0
    supported: frozenset[str] = frozenset(ENTITIES)

    def prepare(self, posts: Sequence[Post]) -> list[Any]:
        return list(posts)

    def batch(self, items: Sequence[Any]) -> list[list[Found]]:
        raise NotImplementedError

    def one(self, item: Any) -> list[Found]:
        raise NotImplementedError
