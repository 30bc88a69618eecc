"""Saving a posted versioned form (`forms.VersionedForm`) through its service, for the pages of
every app that edits a versioned report (follow-up: status, outcome, assessment, judgement;
economy: forecast, carry-over decision). Views import it from here, not from each other."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from verksam.followup.forms import VersionedForm
from verksam.followup.models import Versioned
from verksam.followup.services import EditConflict


@dataclass
class Edit:
    """A posted form of a versioned report after trying to save it."""

    form: VersionedForm
    saved: bool = False
    conflict: Versioned | None = None
    result: object = None  # what the service returned, once saved


def edit_versioned(
    request: HttpRequest, form_class: type[VersionedForm], save: Callable[..., object]
) -> Edit:
    """Check the posted form and save it through `save` (a service taking the form's
    `service_kwargs()`). If someone else saved in between, the form is bound again to their
    version, keeping what the user typed and saying what happened: saving again then
    knowingly replaces it, instead of meeting the same conflict every time. The service's
    own validation errors land on the form."""
    form = form_class(request.POST)
    if not form.is_valid():
        return Edit(form)
    try:
        result = save(**form.service_kwargs())
    except EditConflict as error:
        data = request.POST.copy()
        data["version"] = str(error.current.version if error.current else 0)
        form = form_class(data)
        form.is_valid()
        form.add_error(None, str(error))
        return Edit(form, conflict=error.current)
    except ValidationError as error:
        form.add_error(None, error)
        return Edit(form)
    return Edit(form, saved=True, result=result)
