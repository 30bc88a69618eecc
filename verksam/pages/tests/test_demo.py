import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from verksam.plans.models import Action

pytestmark = pytest.mark.django_db


def test_the_demo_prepares_a_login_per_role_and_running_it_again_duplicates_nothing(capsys, client):
    """One test for both runs' checks: each run loads the example round and its economy."""
    call_command("demo", "--no-serve")
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "demo / verksam-demo" in out
    assert "0 nya poster" in out
    line = r"^Exempeldata, ekonomi: Delårsrapport 1 .+ 2022 \((.+)\)$"
    economy = re.findall(line, out, re.MULTILINE)
    assert economy == ["inläst", "redan inläst"]
    user = get_user_model().objects.get(username="demo")
    assert user.check_password("verksam-demo")
    login = {"username": "demo", "password": "verksam-demo"}
    assert client.post("/accounts/login/", login)["Location"] == "/"  # the home
    assert Action.objects.count() == 101
    # A login per role.
    reporter = get_user_model().objects.get(username="rapportor")
    assert list(reporter.memberships.values_list("unit__code", "role")) == [
        ("KSK-STAB", "reporter")
    ]
    client.logout()
    login = {"username": "controller", "password": "verksam-demo"}
    assert client.post("/accounts/login/", login).status_code == 302


def test_the_demo_refuses_to_run_in_production_where_its_known_password_would_be_a_door(settings):
    settings.DEVELOPMENT = False
    with pytest.raises(CommandError, match="VERKSAM_ENV=development"):
        call_command("demo", "--no-serve")
    assert not get_user_model().objects.filter(username="demo").exists()
