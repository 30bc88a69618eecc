"""The request id in log lines and error reports (set per request by django-guid)."""

import logging

from django_guid.context import guid
from sentry_sdk.types import Event, Hint


class RequestIdFilter(logging.Filter):
    """`%(request_id)s` in the log format: the request's id, "-" outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = guid.get() or "-"
        return True


def tag_request_id(event: Event, hint: Hint) -> Event:
    """Sentry's `before_send`: the event carries the request id that the log line shows."""
    if request_id := guid.get():
        event.setdefault("tags", {})["request_id"] = request_id
    return event
