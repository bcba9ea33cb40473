"""Anyone (an employer, say) can check that a certificate is genuine: no login, rate-limited.

A visitor types the verification code (unguessable: it shows the whole certificate) or the
printed number. Numbers run in sequence and could be enumerated, so a number alone shows only
that the certificate exists and whether it is valid; with the holder's surname it opens the
whole certificate, as the code does. Nothing typed reaches a URL unless it is code-shaped.
"""

import functools

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from lider.certification import queries
from lider.certification.forms import VerificationForm
from lider.certification.models import group_code
from lider.certification.services import looks_like_code, normalise_code
from lider.core import throttle
from lider.website import public_cache

# Look-ups per address and window; codes are unguessable, this only stops enumeration.
LIMIT = getattr(settings, "CERTIFICATE_VERIFICATION_LIMIT", 30)
WINDOW_SECONDS = 600


def _too_many(request) -> bool:
    key = f"certification:verify:{request.META.get('REMOTE_ADDR', '')}"
    return throttle.count(key, WINDOW_SECONDS) > LIMIT


def _within_limit(request) -> bool:
    """Asked by the public page middleware before it answers a kept page: counts this look-up."""
    return not _too_many(request)


def _refuse(request):
    response = render(request, "certification/public/too_many.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def _not_found(request, form, *, code="", typed=""):
    context = {"form": form, "code": code, "typed": typed}
    return render(request, "certification/public/not_found.html", context, status=404)


def _by_number(request, form, certificates, *, surname_mismatch=False):
    context = {
        "form": form,
        "certificates": certificates,
        "surname_mismatch": surname_mismatch,
    }
    return render(request, "certification/public/by_number.html", context)


@never_cache
def verify_form(request):
    form = VerificationForm(request.GET or None)
    if not form.is_valid():
        return render(request, "certification/public/form.html", {"form": form})
    typed = form.cleaned_data["code"].strip()
    code = normalise_code(typed)
    if looks_like_code(code):
        return redirect("certification_public:verify", code=code)
    if _too_many(request):
        return _refuse(request)
    certificates = queries.certificates_by_number(typed)
    if not certificates:
        return _not_found(request, form, typed=typed)
    surname = form.cleaned_data["surname"]
    if surname:
        holders = [c for c in certificates if queries.holder_has_surname(c, surname)]
        if len(holders) == 1:
            return redirect("certification_public:verify", code=holders[0].code)
        return _by_number(request, form, certificates, surname_mismatch=not holders)
    return _by_number(request, form, certificates)


@never_cache
def verify(request, code):
    if _too_many(request):
        return _refuse(request)
    normal = normalise_code(code)
    if not looks_like_code(normal):
        return _not_found(request, VerificationForm())
    if normal != code:
        return redirect("certification_public:verify", code=normal)
    # A found certificate's page depends on its row alone: kept whole for anonymous visitors
    # until the certificate changes (``public_cache``); a kept page's hit is counted as well.
    token = public_cache.certificate_token_key(normal)
    render = functools.partial(_page, request, normal)
    return public_cache.kept(request, [token], render, admits=_within_limit)


def _page(request, normal):
    """(the page, whether it shows the certificate of this code: only that page is kept)."""
    certificate = queries.certificate_by_code(normal)
    if certificate is None:
        # A number that happens to look like a code (no slashes, ten letters and digits).
        numbered = queries.certificates_by_number(normal)
        if numbered:
            form = VerificationForm(initial={"code": normal})
            return _by_number(request, form, numbered), False
        form = VerificationForm(initial={"code": group_code(normal)})
        return _not_found(request, form, code=group_code(normal)), False
    context = {"certificate": certificate}
    return render(request, "certification/public/verify.html", context), True
