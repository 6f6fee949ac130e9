"""Schemathesis over the OpenAPI schema: every operation, as each kind of user. No 5xx; no response that
violates the schema. Inputs are generated from the schema, so new endpoints are covered as they are added.

FUZZ_EXAMPLES (default 6) sets the generated cases per operation and role; raise it for a deeper local run.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from marketplace.wsgi import application
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.shops.factories import SKUFactory, StoreFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
ROLES = ["anonymous", "shopper", "merchant", "operator"]


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's DB connection at request end; the test client avoids
    that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def role_headers(db, keep_test_connection):
    store = StoreFactory()
    SKUFactory(product__store=store)
    users = {"shopper": UserFactory(), "merchant": store.merchant.owner, "operator": OperatorFactory()}
    headers = {"anonymous": {}}
    for role, user in users.items():
        headers[role] = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    return headers


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "6")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_fails_and_matches_its_schema(case, role, role_headers):
    response = case.call(headers=role_headers[role])
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
