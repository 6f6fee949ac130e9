"""One rule for every input serializer: a number or a text goes no further than the database column it ends up
in. DRF's ModelSerializer derives those bounds for the fields it builds; a plain Serializer (most input serializers
here, since they feed services rather than models) gets them from ``ColumnBoundSerializer``."""

from __future__ import annotations

import copy

from django.core import validators
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from rest_framework import serializers

# The narrowest integer column the project writes to (PositiveIntegerField/IntegerField): an integer input with no
# model field to go by is held to it, so no value can overflow the column it is eventually stored in.
INTEGER_COLUMN = "IntegerField"


def column_range(model_field: models.Field | None) -> tuple[int | None, int | None]:
    """The (min, max) a model integer field's column holds, narrowed by the field's own validators."""
    internal_type = model_field.get_internal_type() if model_field is not None else INTEGER_COLUMN
    low, high = connection.ops.integer_field_range(internal_type)
    for validator in getattr(model_field, "validators", []):
        if isinstance(validator, validators.MinValueValidator) and not callable(validator.limit_value):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if isinstance(validator, validators.MaxValueValidator) and not callable(validator.limit_value):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def bound_integer(field: serializers.IntegerField, model_field: models.Field | None) -> None:
    low, high = column_range(model_field)
    if field.min_value is None and low is not None:
        field.min_value = low
        message = field.error_messages["min_value"].format(min_value=low)
        field.validators.append(validators.MinValueValidator(low, message=message))
    if field.max_value is None and high is not None:
        field.max_value = high
        message = field.error_messages["max_value"].format(max_value=high)
        field.validators.append(validators.MaxValueValidator(high, message=message))


def bound_text(field: serializers.CharField, model_field: models.Field | None) -> None:
    max_length = getattr(model_field, "max_length", None)
    if field.max_length is None and max_length is not None:
        field.max_length = max_length
        message = field.error_messages["max_length"].format(max_length=max_length)
        field.validators.append(validators.MaxLengthValidator(max_length, message=message))


class ColumnBoundSerializer(serializers.Serializer):
    """Input serializer whose fields are bounded by their columns. ``Meta.model`` (optional) names the model the
    fields are written to; a field named like a model field (or whose ``source`` is one) gets that column's integer
    range / max_length unless it declares its own. Integer fields with no model field get the 32-bit column range.
    Nested serializers and list children are bounded the same way."""

    def get_fields(self):
        fields = super().get_fields()
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name, field in fields.items():
            apply_column_bounds(field, model_field_named(model, field.source or name))
        return fields


def model_field_named(model, name: str) -> models.Field | None:
    if model is None or not name or "." in name or name == "*":
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def apply_column_bounds(field, model_field: models.Field | None) -> None:
    if isinstance(field, serializers.ListField | serializers.DictField):
        apply_column_bounds(field.child, None)
    elif field.read_only:
        return
    elif isinstance(field, serializers.IntegerField):
        if model_field is None or isinstance(model_field, models.IntegerField):
            bound_integer(field, model_field)
    elif isinstance(field, serializers.CharField) and model_field is not None:
        bound_text(field, model_field)


class FieldsBuiltOnce:
    """For answer serializers (read-only, no per-request fields): a ModelSerializer introspects its model to build
    its fields on every instance, which costs more than rendering a whole order. Built once per class, then
    copied for each instance as DRF copies declared fields (``copy.deepcopy`` re-creates each field from its
    arguments). Not for serializers whose ``get_fields`` depends on the request or alters fields after building."""

    def get_fields(self):
        built = type(self).__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            type(self)._fields_built_once = built  # kept unbound: each instance binds its own copy
        return copy.deepcopy(built)
