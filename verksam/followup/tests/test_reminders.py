"""Reminder e-mails to the reporters of units with items missing."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from verksam.followup import services

pytestmark = pytest.mark.django_db


def test_reporters_of_units_with_missing_items_get_one_reminder_each(april, controller, reporter):
    sent = services.send_reminders(april, actor=controller, on=date(2022, 5, 12))
    assert sent == len(mail.outbox) >= 1
    to_rasmus = [m for m in mail.outbox if m.to == ["rasmus@example.se"]]
    assert to_rasmus
    assert "ksk-2022" not in to_rasmus[0].body
    assert "/followup/to-report/" in to_rasmus[0].body
    assert all("clara@example.se" not in m.to for m in mail.outbox)
    # Swedish as people write it: the deadline as a date in words, one or several items.
    assert f"ska vara klar {april.deadline.day} " in to_rasmus[0].body
    assert april.deadline.isoformat() not in to_rasmus[0].body
    assert " 1 poster " not in to_rasmus[0].body


def test_a_reporter_cannot_send_reminders(april, reporter):
    with pytest.raises(PermissionDenied):
        services.send_reminders(april, actor=reporter, on=date(2022, 5, 12))
    assert mail.outbox == []
