"""compute_table: Netto, Summa, subtotals and changes are computed from the other rows."""

from decimal import Decimal

from verksam.budget.services import RowInput, compute_table

YEARS = [2020, 2021, 2022]


def d(value: str) -> Decimal:
    return Decimal(value)


def printed_row(
    key: str, kind: str, printed: dict[int, Decimal], part_of: str | None = None
) -> RowInput:
    """A row whose figures were printed as the seed prints them (`-300`, `0,1%`)."""
    suffix = "%" if kind == "change_percent" else ""
    raw = {year: f"{number}".replace(".", ",") + suffix for year, number in printed.items()}
    return RowInput(key, kind, part_of, printed, raw)


def operating(net: dict[int, Decimal], change_percent: dict[int, Decimal]) -> list[RowInput]:
    return [
        printed_row("income", "amount", {2020: d("100"), 2021: d("110"), 2022: d("120")}),
        printed_row("costs", "amount", {2020: d("-300"), 2021: d("-330"), 2022: d("-340")}),
        printed_row("capital", "part", {2020: d("-50")}, "costs"),
        printed_row("net", "total", net),
        printed_row("change", "change", {2021: d("-20"), 2022: d("0")}),
        printed_row("percent", "change_percent", change_percent),
    ]


def test_net_is_the_sum_of_the_amounts_above_it_without_their_parts():
    figures = compute_table(YEARS, operating({}, {}))
    assert [figures["net"][y].computed for y in YEARS] == [d("-200"), d("-220"), d("-220")]


def test_a_change_is_the_net_minus_the_previous_columns_net():
    figures = compute_table(YEARS, operating({}, {}))
    assert [figures["change"][y].computed for y in YEARS] == [None, d("-20"), d("0")]
    assert figures["percent"][2021].computed == d("10")
    assert not figures["change"][2021].disagrees


def test_a_percentage_is_compared_with_as_many_decimals_as_printed():
    figures = compute_table(YEARS, operating({}, {2021: d("10.0"), 2022: d("0.1")}))
    assert not figures["percent"][2021].disagrees
    assert figures["percent"][2022].disagrees
    assert figures["percent"][2022].display() == "0,0 %"
    # The computed figure in Swedish format; the printed one as the plan printed it.
    assert figures["percent"][2022].display_printed() == "0,1%"


def test_a_printed_net_that_differs_is_a_disagreement_and_the_computation_is_shown():
    figures = compute_table(YEARS, operating({2021: d("-221")}, {}))
    net = figures["net"][2021]
    assert net.disagrees
    assert (net.printed, net.computed, net.value) == (d("-221"), d("-220"), d("-220"))


def test_a_total_of_rows_without_figures_cannot_be_computed_and_the_printed_one_stands():
    rows = [
        RowInput("a", "amount", printed={2020: d("-1")}),
        RowInput("b", "amount", printed={2020: d("-2")}),
        RowInput("sum", "total", printed={2020: d("-3"), 2021: d("-4"), 2022: d("-6")}),
        RowInput("change", "change", printed={2021: d("-1"), 2022: d("-2")}),
    ]
    figures = compute_table(YEARS, rows)
    assert figures["sum"][2020].computed == d("-3")
    assert figures["sum"][2021].uncheckable
    assert figures["sum"][2021].value == d("-4")
    # Later computations build on the printed figure where nothing else is known.
    assert figures["change"][2022].computed == d("-2")


def test_a_subtotal_is_the_sum_of_its_parts_and_counts_once_in_the_total():
    rows = [
        RowInput("office", "subtotal", printed={2020: d("-10")}),
        RowInput("dept1", "part", "office", {2020: d("-4")}),
        RowInput("dept2", "part", "office", {2020: d("-7")}),
        RowInput("board", "amount", printed={2020: d("-5")}),
        RowInput("sum", "total", printed={2020: d("-15")}),
    ]
    figures = compute_table([2020], rows)
    assert figures["office"][2020].computed == d("-11")
    assert figures["office"][2020].disagrees
    # The total adds the computed subtotal, not the printed one.
    assert figures["sum"][2020].computed == d("-16")
    assert figures["sum"][2020].disagrees


def test_entered_rows_are_never_computed():
    figures = compute_table(YEARS, operating({}, {}))
    assert figures["income"][2020].computed is None
    assert not figures["income"][2020].disagrees
    assert figures["income"][2020].display() == "100"


def test_a_printed_figure_is_shown_as_printed_with_its_sign():
    figures = compute_table(
        [2022, 2023], [RowInput("a", "amount", None, {2023: d("200")}, {2023: "+200"})]
    )
    assert figures["a"][2023].display() == "+200"
