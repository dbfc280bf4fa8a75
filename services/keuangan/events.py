"""Events keuangan publishes (exchange ``keuangan.events``)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from sipd_common.events import Event
from sipd_common.money import Amount, Money

StatusPlafon = Literal["sesuai", "melebihi_plafon", "tanpa_rencana"]


class PlafonChanged(Event):
    """The ceiling of an RKPD item, or the budget lines under it, changed; carries the whole state."""

    name = "apbd.plafon.changed"
    version = 1
    source = "keuangan"

    kode_skpd: str
    kode_sub_kegiatan: str
    kode_bidang_urusan: str
    pagu: Money = Field(description="The ceiling (plafon), from the RKPD item's pagu indikatif.")
    total_rincian: Amount = Field(description="Sum of the budget lines under this ceiling.")
    status: StatusPlafon = Field(description="`melebihi_plafon`: lines above the ceiling; `tanpa_rencana`: the plan item was deleted.")
