"""perencanaan's schema: the tables of every sub-domain on one metadata (what its migrations create).

Besides its own (``rkpd``), perencanaan keeps replicas of the codification it checks writes against
(``replika``) and the position of each replica in referensi's event streams (``replika_posisi``).
"""
from sqlalchemy import MetaData

from sipd_common.audit import add_audit_table
from sipd_common.idempotency import add_idempotency_table
from sipd_common.replica import add_replica_table
from sipd_common.tables import add_messaging_tables

metadata = MetaData()
add_messaging_tables(metadata)
add_audit_table(metadata)
add_replica_table(metadata)
add_idempotency_table(metadata)
