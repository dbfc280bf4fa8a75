"""What the published RKPD reads, reached as ``uow.publikasi``: the per-urusan totals of enacted snapshots,
summed in the database (a national page reads hundreds of them)."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_PER_URUSAN = text("""
    SELECT s.id::text AS id, e->>'kode_bidang_urusan' AS kode_bidang_urusan, max(e->>'nama_bidang_urusan') AS nama_bidang_urusan,
           count(*) AS jumlah_sub_kegiatan, sum((e->>'pagu_indikatif')::numeric) AS pagu_indikatif
      FROM perencanaan.jadwal_snapshot s CROSS JOIN LATERAL jsonb_array_elements(s.items) e
     WHERE s.id = ANY(CAST(:ids AS uuid[])) AND NOT coalesce((e->>'dihapus')::boolean, false)
     GROUP BY s.id, e->>'kode_bidang_urusan'
     ORDER BY s.id, e->>'kode_bidang_urusan'
""")
_INFO = text("""
    SELECT id::text AS id, kode_pemda, tahun, kode_tahap, hash, dibuat_at FROM perencanaan.jadwal_snapshot
     WHERE id = ANY(CAST(:ids AS uuid[]))
""")


class PublikasiRepository:
    def __init__(self, session: Session):
        self.session = session

    def ringkasan(self, snapshot_ids: list[str]) -> list[dict]:
        """Per snapshot: its header and its pagu indikatif per bidang urusan (``urusan``)."""
        if not snapshot_ids:
            return []
        found = {r.id: {**r._mapping, "urusan": []} for r in self.session.execute(_INFO, {"ids": snapshot_ids})}
        for r in self.session.execute(_PER_URUSAN, {"ids": snapshot_ids}):
            found[r.id]["urusan"].append({k: v for k, v in r._mapping.items() if k != "id"})
        return [found[i] for i in snapshot_ids if i in found]
