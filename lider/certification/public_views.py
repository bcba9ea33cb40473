"""Anyone (an employer, say) can check that a certificate is genuine: no login, rate-limited."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from lider.certification.forms import VerificationForm
from lider.certification.models import Certificate, group_code
from lider.certification.services import normalise_code

# Look-ups per address and window; codes are unguessable, this only stops enumeration.
LIMIT = getattr(settings, "CERTIFICATE_VERIFICATION_LIMIT", 30)
WINDOW_SECONDS = 600


def _too_many(request) -> bool:
    key = f"certification:verify:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > LIMIT


def _refuse(request):
    response = render(request, "certification/public/too_many.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


@never_cache
def verify_form(request):
    form = VerificationForm(request.GET or None)
    if form.is_valid():
        return redirect(
            "certification_public:verify", code=normalise_code(form.cleaned_data["code"])
        )
    return render(request, "certification/public/form.html", {"form": form})


@never_cache
def verify(request, code):
    if _too_many(request):
        return _refuse(request)
    normal = normalise_code(code)
    if normal != code:
        return redirect("certification_public:verify", code=normal)
    certificate = (
        Certificate.objects.filter(code=normal)
        .only(
            "number",
            "code",
            "status",
            "issued_on",
            "revoked_at",
            "full_name",
            "training_title",
            "hours",
            "start_date",
            "end_date",
            "place",
            "project_title",
            "project_number",
        )
        .first()
    )
    if certificate is None:
        form = VerificationForm(initial={"code": group_code(normal)})
        return render(
            request,
            "certification/public/not_found.html",
            {"form": form, "code": group_code(normal)},
            status=404,
        )
    return render(request, "certification/public/verify.html", {"certificate": certificate})
