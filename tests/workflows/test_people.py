"""People: CSV import with errors named by line, former staff kept, oaths."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from commsguard.store.db import session_scope
from commsguard.workflows import people

CSV = """username,name,email,kind,manager,start_date,end_date
jo.bloggs,Jo Bloggs,jo@vo.example,employee,morgan,2023-02-01,
pat.lee,Pat Lee,pat@vo.example,student,jo.bloggs,2025-02-01,2025-06-30
,No Name,x@vo.example,employee,,2024-01-01,
kim,Kim,kim@vo.example,intern,,2024-01-01,
lou,Lou,lou@vo.example,contractor,nobody,2024-01-01,
ray,Ray,ray@vo.example,consultant,,2024-05-01,2024-04-01
"""


def test_when_csv_imported_then_rows_added_and_bad_rows_named_by_line(db: Engine) -> None:
    with session_scope(db) as s:
        report = people.import_people(s, text=CSV, actor="root", source="staff.csv")
    assert (report.added, report.updated) == (2, 0)
    assert [(e.line, e.reason.split(" ")[0]) for e in report.errors] == [
        (4, "username"), (5, "kind"), (6, "manager"), (7, "end_date")]
    with session_scope(db) as s:
        pat = people.by_username(s, "pat.lee")
        assert pat is not None and pat.manager == "jo.bloggs" and pat.kind == "student"
        assert not people.is_current(pat)  # former staff are kept
        assert people.by_username(s, "lou") is None  # reported and skipped, not half-stored
        team = [p.username for p in people.list_people(s, manager="morgan")]
        assert "jo.bloggs" in team and "alex" in team


def test_when_imported_again_then_updated_not_duplicated(db: Engine) -> None:
    with session_scope(db) as s:
        people.import_people(s, text=CSV, actor="root")
        again = people.import_people(s, text=CSV.replace("Jo Bloggs", "Jo Bloggs-Smith"),
                                     actor="root")
    assert (again.added, again.updated) == (0, 2)
    with session_scope(db) as s:
        jo = people.by_username(s, "jo.bloggs")
        assert jo is not None and jo.name == "Jo Bloggs-Smith"


def test_when_a_manager_row_is_skipped_then_its_reports_are_skipped_too(db: Engine) -> None:
    csv_text = (
        "username,name,email,kind,manager,start_date,end_date\n"
        "dee,Dee,,employee,ghost,2024-01-01,\n"      # line 2: unknown manager
        "ash,Ash,,employee,dee,2024-01-01,\n"        # line 3: manager skipped above
        "bo,Bo,,employee,bo,2024-01-01,\n"           # line 4: their own manager
        "cy,Cy,,employee,alex,2024-01-01,\n"         # line 5: manager already known
    )
    with session_scope(db) as s:
        report = people.import_people(s, text=csv_text, actor="root")
    assert report.added == 1
    assert [(e.line, "own manager" in e.reason) for e in report.errors] == [
        (2, False), (3, False), (4, True)]
    with session_scope(db) as s:
        assert [people.by_username(s, u) is None for u in ("dee", "ash", "bo")] == [True] * 3
        cy = people.by_username(s, "cy")
        assert cy is not None and cy.manager == "alex"


def test_when_header_wrong_then_error_names_line_one(db: Engine) -> None:
    with session_scope(db) as s, pytest.raises(people.PeopleError, match=r"^x.csv:1: .*kind"):
        people.import_people(s, text="username,name,start_date\n", actor="root", source="x.csv")


def test_when_oath_recorded_then_kept_per_person(db: Engine) -> None:
    with session_scope(db) as s:
        alex = people.by_username(s, "alex")
        assert alex is not None
        people.record_oath(s, person=alex, kind="affirmation", taken_on=date(2024, 1, 2),
                           actor="root", witness="The Deputy Ombudsman")
        with pytest.raises(people.PeopleError, match="before"):
            people.record_oath(s, person=alex, kind="oath", taken_on=date(2023, 1, 1),
                               actor="root")
        with pytest.raises(people.PeopleError, match="oath or affirmation"):
            people.record_oath(s, person=alex, kind="promise", taken_on=date(2024, 1, 2),
                               actor="root")
        [oath] = people.oaths_of(s, alex)
        assert oath.kind == "affirmation" and oath.recorded_by == "root"
