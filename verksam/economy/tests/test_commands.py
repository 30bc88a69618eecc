"""`verksam import-outcome` and `verksam load-outcome-mapping`."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from verksam.economy.models import Outcome, OutcomeImport

pytestmark = pytest.mark.django_db

VOUCHER = ('#VER A 1 20220430 "Stab"', "{", '#TRANS 5010 {1 "125"} 17000000', "}")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_dry_run_shows_the_changes_and_writes_nothing(april, controller, sie, tmp_path):
    path = tmp_path / "april.se"
    path.write_bytes(sie(*VOUCHER))
    args = ("import-outcome", str(path), "--period", april.key, "--user", controller.username)
    out = run(*args, "--dry-run")
    assert "ny        ksk-2022-departments-stab: – → -17\xa0000 tkr" in out
    assert "Provkörning, inget skrivet: 2 nya, 0 ändrade, 0 borttagna" in out
    assert not Outcome.objects.exists()
    assert "Inläst: 2 nya" in run(*args)
    assert "Inget ändrat: 0 nya, 0 ändrade, 0 borttagna" in run(*args)
    assert OutcomeImport.objects.count() == 1


def test_a_refused_file_lists_its_problems(april, controller, sie, tmp_path):
    path = tmp_path / "fel.se"
    path.write_bytes(sie('#VER A 1 20220430 "x"', "{", "#TRANS 4010 {} tio", "}"))
    with pytest.raises(CommandError, match=re.escape("fel.se, rad 20: «tio» är inget belopp")):
        run("import-outcome", str(path), "--period", april.key, "--user", controller.username)
    with pytest.raises(CommandError, match="Ingen period KS-2022-x"):
        run("import-outcome", str(path), "--period", "KS-2022-x", "--user", controller.username)


def test_the_mapping_is_loaded_from_a_file(april, controller, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("konto;ansvar;verksamhet;projekt;rad\n3;1;;;ksk-2022-operating-income\n")
    out = run("load-outcome-mapping", str(path), "--plan", "KS-2022", "--user", controller.username)
    assert out == "1 mappning inläst för KS-2022\n"
