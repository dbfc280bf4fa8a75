"""DPA-SKPD: generated per SKPD from the enacted APBD (all SKPD of a pemda-year in one call, or one), its cash
plan edited by the SKPD while a draft, authorised by PPKD (``dpa.disahkan`` published), and new versions when the
budget is amended (``versi_baru`` after a pergeseran, ``versi_perubahan`` after an enacted APBD-P — which also
makes versi 1 of an SKPD it budgets first —, ``buat_versi_dpa`` on its own). Every version is kept.

Where the lines come from: ``anggaran_sekarang``, the one place. The enacted APBD is the pemda-year's budget lines
(``rincian``) as they stood at enactment — the enactment closes them (``apbd/domain.periksa_terbuka``) and keeps
their summary, content-hashed, in ``apbd_ditetapkan``; from the first pergeseran or the APBD-P on, the budget is the
positions (``anggaran_pos``: the lines summed, murni kept, amounts shifted; an APBD-P's changes only once it is
enacted). A version sums the budget now per sub kegiatan × account, a position at 0 no line; versi 1 checks each SKPD's murni against the summary as enacted
(``domain.periksa_sesuai_penetapan``).
"""
from __future__ import annotations

import base64
import uuid
from decimal import Decimal
from typing import Iterable

from pydantic import ValidationError

from contracts.keuangan import DpaDisahkan, DpaOut, DpaRingkasOut, GenerasiDpaOut, KasBaru, PengesahanDpa
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import invalid_from

from ..apbd.domain import Ditolak, hash_isi
from ..apbd.usecases import conflict, invalid
from ..plafon.domain import Pelanggaran
from ..penatausahaan import usecases as penatausahaan
from ..perubahan.domain import jumlah_diputuskan
from ..policy import POLICY, Aksi
from . import domain, dokumen
from .domain import BarisAnggaran, BarisDpa, Dpa

DPA = "dpa"  # the record type of the audit trail
_KUNCI = ("kode_skpd", "kode_sub_kegiatan", "kode_rekening")


def _parse(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def _refused(call, *args):
    try:
        return call(*args)
    except Ditolak as refused:
        raise conflict(refused) from None


def _ringkas(d: Dpa) -> DpaRingkasOut:
    return DpaRingkasOut(kode_pemda=d.kode_pemda, tahun=d.tahun, kode_skpd=d.kode_skpd, versi=d.versi,
                         status=d.status, sebab=d.sebab, jumlah=d.jumlah, dibuat_oleh=d.dibuat_oleh,
                         disahkan_oleh=d.disahkan_oleh, nomor=d.nomor, hash=d.hash, **d.meta)


def _out(d: Dpa, baris: list[BarisDpa]) -> DpaOut:
    return DpaOut(**_ringkas(d).model_dump(), baris=[
        {"kode_sub_kegiatan": b.kode_sub_kegiatan, "kode_rekening": b.kode_rekening,
         "nama_rekening": b.nama_rekening, "jumlah": b.jumlah, "kas": list(b.kas)} for b in baris])


def _trail(d: Dpa) -> dict:
    return {"versi": d.versi, "status": d.status, "sebab": d.sebab, "jumlah": str(d.jumlah), "nomor": d.nomor,
            "hash": d.hash, "version": d.version}


def _with_names(uow, rows: Iterable[tuple[str, str, Decimal]]) -> list[tuple[str, str, Decimal, str]]:
    rows = list(rows)
    names = uow.apbd.nama_rekening(sorted({r for _, r, _ in rows}))
    return [(s, r, j, names.get(r, "")) for s, r, j in rows]


# -- the budget a version is made from ----------------------------------------------------------------------------

def anggaran_sekarang(uow, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> dict[str, list[BarisAnggaran]]:
    """Each SKPD's belanja as decided now, per sub kegiatan × account with its murni: the budget positions once any
    is held (after a pergeseran or an enacted APBD-P: the amounts as they stand; while an APBD-P is under way its
    changes are a draft, so the murni and the shifts made before it), else the enacted lines (murni = now)."""
    if uow.perubahan.ada_pos(kode_pemda, tahun):
        ps = [p for p in uow.perubahan.semua_pos(kode_pemda, tahun, kode_skpd) if p.rkpd_id]
        apbd_p = uow.perubahan.perubahan(kode_pemda, tahun)
        geser = uow.perubahan.geser_bersih(kode_pemda, tahun) if apbd_p is not None and apbd_p.berjalan else None
        rows = [(p.kode_skpd, p.kode_sub_kegiatan, p.kode_rekening, p.murni,
                 p.jumlah if geser is None else jumlah_diputuskan(p, geser)) for p in ps]
    else:
        rows = [(r["kode_skpd"], r["kode_sub_kegiatan"], r["kode_rekening"], r["jumlah"], r["jumlah"])
                for r in uow.rincian.jumlah_per(kode_pemda, tahun, _KUNCI, kode_skpd)]
    return domain.anggaran_per_skpd(rows)


# -- generation from the enacted APBD ---------------------------------------------------------------------------

def generate_dpa(uow, caller: Scope | None, kode_pemda: str, tahun: int,
                 kode_skpd: str | None = None, idempotency_key: str | None = None) -> GenerasiDpaOut:
    """Versi 1 (a draft, each line's cash plan spread by default) of every SKPD of the pemda-year that has a budget
    in the enacted APBD and no DPA yet — or of ``kode_skpd`` only (409 naming ``kode_skpd`` if it has one already;
    404 if it has no budget). 409 naming ``status`` before the APBD is enacted. Its lines are the budget as decided
    now (``anggaran_sekarang``: a shift made before the SKPD's DPA is in it, an APBD-P's draft is not; its murni is
    checked against the enacted APBD). An SKPD budgeted only by an APBD-P has none to generate: its DPA comes
    with that APBD-P's enactment (``versi_perubahan``). The APBD's lock held shared: a shift or the APBD-P's
    enactment is before or after it, whole. With ``idempotency_key``, once (a repeat answers the first answer, not
    409 for the DPA made by it)."""
    caller = POLICY.require(caller, Aksi.BUAT_DPA, kode_pemda)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, GenerasiDpaOut, "generate_dpa",
                                                kode_pemda, tahun, kode_skpd)) is not None:
            return earlier
        held = uow.apbd.terbuka(kode_pemda, tahun)
        _refused(domain.periksa_ditetapkan, kode_pemda, tahun, held[0] if held else None)
        enacted = uow.apbd.ditetapkan(kode_pemda, tahun)
        belanja = {b["kode"]: Decimal(b["belanja"]) for b in enacted["isi"]["skpd"]["baris"]}
        per_skpd = {s: baris for s, baris in anggaran_sekarang(uow, kode_pemda, tahun, kode_skpd).items()
                    if domain.punya_anggaran(baris)}
        if kode_skpd is not None and kode_skpd not in per_skpd:
            raise NotFound(f"SKPD {kode_skpd} has no line in the APBD {kode_pemda}/{tahun} as enacted")
        for skpd in sorted(per_skpd):
            uow.dpa.lock_skpd(kode_pemda, tahun, skpd)
        ada = uow.dpa.skpd(kode_pemda, tahun)
        if kode_skpd is not None and kode_skpd in ada:
            raise Conflict(f"SKPD {kode_skpd} has its DPA {kode_pemda}/{tahun} already; a change is a new version",
                           errors=[{"field": "kode_skpd", "message": "this SKPD's DPA exists: a change is a new "
                                                                     "version"}])
        baru = [s for s in sorted(per_skpd) if s not in ada]
        for skpd in baru:
            _refused(domain.periksa_sesuai_penetapan, skpd, sum((b.murni for b in per_skpd[skpd]), Decimal(0)),
                     belanja.get(skpd, Decimal(0)))
        names = uow.apbd.nama_rekening(sorted({b.kode_rekening for s in baru for b in per_skpd[s]}))
        sebab = f"APBD ditetapkan ({enacted['nomor_perda']})"
        versions = []
        for skpd in baru:
            geser = any(b.murni != b.jumlah for b in per_skpd[skpd])
            d = Dpa(kode_pemda, tahun, skpd, versi=1, sebab=sebab + (", dengan pergeseran sesudahnya" if geser else ""),
                    id=str(uuid.uuid4()), dibuat_oleh=caller.username)
            baris = domain.baris_baru((s, r, j, names.get(r, "")) for s, r, j in domain.baris_versi(per_skpd[skpd]))
            d.jumlah = sum((b.jumlah for b in baris), Decimal(0))
            versions.append((d, baris))
        uow.dpa.add_many(versions)
        uow.audit_many([(DPA, d.id, "create", None, _trail(d), {"kode_pemda": kode_pemda, "tahun": tahun,
                                                                 "kode_skpd": d.kode_skpd}) for d, _ in versions])
        made = {d.kode_skpd for d, _ in versions}
        rows, _ = uow.dpa.list_page(kode_pemda, tahun, 0, len(per_skpd) + len(ada) + 1, kode_skpd)
        out = GenerasiDpaOut(kode_pemda=kode_pemda, tahun=tahun,
                             dibuat=[_ringkas(d) for d in rows if d.kode_skpd in made],
                             sudah_ada=sorted(s for s in per_skpd if s in ada))
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


# -- a new version (the amended budget) ---------------------------------------------------------------------------

def versi_baru(uow, by: str, kode_pemda: str, tahun: int, kode_skpd: str, sebab: str,
               baris: Iterable[tuple[str, str, Decimal]] | None = None, pertama: bool = False) -> Dpa:
    """Inside the caller's open transaction (no policy, no commit): a new draft version of the SKPD's DPA from
    ``baris`` — (kode_sub_kegiatan, kode_rekening, jumlah) of every line of the amended budget — or, left out, from
    the SKPD's budget as it stands now (``anggaran_sekarang``: as shifted; a position at 0 is no line,
    ``domain.baris_versi``). Lines whose total is unchanged keep their cash plan, the others are spread by default
    (``domain.kas_versi_baru``: every line's months add up); the version before stays as it was. ``Conflict``
    naming ``kode_skpd`` (no DPA yet, unless ``pertama``: then this is its versi 1) or ``versi`` (a draft still
    open)."""
    uow.dpa.lock_skpd(kode_pemda, tahun, kode_skpd)
    terakhir = uow.dpa.terakhir(kode_pemda, tahun, kode_skpd)
    if terakhir is not None or not pertama:
        _refused(domain.periksa_versi_baru, terakhir, kode_skpd)
    if baris is None:
        baris = domain.baris_versi(anggaran_sekarang(uow, kode_pemda, tahun, kode_skpd).get(kode_skpd, []))
    lines = domain.kas_versi_baru(uow.dpa.baris(terakhir.id) if terakhir else [], _with_names(uow, baris))
    d = Dpa(kode_pemda, tahun, kode_skpd, versi=terakhir.versi + 1 if terakhir else 1, sebab=sebab,
            id=str(uuid.uuid4()), dibuat_oleh=by, jumlah=sum((b.jumlah for b in lines), Decimal(0)))
    uow.dpa.add_many([(d, lines)])
    uow.audit(DPA, d.id, "create", None, _trail(d), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd)
    return d


def versi_perubahan(uow, by: str, kode_pemda: str, tahun: int, sebab: str) -> list[Dpa]:
    """Inside the transaction that enacts an APBD-P (no policy, no commit): every SKPD with a DPA gets a new version
    of its budget as the APBD-P leaves it (none left: a version without lines), and every SKPD the APBD-P budgets
    first (``domain.pertama_di_perubahan``) its versi 1 — each ``sebab``. An SKPD with budget in the enacted APBD
    but no DPA yet is left to ``generate_dpa``. A draft still open refuses it (``versi_baru``)."""
    ada = uow.dpa.skpd(kode_pemda, tahun)
    baru = domain.pertama_di_perubahan(anggaran_sekarang(uow, kode_pemda, tahun), ada)
    return [versi_baru(uow, by, kode_pemda, tahun, skpd, sebab, pertama=skpd in baru)
            for skpd in sorted(ada | set(baru))]


def buat_versi_dpa(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, sebab: str,
                   baris: Iterable[tuple[str, str, Decimal]] | None = None) -> DpaOut:
    """The use case the APBD-P and pergeseran call when an SKPD's budget changed: ``versi_baru`` in a transaction
    of its own, by TAPD (PPKD). ``sebab`` says why (422 naming ``sebab`` when empty)."""
    caller = POLICY.require(caller, Aksi.BUAT_VERSI_DPA, kode_pemda, kode_skpd)
    if not sebab or not sebab.strip() or len(sebab) > 500:
        raise Invalid.field("sebab", "say why the DPA changes (1 to 500 characters)")
    with uow:
        uow.apbd.terbuka(kode_pemda, tahun)  # after a shift in flight, not beside it
        d = versi_baru(uow, caller.username, kode_pemda, tahun, kode_skpd, sebab.strip(), baris)
        out = _out(uow.dpa.get(kode_pemda, tahun, kode_skpd, d.versi), uow.dpa.baris(d.id))
        uow.commit()
    return out


# -- the cash plan, and the authorisation ----------------------------------------------------------------------

def _draft(uow, kode_pemda: str, tahun: int, kode_skpd: str, versi: int | None, what: str) -> Dpa:
    """The SKPD's latest version, its lock held: the draft ``versi`` (when named), else 404 / 409."""
    uow.dpa.lock_skpd(kode_pemda, tahun, kode_skpd)
    d = uow.dpa.terakhir(kode_pemda, tahun, kode_skpd)
    if d is None:
        raise NotFound(f"SKPD {kode_skpd} has no DPA {kode_pemda}/{tahun}")
    if versi is not None and versi != d.versi:
        raise Conflict(f"DPA {kode_skpd} versi {versi} is not the latest ({d.versi})",
                       errors=[{"field": "versi", "message": f"the latest version is {d.versi}"}])
    _refused(d.periksa_draft, what)
    return d


def ubah_kas(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, data: dict) -> DpaOut:
    """The SKPD (or TAPD) plans some lines' months on the draft version; every line named is checked
    (``domain.periksa_kas``: 12 months adding up to the line exactly) and all are applied, or none (422 naming
    ``baris.<i>.kas``). 409 naming ``status`` once the version is authorised."""
    caller = POLICY.require(caller, Aksi.UBAH_KAS, kode_pemda, kode_skpd)
    body = _parse(KasBaru, data)
    with uow:
        d = _draft(uow, kode_pemda, tahun, kode_skpd, body.versi, "changed")
        lines = {b.kunci: b for b in uow.dpa.baris(d.id)}
        errors: list[Pelanggaran] = []
        changes: dict[tuple[str, str], BarisDpa] = {}
        for i, item in enumerate(body.baris):
            key = (item.kode_sub_kegiatan, item.kode_rekening)
            if key not in lines:
                errors.append(Pelanggaran(f"baris.{i}.kode_rekening", f"DPA {kode_skpd} versi {d.versi} has no line "
                                                                      f"{key[0]} × {key[1]}"))
                continue
            if key in changes:
                errors.append(Pelanggaran(f"baris.{i}", f"line {key[0]} × {key[1]} is named twice"))
                continue
            found = domain.periksa_kas(lines[key].jumlah, item.kas, f"baris.{i}.kas")
            errors += found
            if not found:
                changes[key] = BarisDpa(*key, lines[key].jumlah, tuple(item.kas), lines[key].nama_rekening)
        if errors:
            raise invalid(errors)
        uow.dpa.set_kas(d.id, list(changes.values()))
        before = _trail(d)
        d.version += 1
        uow.dpa.save(d)
        uow.audit(DPA, d.id, "update", {**before, "kas": {f"{s}|{r}": [str(k) for k in lines[(s, r)].kas]
                                                          for s, r in changes}},
                  {**_trail(d), "kas": {f"{s}|{r}": [str(k) for k in b.kas] for (s, r), b in changes.items()}},
                  kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd)
        out = _out(uow.dpa.get(kode_pemda, tahun, kode_skpd, d.versi), uow.dpa.baris(d.id))
        uow.commit()
    return out


def sahkan_dpa(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, data: dict) -> DpaOut:
    """PPKD authorises the draft ``versi``: it never changes again (its content hashed), the version authorised
    before it is marked ``diganti`` (and the SPD issued under it archived), and ``dpa.disahkan`` is published."""
    caller = POLICY.require(caller, Aksi.SAHKAN_DPA, kode_pemda, kode_skpd)
    body = _parse(PengesahanDpa, data)
    with uow:
        d = _draft(uow, kode_pemda, tahun, kode_skpd, body.versi, "authorised again")
        baris = uow.dpa.baris(d.id)
        errors = domain.periksa_semua_kas(baris)
        if errors:
            raise invalid(errors)
        before = _trail(d)
        sebelumnya = uow.dpa.disahkan(kode_pemda, tahun, kode_skpd)
        if sebelumnya is not None:
            uow.dpa.ganti(sebelumnya)
            uow.audit(DPA, sebelumnya.id, "update", _trail(sebelumnya), {**_trail(sebelumnya), "status": domain.DIGANTI},
                      kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd)
        digest = hash_isi(domain.isi_hash(d, baris))
        d.sahkan(caller.username, body.nomor, digest)
        uow.dpa.save(d)
        uow.audit(DPA, d.id, "update", before, _trail(d), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd)
        uow.emit(DpaDisahkan(kode_pemda=kode_pemda, tahun=tahun, aggregate_id=f"{kode_pemda}:{tahun}:{kode_skpd}",
                             aggregate_version=d.versi, kode_skpd=kode_skpd, versi=d.versi, sebab=d.sebab,
                             jumlah=d.jumlah, jumlah_baris=len(baris), nomor=d.nomor, hash=digest))
        if sebelumnya is not None:  # SPD issued under the version superseded now are archived with it
            penatausahaan.arsipkan_dalam_transaksi(uow, kode_pemda, tahun, kode_skpd)
        out = _out(uow.dpa.get(kode_pemda, tahun, kode_skpd, d.versi), baris)
        uow.commit()
    return out


# -- reads ---------------------------------------------------------------------------------------------------

def list_dpa(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
             kode_skpd: str | None = None) -> dict:
    """Each SKPD's latest version (an SKPD operator: its own SKPD's)."""
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    with uow:
        rows, total = uow.dpa.list_page(kode_pemda, tahun, offset, limit, kode_skpd)
    return {"items": [_ringkas(d) for d in rows], "total": total}


def _version(uow, kode_pemda: str, tahun: int, kode_skpd: str, versi: int | None) -> Dpa:
    d = (uow.dpa.terakhir(kode_pemda, tahun, kode_skpd) if versi is None
         else uow.dpa.get(kode_pemda, tahun, kode_skpd, versi))
    if d is None:
        raise NotFound(f"no DPA {kode_skpd}{'' if versi is None else f' versi {versi}'} in {kode_pemda}/{tahun}")
    return d


def get_dpa(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str,
            versi: int | None = None) -> DpaOut:
    """One version (the latest when ``versi`` is left out) with its lines and their cash plan."""
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    with uow:
        d = _version(uow, kode_pemda, tahun, kode_skpd, versi)
        return _out(d, uow.dpa.baris(d.id))


def list_versi(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str) -> dict:
    """Every version of the SKPD's DPA, the first first."""
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    with uow:
        rows = uow.dpa.versi(kode_pemda, tahun, kode_skpd)
    return {"items": [_ringkas(d) for d in rows], "total": len(rows)}


def dokumen_dpa(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, format: str,
                versi: int | None = None) -> dict:
    """The DPA-SKPD as printed (XLSX or PDF): its lines per sub kegiatan and account, and its cash plan per month.
    ``{"filename", "content_type", "content"}`` (content base64)."""
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    if format not in dokumen.FORMATS:
        raise Invalid.field("format", f"format is one of {', '.join(dokumen.FORMATS)}")
    with uow:
        d = _version(uow, kode_pemda, tahun, kode_skpd, versi)
        baris = uow.dpa.baris(d.id)
        nama_skpd = uow.apbd.nama_skpd(kode_pemda, [kode_skpd]).get(kode_skpd, "")
    content_type, make = dokumen.FORMATS[format]
    return {"filename": f"dpa-{kode_pemda}-{tahun}-{kode_skpd}-v{d.versi}.{format}", "content_type": content_type,
            "content": base64.b64encode(make(dokumen.dpa(_ringkas(d), baris, nama_skpd))).decode("ascii")}
