"""The cached user and token lookups: served from the cache, and dropped the moment the rows change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from tests.accounts.factories import UserFactory

ME = "/api/v1/orders/"


@pytest.mark.django_db
def test_a_token_is_looked_up_once_then_served_from_the_cache(api_client):
    user = UserFactory()
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get(ME).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(ME).status_code == 200
    assert not any("authtoken_token" in q["sql"] or 'FROM "accounts_user"' in q["sql"] for q in queries)


@pytest.mark.django_db(transaction=True)
def test_a_deleted_token_or_a_deactivated_user_is_refused_at_once(api_client):
    user = UserFactory()
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get(ME).status_code == 200
    user.is_active = False
    user.save()
    assert api_client.get(ME).status_code in (401, 403)
    user.is_active = True
    user.save()
    assert api_client.get(ME).status_code == 200
    token.delete()  # logout / rotation
    assert api_client.get(ME).status_code in (401, 403)


@pytest.mark.django_db
def test_an_unknown_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert api_client.get(ME).status_code in (401, 403)
