import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from verksam.accounts import services
from verksam.accounts.models import Membership, Role
from verksam.accounts.rules import Role as RuleRole
from verksam.accounts.rules import unit_ids_with_role
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action

pytestmark = pytest.mark.django_db


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def test_a_role_applies_to_the_unit_and_every_unit_below_it(make_user):
    user = make_user("anna", reporter="KSK-STAB")
    codes = set(
        OrgUnit.objects.filter(pk__in=unit_ids_with_role(user, Role.REPORTER)).values_list(
            "code", flat=True
        )
    )
    assert codes == {
        "KSK-STAB",
        "KSK-JURIDIK",
        "KSK-KANSLI",
        "KSK-STRATEGISK-ANALYS",
        "KSK-KONTAKTCENTER",
    }
    assert unit_ids_with_role(user, Role.READER) == unit_ids_with_role(user, Role.REPORTER)
    assert unit_ids_with_role(user, RuleRole.CONTROLLER) == frozenset()


def test_a_reporter_reports_on_actions_their_unit_is_responsible_for(make_user):
    reporter = make_user("eva", reporter="KSK-EKONOMI")
    ours = Action.objects.filter(responsible_units__code="KSK-EKONOMI").first()
    theirs = Action.objects.filter(plan__key="SBK-2022").first()
    assert reporter.has_perm("verksam.report", ours)
    assert not reporter.has_perm("verksam.report", theirs)
    assert not reporter.has_perm("verksam.edit_plan", ours)


def test_an_administrator_grants_roles_only_within_their_units(make_user):
    admin = make_user("admin-ksk", admin="KSK")
    user = services.create_user(actor=admin, username="per", unit=unit("KSK"), role=Role.READER)
    services.grant_role(actor=admin, user=user, unit=unit("KSK-HR"), role=Role.REPORTER)
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=admin, user=user, unit=unit("SBK"), role=Role.READER)
    assert set(Membership.objects.filter(user=user).values_list("unit__code", "role")) == {
        ("KSK", "reader"),
        ("KSK-HR", "reporter"),
    }


def test_granting_again_replaces_the_role_and_revoking_removes_it(make_user):
    user = make_user("olle", reader="TSK")
    services.grant_role(actor=None, user=user, unit=unit("TSK"), role=Role.CONTROLLER)
    assert user.has_perm("verksam.close_period", Action.objects.filter(plan__key="TSK-2022")[0])
    services.revoke_role(actor=None, user=user, unit=unit("TSK"))
    assert not Membership.objects.filter(user=user).exists()
    with translation.override("en"), pytest.raises(ValidationError, match="holds no role"):
        services.revoke_role(actor=None, user=user, unit=unit("TSK"))


def test_only_administrators_create_users(make_user):
    with pytest.raises(PermissionDenied):
        services.create_user(actor=make_user("c", controller="KS"), username="x")
    assert not User.objects.filter(username="x").exists()


def test_a_weak_password_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError):
        services.create_user(actor=None, username="svag", password="123")
    assert not User.objects.filter(username="svag").exists()


def test_every_role_change_is_in_the_audit_trail_with_its_author(make_user):
    admin = make_user("admin-tsk", admin="TSK")
    user = make_user("lisa", reader="TSK")
    services.grant_role(actor=admin, user=user, unit=unit("TSK-TINK"), role=Role.REPORTER)
    services.revoke_role(actor=admin, user=user, unit=unit("TSK-TINK"))
    history = Membership.history.filter(user=user, unit=unit("TSK-TINK")).order_by("history_date")
    assert [(h.history_type, h.role, h.history_user) for h in history] == [
        ("+", "reporter", admin),
        ("-", "reporter", admin),
    ]


def test_export_holds_the_account_roles_and_changes(make_user):
    admin = make_user("admin-nk", admin="NK")
    target = services.create_user(
        actor=admin, username="kim", email="kim@example.se", unit=unit("SBK"), role=Role.READER
    )
    assert services.export_user_data(target)["roles"] == [{"unit": "SBK", "role": "reader"}]
    made = services.export_user_data(admin)["changes"]
    assert [c["change"] for c in made] == ["created", "created"]


def test_removing_a_user_erases_personal_data_but_keeps_a_pseudonymous_trail(make_user):
    admin = make_user("admin-nk", admin="NK")
    target = services.create_user(
        actor=admin,
        username="kim",
        email="kim@example.se",
        first_name="Kim",
        unit=unit("SBK"),
        role=Role.READER,
    )
    pseudonym = services.remove_user(actor=admin, user=target)
    target.refresh_from_db()
    assert (target.username, target.email, target.first_name) == (pseudonym, "", "")
    assert not target.is_active
    assert not target.has_usable_password()
    assert not User.history.filter(username="kim").exists()
    assert not User.history.filter(email="kim@example.se").exists()
    assert Membership.history.filter(user_id=target.pk).count() == 2


def test_an_administrator_removes_only_people_wholly_within_their_units(make_user):
    admin = make_user("admin-ksk", admin="KSK")
    elsewhere = make_user("both", reader="KSK-HR", reporter="SBK")
    root = User.objects.create_superuser("root")
    for target in (elsewhere, root):
        with pytest.raises(PermissionDenied):
            services.remove_user(actor=admin, user=target)
    assert User.objects.filter(username__in=["both", "root"], is_active=True).count() == 2
    assert Membership.objects.filter(user=elsewhere).count() == 2


def test_an_administrator_creates_accounts_only_with_a_role_at_their_units(make_user):
    admin = make_user("admin-ksk", admin="KSK")
    for refused in (
        {},
        {"unit": unit("SBK"), "role": Role.READER},
        {"unit": unit("KSK"), "role": Role.READER, "password": "ett-långt-lösenord-2022"},
    ):
        with pytest.raises(PermissionDenied):
            services.create_user(actor=admin, username="per", **refused)
    assert not User.objects.filter(username="per").exists()
    root = User.objects.create_superuser("root")
    assert services.create_user(actor=root, username="per").memberships.count() == 0


def test_people_without_any_role_and_superusers_are_managed_by_superusers_only(make_user):
    admin = make_user("admin-ksk", admin="KSK")
    without_role, elsewhere = make_user("ny"), make_user("sven", reader="SBK")
    superuser = User.objects.create_superuser("root", email="root@example.se")
    for person in (without_role, elsewhere, superuser):
        with pytest.raises(PermissionDenied):
            services.grant_role(actor=admin, user=person, unit=unit("KSK"), role=Role.READER)
        with pytest.raises(PermissionDenied):
            services.send_password_link(actor=admin, user=person)
        with pytest.raises(PermissionDenied):
            services.remove_user(actor=admin, user=person)
    assert not Membership.objects.filter(user__in=[without_role, elsewhere], unit__code="KSK")
    assert User.objects.filter(username__in=["ny", "sven", "root"], is_active=True).count() == 3
    services.grant_role(actor=superuser, user=without_role, unit=unit("KSK"), role=Role.READER)
    assert admin.has_perm("verksam.manage_person", without_role)
    assert not admin.has_perm("verksam.manage_person", elsewhere)


def test_a_set_password_link_goes_by_e_mail_to_the_person_with_the_sites_address(
    make_user, mailoutbox, settings
):
    settings.SITE_URL = "https://verksam.example.se"
    admin = make_user("admin-ksk", admin="KSK")
    kim = services.create_user(
        actor=admin, username="kim", email="kim@example.se", unit=unit("KSK"), role=Role.READER
    )
    with translation.override("sv"):
        services.send_password_link(actor=admin, user=kim)
    [mail] = mailoutbox
    assert mail.to == ["kim@example.se"]
    assert mail.subject == "Ditt konto i verksam"
    assert "användarnamnet kim" in mail.body
    assert "https://verksam.example.se/accounts/password/set/" in mail.body
    kim.email = ""
    with pytest.raises(ValidationError):
        services.send_password_link(actor=admin, user=kim)
