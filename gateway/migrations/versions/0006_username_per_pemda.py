"""gateway: a username is unique within its pemda, not nationally (a name taken in another pemda does not reveal itself)

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("users_username_key", "users", type_="unique")
    op.create_unique_constraint("users_username_per_pemda", "users", ["kode_pemda", "username"],
                                postgresql_nulls_not_distinct=True)
    op.create_index("users_username", "users", ["username"])


def downgrade() -> None:
    op.drop_index("users_username", "users")
    op.drop_constraint("users_username_per_pemda", "users", type_="unique")
    op.create_unique_constraint("users_username_key", "users", ["username"])
