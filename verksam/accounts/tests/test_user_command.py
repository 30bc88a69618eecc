import io
import json

import pytest
from django.core.management import CommandError, call_command

from verksam.accounts.models import Membership

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        call_command("user", *args, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


def test_create_grant_list_revoke():
    run(
        "create",
        "maria",
        "--email",
        "maria@example.se",
        "--password-stdin",
        stdin="ett-långt-lösenord-2022\n",
    )
    assert "maria: controller @ KSK" in run("grant", "maria", "controller", "KSK")
    assert "maria\tcontroller@KSK" in run("list")
    run("revoke", "maria", "KSK")
    assert not Membership.objects.filter(user__username="maria").exists()


def test_unknown_user_and_unit_are_named():
    with pytest.raises(CommandError, match="«nobody»"):
        run("grant", "nobody", "reader", "KSK")
    run("create", "sven")
    with pytest.raises(CommandError, match="«NOPE»"):
        run("grant", "sven", "reader", "NOPE")


def test_an_unknown_role_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        run("grant", "sven", "boss", "KSK")


def test_export_and_remove():
    run("create", "britt", "--email", "britt@example.se")
    assert json.loads(run("export", "britt"))["email"] == "britt@example.se"
    assert "britt → removed-" in run("remove", "britt")


def test_create_can_send_the_link_to_choose_a_password(mailoutbox):
    assert "Länk skickad till kim@example.se" in run(
        "create", "kim", "--email", "kim@example.se", "--send-link"
    )
    assert [mail.to for mail in mailoutbox] == [["kim@example.se"]]
    with pytest.raises(CommandError, match="--send-link behöver --email"):
        run("create", "lo", "--send-link")


def test_the_list_names_an_inactive_user_in_the_language_asked_for(english):
    run("create", "ove")
    run("remove", "ove")
    assert "(inactive)\t-" in run("list")
