"""service: users, sessions, API tokens, audit log

Revision ID: 0002
Revises: 0001

Reserved in the chain so that each area can add its tables here without racing for revision
ids; empty until that area needs a schema change.
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
