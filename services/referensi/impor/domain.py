"""Importing a list of the codification, as operators receive it. Pure: rows in, findings out.

An import brings one *kind* of record (nomenklatur, rekening, …) for one version, in one of
two modes:

- ``full``: the file is the whole list (of the pemda, or of the pemda and year, for the kinds
  kept per pemda); what is current and absent from the file is retired;
- ``diff``: each row says what to do in its ``aksi`` column: ``tambah`` (add), ``ubah``
  (change) or ``hapus`` (retire); ``add``, ``change`` and ``retire`` are accepted too.

Rows are read (``baca``), compared with what is current (``hitung_selisih``) and checked against
the rest of the codification (``periksa_pohon``, ``periksa_rujukan``). Any finding names the row
(the header is row 1, as in a spreadsheet) and the column; a file with any finding is refused as
a whole. Comparing with what is current makes an import idempotent: the same file twice finds
nothing to do the second time.

Old codes and their replacements (the crosswalk) travel in two optional columns: ``kode_lama``
on a current row (the codes it replaces) and ``kode_pengganti`` on a retired row (the codes that
replace it). Several codes are separated by spaces, commas or semicolons.

Which version an import goes into is decided here too (``versi_tujuan``), from the rules of the
versions (``kodefikasi/domain.py``). The cells are read by ``sel``; what a record of each list must
be is its sub-domain's rule (``wilayah/domain.py``, ``skpd/domain.py``, ``standar_harga/domain.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Iterable

from ..kodefikasi import domain as k
from ..skpd import domain as skpd
from ..standar_harga import domain as standar_harga
from ..wilayah import domain as wilayah
from .sel import BarisSalah, bentuk, blank, daftar_kode, daftar_teks, kode_teks, naskah, teks, uang, ya_tidak

ADDED, CHANGED, RETIRED = "added", "changed", "retired"
MODES = ("full", "diff")
AKSI = {"tambah": ADDED, "add": ADDED, "ubah": CHANGED, "change": CHANGED, "hapus": RETIRED, "retire": RETIRED}
MAX_ERRORS = 1000

Record = dict[str, Any]
Key = tuple


@dataclass(frozen=True)
class Kesalahan:
    """One finding: the row of the file (1 is the header), the column and why."""

    row: int
    field: str
    message: str

    @property
    def path(self) -> str:
        """Where, as problem details name fields: ``rows.12.kode`` for a cell of the file (row 1 is the
        header), the request field itself (``versi``) for row 0."""
        return self.field if self.row == 0 else f"rows.{self.row}.{self.field}"


@dataclass(frozen=True)
class Kind:
    """What an import of one kind of record reads and compares."""

    name: str
    scope: tuple[str, ...]            # columns fixed by the import (the pemda, the year)
    content: tuple[str, ...]          # compared to tell a change
    required: tuple[str, ...]         # columns a row that adds or changes must have
    check_code: Callable[[str], Any]  # raises KodeTidakSah for a code of the wrong shape
    parse: Callable[[Callable[[str], Any], str], Record]  # (cell, kode) -> content fields
    check_refs: Callable[[Record, dict], list[tuple[str, str]]] | None = None  # against other lists
    crosswalk: bool = True            # may carry kode_lama / kode_pengganti
    # a branch may be published at its lowest levels only (the chart of accounts outside belanja): a record
    # whose parent's level the list holds nowhere under the same root is kept without its parent
    sparse_tree: bool = False
    # a code may have a provincial variant beside its record (the nomenclature: ``varian``, part of the key)
    varian: bool = False

    @property
    def key(self) -> tuple[str, ...]:
        return self.scope + ("kode",) + (("varian",) if self.varian else ())

    @property
    def tree(self) -> bool:
        return "kode_induk" in self.content

    def key_of(self, record: Record) -> Key:
        if not self.scope and not self.varian:
            return (record["kode"],)
        return tuple(record[c] for c in self.key)

    def parents_of(self, record: Record) -> list[Key]:
        """The records that may be a record's parent, any of which will do: its parent code's (of a provincial
        variant, the parent's provincial variant or its ``umum`` record)."""
        parent = record.get("kode_induk")
        if parent is None:
            return []
        scope = tuple(record[c] for c in self.scope)
        if not self.varian:
            return [scope + (parent,)]
        return [scope + (parent, v) for v in k.varian_dibaca(record["varian"])]


@dataclass
class Baris:
    """A row of the file, read."""

    row: int
    aksi: str | None           # None in a full import: the row is simply part of the list
    record: Record             # key fields only on a retiring row
    kode_lama: list[str] = field(default_factory=list)
    kode_pengganti: list[str] = field(default_factory=list)


@dataclass
class Selisih:
    """What an import changes against what is current."""

    added: list[tuple[Baris, Record]] = field(default_factory=list)
    changed: list[tuple[Baris, Record, Record]] = field(default_factory=list)  # (row, old, new)
    retired: list[tuple[Baris | None, Record]] = field(default_factory=list)   # (row, or None when absent, old)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired)


# -- the kinds -----------------------------------------------------------------------------------

def _sumber(cell) -> str | None:
    """Where the row comes from (``data/sumber/PROVENANCE.md``'s source ids, ``tulisan-tangan``, ``contoh``)."""
    return teks(cell("sumber"), "sumber", max_length=60)


def _lingkup(cell, kode: str, tingkat: str) -> list[str] | None:
    """The lampiran that list the record: ``provinsi``, ``kabupaten_kota`` (in ``lingkup``, or ``jenis_pemda``
    as the 2027 list writes it: PROV, KABKOT); for a kegiatan or sub kegiatan left without, its level digit."""
    words = [w for c in ("lingkup", "jenis_pemda") for w in (teks(cell(c), c) or "").replace(",", " ").split()]
    try:
        lingkup = sorted({k.lingkup(w) for w in words})
    except k.KodeTidakSah as exc:
        raise BarisSalah("lingkup", str(exc)) from None
    if not lingkup and tingkat in ("kegiatan", "sub_kegiatan") and kode.split(".")[3] in ("1", "2"):
        lingkup = [k.level_pemerintahan(kode)]
    return lingkup or None


def _varian(cell) -> str:
    try:
        return k.varian(teks(cell("varian"), "varian", max_length=20))
    except k.KodeTidakSah as exc:
        raise BarisSalah("varian", str(exc)) from None


def _nomenklatur(cell, kode: str) -> Record:
    tingkat = k.tingkat_nomenklatur(kode)
    lingkup = _lingkup(cell, kode, tingkat)
    if _varian(cell) == k.PROVINSI:  # the provincial lampiran's content: listed by it alone
        if lingkup not in (None, [k.PROVINSI]):
            raise BarisSalah("lingkup", "a provinsi variant is the provincial lampiran's record: its lingkup is provinsi")
        lingkup = [k.PROVINSI]
    return {"tingkat": tingkat, "nama": teks(cell("nama"), "nama", required=True),
            "kode_induk": k.induk_nomenklatur(kode), "kinerja": teks(cell("kinerja"), "kinerja"),
            "indikator": teks(cell("indikator"), "indikator"), "satuan": teks(cell("satuan"), "satuan", max_length=200),
            "sumber": _sumber(cell), "lingkup": lingkup,
            "spm": ya_tidak(cell("spm"), "spm", ("spm", "ya", "true"), ("non-spm", "tidak", "false")),
            "tag": daftar_teks(cell("tag"), "tag") or None, "jenis": teks(cell("jenis"), "jenis", max_length=20),
            "pelaksana": teks(cell("pelaksana"), "pelaksana"),
            "definisi_operasional": naskah(cell("definisi_operasional"), "definisi_operasional")}


def _rekening(cell, kode: str) -> Record:
    return {"tingkat": k.tingkat_rekening(kode), "akun": k.akun(kode), "peruntukan": k.peruntukan_rekening(kode),
            "nama": teks(cell("nama"), "nama", required=True), "kode_induk": k.induk(kode), "sumber": _sumber(cell),
            "keterangan": teks(cell("keterangan"), "keterangan", max_length=5000)}


def _sumber_dana(cell, kode: str) -> Record:
    return {"tingkat": k.tingkat_sumber_dana(kode), "nama": teks(cell("nama"), "nama", required=True),
            "kode_induk": k.induk(kode), "sumber": _sumber(cell),
            "keterangan": teks(cell("keterangan"), "keterangan", max_length=5000),
            "set_input": ya_tidak(cell("set_input"), "set_input", ("ya", "true"), ("tidak", "false"))}


def _wilayah(cell, kode: str) -> Record:
    return {"tingkat": wilayah.periksa_kode_wilayah(kode), "nama": teks(cell("nama"), "nama", required=True),
            "kode_induk": k.induk(kode)}


def _skpd(cell, kode: str) -> Record:
    skpd.bidang_urusan_skpd(kode)  # the code's shape first: a finding on kode
    disebut = daftar_kode(cell("bidang_urusan"), "bidang_urusan", k.kode_bidang_urusan)
    try:
        bidang = skpd.bidang_urusan_dilayani(kode, disebut)
    except k.KodeTidakSah as exc:
        raise BarisSalah("bidang_urusan", str(exc)) from None
    return {"nama": teks(cell("nama"), "nama", required=True), "bidang_urusan": bidang, "sumber": _sumber(cell),
            "sumber_bidang_urusan": teks(cell("sumber_bidang_urusan"), "sumber_bidang_urusan", max_length=60)}


def _skpd_refs(record: Record, context: dict) -> list[tuple[str, str]]:
    return [("kode", why) for why in skpd.bidang_urusan_tidak_berlaku(record["bidang_urusan"], context["bidang_urusan"])]


def _standar_harga(cell, kode: str) -> Record:
    standar_harga.periksa_kode(kode)
    jenis = (teks(cell("jenis"), "jenis", required=True) or "").upper()
    wrong = standar_harga.jenis_tidak_sah(jenis)
    if wrong:
        raise BarisSalah("jenis", wrong)
    rekening = daftar_kode(cell("kode_rekening"), "kode_rekening", k.tingkat_rekening)
    if not rekening:
        raise BarisSalah("kode_rekening", "name at least one account on which the item may be spent")
    return {"jenis": jenis, "uraian": teks(cell("uraian"), "uraian", required=True),
            "spesifikasi": teks(cell("spesifikasi"), "spesifikasi"),
            "satuan": teks(cell("satuan"), "satuan", required=True, max_length=200),
            "harga": uang(cell("harga"), "harga"), "kode_rekening": rekening, "sumber": _sumber(cell),
            "kode_kelompok": teks(cell("kode_kelompok"), "kode_kelompok", max_length=30),
            "nama_kelompok": teks(cell("nama_kelompok"), "nama_kelompok")}


def _standar_harga_refs(record: Record, context: dict) -> list[tuple[str, str]]:
    return [("kode_rekening", why) for why in
            standar_harga.rekening_tidak_berlaku(record["kode_rekening"], context["rekening_belanja"])]


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("nomenklatur", (), ("tingkat", "nama", "kode_induk", "kinerja", "indikator", "satuan", "sumber", "lingkup",
                             "spm", "tag", "jenis", "pelaksana", "definisi_operasional"), ("kode", "nama"),
         k.tingkat_nomenklatur, _nomenklatur, varian=True),
    Kind("rekening", (), ("tingkat", "akun", "peruntukan", "nama", "kode_induk", "sumber", "keterangan"),
         ("kode", "nama"), k.tingkat_rekening, _rekening, sparse_tree=True),
    Kind("sumber_dana", (), ("tingkat", "nama", "kode_induk", "sumber", "keterangan", "set_input"), ("kode", "nama"),
         k.tingkat_sumber_dana, _sumber_dana),
    Kind("wilayah", (), ("tingkat", "nama", "kode_induk"), ("kode", "nama"), wilayah.periksa_kode_wilayah,
         _wilayah),
    Kind("skpd", ("kode_pemda",), ("nama", "bidang_urusan", "sumber", "sumber_bidang_urusan"), ("kode", "nama"),
         skpd.bidang_urusan_skpd, _skpd,
         check_refs=_skpd_refs),
    Kind("standar_harga", ("kode_pemda", "tahun"),
         ("jenis", "uraian", "spesifikasi", "satuan", "harga", "kode_rekening", "sumber", "kode_kelompok",
          "nama_kelompok"),
         ("kode", "jenis", "uraian", "satuan", "harga", "kode_rekening"), standar_harga.periksa_kode, _standar_harga,
         check_refs=_standar_harga_refs, crosswalk=False),
)}


def periksa_lingkup(kind: Kind, scope: dict) -> list[Kesalahan]:
    """The import's scope (pemda, year) as the kind needs it."""
    errors = []
    for column in kind.scope:
        if scope.get(column) in (None, ""):
            errors.append(Kesalahan(0, column, f"a {kind.name} import is made for one {column}; give it"))
    if "kode_pemda" in kind.scope and scope.get("kode_pemda"):
        try:
            wilayah.jenis_pemda(scope["kode_pemda"], "")
        except k.KodeTidakSah as exc:
            errors.append(Kesalahan(0, "kode_pemda", str(exc)))
    if "tahun" in kind.scope and scope.get("tahun") is not None and not 2000 <= int(scope["tahun"]) <= 2100:
        errors.append(Kesalahan(0, "tahun", "must be between 2000 and 2100"))
    for column, value in scope.items():
        if value not in (None, "") and column not in kind.scope:
            errors.append(Kesalahan(0, column, f"{kind.name} is one national list; {column} does not apply"))
    return errors


def periksa_permintaan(kind: Kind, scope: dict, versi: str | None) -> list[Kesalahan]:
    """What the import is asked, before its file is read: the scope as the kind needs it, and a version
    (a national list names the version of its file; SKPD and prices go into the latest when left out)."""
    errors = periksa_lingkup(kind, scope)
    if versi is None and not kind.scope:
        errors.append(Kesalahan(0, "versi", f"{kind.name} is a national list: name the version of the file"))
    elif versi is not None:
        try:
            k.periksa_kode_versi(versi)
        except k.VersiTidakSah as exc:
            errors.append(Kesalahan(0, "versi", str(exc)))
    return errors


def versi_tujuan(versions: list[k.Versi], versi: str | None, judul: str | None, tanggal: date | None,
                 terakhir_dipakai: str | None, jenis: str = "keputusan") -> tuple[str, k.Versi | None]:
    """The version to import into, and the version to register first when it is new.

    ``versi`` None: the latest. A known version: only if no record of the list already starts or
    ends in a later one (``terakhir_dipakai``: the latest the list's records mention). A new one:
    with its decree's title and date, after every known one. ``VersiTidakSah`` otherwise."""
    if versi is None:
        latest = k.terbaru(versions)
        if latest is None:
            raise k.VersiTidakSah("no version is registered yet: name one")
        versi = latest.kode
    if any(v.kode == versi for v in versions):
        k.periksa_target_impor(versions, versi, terakhir_dipakai)
        return versi, None
    return versi, k.versi_baru(versions, versi, judul, tanggal, jenis)


# -- reading -------------------------------------------------------------------------------------

def nama_kolom(header: Any) -> str:
    """Header cells as operators write them: ``Kode Rekening`` is ``kode_rekening``."""
    return "_".join(str(header or "").strip().lower().replace("-", " ").split())


def baca(kind: Kind, mode: str, header: list[Any], rows: Iterable[tuple[int, list[Any]]], scope: dict,
         progress: Callable[[int], None] | None = None) -> tuple[list[Baris], list[Kesalahan]]:
    """Every row of the file read and checked on its own; findings name the row and column."""
    columns = [nama_kolom(h) for h in header]
    errors: list[Kesalahan] = []
    duplicate_columns = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicate_columns:
        errors.append(Kesalahan(1, duplicate_columns[0], "the column appears twice in the header"))
    needed = ("kode", "aksi") if mode == "diff" else kind.required
    missing = [c for c in needed if c not in columns]
    for column in missing:
        errors.append(Kesalahan(1, column, "the header has no such column"))
    if mode == "full" and "aksi" in columns:
        errors.append(Kesalahan(1, "aksi", "a full import is the whole list; aksi belongs to a diff import"))
    if not kind.crosswalk:
        errors += [Kesalahan(1, c, f"{kind.name} keeps no crosswalk") for c in ("kode_lama", "kode_pengganti")
                   if c in columns]
    if errors:
        return [], errors

    index = {c: i for i, c in enumerate(columns) if c}
    seen: dict[Key, int] = {}
    result: list[Baris] = []
    for count, (row_number, values) in enumerate(rows, 1):
        if progress is not None and count % 1000 == 0:
            progress(count)
        if all(blank(v) for v in values):
            continue

        def cell(column: str, _values=values) -> Any:
            i = index.get(column)
            return _values[i] if i is not None and i < len(_values) else None

        try:
            baris = _baris(kind, mode, cell, scope, row_number, columns)
        except BarisSalah as exc:
            if len(errors) < MAX_ERRORS:
                errors.append(Kesalahan(row_number, exc.field, exc.message))
            continue
        key = kind.key_of(baris.record)
        if key in seen:
            if len(errors) < MAX_ERRORS:
                again = baris.record["kode"] + (f" ({baris.record['varian']})" if kind.varian else "")
                errors.append(Kesalahan(row_number, "kode", f"{again} appears again (first in row {seen[key]})"))
            continue
        seen[key] = row_number
        result.append(baris)
    if not result and not errors:
        errors.append(Kesalahan(2, "kode", "the file has no rows"))
    return result, errors


def _baris(kind: Kind, mode: str, cell, scope: dict, row_number: int, columns: list[str]) -> Baris:
    aksi = None
    if mode == "diff":
        raw = (teks(cell("aksi"), "aksi", required=True) or "").lower()
        aksi = AKSI.get(raw)
        if aksi is None:
            raise BarisSalah("aksi", f"{raw!r} is not an action: tambah, ubah or hapus")
    record: Record = {}
    for column in kind.scope:
        given = cell(column)
        if not blank(given) and teks(given, column) != str(scope[column]):
            raise BarisSalah(column, f"must be {scope[column]} (the import's {column}) or empty")
        record[column] = scope[column]
    kode = kode_teks(cell("kode"))
    record["kode"] = kode
    if kind.varian:
        record["varian"] = _varian(cell)
    if aksi == RETIRED:
        bentuk(kind.check_code, kode)
        pengganti = daftar_kode(cell("kode_pengganti"), "kode_pengganti", kind.check_code)
        if kode in pengganti:
            raise BarisSalah("kode_pengganti", "a code cannot replace itself")
        return Baris(row_number, aksi, record, kode_pengganti=pengganti)
    if aksi is not None:
        missing = [c for c in kind.required if c not in columns]
        if missing:
            raise BarisSalah(missing[0], f"a row that adds or changes needs the column {missing[0]}")
    try:
        record.update(kind.parse(cell, kode))
    except k.KodeTidakSah as exc:
        raise BarisSalah("kode", str(exc)) from None
    lama = daftar_kode(cell("kode_lama"), "kode_lama", kind.check_code) if kind.crosswalk else []
    if kode in lama:
        raise BarisSalah("kode_lama", "a code cannot replace itself")
    if not blank(cell("kode_pengganti")):
        raise BarisSalah("kode_pengganti", "only a retired row (aksi hapus) has replacement codes")
    return Baris(row_number, aksi, record, kode_lama=lama)


# -- comparing with what is current ---------------------------------------------------------------

def _norm(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def sama(kind: Kind, old: Record, new: Record) -> bool:
    for c in kind.content:
        a, b = old.get(c), new.get(c)
        if a != b and _norm(a) != _norm(b):
            return False
    return True


def hitung_selisih(kind: Kind, mode: str, rows: list[Baris], current: dict[Key, Record],
                   retired_before: set[Key]) -> tuple[Selisih, list[Kesalahan]]:
    """What the rows add, change and retire against ``current`` (the current records, by key).

    ``retired_before``: keys that were current once and are retired now, so that retiring them
    again changes nothing (a diff imported twice)."""
    diff = Selisih()
    errors: list[Kesalahan] = []
    in_file: set[Key] = set()
    for b in rows:
        key = kind.key_of(b.record)
        in_file.add(key)
        old = current.get(key)
        kode = b.record["kode"]
        if b.aksi == RETIRED:
            if old is not None:
                diff.retired.append((b, old))
            elif key in retired_before:
                diff.unchanged += 1
            else:
                errors.append(Kesalahan(b.row, "kode", f"{kode} is not in the list: nothing to retire"))
        elif old is None:
            if b.aksi == CHANGED:
                why = "it was retired; add it again with tambah" if key in retired_before else "add it with tambah"
                errors.append(Kesalahan(b.row, "kode", f"{kode} is not current, so it cannot be changed ({why})"))
            else:
                diff.added.append((b, b.record))
        elif sama(kind, old, b.record):
            diff.unchanged += 1
        elif b.aksi == ADDED:
            errors.append(Kesalahan(b.row, "kode", f"{kode} is current already, with other values; change it with ubah"))
        else:
            diff.changed.append((b, old, b.record))
    if mode == "full":
        diff.retired.extend((None, old) for key, old in current.items() if key not in in_file)
    return diff, errors[:MAX_ERRORS]


def hasil(kind: Kind, diff: Selisih, current: dict[Key, Record]) -> dict[Key, Record]:
    """The current records once the import is applied."""
    result = dict(current)
    for _, old in diff.retired:
        result.pop(kind.key_of(old), None)
    for b, new in diff.added:
        result[kind.key_of(new)] = new
    for b, _, new in diff.changed:
        result[kind.key_of(new)] = new
    return result


def periksa_pohon(kind: Kind, mode: str, rows: list[Baris], diff: Selisih,
                  current: dict[Key, Record]) -> list[Kesalahan]:
    """A tree stays whole: every current record's parent is current, so a parent is neither
    missing nor retired while one of its children stays (a provincial variant's parent may be the parent code's
    provincial variant or its record). In a list whose branches may be published at their
    lowest levels only (``sparse_tree``: accounts 1-4 and 6-8 are, in the sources), a record whose parent's
    level the list holds nowhere under the same root is accepted without it."""
    if not kind.tree:
        return []
    result = hasil(kind, diff, current)
    errors = []
    checked = rows if mode == "full" else [b for b, _ in diff.added] + [b for b, _, _ in diff.changed]
    held = {(r["kode"].split(".")[0], r["tingkat"]) for r in result.values()} if kind.sparse_tree else set()
    for b in checked:
        record = result.get(kind.key_of(b.record), b.record)
        induk = record.get("kode_induk")
        if induk is None or (kind.sparse_tree and (induk.split(".")[0], kind.check_code(induk)) not in held):
            continue  # a root; or the list holds this branch at its lowest levels only
        if not any(p in result for p in kind.parents_of(record)):
            errors.append(Kesalahan(b.row, "kode", f"its parent {induk} is not in the list; add the parent too"))
    retiring = {kind.key_of(old): b for b, old in diff.retired if b is not None}
    if retiring:
        for record in result.values():
            parents = kind.parents_of(record)
            if not parents or any(p in result for p in parents):
                continue
            parent = next((p for p in parents if p in retiring), None)
            if parent is not None:
                b = retiring.pop(parent)
                errors.append(Kesalahan(b.row, "kode", f"{b.record['kode']} still has current children (e.g. "
                                                         f"{record['kode']}); retire them in the same file"))
    return sorted(errors, key=lambda e: e.row)[:MAX_ERRORS]


def periksa_varian(kind: Kind, mode: str, rows: list[Baris], diff: Selisih,
                   current: dict[Key, Record]) -> list[Kesalahan]:
    """A provincial variant stands beside its code's ``umum`` record, which the provincial lampiran then does not
    list (it lists the variant): each lampiran reads one record of a code."""
    if not kind.varian:
        return []
    new = {kind.key_of(r): r for _, r in diff.added} | {kind.key_of(r): r for _, _, r in diff.changed}
    gone = {kind.key_of(r) for _, r in diff.retired}

    def held(key: Key) -> Record | None:  # the record once the import is applied (``hasil``, without a copy)
        return new[key] if key in new else (None if key in gone else current.get(key))

    checked = rows if mode == "full" else [b for b, _ in diff.added] + [b for b, _, _ in diff.changed]
    in_file = {kind.key_of(b.record) for b in checked}
    errors = []
    for b in checked:
        kode, varian = b.record["kode"], b.record["varian"]
        if varian == k.UMUM and k.PROVINSI not in (b.record.get("lingkup") or []):
            continue  # the regency/city lampiran's record (or one no lampiran names): nothing to check
        umum = held((kode, k.UMUM))
        if varian == k.PROVINSI and umum is None:
            errors.append(Kesalahan(b.row, "varian", f"a provinsi variant of {kode} needs the code's umum record "
                                                     "(the regency/city lampiran's) in the list too"))
        elif (umum is not None and k.PROVINSI in (umum.get("lingkup") or []) and held((kode, k.PROVINSI))
              and (varian == k.UMUM or (kode, k.UMUM) not in in_file)):  # said once, on the umum row when given
            errors.append(Kesalahan(b.row, "lingkup", f"{kode} has a provinsi variant: its umum record is not the "
                                                      "provincial lampiran's (lingkup kabupaten_kota)"))
    return errors[:MAX_ERRORS]


def periksa_rujukan(kind: Kind, mode: str, rows: list[Baris], diff: Selisih, context: dict) -> list[Kesalahan]:
    """Codes of other lists a record names (an SKPD's bidang urusan, a price's accounts) are current."""
    if kind.check_refs is None:
        return []
    checked = ([(b, b.record) for b in rows if b.aksi != RETIRED] if mode == "full"
               else list(diff.added) + [(b, new) for b, _, new in diff.changed])
    errors = [Kesalahan(b.row, column, message) for b, record in checked
              for column, message in kind.check_refs(record, context)]
    return errors[:MAX_ERRORS]


def crosswalk(kind: Kind, rows: list[Baris]) -> list[tuple[str, str]]:
    """(old code, new code) pairs the file states, in file order, without repeats."""
    pairs: dict[tuple[str, str], None] = {}
    for b in rows:
        if b.aksi == RETIRED:
            for new in b.kode_pengganti:
                pairs[(b.record["kode"], new)] = None
        else:
            for old in b.kode_lama:
                pairs[(old, b.record["kode"])] = None
    return list(pairs)
