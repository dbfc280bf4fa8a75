"""Who may do what in keuangan: one row per action.

Every role acts in its own pemda only (the pusat administrator in every pemda, audited under its
name); an SKPD operator acts on its own SKPD's records only, and a budget line belongs to the SKPD of
its ceiling's RKPD item (``sipd_common.access.Izin``). Reading follows the kernel's rule
(``sipd_common.access.require_read``). The spending officers (issue 14: PPTK, bendahara pengeluaran and
penerimaan, PPK-SKPD, PA/KPA — each of one SKPD — and the pemda's BUD / kuasa BUD) have their rows here.
"""
from __future__ import annotations

from enum import StrEnum

from sipd_common.access import Izin, Policy, Role


class Aksi(StrEnum):
    CREATE_RINCIAN = "add a budget line (rincian)"
    UPDATE_RINCIAN = "change a budget line (rincian)"
    DELETE_RINCIAN = "delete a budget line (rincian)"
    # -- KUA-PPAS and RKA-SKPD (issue 13) ----------------------------------------------------------------
    SESUAIKAN_PPAS = "adjust a PPAS ceiling"
    SEPAKATI_PPAS = "record the nota kesepakatan KUA-PPAS"
    PUTUSKAN_PERGESERAN = "accept or reject a plan change against an agreed ceiling"
    IMPOR_RKA = "import an SKPD's RKA lines"
    VERIFIKASI_RKA = "write a TAPD verification note on an RKA"
    TANGGAPI_VERIFIKASI = "answer a TAPD verification note"
    # -- the APBD: revenue, financing, evaluation, enactment (apbd/, pendapatan/) --------------------------
    CREATE_PENDAPATAN = "add a revenue target (pendapatan)"
    CREATE_PEMBIAYAAN = "add a financing line (pembiayaan)"
    AJUKAN_APBD = "submit the draft APBD to its evaluator"
    EVALUASI_APBD = "record the evaluation of a draft APBD"
    TETAPKAN_APBD = "enact the APBD (Perda and Perkada penjabaran)"
    # -- DPA-SKPD and its cash plan (dpa/) -------------------------------------------------------------------
    BUAT_DPA = "generate the DPA-SKPD from the enacted APBD"
    BUAT_VERSI_DPA = "make a new version of a DPA-SKPD (an amended budget)"
    UBAH_KAS = "edit a draft DPA's cash plan (anggaran kas)"
    SAHKAN_DPA = "authorise a DPA-SKPD version (PPKD)"
    # -- the APBD-P and the pergeseran of an enacted APBD (perubahan/) --------------------------------------
    BUKA_PERUBAHAN = "open the APBD-P (perubahan) from the enacted APBD"
    UBAH_PERUBAHAN = "change a budget position in the open APBD-P"
    AJUKAN_PERUBAHAN = "submit the APBD-P to its evaluator"
    EVALUASI_PERUBAHAN = "record the evaluation of an APBD-P"
    TETAPKAN_PERUBAHAN = "enact the APBD-P (Perda and Perkada penjabaran)"
    GESER_ANGGARAN = "shift budget between positions of an enacted APBD (pergeseran)"
    # -- the budget's schedule windows (jadwal/) -------------------------------------------------------------
    KELOLA_JADWAL_ANGGARAN = "schedule the budget's stages or extend a window"
    KUNCI_TAHAP_ANGGARAN = "lock a budget stage (its snapshot)"
    BUKA_KEMBALI_TAHAP_ANGGARAN = "reopen a locked budget stage"
    # -- penatausahaan (issue 14): spending documents, revenue received ----------------------------------
    BUAT_SPD = "draft an SPD"
    OTORISASI_SPD = "authorise an SPD"
    TETAPKAN_BESARAN_UP = "set an SKPD's UP size"
    AJUKAN_PENGESAHAN = "submit an SPJ or a TU request"
    SETUJUI_SPJ = "approve an SPJ"
    SETUJUI_TU = "approve a TU request"
    BUAT_SPP = "draft an SPP"
    AJUKAN_SPP = "submit an SPP"
    VERIFIKASI_SPP = "verify or reject an SPP"
    KEMBALIKAN_TU = "return the unused part of a TU"
    BUAT_SPM = "draft an SPM"
    TANDATANGANI_SPM = "sign an SPM"
    PUTUSKAN_SPM = "accept or reject an SPM"
    BUAT_SP2D = "draft an SP2D"
    TERBITKAN_SP2D = "issue an SP2D"
    CAIRKAN_SP2D = "record an SP2D as disbursed"
    BUAT_TBP = "record a receipt (TBP)"
    BUAT_STS = "deposit receipts (STS)"
    VALIDASI_STS = "validate a deposit (STS)"


POLICY = Policy("keuangan", {
    Aksi.CREATE_RINCIAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD, Role.SKPD_OPERATOR),
    Aksi.UPDATE_RINCIAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD, Role.SKPD_OPERATOR),
    Aksi.DELETE_RINCIAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD, Role.SKPD_OPERATOR),
    # -- KUA-PPAS and RKA-SKPD (issue 13): TAPD sets and agrees the ceilings and verifies; the SKPD prices and answers
    Aksi.SESUAIKAN_PPAS: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.SEPAKATI_PPAS: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.PUTUSKAN_PERGESERAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.IMPOR_RKA: Izin.of(Role.PUSAT_ADMIN, Role.TAPD, Role.SKPD_OPERATOR),
    Aksi.VERIFIKASI_RKA: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.TANGGAPI_VERIFIKASI: Izin.of(Role.PUSAT_ADMIN, Role.SKPD_OPERATOR),
    # -- the APBD ----------------------------------------------------------------------------------------
    # PAD targets per SKPD (an SKPD operator: its own SKPD's); transfers and financing are the PPKD's (TAPD)
    Aksi.CREATE_PENDAPATAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD, Role.SKPD_OPERATOR),
    Aksi.CREATE_PEMBIAYAAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.AJUKAN_APBD: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    # the level above evaluates: the province's administrator for its regencies/cities, the pusat for provinces
    Aksi.EVALUASI_APBD: Izin.of(Role.PUSAT_ADMIN, Role.PROVINSI_ADMIN, evaluator=True),
    Aksi.TETAPKAN_APBD: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    # -- DPA-SKPD: TAPD/BPKAD as PPKD generates and authorises; the SKPD plans its own cash (TAPD may too) --
    Aksi.BUAT_DPA: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.BUAT_VERSI_DPA: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.UBAH_KAS: Izin.of(Role.PUSAT_ADMIN, Role.TAPD, Role.SKPD_OPERATOR),
    Aksi.SAHKAN_DPA: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    # -- the APBD-P: TAPD opens, changes, submits and enacts it, the level above evaluates it as it does the APBD
    # (its KUA-PPAS perubahan is TAPD's as the murni one is); a pergeseran is approved by the PPKD or the Sekda,
    # each within the authority the rule table ``kewenangan_pergeseran`` gives its role (perubahan/domain.py)
    Aksi.BUKA_PERUBAHAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.UBAH_PERUBAHAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.AJUKAN_PERUBAHAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.EVALUASI_PERUBAHAN: Izin.of(Role.PUSAT_ADMIN, Role.PROVINSI_ADMIN, evaluator=True),
    Aksi.TETAPKAN_PERUBAHAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.GESER_ANGGARAN: Izin.of(Role.PUSAT_ADMIN, Role.PPKD, Role.SEKDA),
    # -- the budget's schedule: TAPD schedules, extends, locks and reopens its stages (as Bappeda its plan's)
    Aksi.KELOLA_JADWAL_ANGGARAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.KUNCI_TAHAP_ANGGARAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    Aksi.BUKA_KEMBALI_TAHAP_ANGGARAN: Izin.of(Role.PUSAT_ADMIN, Role.TAPD),
    # -- penatausahaan (issue 14). Who makes a document never checks it (the domain's ``pemeriksa``); the
    # SKPD-bound roles act on their own SKPD's documents only. The BUD / kuasa BUD issue SPD and SP2D.
    Aksi.BUAT_SPD: Izin.of(Role.PUSAT_ADMIN, Role.BUD, Role.KUASA_BUD),
    Aksi.OTORISASI_SPD: Izin.of(Role.PUSAT_ADMIN, Role.BUD, Role.KUASA_BUD),
    Aksi.TETAPKAN_BESARAN_UP: Izin.of(Role.PUSAT_ADMIN, Role.BUD),
    Aksi.AJUKAN_PENGESAHAN: Izin.of(Role.PUSAT_ADMIN, Role.BENDAHARA_PENGELUARAN, Role.PPTK),
    Aksi.SETUJUI_SPJ: Izin.of(Role.PUSAT_ADMIN, Role.PPK_SKPD, Role.PA_KPA),
    Aksi.SETUJUI_TU: Izin.of(Role.PUSAT_ADMIN, Role.BUD, Role.KUASA_BUD),
    Aksi.BUAT_SPP: Izin.of(Role.PUSAT_ADMIN, Role.BENDAHARA_PENGELUARAN, Role.PPTK),
    Aksi.AJUKAN_SPP: Izin.of(Role.PUSAT_ADMIN, Role.BENDAHARA_PENGELUARAN),
    Aksi.VERIFIKASI_SPP: Izin.of(Role.PUSAT_ADMIN, Role.PPK_SKPD),
    Aksi.KEMBALIKAN_TU: Izin.of(Role.PUSAT_ADMIN, Role.BENDAHARA_PENGELUARAN),
    Aksi.BUAT_SPM: Izin.of(Role.PUSAT_ADMIN, Role.PPK_SKPD),
    Aksi.TANDATANGANI_SPM: Izin.of(Role.PUSAT_ADMIN, Role.PA_KPA),
    Aksi.PUTUSKAN_SPM: Izin.of(Role.PUSAT_ADMIN, Role.BUD, Role.KUASA_BUD),
    Aksi.BUAT_SP2D: Izin.of(Role.PUSAT_ADMIN, Role.BUD, Role.KUASA_BUD),
    Aksi.TERBITKAN_SP2D: Izin.of(Role.PUSAT_ADMIN, Role.BUD, Role.KUASA_BUD),
    Aksi.CAIRKAN_SP2D: Izin.of(Role.PUSAT_ADMIN, Role.BUD, Role.KUASA_BUD),
    Aksi.BUAT_TBP: Izin.of(Role.PUSAT_ADMIN, Role.BENDAHARA_PENERIMAAN),
    Aksi.BUAT_STS: Izin.of(Role.PUSAT_ADMIN, Role.BENDAHARA_PENERIMAAN),
    Aksi.VALIDASI_STS: Izin.of(Role.PUSAT_ADMIN, Role.BUD, Role.KUASA_BUD),
})
