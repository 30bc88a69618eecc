"""Single sign-on with the municipality's identity provider (Microsoft Entra ID, ADFS or
any OpenID Connect provider), through mozilla-django-oidc. Configured only by environment
variables (docs/security.md); on when `OIDC_RP_CLIENT_ID` is set.

A person signing in for the first time gets an account without roles, named by the
`SSO_USERNAME_CLAIM` claim; an administrator grants the roles. Only the name and e-mail
address are copied from the provider, and kept up to date at each sign-in.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from verksam.accounts import services

# Claims copied into the account: OIDC claim → User field.
PERSONAL_CLAIMS = {"given_name": "first_name", "family_name": "last_name", "email": "email"}


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """The library's code flow (state, nonce, PKCE, signature), matching people by username."""

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> User | None:
        # The library checks the ID token's signature and nonce, not who issued it for whom.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != settings.OIDC_OP_ISSUER or self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is from another issuer or for another client.")
        return super().get_or_create_user(access_token, id_token, payload)

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict[str, Any]:
        # Entra ID puts preferred_username and upn in the ID token only, not in userinfo.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get(settings.SSO_USERNAME_CLAIM))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        return User.objects.filter(username=claims[settings.SSO_USERNAME_CLAIM])

    def create_user(self, claims: dict[str, Any]) -> User:
        data = personal_data(claims)
        try:
            return services.create_user(
                actor=None,
                username=claims[settings.SSO_USERNAME_CLAIM],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
        except ValidationError as error:
            # The library turns this into a failed sign-in with the reason in the log.
            raise SuspiciousOperation(f"Cannot make an account: {error.messages}") from error

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        changed = {
            field: value
            for field, value in personal_data(claims).items()
            if getattr(user, field) != value
        }
        if changed:
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))
        return user


def personal_data(claims: dict[str, Any]) -> dict[str, str]:
    return {field: str(claims.get(claim) or "") for claim, field in PERSONAL_CLAIMS.items()}
