"""Stored, versioned refund policies: the newest published version applies to new requests only."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from refunds.lock_objects import locked_policy_version
from refunds.models import PolicyAuditEntry, RefundPolicyVersion
from refunds.policy import DEFAULT_POLICY, PRESETS, Policy, PolicyError
from refunds.reasons import policy_message

# Serialises version numbering (pg_advisory_xact_lock key; "refund policy" in ASCII-ish digits).
_VERSION_LOCK = 7_261_001


class PolicyValidationError(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(
            _("The policy is not valid: %(errors)s") % {"errors": "; ".join(f"{k}: {v}" for k, v in errors.items())},
            code="invalid_policy",
        )
        self.errors = errors


def parse(document) -> Policy:
    try:
        policy = Policy.from_json(document)
    except PolicyError as exc:
        raise PolicyValidationError({path: policy_message(m) for path, m in exc.errors.items()}) from exc
    _check_categories(policy)
    return policy


def _check_categories(policy: Policy) -> None:
    from shops.models import Category

    wanted = {brand: rule.excluded_categories for brand, rule in policy.rules.items() if rule.excluded_categories}
    known = set(Category.objects.filter(pk__in=set().union(*wanted.values())).values_list("pk", flat=True))
    errors = {
        f"brands.{brand}.excluded_categories": _("Unknown category ids: %(ids)s.")
        % {"ids": ", ".join(str(pk) for pk in sorted(ids - known))}
        for brand, ids in wanted.items()
        if ids - known
    }
    if errors:
        raise PolicyValidationError(errors)


def current_version() -> RefundPolicyVersion:
    """The newest published version; the default policy is published as v1 on first use."""
    version = (
        RefundPolicyVersion.objects.filter(status=RefundPolicyVersion.Status.PUBLISHED)
        .order_by("-published_at", "-number")
        .first()
    )
    if version is not None:
        return version
    try:
        with transaction.atomic():
            return _create(DEFAULT_POLICY, author=None, note="", publish=True)
    except IntegrityError:
        # Another process published v1 at the same moment.
        return RefundPolicyVersion.objects.filter(status=RefundPolicyVersion.Status.PUBLISHED).latest("published_at")


def current_policy() -> tuple[RefundPolicyVersion, Policy]:
    version = current_version()
    return version, Policy.from_json(version.rules)


def policy_of(version: RefundPolicyVersion) -> Policy:
    return Policy.from_json(version.rules)


def preset(name: str) -> Policy:
    try:
        return PRESETS[name]
    except KeyError as exc:
        raise DomainError(_("Unknown preset %(name)s.") % {"name": name}, code="unknown_preset") from exc


@transaction.atomic
def save_version(document, *, author, note: str = "", publish: bool = False) -> RefundPolicyVersion:
    """Validate and store a new version (a draft, or published at once). Invalid documents change nothing."""
    policy = parse(document)
    return _create(policy, author=author, note=note, publish=publish)


@transaction.atomic
def publish(version_id: int, *, actor) -> RefundPolicyVersion:
    version = locked_policy_version(version_id)
    if version is None:
        raise DomainError(_("No such policy version."), code="not_found", status_code=404)
    if version.status == RefundPolicyVersion.Status.PUBLISHED:
        raise DomainError(_("This version is already published."), code="already_published")
    version.status = RefundPolicyVersion.Status.PUBLISHED
    version.published_by = actor
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_by", "published_at"])
    PolicyAuditEntry.objects.create(
        version=version, action=PolicyAuditEntry.Action.PUBLISHED, actor=actor, detail=_diff_with_previous(version)
    )
    return version


def _create(policy: Policy, *, author, note: str, publish: bool) -> RefundPolicyVersion:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_VERSION_LOCK])
    number = (RefundPolicyVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    now = timezone.now()
    version = RefundPolicyVersion.objects.create(
        number=number,
        rules=policy.to_json(),
        note=note[:300],
        author=author,
        status=RefundPolicyVersion.Status.PUBLISHED if publish else RefundPolicyVersion.Status.DRAFT,
        published_by=author if publish else None,
        published_at=now if publish else None,
    )
    action = PolicyAuditEntry.Action.PUBLISHED if publish else PolicyAuditEntry.Action.DRAFTED
    PolicyAuditEntry.objects.create(version=version, action=action, actor=author, detail=_diff_with_previous(version))
    return version


def _diff_with_previous(version: RefundPolicyVersion) -> dict:
    """What changed against the version in force before this one (for the audit trail)."""
    previous = (
        RefundPolicyVersion.objects.filter(status=RefundPolicyVersion.Status.PUBLISHED)
        .exclude(pk=version.pk)
        .order_by("-published_at", "-number")
        .first()
    )
    if previous is None:
        return {"previous": None, "changes": []}
    return {"previous": previous.number, "changes": diff(previous.rules, version.rules)}


def diff(old: dict, new: dict, prefix: str = "") -> list[dict]:
    changes = []
    for key in sorted(set(old) | set(new)):
        path = f"{prefix}{key}"
        before, after = old.get(key), new.get(key)
        if isinstance(before, dict) and isinstance(after, dict):
            changes.extend(diff(before, after, f"{path}."))
        elif before != after:
            changes.append({"field": path, "before": before, "after": after})
    return changes
