"""gateway: each refresh token carries its login's absolute end (SIPD_SESSION_MAX_HOURS)

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("refresh_token", sa.Column("session_expires_at", sa.DateTime(timezone=True)))
    # the sessions open now end as their first token said they would, at the latest
    op.execute("""UPDATE refresh_token t SET session_expires_at = f.first + interval '168 hours'
                  FROM (SELECT family_id, min(issued_at) AS first FROM refresh_token GROUP BY family_id) f
                  WHERE f.family_id = t.family_id""")
    op.alter_column("refresh_token", "session_expires_at", nullable=False)


def downgrade() -> None:
    op.drop_column("refresh_token", "session_expires_at")
