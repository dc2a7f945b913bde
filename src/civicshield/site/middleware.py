"""Request hygiene Django does not do by itself: a strict Content-Security-Policy, and text no
database can store, or no person writes, refused before it reaches one."""

from typing import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


NUL_REASON = "text contains a NUL character (U+0000), which cannot be stored; remove it and retry"
# No console form asks for more than this in one field (notes, rationales, claims); forms whose
# columns are shorter check their own limits and say so next to the field.
MAX_FORM_FIELD_CHARS = 10_000


class RejectNulMiddleware:
    """A 400 for a NUL character in the path, the query or form fields, or a form field longer than
    `MAX_FORM_FIELD_CHARS`.

    PostgreSQL cannot compare or store U+0000 in text, so such input would otherwise fail deep
    inside a query as a server error. JSON bodies are left to each endpoint's validation, which
    reports a bad item of a batch by its index and keeps the rest; binary uploads are not text.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = NUL_REASON if self._has_nul(request) else self._too_long(request)
        if reason:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponse(reason, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _too_long(request: HttpRequest) -> str:
        forms = [request.GET]
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            forms.append(request.POST)
        for form in forms:
            for key, values in form.lists():
                longest = max((len(v) for v in values), default=0)
                if longest > MAX_FORM_FIELD_CHARS:
                    return (f"the field {key[:100]!r} holds {longest:,} characters; the limit is "
                            f"{MAX_FORM_FIELD_CHARS:,}: shorten it and retry")
        return ""

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        fields = [request.GET]
        if request.content_type == "application/x-www-form-urlencoded":
            fields.append(request.POST)
        return "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                              for form in fields for key, values in form.lists())
