"""Importing a period's outcome through the mapping: the preview, the figures in tkr with
the tables' signs, all or nothing, the same file twice, and every refusal leaving the
database as it was."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from verksam.economy import services
from verksam.economy.ledger import LedgerError
from verksam.economy.models import Outcome, OutcomeImport
from verksam.testing import close_round

pytestmark = pytest.mark.django_db
D = Decimal

APRIL_VOUCHERS = (
    '#VER A 1 20220131 "Hyra jan-apr"',
    "{",
    '#TRANS 5010 {1 "125"} 1200000.00',
    "#TRANS 1930 {} -1200000.00",
    "}",
    '#VER A 2 20220315 "Avgifter"',
    "{",
    '#TRANS 3010 {1 "125"} -300500.00',
    '#TRANS 3010 {1 "210"} -20000',
    "#TRANS 1930 {} 320500",
    "}",
    '#VER A 3 20220401 "Avskrivning och bygge"',
    "{",
    '#TRANS 7810 {1 "125"} 45000',
    '#TRANS 1210 {6 "9001"} 2500000',
    "#TRANS 1930 {} -2545000",
    "}",
)


def outcomes(period) -> dict[str, Decimal]:
    return {
        o.row.key: o.amount for o in Outcome.objects.filter(period=period).select_related("row")
    }


def test_an_import_maps_the_ledger_to_budget_rows_in_tkr(april, controller, sie):
    preview = services.import_outcome(april, "april.se", sie(*APRIL_VOUCHERS), actor=controller)
    # Hand-computed: KSK income 300 500 kr credit → +300,5 tkr; costs 1 200 000 + 45 000 kr
    # debit → -1 245 tkr, of which capital costs (7810) -45 tkr; the staff (cost centre 125)
    # nets 300,5 - 1 245 = -944,5 tkr; SBK income 20 tkr; the investment 2 500 tkr spent.
    assert outcomes(april) == {
        "ksk-2022-operating-income": D("300.5"),
        "ksk-2022-operating-costs": D("-1245"),
        "ksk-2022-operating-capital-costs": D("-45"),
        "ksk-2022-departments-stab": D("-944.5"),
        "sbk-2022-operating-income": D("20"),
        "sbk-2022-departments-plan": D("20"),
        "ksk-2022-investments-utbyggnad": D("2500"),
    }
    record = OutcomeImport.objects.get()
    assert (record.period, record.imported_by, record.file_name, record.format) == (
        april,
        controller,
        "april.se",
        "sie",
    )
    assert (record.counts["created"], record.counts["lines"]) == (7, 8)
    assert preview.record == record
    assert Outcome.history.filter(history_user=controller).count() == 7


def test_the_same_file_again_changes_and_records_nothing(april, controller, sie):
    content = sie(*APRIL_VOUCHERS)
    services.import_outcome(april, "april.se", content, actor=controller)
    again = services.import_outcome(april, "april-kopia.se", content, actor=controller)
    assert again.record is None
    assert not again.changes_anything
    assert OutcomeImport.objects.count() == 1
    assert Outcome.history.count() == 7


def test_a_new_file_replaces_the_outcome_and_the_preview_shows_each_change(april, controller, sie):
    services.import_outcome(april, "april.se", sie(*APRIL_VOUCHERS), actor=controller)
    later = sie('#VER A 1 20220131 "Hyra"', "{", '#TRANS 5010 {1 "125"} 1300000', "}")
    preview = services.preview_outcome(april, "ny.se", later, actor=controller)
    changes = {c.row.key: (c.kind, c.before, c.after) for c in preview.changes}
    assert changes["ksk-2022-departments-stab"] == ("changed", D("-944.5"), D("-1300"))
    assert changes["ksk-2022-investments-utbyggnad"] == ("removed", D("2500"), None)
    assert len(outcomes(april)) == 7  # the preview wrote nothing
    services.import_outcome(april, "ny.se", later, actor=controller)
    assert outcomes(april) == {
        "ksk-2022-operating-costs": D("-1300"),
        "ksk-2022-departments-stab": D("-1300"),
    }


def test_an_unmapped_result_account_is_refused_and_nothing_is_written(april, controller, sie):
    content = sie(
        *APRIL_VOUCHERS,
        '#OBJEKT 1 "999" "Okänt ansvar"',
        '#VER A 4 20220402 "Fel ansvar"',
        "{",
        '#TRANS 4010 {1 "999"} 10',
        "}",
    )
    with pytest.raises(LedgerError) as error:
        services.import_outcome(april, "april.se", content, actor=controller)
    assert [str(p) for p in error.value.problems] == [
        "april.se, rad 38: konto 4010 (ansvar 999) har ingen mappning till en budgetrad: "
        "okänt konto eller ansvar"
    ]
    assert not Outcome.objects.exists()
    assert not OutcomeImport.objects.exists()


def test_a_closed_period_refuses_an_import(april, controller, sie):
    close_round(april, actor=controller)
    with pytest.raises(ValidationError, match="stängd"):
        services.import_outcome(april, "april.se", sie(*APRIL_VOUCHERS), actor=controller)
    assert not Outcome.objects.exists()


def test_a_file_for_another_year_is_refused(april, controller, sie):
    content = sie(*APRIL_VOUCHERS, rar="#RAR 0 20230101 20231231")
    with pytest.raises(LedgerError, match="inte 2022"):
        services.import_outcome(april, "2023.se", content, actor=controller)
    assert not Outcome.objects.exists()


def test_only_controllers_of_the_board_import(april, reporter, make_user, sie):
    office_controller = make_user("olle", controller="KSK")
    for actor in (reporter, office_controller):
        with pytest.raises(PermissionDenied):
            services.import_outcome(april, "april.se", sie(*APRIL_VOUCHERS), actor=actor)
    assert not Outcome.objects.exists()


def test_two_equally_specific_mappings_of_a_line_are_refused(april, board, controller, sie):
    mapping = (
        b"konto;ansvar;verksamhet;projekt;rad\n"
        b"50;;;;ksk-2022-operating-costs\n"
        b";12;;;ksk-2022-operating-income\n"
    )
    services.load_mapping(board, "m.csv", mapping, actor=controller)
    content = sie('#VER A 1 20220131 "Hyra"', "{", '#TRANS 5010 {1 "125"} 1', "}")
    with pytest.raises(LedgerError) as error:
        services.import_outcome(april, "a.se", content, actor=controller)
    # The one problem: not a second one saying the line has no mapping.
    assert [str(p) for p in error.value.problems] == [
        "a.se, rad 20: två mappningar lika specifika (ansvar 12 → ksk-2022-operating-income; "
        "konto 50 → ksk-2022-operating-costs)"
    ]


def test_a_mapping_file_is_refused_whole_with_its_problems_located(april, board, controller):
    before = list(board.outcome_mappings.values_list("pk", flat=True))
    mapping = (
        b"konto;ansvar;verksamhet;projekt;rad\n"
        b"3;1;;;ksk-2022-operating-net\n"
        b"3x;1;;;ksk-2022-operating-income\n"
        b";;;;ksk-2022-operating-income\n"
        b"3;1;;;ksk-2022-operating-income\n"
        b"3;1;;;ksk-2022-operating-income\n"
    )
    with pytest.raises(LedgerError) as error:
        services.load_mapping(board, "m.csv", mapping, actor=controller)
    assert [str(p) for p in error.value.problems] == [
        "m.csv, rad 2: «ksk-2022-operating-net» är ingen budgetrad med belopp i planen",
        "m.csv, rad 3: «3x» är inget konto",
        "m.csv, rad 4: konto eller objekt krävs",
        "m.csv, rad 6: dubblett av rad 5",
    ]
    assert list(board.outcome_mappings.values_list("pk", flat=True)) == before
