"""axe-core (WCAG 2.2 A and AA) in headless Chromium on the error page and the password
pages (change, forgotten, the link's page, done), in Swedish with every rule and in English
with the rules that read the words (`verksam.testing.text_rules`). One test, since each
browser test reloads the seed after it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from verksam.testing import assert_no_axe_violations, axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "lång-och-säker-lösenfras-2022"
LANGUAGES = ("sv", "en")


def use_language(page, site_url: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])


def test_the_404_and_password_pages_have_no_axe_violations(site_url, page):
    for language in LANGUAGES:
        use_language(page, site_url, language)
        response = page.goto(site_url + "/no-such-page/")
        assert response is not None
        assert response.status == 404
        assert axe_violations(page, translated=language == "en") == [], f"404 ({language})"
    anna = get_user_model().objects.create_user("anna", "anna@example.se", PASSWORD)
    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(anna.pk)),
            "token": default_token_generator.make_token(anna),
        },
    )
    anonymous = [
        reverse("accounts:password_reset"),
        reverse("accounts:password_reset_done"),
        reverse("accounts:password_reset_complete"),
        link,  # redirects to the form of a valid link
        "/accounts/password/set/MQ/forged-token/",  # the page of a link that does not work
    ]
    for language in LANGUAGES:
        use_language(page, site_url, language)
        assert_no_axe_violations(page, site_url, anonymous, translated=language == "en")
    page.goto(site_url + reverse("accounts:login"))
    page.fill("#id_username", "anna")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for language in LANGUAGES:
        use_language(page, site_url, language)
        assert_no_axe_violations(
            page, site_url, [reverse("accounts:password_change")], translated=language == "en"
        )
        page.fill("#id_old_password", "wrong")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").count() == 1, language
        assert axe_violations(page, translated=language == "en") == [], f"errors ({language})"
