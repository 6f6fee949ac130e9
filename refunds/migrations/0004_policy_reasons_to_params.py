"""Policy reasons were stored with an English message; they are now a code with parameters (rendered in the
reader's language by refunds.reasons). Recover the parameters of old rows from their messages."""

import re

from django.db import migrations

PARAMS = {
    "amount_over_limit": re.compile(r"amount (?P<amount>[\d.]+) is above the instant-refund limit (?P<limit>[\d.]+)"),
    "too_late": re.compile(r"More than (?P<hours>[\d.]+) hours"),
}


def forwards(apps, schema_editor):
    RefundRequest = apps.get_model("refunds", "RefundRequest")
    changed = []
    for request in RefundRequest.objects.exclude(policy_decision={}).iterator(chunk_size=2000):
        reasons = (request.policy_decision or {}).get("reasons") or []
        if not any("message" in reason for reason in reasons):
            continue
        converted = []
        for reason in reasons:
            params = dict(reason.get("params") or {})
            pattern = PARAMS.get(reason.get("code"))
            match = pattern.search(reason.get("message", "")) if pattern else None
            if match:
                params.update(match.groupdict())
            converted.append({"code": reason.get("code", ""), "params": params})
        request.policy_decision = {**request.policy_decision, "reasons": converted}
        changed.append(request)
    RefundRequest.objects.bulk_update(changed, ["policy_decision"], batch_size=1000)
    # The default version's note named a spec file; the page now says "the platform's default policy" instead.
    apps.get_model("refunds", "RefundPolicyVersion").objects.filter(note="DESIGN.md default").update(note="")


class Migration(migrations.Migration):
    dependencies = [("refunds", "0003_merge_shipping_and_review_clock")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
