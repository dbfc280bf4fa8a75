"""Log lines: JSON objects on demand with what is known of the request, files that rotate."""
from __future__ import annotations

import json
import logging
from types import SimpleNamespace

from sipd_common import logging as sipd_logging
from sipd_common.logging import (
    PROCESS, RequestIdFilter, _scope_of, formatter, handler, pemda_var, request_id_var, tahun_var,
)


def _record(message: str = "rincian %s saved", *args) -> logging.LogRecord:
    record = logging.LogRecord("keuangan.rincian", logging.INFO, __file__, 1, message, args or ("r-1",), None)
    RequestIdFilter().filter(record)
    return record


def test_json_lines_carry_the_request_the_service_the_pemda_and_the_year(monkeypatch):
    monkeypatch.setenv("SIPD_LOG_FORMAT", "json")
    monkeypatch.setitem(PROCESS, "service", "keuangan")
    monkeypatch.setitem(PROCESS, "instance", "keuangan-2")
    tokens = request_id_var.set("abc123"), pemda_var.set("32.73"), tahun_var.set(2027)
    try:
        line = formatter().format(_record())
    finally:
        for var, token in zip((request_id_var, pemda_var, tahun_var), tokens):
            var.reset(token)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "rincian r-1 saved"
    assert (data["request_id"], data["service"], data["instance"]) == ("abc123", "keuangan", "keuangan-2")
    assert (data["kode_pemda"], data["tahun"], data["level"], data["logger"]) == ("32.73", 2027, "INFO",
                                                                                 "keuangan.rincian")
    assert data["time"].endswith("Z")


def test_json_lines_leave_out_what_is_not_known_and_keep_a_traceback_on_one_line(monkeypatch):
    monkeypatch.setenv("SIPD_LOG_FORMAT", "json")
    try:
        raise ValueError("boom")
    except ValueError:
        import sys
        record = _record()
        record.exc_info = sys.exc_info()
    line = formatter().format(record)
    data = json.loads(line)
    assert "kode_pemda" not in data and "tahun" not in data and data["request_id"] == "-"
    assert "ValueError: boom" in data["exc"] and "\n" not in line


def test_lines_by_default(monkeypatch):
    monkeypatch.delenv("SIPD_LOG_FORMAT", raising=False)
    assert formatter().format(_record()).endswith("INFO keuangan.rincian request_id=- rincian r-1 saved")


def test_a_log_file_rotates_and_keeps_the_backups_asked(monkeypatch, tmp_path):
    path = tmp_path / "keuangan-1.log"
    monkeypatch.setenv("SIPD_LOG_FILE", str(path))
    monkeypatch.setenv("SIPD_LOG_MAX_BYTES", "1000")
    monkeypatch.setenv("SIPD_LOG_BACKUPS", "2")
    file_handler = handler()
    file_handler.setFormatter(logging.Formatter("%(message)s"))
    try:
        for i in range(100):
            file_handler.emit(_record("line %s " + "x" * 40, i))
    finally:
        file_handler.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keuangan-1.log", "keuangan-1.log.1", "keuangan-1.log.2"]
    assert all(p.stat().st_size <= 1000 for p in tmp_path.iterdir())
    assert "line 99 " in path.read_text()


def test_standard_error_without_a_file(monkeypatch):
    monkeypatch.delenv("SIPD_LOG_FILE", raising=False)
    assert type(handler()) is logging.StreamHandler


class _Service:
    def create_rincian(self, kode_pemda, tahun, data, idempotency_key=None): ...

    def health(self): ...


def _worker(method: str, *args, **kwargs):
    return SimpleNamespace(args=args, kwargs=kwargs, container=SimpleNamespace(service_cls=_Service),
                           entrypoint=SimpleNamespace(method_name=method))


def test_the_pemda_and_year_of_a_call_or_an_event():
    assert _scope_of(_worker("create_rincian", "32.73", 2027, {})) == ("32.73", 2027)
    assert _scope_of(_worker("create_rincian", kode_pemda="32.01", tahun=2028, data={})) == ("32.01", 2028)
    assert _scope_of(_worker("health")) == (None, None)
    event = {"event_id": "e-1", "kode_pemda": "32.73", "tahun": 2027, "aggregate_id": "x"}
    assert _scope_of(_worker("on_rkpd_saved", event)) == ("32.73", 2027)
    # what is not a code or a year is not believed
    assert _scope_of(_worker("create_rincian", {"x": 1}, "2027", {})) == (None, None)
    assert sipd_logging._positions[(_Service, "create_rincian")] == (0, 1)  # read once per method
