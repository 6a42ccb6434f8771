"""Log files in, sessions out: choose a reader, stream its frames into a :class:`Sessioniser`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from commsguard.errors import InputError
from commsguard.webuse.config import WebUseConfig, load_config
from commsguard.webuse.readers import CsvMapping, ReadStats, detect_format, get_reader
from commsguard.webuse.sessions import Sessioniser
from commsguard.webuse.taxonomy import Taxonomy, default_taxonomy
from commsguard.webuse.users import UserMap

#: Called with (path, bytes done, bytes in the file).
FileProgress = Callable[[Path, int, int], None]


@dataclass
class IngestResult:
    """Sessions from the logs, and what each file held (lines, malformed lines and samples)."""

    sessions: pl.DataFrame
    files: list[ReadStats] = field(default_factory=list)
    requests_counted: int = 0
    requests_ignored: int = 0

    @property
    def malformed(self) -> int:
        return sum(f.malformed for f in self.files)

    def to_dict(self) -> dict[str, object]:
        return {
            "sessions": self.sessions.height,
            "requests_counted": self.requests_counted,
            "requests_ignored": self.requests_ignored,
            "malformed": self.malformed,
            "files": [f.to_dict() for f in self.files],
        }


def ingest_logs(
    paths: Sequence[Path],
    *,
    format: str = "auto",
    users: UserMap | None = None,
    config: WebUseConfig | None = None,
    taxonomy: Taxonomy | None = None,
    csv_mapping: CsvMapping | None = None,
    progress: FileProgress | None = None,
) -> IngestResult:
    """Read every log in ``paths`` and sessionise them together."""
    config = config or load_config()
    taxonomy = taxonomy or default_taxonomy()
    sessioniser = Sessioniser(config=config, taxonomy=taxonomy, users=users)
    files: list[ReadStats] = []
    for path in paths:
        name = detect_format(path) if format == "auto" else format
        if name is None:
            raise InputError(f"{path}: cannot tell the log format; name it with --format")
        reader = get_reader(name, csv_mapping=csv_mapping)
        stats = ReadStats(str(path), format=name)
        size = path.stat().st_size

        def tick(done: int, path: Path = path, size: int = size) -> None:
            if progress is not None:
                progress(path, done, size)

        for frame in reader.batches(path, stats, progress=tick):
            sessioniser.add(frame)
        files.append(stats)
    return IngestResult(
        sessions=sessioniser.result(),
        files=files,
        requests_counted=sessioniser.counted,
        requests_ignored=sessioniser.ignored,
    )
