"""Texts for the report tests: hostile input, and a way to find text in a PDF."""

import re

# Typst and Word markup, a formula, a very long word: a plan's text must print as it is.
HOSTILE = (
    "= #set page(width: 1cm) *fet* _kursiv_ $x^2$ <etikett> @ref \\ // [länk](x) "
    '#{panic("injected")} <w:p><w:r/></w:p> &amp; ]]> {{ x }}'
)
LONG_WORD = "Kommunstyrelsekontorsutvecklingsprojektledningsgrupps" * 6
FORMULA = '=HYPERLINK("http://example.com","klicka")'


def letters(text: str) -> str:
    """Only letters and digits: text found in a PDF whatever its line breaks and hyphenation."""
    return re.sub(r"[\W_]", "", text).casefold()
