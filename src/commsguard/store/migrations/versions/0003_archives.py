"""archives: scan bookkeeping

Revision ID: 0003
Revises: 0002

Reserved in the chain so that each area can add its tables here without racing for revision
ids; empty until that area needs a schema change.
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
