"""referensi: the audit trail of every write (sipd_common.audit)

Revision ID: 0002
Revises: 0001
"""
from sipd_common.migrations import create_audit_table as upgrade, drop_audit_table as downgrade  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None
