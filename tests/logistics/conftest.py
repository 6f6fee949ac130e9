import pytest

from tests.refunds.helpers import ledger_check_fixture


@pytest.fixture(autouse=True)
def ledger_checked(request):
    """After every database scenario the whole ledger (with late-shipment compensations) must be consistent."""
    yield from ledger_check_fixture(request)
