import pytest
from django.contrib import admin
from django.urls import reverse

from marketplace.admin import ReadOnlyAdmin
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_renders_for_an_operator(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    failures = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status = client.get(url).status_code
        if status != 200:
            failures.append(f"{url}: {status}")
    assert not failures


def test_domain_records_are_read_only_in_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    read_only = [model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ReadOnlyAdmin)]
    assert {m._meta.label for m in read_only} >= {"orders.Order", "payments.JournalEntry", "refunds.RefundRequest"}
    for model in read_only:
        assert client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")).status_code == 403
