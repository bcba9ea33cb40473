"""Logging in: a throttled password step, then a TOTP second factor where one is set or required.

Logins are compared normalised (Unicode NFKC, then casefold), so `ｐａｒｔｎｅｒ` and `Partner` are
the login `partner`, both for finding the account and for counting failures.

Failures are counted per (normalised login, client address) pair: LOGIN_FAILURES_PER_LOGIN of
them within LOGIN_FAILURE_WINDOW_MINUTES lock that pair only, so neither an office behind one
NAT address nor the owner of an account someone else is guessing at is locked out. A much
higher ceiling, LOGIN_FAILURES_PER_ADDRESS, locks one address trying many logins (spraying).
The client address is REMOTE_ADDR, or the address a trusted reverse proxy puts in the header
named by LIDER_CLIENT_ADDRESS_HEADER (off by default: a header anyone can send is no address).
An installation administrator sees the current locks and lifts one (audited).

Administrators must set up a second factor before they reach any back-office page (see
`SecondFactorMiddleware`).
"""

import dataclasses
import datetime
import ipaddress
import math
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from lider.core import audit
from lider.core.models import AuditEntry, LoginFailure

LOGIN_MAX_LENGTH = 150


def per_login_limit() -> int:
    return getattr(settings, "LOGIN_FAILURES_PER_LOGIN", 10)


def per_address_limit() -> int:
    return getattr(settings, "LOGIN_FAILURES_PER_ADDRESS", 100)


def failure_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=getattr(settings, "LOGIN_FAILURE_WINDOW_MINUTES", 15))


def normalise_login(login: str) -> str:
    """The form of a login used for comparing and counting: NFKC, casefolded, stripped."""
    return unicodedata.normalize("NFKC", login).casefold().strip()


def throttle_key(login: str) -> str:
    """The key failures are counted under: the normalised login, as long as the column holds."""
    return normalise_login(login)[:LOGIN_MAX_LENGTH]


def client_address(request) -> str | None:
    """The client's IP address: from the trusted proxy's header if configured, else REMOTE_ADDR.

    With a header such as X-Forwarded-For, each proxy appends the address it saw; the entry
    LIDER_TRUSTED_PROXY_COUNT from the right is the one our own outermost proxy added, so a
    client cannot choose its address by sending the header itself.
    """
    header = getattr(settings, "LIDER_CLIENT_ADDRESS_HEADER", "")
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        count = getattr(settings, "LIDER_TRUSTED_PROXY_COUNT", 1)
        if len(parts) >= count and (address := _valid_address(parts[-count])):
            return address
    return _valid_address(request.META.get("REMOTE_ADDR", ""))


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


# Finding the account --------------------------------------------------------------------


def find_user(login: str):
    """The one account whose normalised login equals this one's, or None."""
    key = normalise_login(login)
    if not key or len(key) > LOGIN_MAX_LENGTH or "\x00" in key:
        return None
    User = get_user_model()
    candidates = [
        user for user in User.objects.filter(username__iexact=key) if _same(user.username, key)
    ]
    if len(candidates) == 1:
        return candidates[0]
    # Two accounts that differ only in how they are written (created before look-alikes were
    # refused): only the exact spelling logs in.
    exact = [user for user in candidates if user.username == login]
    return exact[0] if len(exact) == 1 else None


def _same(username: str, key: str) -> bool:
    return normalise_login(username) == key


def login_taken(login: str, *, exclude_pk=None) -> bool:
    """Whether an account exists whose login reads the same as this one once normalised."""
    key = normalise_login(login)
    users = get_user_model().objects.filter(username__iexact=key)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return any(_same(user.username, key) for user in users)


def validate_new_login(login: str) -> str:
    """Check a login for a new account; returns it in its stored (NFKC) form.

    Refuses a login that another account already has in another spelling (case, fullwidth
    letters, compatibility characters), so that no two accounts look alike.
    """
    stored = unicodedata.normalize("NFKC", login).strip()
    if not stored or len(stored) > LOGIN_MAX_LENGTH or "\x00" in stored:
        raise ValidationError(_("Enter a login of at most 150 characters."), code="invalid")
    if login_taken(stored):
        raise ValidationError(
            _("An account with this login, or one written the same way, already exists."),
            code="taken",
        )
    return stored


class NormalisedLoginBackend(ModelBackend):
    """Django's model backend, with the account found by its normalised login.

    The user of each request is loaded together with what the second-factor gate
    (``middleware.SecondFactorMiddleware``) needs: whether they have a confirmed device and
    whether they must have one. One query, as Django's own, instead of three; read afresh on
    every request, so a device removed or a role granted counts on the next one.
    """

    def get_user(self, user_id):
        required = import_string(settings.LIDER_SECOND_FACTOR_REQUIRED_EXPRESSION)()
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        user = (
            get_user_model()
            ._default_manager.annotate(
                lider_has_device=Exists(devices),
                lider_second_factor_required=ExpressionWrapper(
                    required, output_field=BooleanField()
                ),
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Run the hasher once anyway, so the time taken does not tell whether a login exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


# Throttling -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Lock:
    """A current lock: of one login from one address, or of an address (`login` is "")."""

    login: str
    address: str | None
    failures: int
    until: datetime.datetime

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))


def _recent():
    return LoginFailure.objects.filter(at__gte=timezone.now() - failure_window())


def _lock_of(failures, limit: int, login: str, address) -> Lock | None:
    """The lock these failures make, if there are `limit` or more of them in the window."""
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    # The lock ends when the limit-th most recent failure leaves the window.
    return Lock(
        login=login, address=address, failures=len(times), until=times[-1] + failure_window()
    )


def current_lock(login: str, address: str | None) -> Lock | None:
    """The lock that stops this login from this address now, if any (the later one wins)."""
    key = throttle_key(login)
    recent = _recent()
    locks = [
        _lock_of(recent.filter(username=key, ip_address=address), per_login_limit(), key, address)
    ]
    if address is not None:
        locks.append(_lock_of(recent.filter(ip_address=address), per_address_limit(), "", address))
    locks = [lock for lock in locks if lock is not None]
    return max(locks, key=lambda lock: lock.until) if locks else None


def record_failure(login: str, address: str | None) -> None:
    LoginFailure.objects.create(username=throttle_key(login), ip_address=address)
    # Failures older than the window count for nothing: keep the table small under spraying.
    stale = timezone.now() - max(failure_window(), datetime.timedelta(days=1))
    LoginFailure.objects.filter(at__lt=stale).delete()


def forget_failures(login: str, address: str | None) -> None:
    """After a successful login the pair starts afresh (failures are not a state to audit)."""
    LoginFailure.objects.filter(username=throttle_key(login), ip_address=address).delete()


def current_locks() -> list[Lock]:
    """Every lock in force now: pairs first, then whole addresses; newest end last."""
    recent = _recent()
    locks = []
    pairs = (
        recent.values("username", "ip_address")
        .annotate(failures=Count("pk"))
        .filter(failures__gte=per_login_limit())
    )
    for row in pairs:
        lock = _lock_of(
            recent.filter(username=row["username"], ip_address=row["ip_address"]),
            per_login_limit(),
            row["username"],
            row["ip_address"],
        )
        if lock:
            locks.append(dataclasses.replace(lock, failures=row["failures"]))
    addresses = (
        recent.exclude(ip_address=None)
        .values("ip_address")
        .annotate(failures=Count("pk"))
        .filter(failures__gte=per_address_limit())
    )
    for row in addresses:
        lock = _lock_of(
            recent.filter(ip_address=row["ip_address"]), per_address_limit(), "", row["ip_address"]
        )
        if lock:
            locks.append(dataclasses.replace(lock, failures=row["failures"]))
    return sorted(locks, key=lambda lock: (lock.login == "", lock.until))


@transaction.atomic
def lift_lock(*, login: str, address: str | None, actor) -> int:
    """Lift a lock: forget the failures behind it. `login` "" lifts a whole address's lock.

    Returns how many failures were forgotten; records who lifted which lock.
    """
    failures = LoginFailure.objects.filter(ip_address=address)
    if login:
        failures = failures.filter(username=throttle_key(login))
    count = failures.count()
    failures.delete()
    audit.record(
        actor,
        AuditEntry.Action.UNLOCK,
        changes={"login": [login or None, None], "address": [address, None]},
        note=f"{count}",
    )
    return count


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "too_long": _("A login has at most 150 characters."),
    }

    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > LOGIN_MAX_LENGTH:
            raise forms.ValidationError(self.error_messages["too_long"], code="too_long")
        return username

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or "password" not in self.cleaned_data:
            return self.cleaned_data  # the fields' own errors are shown; nothing was tried
        address = client_address(self.request) if self.request else None
        lock = current_lock(username, address)
        if lock is not None:
            raise forms.ValidationError(locked_message(lock), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record_failure(username, address)
            raise
        forget_failures(username, address)
        return cleaned


def locked_message(lock: Lock) -> str:
    minutes = lock.minutes_left
    until = formats.time_format(timezone.localtime(lock.until), "H:i")
    return ngettext(
        "Too many failed login attempts. For your security logging in is locked; "
        "try again in %(minutes)d minute (after %(time)s).",
        "Too many failed login attempts. For your security logging in is locked; "
        "try again in %(minutes)d minutes (after %(time)s).",
        minutes,
    ) % {"minutes": minutes, "time": until}


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_confirmed_device(user) -> bool:
    known = getattr(user, "lider_has_device", None)  # read with the user's row
    if known is not None:
        return known
    return confirmed_device(user) is not None


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("The code is not valid. Check your device's clock and try again."),
                code="token",
            )
        return token
