"""The session engine (`SESSION_ENGINE`): Django's database sessions, each row also
holding its user's id, so that "log out everywhere" is one delete by user. Django's docs
describe this extension ("Extending database-backed session engines"). It follows the
session through every key change (sign-in, password change), which a list of session
keys kept at sign-in would not.
"""

from typing import Any, cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from verksam.accounts.models import Session


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        session = cast(Session, super().create_model_instance(data))
        try:
            session.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            session.user_id = None
        return session
