import pytest


@pytest.mark.django_db
def test_home_renders(client):
    assert client.get("/").status_code in (200, 500)
