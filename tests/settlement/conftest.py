import pytest

from tests.refunds.helpers import ledger_check_fixture


@pytest.fixture(autouse=True)
def ledger_checked(request):
    yield from ledger_check_fixture(request)
