"""The municipality's identity: its name, logo and accent colour, configured once.

Three settings, from the environment like the others (docs/operations.md, "Identity"):

- `VERKSAM_ORGANISATION_NAME` ("Norrtälje kommun"): the name in the header, the page titles,
  the accessibility statement and the documents' covers. Unset: "verksam".
- `VERKSAM_LOGO`: an SVG, PNG or JPEG, either a path among the static files
  (`verksam/identity/logo.svg`) or an absolute path to a file on the server. Unset: no logo.
- `VERKSAM_ACCENT_COLOR` (`#005a87`): the header's colour. Unset: verksam's dark blue.

Everything that shows the identity reads it through `identity()`: the pages (the context
processor `core.context_processors.site_identity`: the header, `<title>`, and the
`identity.css` view that sets the colours, since the Content-Security-Policy allows no inline
style) and the documents (PDF and Word covers).
A colour that cannot be read, or on which neither white nor dark text reaches WCAG's 4.5:1,
is refused: the default colour is used and `verksam check` says why (`identity_problems`),
as does every start of the server (Django runs the checks then). The same for a logo that
is missing or of another kind.

    >>> site = identity()
    >>> site.name, site.accent, site.accent_text, site.logo_path
    ('verksam', '#0b2f4f', '#ffffff', None)
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

DEFAULT_NAME = "verksam"
DEFAULT_ACCENT = "#0b2f4f"
# The two text colours a header may carry: the lighter or the darker, whichever contrasts more.
LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#1c1f23"
# WCAG 2.x, 1.4.3: normal text needs 4.5:1 against its background.
MIN_CONTRAST = 4.5
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
              ".jpeg": "image/jpeg"}  # fmt: skip


@dataclass(frozen=True)
class Identity:
    """Who the site belongs to, as pages and documents show it.

    `accent` is a `#rrggbb` colour for the header's (or a cover's) background; `accent_text`
    the text colour on it, `contrast` their ratio (at least 4.5). `logo_path` is the logo's
    file (for documents, `None` without a logo), `logo_url` its address for pages ("" without),
    `logo_type` its media type. `version` changes whenever any of them does (for caching).
    """

    name: str
    accent: str
    accent_text: str
    contrast: float
    logo_path: Path | None
    logo_url: str
    logo_type: str
    version: str

    @property
    def configured(self) -> bool:
        """Whether a municipality set its name (else the site calls itself verksam)."""
        return self.name != DEFAULT_NAME


def identity() -> Identity:
    """The identity the settings describe, refused parts replaced by the defaults."""
    return _identity(settings.ORGANISATION_NAME, settings.LOGO, settings.ACCENT_COLOR)


def identity_problems() -> list[str]:
    """What in the settings was refused, one sentence each (empty when all is well)."""
    return _problems(settings.LOGO, settings.ACCENT_COLOR)


# --- Colours ----------------------------------------------------------------------------------


def parse_colour(text: str) -> tuple[int, int, int] | None:
    """`#rrggbb` or `#rgb` (case ignored) as red, green, blue; `None` for anything else."""
    value = text.strip().lower().removeprefix("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6 or any(c not in "0123456789abcdef" for c in value):
        return None
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0 black to 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    a, b = (relative_luminance(_rgb(c)) for c in (first, second))
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> tuple[str, float]:
    """The text colour (white or verksam's dark text) that contrasts more with the
    background, and the ratio."""
    return max(
        ((text, contrast_ratio(text, background)) for text in (LIGHT_TEXT, DARK_TEXT)),
        key=lambda pair: pair[1],
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    rgb = parse_colour(colour)
    if rgb is None:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return rgb


def _normal(colour: str) -> str:
    return "#{:02x}{:02x}{:02x}".format(*_rgb(colour))


# --- Reading the settings ---------------------------------------------------------------------


@lru_cache(maxsize=8)
def _identity(name: str, logo: str, accent: str) -> Identity:
    if _colour_problem(accent):
        accent = DEFAULT_ACCENT
    accent = _normal(accent or DEFAULT_ACCENT)
    text, ratio = text_colour_on(accent)
    logo_path = None if _logo_problem(logo) else _logo_file(logo)
    logo_url = ""
    if logo_path is not None:
        logo_url = reverse("identity_logo") if Path(logo).is_absolute() else static(logo)
    name = name.strip() or DEFAULT_NAME
    logo_type = LOGO_TYPES[logo_path.suffix.lower()] if logo_path else ""
    stamp = f"{name}|{accent}|{logo_path}|{logo_path.stat().st_mtime if logo_path else ''}"
    return Identity(
        name=name,
        accent=accent,
        accent_text=text,
        contrast=round(ratio, 2),
        logo_path=logo_path,
        logo_url=logo_url,
        logo_type=logo_type,
        version=hashlib.sha256(stamp.encode()).hexdigest()[:12],
    )


def _problems(logo: str, accent: str) -> list[str]:
    return [p for p in (_colour_problem(accent), _logo_problem(logo)) if p]


def _colour_problem(accent: str) -> str:
    if not accent:
        return ""
    if parse_colour(accent) is None:
        return (
            f"VERKSAM_ACCENT_COLOR is {accent!r}, not a colour written as #rrggbb (#005a87): "
            f"the default {DEFAULT_ACCENT} is used."
        )
    text, ratio = text_colour_on(_normal(accent))
    if ratio < MIN_CONTRAST:
        return (
            f"VERKSAM_ACCENT_COLOR {accent} is refused: neither white nor dark text on it "
            f"reaches the contrast of {MIN_CONTRAST}:1 that WCAG asks for (the better, "
            f"{text}, reaches {ratio:.2f}:1); the default {DEFAULT_ACCENT} is used. Choose a "
            "darker or a lighter shade."
        )
    return ""


def _logo_file(logo: str) -> Path | None:
    if not logo:
        return None
    path = Path(logo)
    if path.is_absolute():
        return path if path.is_file() else None
    found = finders.find(logo)
    return Path(found) if isinstance(found, str) else None


def _logo_problem(logo: str) -> str:
    if not logo:
        return ""
    if Path(logo).suffix.lower() not in LOGO_TYPES:
        return f"VERKSAM_LOGO {logo} is refused: a logo is an SVG, PNG or JPEG file."
    if _logo_file(logo) is None:
        where = "no such file" if Path(logo).is_absolute() else "not among the static files"
        return f"VERKSAM_LOGO {logo}: {where}; the pages show the name without a logo."
    return ""
