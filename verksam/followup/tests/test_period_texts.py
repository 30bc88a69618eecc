"""The round's summary and significant events: written by its controller in a versioned form
(the summary offered as a draft from the figures, saved only when they save it), validated,
recorded in the history, refused once the round is closed and frozen into its snapshot."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from verksam.followup import services
from verksam.followup.models import PeriodText, Snapshot
from verksam.followup.summary import draft_for
from verksam.testing import close_round, multiply_seed

pytestmark = pytest.mark.django_db

SUMMARY = "Omgången går enligt plan.\n\n• Sju åtgärder är klara\n• Tre avviker"


def url(key: str, kind: str) -> str:
    return reverse("followup:period_text_edit", args=[key, kind])


def write(period, actor, kind="summary", text=SUMMARY, version=0) -> PeriodText:
    return services.write_period_text(
        period, kind, actor=actor, expected_version=version, text=text
    )


def test_the_controller_writes_the_summary_as_versioned_prose_with_its_history(april, controller):
    first = write(april, controller, text="Första utkastet.\r\n- en punkt\n* en till  ")
    # Typed bullets become the prose convention's, line ends and trailing blanks are cleaned.
    assert first.text == "Första utkastet.\n• en punkt\n• en till"
    second = write(april, controller, text=SUMMARY, version=1)
    assert (second.pk, second.version, second.author) == (first.pk, 2, controller)
    history = list(PeriodText.history.filter(id=first.pk).order_by("history_date"))
    assert [h.text for h in history] == [first.text, SUMMARY]
    assert history[-1].history_user == controller


def test_a_save_based_on_an_old_version_is_a_conflict_and_changes_nothing(april, controller):
    write(april, controller)
    with pytest.raises(services.EditConflict) as conflict:
        write(april, controller, text="Min version.", version=0)
    assert conflict.value.current.text == SUMMARY
    assert PeriodText.objects.get(period=april, kind="summary").version == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Skriv texten."),
        ("   \n\n ", "Skriv texten."),
        ("Text med \x07 klocka", "otillåtet tecken"),
        ("x" * 20_001, "för lång"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_stores_nothing(april, controller, text, message):
    with pytest.raises(ValidationError) as error:
        write(april, controller, text=text)
    assert message in " ".join(error.value.message_dict["text"])
    assert not PeriodText.objects.exists()


def test_only_the_rounds_controller_writes_and_an_unknown_kind_is_refused(
    april, controller, reporter
):
    with pytest.raises(PermissionDenied):
        write(april, reporter)
    with pytest.raises(ValidationError):
        write(april, controller, kind="preface")
    assert not PeriodText.objects.exists()


def test_a_closed_round_refuses_its_texts_and_its_snapshot_holds_them(april, controller):
    write(april, controller)
    write(april, controller, kind="events", text="KSON bytte organisation i mars.")
    close_round(april, actor=controller)
    with pytest.raises(services.PeriodNotOpen):
        write(april, controller, version=1, text="Efteråt.")
    texts = Snapshot.objects.get(period=april).data["texts"]
    assert texts["summary"]["text"] == SUMMARY
    assert texts["events"]["text"] == "KSON bytte organisation i mars."
    assert texts["summary"]["version"] == 1


def test_the_form_offers_the_draft_from_the_figures_without_saving_it(client, april, controller):
    client.force_login(controller)
    response = client.get(url(april.key, "summary"))
    draft = draft_for(april)
    assert draft.startswith("Av ")
    assert "(se Försenat)" in draft
    assertContains(response, draft.split("\n")[0])
    assertContains(response, 'name="version" value="0"')
    assert not PeriodText.objects.exists()
    # The significant events are the controller's own: nothing is drafted.
    response = client.get(url(april.key, "events"))
    assertNotContains(response, "(se Försenat)")


def test_posting_the_form_saves_and_the_rounds_page_shows_the_texts(client, april, controller):
    client.force_login(controller)
    response = client.post(url(april.key, "summary"), {"version": "0", "text": SUMMARY})
    assertRedirects(response, april.get_absolute_url(), fetch_redirect_response=False)
    client.post(url(april.key, "events"), {"version": "0", "text": "Ny kontorschef."})
    page = client.get(april.get_absolute_url())
    assertContains(page, "<li>Sju åtgärder är klara</li>", html=True)
    assertContains(page, "<p>Omgången går enligt plan.</p>", html=True)
    assertContains(page, "Väsentliga händelser")
    assertContains(page, "Ny kontorschef.")
    assertContains(page, url(april.key, "summary"))


def test_after_a_conflict_the_form_shows_their_text_and_then_saves(client, april, controller):
    write(april, controller, text="Deras sammanfattning.")
    client.force_login(controller)
    response = client.post(url(april.key, "summary"), {"version": "0", "text": "Min."})
    assertContains(response, 'name="version" value="1"')
    assertContains(response, "<p>Deras sammanfattning.</p>", html=True)
    client.post(url(april.key, "summary"), {"version": "1", "text": "Min."})
    assert PeriodText.objects.get(period=april).text == "Min."


def test_a_closed_rounds_form_is_read_only_and_its_page_shows_the_frozen_text(
    client, april, controller
):
    write(april, controller)
    close_round(april, actor=controller)
    client.force_login(controller)
    response = client.get(url(april.key, "summary"))
    assertNotContains(response, "<textarea")
    response = client.post(url(april.key, "summary"), {"version": "1", "text": "Sent."})
    assertContains(response, "stängd")
    assert PeriodText.objects.get(period=april).text == SUMMARY
    assertContains(client.get(april.get_absolute_url()), "<li>Tre avviker</li>", html=True)


def test_reporters_neither_edit_nor_see_the_open_rounds_draft_texts(
    client, april, controller, other_reporter
):
    write(april, controller)
    client.force_login(other_reporter)
    assert client.get(url(april.key, "summary")).status_code == 403
    assert client.post(url(april.key, "summary"), {"version": "1", "text": "x"}).status_code == 403
    assert client.get(url(april.key, "preface")).status_code == 404
    # A reporter at SBK reads no report of the board's plan in an open round.
    assertNotContains(client.get(april.get_absolute_url()), "Sju åtgärder")


def test_the_form_and_the_rounds_page_run_the_same_queries_at_ten_times_the_seed(
    client, april, controller
):
    write(april, controller)
    client.force_login(controller)
    pages = [url(april.key, "summary"), url(april.key, "events"), april.get_absolute_url()]
    counts = []
    for address in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts.append(len(queries))
    multiply_seed(10)
    for address, seed in zip(pages, counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get(address)
        assert len(queries) == seed, address


def test_the_snapshots_page_shows_the_texts_it_froze_to_its_readers(client, april, controller):
    write(april, controller)
    close_round(april, actor=controller)
    address = reverse("followup:snapshot_detail", args=[april.key, 1])
    client.force_login(controller)
    assertContains(client.get(address), "<li>Sju åtgärder är klara</li>", html=True)
