"""The reader's language on public pages: `?lang=` wins (and is remembered), then the cookie, then the
browser's Accept-Language, then English.

Django's `LocaleMiddleware` does the negotiation (cookie, Accept-Language, `Content-Language`, `Vary`);
this adds the explicit choice a language switcher link makes, so a reader who picked Arabic keeps
Arabic on the next click. An unknown or malformed code is ignored: the page falls back, never errors.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

CHOICE_MAX_AGE = 365 * 24 * 3600


def supported(code: str | None) -> str | None:
    """The supported language for a code (`pt-BR` → `pt`), or None."""
    if not code or len(code) > 16:
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


class PublicLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = supported(request.GET.get("lang"))
        if chosen is None:
            super().process_request(request)
            return
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        request.language_chosen = chosen  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        chosen = getattr(request, "language_chosen", None)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != chosen:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, max_age=CHOICE_MAX_AGE,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response


def language_links(request: HttpRequest) -> dict[str, object]:
    """Template context: every served language (code, local name, right-to-left?), for the switcher
    and the `hreflang` alternates, and the page's own `dir`."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    languages = []
    for code, _ in settings.LANGUAGES:
        info = translation.get_language_info(code)
        languages.append({"code": code, "name": info["name_local"], "bidi": info["bidi"], "current": code == current})
    others = request.GET.copy()
    others.pop("lang", None)
    query = others.urlencode()
    return {"served_languages": languages, "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
            "language_query": f"{query}&" if query else ""}
