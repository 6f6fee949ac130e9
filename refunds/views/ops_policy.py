"""Console pages for the refund policy: edit per brand, presets, dry run, publish, history."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from marketplace.api import DomainError
from refunds import selectors
from refunds.forms import DryRunForm, PolicyForm
from refunds.models import PolicyAuditEntry, RefundPolicyVersion
from refunds.policy import PRESETS
from refunds.services import policies


@operator_view
def policy_edit(request):
    version, policy = policies.current_policy()
    source = _("the version in force (v%(number)s)") % {"number": version.number}
    if request.method == "POST":
        form = PolicyForm(request.POST)
        action = request.POST.get("action", "dry_run")
        dry_run_form = DryRunForm(request.POST)
        if form.is_valid():
            if action in ("save_draft", "publish"):
                try:
                    saved = policies.save_version(
                        form.cleaned_data["document"],
                        author=request.user,
                        note=form.cleaned_data["note"],
                        publish=action == "publish",
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    if action == "publish":
                        messages.success(request, _("Policy v%(number)s is now in force for new refund requests.")
                                         % {"number": saved.number})  # fmt: skip
                    else:
                        messages.success(request, _("Draft v%(number)s saved.") % {"number": saved.number})
                    return redirect("refunds:ops_policy_history")
            else:
                last = dry_run_form.cleaned_data["last"] if dry_run_form.is_valid() else 50
                result = selectors.dry_run(form.policy, last=last)
                template = "ops/refunds/_dry_run.html" if request.htmx else "ops/refunds/policy_edit.html"
                return render(request, template, _edit_context(form, dry_run_form, version, source, result=result))
        elif request.htmx:
            return render(request, "ops/refunds/_dry_run.html", {"form_errors": form.errors, "rows": None})
        return render(request, "ops/refunds/policy_edit.html", _edit_context(form, dry_run_form, version, source),
                      status=400)  # fmt: skip
    preset_name = request.GET.get("preset")
    from_version = request.GET.get("from")
    if preset_name in PRESETS:
        policy = PRESETS[preset_name]
        source = _("the preset “%(name)s”") % {"name": preset_name}
    elif from_version and from_version.isdigit():
        other = get_object_or_404(RefundPolicyVersion, number=int(from_version))
        policy = policies.policy_of(other)
        source = _("version %(number)s") % {"number": other.number}
    form = PolicyForm(initial=PolicyForm.initial_for(policy))
    return render(request, "ops/refunds/policy_edit.html", _edit_context(form, DryRunForm(), version, source))


def _edit_context(form, dry_run_form, version, source, result=None) -> dict:
    return {
        "form": form,
        "dry_run_form": dry_run_form,
        "current": version,
        "source": source,
        "presets": list(PRESETS),
        "rows": result.rows if result else None,
        "summary": result.summary if result else None,
    }


@operator_view
def policy_history(request):
    versions = RefundPolicyVersion.objects.select_related("author", "published_by")[:100]
    current = policies.current_version()
    audit = PolicyAuditEntry.objects.select_related("actor", "version")[:200]
    return render(request, "ops/refunds/policy_history.html", {"versions": versions, "current": current,
                                                                "audit": audit})  # fmt: skip


@operator_view
def policy_version(request, number: int):
    version = get_object_or_404(RefundPolicyVersion.objects.select_related("author", "published_by"), number=number)
    current = policies.current_version()
    return render(
        request,
        "ops/refunds/policy_version.html",
        {
            "version": version,
            "current": current,
            "policy": policies.policy_of(version),
            "changes": policies.diff(current.rules, version.rules) if version.pk != current.pk else [],
            "request_count": version.requests.count(),
        },
    )


@require_POST
@operator_view
def policy_publish(request, number: int):
    version = get_object_or_404(RefundPolicyVersion, number=number)
    try:
        policies.publish(version.pk, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Policy v%(number)s is now in force for new refund requests.")
                         % {"number": version.number})  # fmt: skip
    return redirect("refunds:ops_policy_history")
