"""referensi's unit of work in memory: the versions, the lists' states, the crosswalk, the streams."""
from __future__ import annotations

from services.referensi.impor.domain import KINDS
from services.referensi.kodefikasi import domain as k
from sipd_common.fakes import FakeRepository, FakeUnitOfWork


class FakeKodefikasiRepository(FakeRepository):
    def __init__(self, versions: list[k.Versi] = ()):
        self.versi: list[k.Versi] = list(versions)

    def __deepcopy__(self, memo):
        return self  # another repository refers to this one: the reference is kept, its state is saved on its own

    def versions(self) -> list[k.Versi]:
        return sorted(self.versi, key=lambda v: v.urutan)

    def add_version(self, v: k.Versi) -> None:
        assert v.kode not in {x.kode for x in self.versi}, f"version {v.kode} added twice"
        self.versi.append(v)


class FakeImporRepository(FakeRepository):
    """Every state of every record, as the real tables keep them (valid from one version until another)."""

    def __init__(self, kodefikasi: FakeKodefikasiRepository):
        self._kodefikasi = kodefikasi
        self.states: dict[str, list[dict]] = {name: [] for name in KINDS}
        self.crosswalk: list[tuple[str, str, str, str, str]] = []  # kind, kode_pemda, old, new, version
        self.imports: list[dict] = []
        self.locks: list[tuple[str, tuple]] = []
        self.analyzed: list[str] = []
        self.revisi = 0

    def _in(self, kind: str, scope: dict) -> list[dict]:
        return [s for s in self.states[kind] if all(s[c] == v for c, v in scope.items())]

    def lock_list(self, kind: str, scope: dict) -> None:
        self.locks.append((kind, tuple(scope.values())))

    def current_records(self, kind: str, scope: dict) -> dict[tuple, dict]:
        return {KINDS[kind].key_of(s): dict(s) for s in self._in(kind, scope) if s["valid_until"] is None}

    def retired_keys(self, kind: str, scope: dict, kodes: list[str]) -> set[tuple]:
        return {KINDS[kind].key_of(s) for s in self._in(kind, scope)
                if s["valid_until"] is not None and s["kode"] in kodes}

    def latest_version_used(self, kind: str, scope: dict) -> str | None:
        used = {s["valid_from"] for s in self._in(kind, scope)} | {
            s["valid_until"] for s in self._in(kind, scope) if s["valid_until"]}
        order = [v.kode for v in self._kodefikasi.versions() if v.kode in used]
        return order[-1] if order else None

    def existing_crosswalk(self, kind: str, kode_pemda: str, pairs: list[tuple[str, str]]) -> set:
        return {(old, new) for c, p, old, new, _ in self.crosswalk if (c, p) == (kind, kode_pemda)
                and (old, new) in pairs}

    def pengganti(self, kind: str, kodes: list[str], kode_pemda: str = "") -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for c, p, old, new, _ in self.crosswalk:
            if (c, p) == (kind, kode_pemda) and old in kodes:
                found.setdefault(old, []).append(new)
        return {old: sorted(new) for old, new in found.items()}

    def context(self, kind: str) -> dict:
        """What records of ``kind`` refer to in other lists: as the real one, from the current lists."""
        current = [s for s in self.states["nomenklatur"] + self.states["rekening"] if s["valid_until"] is None]
        if kind == "skpd":
            return {"bidang_urusan": {s["kode"] for s in current if s["tingkat"] == "bidang_urusan"}}
        if kind == "standar_harga":
            return {"rekening_belanja": {s["kode"] for s in current
                                         if s.get("akun") == "belanja" and s["tingkat"] == "sub_rincian_objek"}}
        return {}

    def apply(self, kind: str, kode_versi: str, added: list[dict], changed: list[dict],
              retired: list[dict]) -> dict[tuple, int]:
        """As the real one: a state of this version that changes again is replaced, one retired in the version it
        began in stays (valid in no version) until the record is added again; any other current state is closed."""
        spec = KINDS[kind]
        revisi: dict[tuple, int] = {}

        def state_of(key: tuple, until: str | None) -> list[dict]:
            return [s for s in self.states[kind] if spec.key_of(s) == key and s["valid_until"] == until]

        for aksi, records in (("added", added), ("changed", changed), ("retired", retired)):
            for record in records:
                key = spec.key_of(record)
                if aksi == "added":
                    for gone in [s for s in state_of(key, kode_versi) if s["valid_from"] == kode_versi]:
                        self.states[kind].remove(gone)
                    continue
                [state] = state_of(key, None)
                self.revisi += 1
                if aksi == "changed" and state["valid_from"] == kode_versi:
                    self.states[kind].remove(state)
                else:
                    state.update(valid_until=kode_versi, revisi=self.revisi)
                revisi[key] = self.revisi
        for record in added + changed:
            self.revisi += 1
            self.states[kind].append({**record, "valid_from": kode_versi, "valid_until": None, "revisi": self.revisi})
            revisi[spec.key_of(record)] = self.revisi
        return revisi

    def add_crosswalk(self, kind: str, kode_pemda: str, kode_versi: str, pairs: list[tuple[str, str]]) -> None:
        self.crosswalk += [(kind, kode_pemda, old, new, kode_versi) for old, new in pairs]

    def record_import(self, values: dict) -> int:
        self.imports.append(values)
        return len(self.imports)

    def analyze(self, kind: str) -> None:
        self.analyzed.append(kind)


class FakeReplikasiRepository(FakeRepository):
    def __init__(self):
        self.aliran: dict[str, int] = {}

    def next_places(self, kind: str, count: int) -> list[int]:
        first = self.aliran.get(kind, 0) + 1
        if count > 0:
            self.aliran[kind] = first + count - 1
        return list(range(first, first + count))

    def position(self, kind: str) -> int:
        return self.aliran.get(kind, 0)


class FakeReferensiUnitOfWork(FakeUnitOfWork):
    def __init__(self, versions: list[k.Versi] = ()):
        self._versions = list(versions)
        super().__init__("referensi")

    def attach(self) -> None:
        self.kodefikasi = FakeKodefikasiRepository(self._versions)
        self.impor = FakeImporRepository(self.kodefikasi)
        self.replikasi = FakeReplikasiRepository()
