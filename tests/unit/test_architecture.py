"""The shape's import rules hold (``.importlinter``): services share no code, the gateway knows no
service, contracts are data, the kernel stands below everything, domain modules are pure."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "BROKEN" not in done.stdout, done.stdout[-6000:] + done.stderr[-2000:]
    assert done.stdout.count("KEPT") == 6, done.stdout  # every contract of the file was checked


def test_a_broken_rule_is_caught(tmp_path):
    """The check can fail: a config forbidding what the gateway really imports is reported broken."""
    config = tmp_path / "probe.ini"
    config.write_text("[importlinter]\nroot_packages =\n    gateway\n    contracts\n\n"
                      "[importlinter:contract:probe]\nname = probe\ntype = forbidden\n"
                      "source_modules =\n    gateway\nforbidden_modules =\n    contracts\n")
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint), "--config", str(config), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout
