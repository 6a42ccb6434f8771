"""The "People" page: the people register for managers (their team) and administrators
(everyone, and a CSV upload whose rows with problems are named by line)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from commsguard.web.deps import Admin, Principal, SessionDep, require_roles
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.workflows import audit
from commsguard.workflows import people as wf

router = APIRouter()
PEOPLE_PAGE: tuple[str, ...] = ("manager", "admin")
register(NavItem("People", "/people", roles=PEOPLE_PAGE, order=77))
PeopleViewer = Annotated[Principal, Depends(require_roles(*PEOPLE_PAGE))]
MAX_CSV_BYTES = 5_000_000


def _page(request: Request, principal: Principal, session: SessionDep,
          report: wf.ImportReport | None = None, error: str = "", status: int = 200
          ) -> Response:
    team = principal.username if principal.role == "manager" else None
    rows = wf.list_people(session, manager=team, include_former=True)
    audit.append(session, actor=principal.username, action="people.view",
                 target=f"team:{team or '*'}", detail={"shown": len(rows)})
    return render(request, "people.html", {
        "people": rows, "team": team, "current": wf.is_current, "report": report,
        "error": error, "can_import": principal.role == "admin",
        "former": sum(1 for p in rows if not wf.is_current(p)),
    }, status=status)


@router.get("/people")
def people_page(request: Request, principal: PeopleViewer, session: SessionDep) -> Response:
    return _page(request, principal, session)


@router.post("/people/import")
async def people_import(
    request: Request, principal: Admin, session: SessionDep,
    csv_file: Annotated[UploadFile, File()],
) -> Response:
    data = await csv_file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        return _page(request, principal, session, error="The file is over 5 MB.", status=413)
    try:
        text = data.decode("utf-8-sig")
        report = wf.import_people(session, text=text, actor=principal.username,
                                  source=csv_file.filename or "upload")
    except UnicodeDecodeError:
        return _page(request, principal, session, error="The file is not UTF-8 text.",
                     status=422)
    except wf.PeopleError as exc:
        return _page(request, principal, session, error=str(exc), status=422)
    return _page(request, principal, session, report=report,
                 status=200 if not report.errors else 422)
