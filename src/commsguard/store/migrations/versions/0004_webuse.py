"""work resources: web use

Revision ID: 0004
Revises: 0003

Reserved in the chain so that each area can add its tables here without racing for revision
ids; empty until that area needs a schema change.
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
