"""Files as operators receive them (CSV, XLSX) and the limits an XLSX is held to before it is read: the kernel's
``sipd_common.berkas``, shared with keuangan's RKA import."""
from sipd_common.berkas import (  # noqa: F401
    MAX_COLUMNS, MAX_ROWS, XLSX_MAGIC, XLSX_MAX_ENTRIES, XLSX_MAX_UNPACKED_BYTES, BerkasTidakTerbaca, baca, format_of,
    periksa_ukuran, periksa_zip,
)
