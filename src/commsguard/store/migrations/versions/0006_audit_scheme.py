"""audit: versioned hash scheme

Revision ID: 0006
Revises: 0005

Each audit entry records the scheme its hash was made with: 1, SHA-256 over the previous hash
and the entry (every entry written before this revision, still verifiable as they are); 2,
HMAC-SHA256 under a key derived from the installation secret (issue #12).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("scheme", sa.SmallInteger(), nullable=False,
                                   server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("scheme")
