"""The audit log of operator actions (django-auditlog): which models are tracked is settings
(AUDITLOG_INCLUDE_TRACKING_MODELS), so no app imports another to be audited. This module records who acted (also
for API-token requests, whose user DRF sets after the middlewares ran) and shows the log: a console page with
filters (/ops/audit/) and GET /api/v1/ops/audit/."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from accounts.decorators import IsOperator, operator_view

ACTIONS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
    LogEntry.Action.ACCESS: _("viewed"),
}


class AuditActorMiddleware(AuditlogMiddleware):
    """auditlog's middleware reads ``request.user`` before the view runs, when a token-authenticated API request is
    still anonymous. The actor here is looked up when an entry is written, after DRF has authenticated."""

    @staticmethod
    def _get_actor(request):
        def current_user():
            user = getattr(request, "user", None)
            return user if user is not None and user.is_authenticated else None

        return SimpleLazyObject(current_user)


def tracked_models() -> list[ContentType]:
    ids = LogEntry.objects.values_list("content_type_id", flat=True).distinct()
    return sorted(ContentType.objects.filter(pk__in=list(ids)), key=lambda ct: (ct.app_label, ct.model))


def parse_day(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def entries(params) -> tuple:
    """The log, newest first, narrowed by the query parameters: model (app_label.model), actor (username),
    action (create/update/delete), object (its id), since / until (YYYY-MM-DD, inclusive)."""
    rows = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    filters = {}
    model = (params.get("model") or "").strip().lower()
    if "." in model:
        app_label, model_name = model.split(".", 1)
        rows = rows.filter(content_type__app_label=app_label, content_type__model=model_name)
        filters["model"] = model
    actor = (params.get("actor") or "").strip()
    if actor:
        rows = rows.filter(actor__username=actor) if actor != "-" else rows.filter(actor__isnull=True)
        filters["actor"] = actor
    action = (params.get("action") or "").strip().lower()
    codes = {"create": LogEntry.Action.CREATE, "update": LogEntry.Action.UPDATE, "delete": LogEntry.Action.DELETE}
    if action in codes:
        rows = rows.filter(action=codes[action])
        filters["action"] = action
    object_id = (params.get("object") or "").strip()
    if object_id.isdigit() and len(object_id) < 19:
        rows = rows.filter(object_id=int(object_id))
        filters["object"] = object_id
    tz = timezone.get_current_timezone()
    since, until = parse_day(params.get("since")), parse_day(params.get("until"))
    if since:
        rows = rows.filter(timestamp__gte=datetime.datetime.combine(since, datetime.time.min, tz))
        filters["since"] = since.isoformat()
    if until:
        rows = rows.filter(
            timestamp__lt=datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tz)
        )
        filters["until"] = until.isoformat()
    return rows, filters


@operator_view
def audit_log_page(request):
    rows, filters = entries(request.GET)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = urlencode(filters)
    context = {"page": page, "filters": filters, "query": query, "models": tracked_models(), "actions": ACTIONS}
    return render(request, "ops/audit.html", context)


class AuditEntrySerializer(serializers.ModelSerializer):
    model = serializers.SerializerMethodField()
    action = serializers.SerializerMethodField()
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True, help_text="null: the system")
    changes = serializers.JSONField(source="changes_dict", help_text='{"field": [before, after]}')

    class Meta:
        model = LogEntry
        fields = ["id", "timestamp", "actor", "remote_addr", "model", "object_id", "object_repr", "action", "changes"]

    def get_model(self, entry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"

    def get_action(self, entry) -> str:
        return {0: "create", 1: "update", 2: "delete", 3: "access"}.get(entry.action, str(entry.action))


class AuditLogView(generics.ListAPIView):
    """Operator actions and what they changed, newest first (operators only)."""

    permission_classes = [IsOperator]
    serializer_class = AuditEntrySerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("model", str, description="app_label.model, e.g. promotions.campaign"),
            OpenApiParameter("actor", str, description="username; '-' for changes made by the system"),
            OpenApiParameter("action", str, enum=["create", "update", "delete"]),
            OpenApiParameter("object", str, description="the changed object's id"),
            OpenApiParameter("since", datetime.date),
            OpenApiParameter("until", datetime.date),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return entries(self.request.query_params)[0]
