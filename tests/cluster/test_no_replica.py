"""With no replica configured the router changes nothing."""

from __future__ import annotations

import pytest

from newsroom import db_router
from tests.factories import PressReleaseFactory


@pytest.mark.django_db
def test_without_replicas_nothing_changes(client):
    """No DATABASE_REPLICA_URLS: no alias, no router, every query on default."""
    assert db_router.replica_aliases() == []
    PressReleaseFactory(title="Plain release")
    response = client.get("/releases/")
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "newsroom_read_from")
