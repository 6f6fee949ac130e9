"""Shared API plumbing: every error is a JSON body with a readable message, never an HTML 500."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule refused an operation. Services raise it; APIs answer 400 (or ``status_code``)."""

    status_code = 400

    def __init__(self, message: str, *, code: str = "invalid", status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        if status_code is not None:
            self.status_code = status_code


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message, "code": exc.code}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": _("You do not have permission to do this.")}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, RequestDataTooBig):
        body = {"detail": _("The request body is too large."), "code": "request_too_large"}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, SuspiciousOperation):  # too many fields, malformed multipart, ...: Django's own 400
        return Response({"detail": str(exc), "code": "bad_request"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DataError):
        # The last line of defence: serializers bound values by their column (marketplace.serializers), so this
        # only catches a field that forgot to. The database refused the value and nothing was saved.
        logger.warning("database refused a value from %s: %s", context.get("view").__class__.__name__, exc)
        set_rollback()
        body = {"detail": _("A value is out of the range this field accepts."), "code": "out_of_range"}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class ObjectFirstMixin:
    """Detail routes resolve their (scoped) object before anything else, so another tenant's id is a 404 before a
    request body is read or validated: the answer never differs from the one for an id that does not exist."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        lookup = self.lookup_url_kwarg or self.lookup_field
        if lookup in self.kwargs and not getattr(self, "swagger_fake_view", False):
            self.get_object()
