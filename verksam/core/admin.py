"""The admin's base for every audited model (each app's admin builds on it)."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from verksam.core.validation import LONG_TEXT_MAX, check_characters, clean_key


def valid_text(value: str) -> None:
    """The text rules' characters (verksam.core.validation), as a form validator."""
    try:
        check_characters(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from None


def valid_key(value: str) -> None:
    """The key pattern, as a form validator."""
    try:
        clean_key(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid") from None


class InputRules:
    """For a model admin or an inline: the admin is an entrance too."""

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        """The admin is an entrance too: its texts follow the input rules (no refused
        characters, a long text at most LONG_TEXT_MAX characters) and an item's `key` the
        key pattern. (Its numbers are read from the texts, as the loader reads them.)"""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]  # django-stubs' signature is narrower
        if isinstance(field, forms.CharField):
            field.validators.append(valid_text)
            if field.max_length is None:
                field.max_length = LONG_TEXT_MAX
                field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
            if db_field.name == "key":
                field.validators.append(valid_key)
        return field


class AuditedAdmin(InputRules, SimpleHistoryAdmin):
    """Shows an object's history; the history itself is evidence and is never written
    through the admin (simple-history's revert form would save on POST even with revert
    disabled in the settings)."""

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
