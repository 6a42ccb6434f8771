"""Work resources: social media use from web proxy logs, against "occasional and brief".

The flow is one way: log file -> reader (``readers``) -> :class:`Sessioniser` -> sessions ->
:func:`annotate` (category, minutes, day, working hours) -> :func:`daily_rows` for reports and
:func:`webuse_findings` for the review queue. The taxonomy (``social_media.yaml``) and the
thresholds (``webuse.yaml``) are pack data.

For other layers:

- review queue: ``webuse_findings(sessions, business_use=...) -> list[WebUseFinding]``, each
  carrying person, date, site(s), the sessions and a ``work-resources`` :class:`Finding`;
- web page "Is this social media?": ``classify(url_or_domain) -> Classification``;
- charts: ``daily_rows(annotate(sessions, ...), person=..., week=...)``;
- sessions kept by ``commsguard webuse ingest`` (database tables of migration 0004):
  ``load_sessions(session)``; findings to the review queue: ``save_findings(session, ...)``.
"""

from __future__ import annotations

from commsguard.webuse.config import WebUseConfig, load_config
from commsguard.webuse.findings import SessionEvidence, WebUseFinding, webuse_findings
from commsguard.webuse.pipeline import IngestResult, ingest_logs
from commsguard.webuse.readers import READERS, CsvMapping, ReadStats, detect_format, get_reader
from commsguard.webuse.sessions import (
    Sessioniser,
    annotate,
    daily_rows,
    merge_sessions,
    report_records,
    unknown_sites,
)
from commsguard.webuse.store import load_sessions, save_findings, save_ingest
from commsguard.webuse.taxonomy import (
    BusinessUse,
    Classification,
    Taxonomy,
    business_use_from_register,
    classify,
    default_taxonomy,
    load_taxonomy,
)
from commsguard.webuse.users import UserMap

__all__ = [
    "READERS",
    "BusinessUse",
    "Classification",
    "CsvMapping",
    "IngestResult",
    "ReadStats",
    "SessionEvidence",
    "Sessioniser",
    "Taxonomy",
    "UserMap",
    "WebUseConfig",
    "WebUseFinding",
    "annotate",
    "business_use_from_register",
    "classify",
    "daily_rows",
    "default_taxonomy",
    "detect_format",
    "get_reader",
    "ingest_logs",
    "load_config",
    "load_sessions",
    "load_taxonomy",
    "merge_sessions",
    "report_records",
    "save_findings",
    "save_ingest",
    "unknown_sites",
    "webuse_findings",
]
