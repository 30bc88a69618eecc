"""Model fields shared by the apps."""

import decimal
from functools import cached_property

from django.db import models

# Enough digits to read any number SQLite can hold (a float up to 1.8e308) at 4 decimals.
READ_PRECISION = 320


class NumberField(models.DecimalField):
    """A decimal number as the input rules allow it (verksam.core.validation: 11 digits
    before the decimal separator, 4 after), `max_digits=16, decimal_places=4`.

    SQLite stores decimals as floats and does not refuse a larger number, so an older
    version could store `123456789012345`; Django then fails to read it back (it rounds to
    the field's decimal places within `max_digits`), taking down every page that shows the
    row and its history. This field reads such a value as it is; every entrance refuses it.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)

    @cached_property
    def context(self) -> decimal.Context:
        return decimal.Context(prec=max(READ_PRECISION, self.max_digits))
