"""work resources: web use

Revision ID: 0004
Revises: 0003

Proxy logs read by ``commsguard webuse ingest`` (one row per file digest) and the sessions
sessionised from them (one row per person, site and start). Over-threshold days become
``work-resources`` findings in the review queue (``messages`` and ``findings``, origin
``webuse``); unknown sites go to the ``site_questions`` queue of migration 0005.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webuse_ingests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.BigInteger(), nullable=False),
        sa.Column("parsed", sa.BigInteger(), nullable=False),
        sa.Column("malformed", sa.BigInteger(), nullable=False),
        sa.Column("samples", sa.JSON(), nullable=False),
        sa.Column("ingested_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "webuse_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person", sa.String(300), nullable=False),
        sa.Column("site", sa.String(300), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("end", sa.Float(), nullable=False),
        sa.Column("hits", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("person", "site", "start", name="uq_webuse_session"),
    )
    op.create_index("ix_webuse_sessions_start", "webuse_sessions", ["start"])


def downgrade() -> None:
    op.drop_index("ix_webuse_sessions_start", table_name="webuse_sessions")
    op.drop_table("webuse_sessions")
    op.drop_table("webuse_ingests")
