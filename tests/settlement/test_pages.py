"""Finance pages: the merchant's statement (page and CSV) and the operator's settlement and commission pages."""

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, OperatorFactory
from tests.refunds.helpers import simple_paid

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_finance_pages_render_for_each_role(client):
    _shopper, suborder, _line = simple_paid()
    login(client, suborder.store.merchant.owner)
    assert client.get(reverse("settlement:seller_statements")).status_code == 200
    csv = client.get(reverse("settlement:seller_statements") + "?format=csv")
    assert csv.status_code == 200 and b"opening_balance" in csv.content
    login(client, OperatorFactory())
    for name in ("settlement:ops_settlement", "settlement:ops_commissions"):
        assert client.get(reverse(name)).status_code == 200, name
