"""Reading SIE 4, CSV and XLSX files into ledger lines, with the real-world variants of SIE
(code page 437, quoted fields with spaces and escaped quotes, object lists, negative
amounts, several financial years) and every refusal located."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from verksam.economy.ledger import LedgerError, read_ledger, sie_tokens

D = Decimal
APRIL = date(2022, 4, 30)


def sie(*lines: str) -> bytes:
    head = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#RAR 0 20220101 20221231"]
    return ("\r\n".join(head + list(lines)) + "\r\n").encode("cp437")


def read(name: str, content: bytes):
    return read_ledger(name, content, year=2022, until=APRIL)


def problems(name: str, content: bytes) -> list[str]:
    with pytest.raises(LedgerError) as error:
        read(name, content)
    return [str(p) for p in error.value.problems]


def test_sie_fields_are_words_quoted_strings_and_object_lists():
    assert sie_tokens('#TRANS 4010 {1 "125" 6 "9001"} -1200.50 20220301 "Hyra \\"mars\\""') == [
        "#TRANS",
        "4010",
        ["1", "125", "6", "9001"],
        "-1200.50",
        "20220301",
        'Hyra "mars"',
    ]
    assert sie_tokens("#TRANS 3010 {} 5") == ["#TRANS", "3010", [], "5"]


def test_sie_is_read_as_code_page_437():
    content = sie(
        '#KONTO 5010 "Lokalhyra"',
        '#OBJEKT 1 "125" "Stabs- och planeringsenhet, Norrtälje"',
        '#VER A 1 20220115 "Hyra för lokaler på Östra Järnvägsgatan"',
        "{",
        '#TRANS 5010 {1 "125"} 120000.00',
        "}",
    )
    assert "Östra".encode("cp437") in content
    ledger = read("bok.se", content)
    assert [(ln.account, ln.cost_centre, ln.amount) for ln in ledger.lines] == [
        ("5010", "125", D("120000.00"))
    ]
    assert ledger.source == "#VER/#TRANS"


def test_transactions_after_the_period_are_left_out_and_the_right_year_is_chosen():
    content = "\r\n".join(
        [
            "#FORMAT PC8",
            "#RAR -1 20210101 20211231",
            "#RAR 0 20220101 20221231",
            "#VER A 1 20220430 Vårhyra",
            "{",
            '#TRANS 5010 {1 "125" 6 "9001"} 1000',
            "#TRANS 1930 {} -1000",
            "}",
            "#VER A 2 20220502 Majhyra",
            "{",
            "#TRANS 5010 {} 500 20220502",
            "#RTRANS 5010 {} 500",
            "#BTRANS 5010 {} 500",
            "}",
        ]
    ).encode("cp437")
    ledger = read("bok.si", content)
    assert [(ln.account, ln.cost_centre, ln.project, ln.amount) for ln in ledger.lines] == [
        ("5010", "125", "9001", D("1000")),
        ("1930", "", "", D("-1000")),
    ]
    assert ledger.later == 1


def test_the_year_is_read_from_rar_and_another_years_file_is_refused():
    content = "\r\n".join(["#RAR 0 20230101 20231231", "#RAR -1 20220101 20221231"])
    # The 2022 year is the previous year of a 2023 file: its balances are index -1.
    ok = (content + "\r\n#PSALDO -1 202203 5010 {} 700\r\n#PSALDO 0 202303 5010 {} 9\r\n").encode()
    assert [ln.amount for ln in read("bok.se", ok).lines] == [D("700")]
    other = b"#RAR 0 20210101 20211231\r\n#PSALDO 0 202103 5010 {} 1\r\n"
    assert problems("bok.se", other) == [
        "bok.se, #RAR: filen gäller 2021-01-01–2021-12-31, inte 2022 / the file is for another year"
    ]


def test_period_balances_sum_the_months_and_prefer_the_object_breakdown():
    content = sie(
        "#PSALDO 0 202201 5010 {} 300",
        '#PSALDO 0 202201 5010 {1 "125"} 100',
        '#PSALDO 0 202201 5010 {1 "210"} 200',
        '#PSALDO 0 202204 5010 {1 "125"} -50.25',
        '#PSALDO 0 202205 5010 {1 "125"} 999',
        "#PSALDO 0 202202 3010 {} -400",
    )
    ledger = read("saldon.se", content)
    assert ledger.source == "#PSALDO"
    assert [(ln.account, ln.cost_centre, ln.amount) for ln in ledger.lines] == [
        ("5010", "125", D("100")),
        ("5010", "210", D("200")),
        ("5010", "125", D("-50.25")),
        ("3010", "", D("-400")),
    ]


def test_result_balances_are_read_only_at_the_periods_end():
    assert [ln.amount for ln in read("res.se", sie("#OMFATTN 20220430", "#RES 0 3010 -5"))
            .lines] == [D("-5")]  # fmt: skip
    assert problems("res.se", sie("#OMFATTN 20221231", "#RES 0 3010 -5")) == [
        "res.se, rad/line 1: #RES gäller saldot per 2022-12-31 (#OMFATTN), perioden slutar "
        "2022-04-30 / the balances are not at the period's end"
    ]


def test_sie_refusals_are_located_by_line():
    content = sie(
        '#KONTO 5010 "Lokalhyra"',
        '#OBJEKT 1 "125" "Stab"',
        "#VER A 1 20220115 Hyra",
        "{",
        '#TRANS 5011 {1 "125"} 100',
        '#TRANS 5010 {1 "999"} 100',
        '#TRANS 5010 {1 "125"} 1OO,00',
        "}",
        "#VER A 1 20220116 Igen",
        "{",
        "#TRANS 5010 {} 1 20210101",
        "}",
    )
    assert problems("fel.se", content) == [
        "fel.se, rad/line 13: verifikation A 1 finns redan på rad 7 / duplicate voucher",
        "fel.se, rad/line 9: okänt konto 5011: inget #KONTO / unknown account",
        "fel.se, rad/line 10: okänt objekt 999 i dimension 1: inget #OBJEKT / unknown cost centre",
        "fel.se, rad/line 11: «1OO,00» är inget belopp / is not an amount",
        "fel.se, rad/line 15: datum 2021-01-01 ligger utanför räkenskapsåret 2022-01-01–"
        "2022-12-31 / outside the year",
    ]


def test_a_csv_file_is_read_with_swedish_amounts_and_located_refusals():
    good = b"konto;ansvar;projekt;belopp\n5010;125;;-1 234,50\n1210;;9001;2500.5\n"
    ledger = read("utfall.csv", good)
    assert [(ln.account, ln.cost_centre, ln.project, ln.amount) for ln in ledger.lines] == [
        ("5010", "125", "", D("-1234.50")),
        ("1210", "", "9001", D("2500.5")),
    ]
    bad = "Konto,Ansvar,Belopp\n5010,125,tusen\nx,125,1\n5010,125,2\n5010,125,3\n".encode("cp1252")
    assert problems("utfall.csv", bad) == [
        "utfall.csv, rad/line 2: «tusen» är inget belopp / is not an amount",
        "utfall.csv, rad/line 3: «x» är inget konto",
        "utfall.csv, rad/line 5: dubblett av rad/line 4 (samma konto och objekt) / duplicate row",
    ]


def test_a_csv_file_without_the_required_columns_is_refused():
    assert problems("utfall.csv", b"konto;summa\n5010;1\n") == [
        "utfall.csv, rad/line 1: kolumn saknas / missing column: belopp",
        "utfall.csv, rad/line 1: okänd kolumn / unknown column: summa (konto, ansvar, "
        "verksamhet, projekt, belopp)",
    ]


def workbook(*rows: tuple) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Utfall"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_file_is_read_and_refusals_name_sheet_row_and_column():
    content = workbook(("konto", "ansvar", "belopp"), (5010, 125, -1234.5), ("3010", "125", "x"))
    assert problems("utfall.xlsx", content) == [
        "utfall.xlsx, blad/sheet «Utfall», rad/row 3, kolumn/column C: «x» är inget belopp / "
        "is not an amount"
    ]
    ledger = read("utfall.xlsx", workbook(("Konto", "Belopp"), (5010, 1200)))
    assert [(ln.account, ln.amount) for ln in ledger.lines] == [("5010", D("1200"))]


def test_an_unknown_format_or_a_broken_workbook_is_refused():
    assert problems("utfall.txt", b"") == [
        "utfall.txt: okänt filformat: .se (SIE 4), .csv eller .xlsx / unknown format"
    ]
    assert problems("utfall.xlsx", b"PK no zip") == [
        "utfall.xlsx: ingen läsbar Excel-fil (.xlsx) / not a readable workbook"
    ]
