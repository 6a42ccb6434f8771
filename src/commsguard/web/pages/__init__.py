"""Server-rendered pages; one module per area, each with a ``router`` and its nav entries.

To add a page: write ``pages/<area>.py`` with a ``router`` whose routes take a role dependency
from :mod:`commsguard.web.deps` (e.g. ``principal: Reviewer``), render with
:func:`commsguard.web.templating.render`, register its nav entry with
:func:`commsguard.web.nav.register`, and list the module below. Every ``<form method=post>``
carries ``<input type=hidden name=csrf_token value="{{ csrf_token }}">``; htmx requests send it
in the ``X-CSRF-Token`` header (the base layout sets this up).
"""

from __future__ import annotations

from fastapi import APIRouter

from commsguard.web.pages import (
    admin,
    audit,
    auth,
    check,
    dashboard,
    governance,
    people_admin,
    policy_versions,
    quarantine,
    queue,
    site_questions,
    webuse,
)

PAGE_MODULES = (auth, check, queue, dashboard, audit, admin)

#: The governance workflows' pages (their role table: tests/web/test_governance_roles.py).
GOVERNANCE_PAGES = (governance,)
#: Web use from proxy logs (their role table: tests/web/test_webuse_roles.py).
WEBUSE_PAGES = (webuse,)
#: Quarantine, people, the IT site queue, policy versions (tests/web/test_gaps_roles.py).
GAPS_PAGES = (quarantine, people_admin, site_questions, policy_versions)

pages_router = APIRouter(include_in_schema=False)
for module in (*PAGE_MODULES, *GOVERNANCE_PAGES, *WEBUSE_PAGES, *GAPS_PAGES):
    pages_router.include_router(module.router)
