"""Shared by the governance routes and pages: workflow errors as HTTP answers, role groups."""

from __future__ import annotations

from fastapi import HTTPException

from commsguard.workflows.attestation import AttestationError
from commsguard.workflows.authorisations import ApprovalDenied, ApprovalError
from commsguard.workflows.cases import CaseDenied, CaseError
from commsguard.workflows.people import PeopleError
from commsguard.workflows.social_media_lookup import SiteLookupError

#: Who handles cases (the Deputy Ombudsman, the COO and their delegates; administrators).
HANDLERS: tuple[str, ...] = ("reviewer", "admin")
#: Who sees a team's attestation: managers for their team; reviewers and admins for all.
TEAM_VIEWERS: tuple[str, ...] = ("manager", "reviewer", "admin")
PEOPLE_ADMINS: tuple[str, ...] = ("admin",)


def http_error(exc: Exception) -> HTTPException:
    """404 for what the person may not see (no enumeration), 403 for what they may not do,
    422 for a request the workflow refuses."""
    if isinstance(exc, CaseDenied):
        return HTTPException(404, str(exc))
    if isinstance(exc, ApprovalDenied):
        return HTTPException(403, str(exc))
    if isinstance(exc, CaseError | ApprovalError | AttestationError | PeopleError
                  | SiteLookupError):
        return HTTPException(422, str(exc))
    raise exc


GOV_ERRORS = (CaseError, ApprovalError, AttestationError, PeopleError, SiteLookupError)
