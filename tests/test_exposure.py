"""What the public and the other pemda do not learn: the health's details, the usernames of others."""
from __future__ import annotations

from tests.conftest import client_for


def test_the_public_health_says_up_or_down_only(stack, anonymous, accounts, pusat_admin):
    public = anonymous.get("/api/v1/health")
    assert public.status_code == 200 and public.json() == {"status": "ok"}
    # a user of a pemda is public enough: no details either
    with client_for(stack, accounts("bappeda")) as bappeda:
        assert bappeda.get("/api/v1/health").json() == {"status": "ok"}
    with client_for(stack, pusat_admin) as operator:
        detailed = operator.get("/api/v1/health").json()
    assert detailed["status"] == "ok" and detailed["broker"]["status"] == "ok"
    assert set(detailed["services"]) == {"referensi", "perencanaan", "keuangan", "pemerintahan"}
    assert detailed["database"]["status"] == "ok"
