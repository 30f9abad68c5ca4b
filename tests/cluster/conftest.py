"""A second database alias that mirrors ``default``: a replica with no lag.

Routing decisions are tested against it (which connection ran the queries);
the real lag of a streaming replica is exercised by ``make cluster-test``
(ops/cluster_test.py), which runs a PostgreSQL primary and replica.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections

from newsroom import db_router

ALIAS = "replica_1"

#: Tests that read through the replica alias: committed rows (a real
#: transaction per test), and both aliases allowed.
uses_replica = pytest.mark.django_db(transaction=True, databases=["default", ALIAS])


@pytest.fixture(scope="module")
def replica_alias() -> Iterator[str]:
    """Register ``replica_1`` as a test mirror of ``default`` for one module.

    Module-scoped so it exists before pytest-django checks the test's
    databases; removed afterwards so no other test sees a replica.
    """
    default = connections["default"].settings_dict
    connections.settings[ALIAS] = {
        **default,
        "TEST": {**default.get("TEST", {}), "MIRROR": "default"},
    }
    try:
        yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


@pytest.fixture
def replica(replica_alias, settings) -> Iterator[str]:
    """The router installed and the lag probe reset before and after."""
    settings.DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
    db_router.set_lag_probe(None)
    try:
        yield replica_alias
    finally:
        db_router.set_lag_probe(None)
