"""pemerintahan's schema: the tables of every sub-domain on one metadata (what its migrations create)."""
from sqlalchemy import MetaData

from sipd_common.audit import add_audit_table
from sipd_common.idempotency import add_idempotency_table
from sipd_common.tables import add_messaging_tables

metadata = MetaData()
add_messaging_tables(metadata)
add_audit_table(metadata)
add_idempotency_table(metadata)
