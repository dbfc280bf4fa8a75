"""Import a list into the codification: the use case behind the admin endpoint, the CLI and the seed.

Read the file, check every row, compare with what is current, check the result against the
rest of the codification; then, unless it is a dry run or something is wrong, apply everything
in one transaction with its events. A file with one bad row changes nothing. The same file
twice changes nothing the second time (what is current already is left as it is).

The events: the list's change events (``referensi.<list>.changed.v1``, at most ``BATCH`` records
each), numbered in the list's stream (``urutan``) in the same transaction, a retired record with
its replacements (``kode_pengganti``); and, deprecated, one ``KodeRetired`` per retired code.

``progress(stage, done, total)`` is called as the work advances (``read``, ``compare``,
``apply``, ``publish``): the CLI prints it; inside the service it lets other requests run.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import time
from dataclasses import asdict
from typing import Any, Callable

from pydantic import ValidationError

from contracts import referensi as ev
from contracts.referensi import ImportReport, ImportRequest
from sipd_common.access import Scope
from sipd_common.errors import Invalid
from sipd_common.validation import invalid_from

from .. import policy
from ..kodefikasi import domain as k
from ..replikasi import domain as replikasi
from ..wilayah import domain as wilayah
from sipd_common import berkas
from . import domain as d

Progress = Callable[[str, int, int | None], None]
EXAMPLES = 20
ANALYZE_AFTER = 1000  # changed records after which the list's planner statistics are refreshed


def _nothing(stage: str, done: int, total: int | None = None) -> None:
    pass


def import_file(uow, caller: Scope | None, request: dict, content_base64: str, file_name: str,
                progress: Progress | None = None) -> ImportReport:
    """An import asked over RPC: a CSV or XLSX file (its bytes in base64); the report.

    A refused file is answered with its report too (``errors`` set, nothing applied), not raised:
    Nameko sends an exception's arguments as text, and the report's numbers must stay numbers."""
    imported_by = policy.may_import(caller).username
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid.field("file", "the file content is not base64") from None
    try:
        return run_import(uow, request, content, file_name, imported_by, progress)
    except Invalid as refused:
        if "report" in refused.extra:
            return ImportReport.model_validate(refused.extra["report"])
        raise


def run_import(uow, request: dict | ImportRequest, content: bytes, file_name: str = "upload",
               imported_by: str = "unknown", progress: Progress | None = None) -> ImportReport:
    """Import one file; the report, or ``Invalid`` carrying it (``extra["report"]``, as data)."""
    started = time.perf_counter()
    tick = progress or _nothing
    try:
        req = request if isinstance(request, ImportRequest) else ImportRequest.model_validate(request)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    kind = d.KINDS[req.kind]
    scope = {c: getattr(req, c) for c in kind.scope}
    report = _report(req, file_name, content)

    errors = d.periksa_permintaan(kind, {"kode_pemda": req.kode_pemda, "tahun": req.tahun}, req.versi)
    if errors:
        raise _refused(report, errors, started)

    try:
        header, cells = berkas.baca(content, file_name)
        rows, errors = d.baca(kind, req.mode, header, cells, scope, progress=lambda n: tick("read", n, None))
    except berkas.BerkasTidakTerbaca as exc:
        raise _refused(report, [d.Kesalahan(0, "file", str(exc))], started) from None
    report["rows"] = len(rows)
    tick("read", len(rows), len(rows))
    if errors:
        raise _refused(report, errors, started)

    with uow:
        if not req.dry_run:
            uow.impor.lock_list(kind.name, scope)
        try:
            kode_versi, new_version = d.versi_tujuan(uow.kodefikasi.versions(), req.versi, req.versi_judul,
                                                     req.versi_tanggal, uow.impor.latest_version_used(kind.name, scope),
                                                     req.versi_jenis)
        except k.VersiTidakSah as exc:
            raise _refused(report, [d.Kesalahan(0, "versi", str(exc))], started) from None
        report["versi"], report["versi_baru"] = kode_versi, new_version is not None

        tick("compare", 0, len(rows))
        current = uow.impor.current_records(kind.name, scope)
        tick("compare", 0, len(rows))  # each step of the comparison lets the look-ups of others run
        absent = [b.record["kode"] for b in rows
                  if b.aksi in (d.RETIRED, d.CHANGED) and kind.key_of(b.record) not in current]
        diff, errors = d.hitung_selisih(kind, req.mode, rows, current,
                                        uow.impor.retired_keys(kind.name, scope, absent))
        tick("compare", 0, len(rows))
        errors += d.periksa_pohon(kind, req.mode, rows, diff, current)
        tick("compare", 0, len(rows))
        errors += d.periksa_varian(kind, req.mode, rows, diff, current)
        tick("compare", 0, len(rows))
        errors += d.periksa_rujukan(kind, req.mode, rows, diff, uow.impor.context(kind.name))
        kode_pemda = scope.get("kode_pemda") or ""
        pairs = d.crosswalk(kind, rows)
        known_pairs = uow.impor.existing_crosswalk(kind.name, kode_pemda, pairs)
        new_pairs = [p for p in pairs if p not in known_pairs]
        _count(report, diff, new_pairs)
        tick("compare", len(rows), len(rows))
        if errors:
            raise _refused(report, errors, started)
        if req.dry_run or (diff.empty and not new_pairs and new_version is None):
            return _done(report, started)

        total = len(diff.added) + len(diff.changed) + len(diff.retired)
        tick("apply", 0, total)
        if new_version is not None:
            uow.kodefikasi.add_version(new_version)
        revisi = uow.impor.apply(kind.name, kode_versi, [r for _, r in diff.added],
                                 [new for _, _, new in diff.changed], [old for _, old in diff.retired])
        uow.impor.add_crosswalk(kind.name, kode_pemda, kode_versi, new_pairs)
        tick("apply", total, total)
        pengganti = uow.impor.pengganti(kind.name, [old["kode"] for _, old in diff.retired], kode_pemda)
        items = _items(kind, kode_versi, diff, revisi, pengganti)
        # the places in the list's stream last: the list's row is held from here to the commit
        places = uow.replikasi.next_places(kind.name, -(-len(items) // ev.BATCH))
        events = _events(kind, kode_versi, scope, items, places, diff, revisi, pengganti)
        tick("publish", 0, len(events))
        uow.emit_many(events)
        report["impor_id"] = uow.impor.record_import({
            "kind": kind.name, "mode": req.mode, "versi": kode_versi, "kode_pemda": req.kode_pemda,
            "tahun": req.tahun, "file_name": file_name[:500], "sha256": report["sha256"], "rows": len(rows),
            "added": len(diff.added), "changed": len(diff.changed), "retired": len(diff.retired),
            "unchanged": diff.unchanged, "imported_by": imported_by})
        uow.commit()
        tick("publish", len(events), len(events))
        if total >= ANALYZE_AFTER:
            uow.impor.analyze(kind.name)
            uow.commit()
    report["applied"] = True
    return _done(report, started)


def _done(report: dict, started: float) -> ImportReport:
    report["summary"] = _summary(report)
    report["seconds"] = round(time.perf_counter() - started, 3)
    return ImportReport.model_validate(report)


def _report(req: ImportRequest, file_name: str, content: bytes) -> dict:
    return {
        "kind": req.kind, "mode": req.mode, "versi": req.versi, "versi_baru": False, "kode_pemda": req.kode_pemda,
        "tahun": req.tahun, "file_name": file_name, "sha256": hashlib.sha256(content).hexdigest(),
        "dry_run": req.dry_run, "applied": False, "impor_id": None, "rows": 0, "added": 0, "changed": 0,
        "retired": 0, "unchanged": 0, "crosswalk_added": 0,
        "examples": {"added": [], "changed": [], "retired": []}, "errors": [], "summary": "", "seconds": 0.0,
    }


def _count(report: dict, diff: d.Selisih, new_pairs: list) -> None:
    report.update(added=len(diff.added), changed=len(diff.changed), retired=len(diff.retired),
                  unchanged=diff.unchanged, crosswalk_added=len(new_pairs))
    report["examples"] = {
        "added": [r["kode"] for _, r in diff.added[:EXAMPLES]],
        "changed": [new["kode"] for _, _, new in diff.changed[:EXAMPLES]],
        "retired": [old["kode"] for _, old in diff.retired[:EXAMPLES]],
    }


def _refused(report: dict, errors: list[d.Kesalahan], started: float) -> Invalid:
    """The file is refused as a whole: every finding, row by row."""
    errors = sorted(errors, key=lambda e: e.row)
    report["errors"] = [{**asdict(e), "path": e.path} for e in errors[:d.MAX_ERRORS]]
    report["seconds"] = round(time.perf_counter() - started, 3)
    rows = sorted({e.row for e in errors if e.row > 1})
    where = f" in {len(rows)} row(s), the first row {rows[0]}" if rows else ""
    first = errors[0]
    report["summary"] = (f"{len(errors)} problem(s){where}; nothing was applied. First: "
                         f"{first.path}: {first.message}")
    return Invalid(report["summary"], errors=[{"field": e.path, "message": e.message} for e in errors[:d.MAX_ERRORS]],
                   report=report)


def _summary(report: dict) -> str:
    counts = f"{report['added']} added, {report['changed']} changed, {report['retired']} retired"
    if report["dry_run"]:
        return f"dry run: {counts} if applied; nothing was changed"
    if report["applied"]:
        return f"{counts} in version {report['versi']}"
    return f"nothing to change: the {report['unchanged']} row(s) match what is current"


def _items(kind: d.Kind, kode_versi: str, diff: d.Selisih, revisi: dict, pengganti: dict) -> list[dict]:
    """Every changed record's new state (its last state, for a retired one) as a change item."""

    def item(record: dict, aksi: str, valid_from: str, valid_until: str | None) -> dict:
        state = {**record, "valid_from": valid_from, "valid_until": valid_until,
                 "revisi": revisi[kind.key_of(record)]}
        return replikasi.item(kind.name, state, aksi, pengganti.get(record["kode"]))

    return ([item(new, d.ADDED, kode_versi, None) for _, new in diff.added]
            + [item(new, d.CHANGED, kode_versi, None) for _, _, new in diff.changed]
            + [item(old, d.RETIRED, old["valid_from"], kode_versi) for _, old in diff.retired])


def _events(kind: d.Kind, kode_versi: str, scope: dict, items: list[dict], places: list[int], diff: d.Selisih,
            revisi: dict, pengganti: dict) -> list:
    aggregate = "/".join([kind.name, *(str(v) for v in scope.values())])
    envelope = {"kode_pemda": scope.get("kode_pemda"), "tahun": scope.get("tahun"), "versi": kode_versi}
    changed_cls = ev.CHANGED[kind.name]
    batches = [items[i:i + ev.BATCH] for i in range(0, len(items), ev.BATCH)]
    events: list[Any] = [
        changed_cls(**envelope, aggregate_id=aggregate, aggregate_version=max(i["revisi"] for i in batch),
                    urutan=urutan, perubahan=batch)
        for batch, urutan in zip(batches, places, strict=True)
    ]
    for _, old in diff.retired:  # deprecated: one event per retired code, beside the change events
        events.append(ev.KodeRetired(
            **envelope, aggregate_id=f"{aggregate}/{old['kode']}" + (
                f"/{old['varian']}" if old.get("varian", k.UMUM) != k.UMUM else ""),
            aggregate_version=revisi[kind.key_of(old)],
            kind=kind.name, kode=old["kode"], tingkat=_tingkat(kind, old),
            nama=old.get("nama") or old.get("uraian") or old["kode"],
            kode_pengganti=pengganti.get(old["kode"], [])))
    return events


def _tingkat(kind: d.Kind, record: dict) -> str | None:
    tingkat = record.get("tingkat")
    if kind.name == "wilayah":
        return wilayah.WILAYAH_TINGKAT[tingkat]
    return None if tingkat is None else str(tingkat)
