"""Plain data for the follow-up tests."""


def deviation(**changes: object) -> dict[str, object]:
    """A complete deviating status report's fields."""
    return {
        "status": "delayed",
        "cause": "Personalbrist under våren.",
        "remedy": "Extern konsult anlitas.",
        "new_forecast": "Klart i september.",
        **changes,
    }
