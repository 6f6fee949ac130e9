from django.contrib.auth import login
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User

# Other apps register hooks here that must run when a shopper logs in (e.g. merging the session cart).
login_hooks: list = []


def register_login_hook(hook) -> None:
    if hook not in login_hooks:
        login_hooks.append(hook)


def run_login_hooks(request, user: User) -> None:
    for hook in login_hooks:
        hook(request, user)


def log_in(request, user: User) -> None:
    """Log the user in and let other apps carry the anonymous session's state over (cart merge)."""
    session_key_before = request.session.session_key
    # Named: the sign-in throttle is a second authentication backend, and it never logs anyone in.
    login(request, user, backend="accounts.backends.CachedModelBackend")
    request.session_key_before_login = session_key_before
    run_login_hooks(request, user)


@transaction.atomic
def rotate_api_token(user: User) -> Token:
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


# Address book (added by the orders work: checkout needs it). The one default address per user is also a
# database constraint; these keep it true when the default moves.


@transaction.atomic
def save_address(address, *, make_default: bool | None = None):
    """Create or update ``address``; the first address, or one marked default, becomes the only default."""
    from accounts.models import Address

    others = Address.objects.select_for_update().filter(user=address.user).exclude(pk=address.pk)
    if make_default is None:
        make_default = address.is_default or not others.exists()
    if make_default:
        others.filter(is_default=True).update(is_default=False)
    address.is_default = make_default
    address.save()
    return address


@transaction.atomic
def delete_address(address) -> None:
    """Remove an address (orders keep their own copy); if it was the default, the newest other one takes over."""
    from accounts.models import Address

    was_default = address.is_default
    user = address.user
    address.delete()
    if was_default:
        successor = Address.objects.select_for_update().filter(user=user).order_by("-created_at").first()
        if successor:
            successor.is_default = True
            successor.save(update_fields=["is_default"])
