"""After login each role lands where it works; a shopper goes back where they were."""

import pytest

from shops.models import StaffRole, StoreStaff
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def log_in(client, user, next_url=None):
    user.set_password(PASSWORD)
    user.save()
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": PASSWORD})


def test_merchant_staff_land_in_the_workbench_and_operators_in_the_console(client):
    clerk = UserFactory()
    StoreStaff.objects.create(store=StoreFactory(), user=clerk, role=StaffRole.CUSTOMER_SERVICE)
    assert log_in(client, clerk)["Location"] == "/seller/"
    client.logout()
    assert log_in(client, clerk, "/")["Location"] == "/seller/"
    client.logout()
    assert log_in(client, OperatorFactory())["Location"] == "/ops/"


def test_a_shopper_goes_back_where_they_were_or_home(client):
    shopper = UserFactory()
    assert log_in(client, shopper, "/p/12/")["Location"] == "/p/12/"
    client.logout()
    assert log_in(client, shopper)["Location"] == "/"
    client.logout()
    assert log_in(client, shopper, "https://evil.example/")["Location"] == "/"
