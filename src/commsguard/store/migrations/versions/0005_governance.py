"""governance: reports, cases, attestation, people

Revision ID: 0005
Revises: 0004

The tables of the governance workflows (issue: workflows): people and their oaths, cases
(reports of inappropriate content and harassment complaints) with their files and messages,
attestations, the "is this social media?" queue and office post approvals.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _case_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("manager", sa.String(200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_people_manager", "people", ["manager"])
    op.create_table(
        "oaths",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("witness", sa.String(200), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_oaths_person_id", "oaths", ["person_id"])
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("reporter", sa.String(200), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("excluded", sa.Text(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("closed_at", _TS, nullable=True),
    )
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_table(
        "content_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False, unique=True),
        sa.Column("urls", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        _case_fk(),
    )
    op.create_table(
        "case_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        _case_fk(),
    )
    op.create_index("ix_case_files_case_id", "case_files", ["case_id"])
    op.create_table(
        "case_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        _case_fk(),
    )
    op.create_index("ix_case_messages_case_id", "case_messages", ["case_id"])
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False, unique=True),
        sa.Column("conduct", sa.String(30), nullable=False),
        sa.Column("platform", sa.String(100), nullable=False),
        sa.Column("urls", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("related_policy", sa.String(200), nullable=False),
        sa.Column("investigator", sa.String(200), nullable=True),
        sa.Column("finding", sa.String(30), nullable=False),
        sa.Column("investigation", sa.Text(), nullable=False),
        _case_fk(),
    )
    op.create_table(
        "attestations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("pack_name", sa.String(200), nullable=False),
        sa.Column("pack_version", sa.String(50), nullable=False),
        sa.Column("attested_at", _TS, nullable=False),
        sa.Column("quiz_score", sa.Integer(), nullable=True),
        sa.Column("quiz_total", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_attestations_person", "attestations", ["person_id", "attested_at"])
    op.create_table(
        "site_questions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("domain", sa.String(300), nullable=False, unique=True),
        sa.Column("asked_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("answer", sa.String(60), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.String(200), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("answered_at", _TS, nullable=True),
    )
    op.create_table(
        "post_approvals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("approver", sa.String(200), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("decided_at", _TS, nullable=True),
    )
    op.create_index("ix_post_approvals_status", "post_approvals", ["status"])
    op.create_index("ix_post_approvals_author", "post_approvals", ["author"])


def downgrade() -> None:
    for table in (
        "post_approvals", "site_questions", "attestations", "complaints", "case_messages",
        "case_files", "content_reports", "cases", "oaths", "people",
    ):
        op.drop_table(table)
