from django.contrib.auth import login
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.lock_objects import locked_addresses_of
from accounts.models import User


def log_in(request, user: User) -> None:
    """Log the user in. Django's ``user_logged_in`` signal lets other apps carry the anonymous session's state over
    (orders merges the session cart); login changes the session key, so the one before is kept on the request."""
    request.session_key_before_login = request.session.session_key
    # Named: the sign-in throttle is a second authentication backend, and it never logs anyone in.
    login(request, user, backend="accounts.backends.CachedModelBackend")


@transaction.atomic
def rotate_api_token(user: User) -> Token:
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


# Address book (added by the orders work: checkout needs it). The one default address per user is also a
# database constraint; these keep it true when the default moves.


@transaction.atomic
def save_address(address, *, make_default: bool | None = None):
    """Create or update ``address``; the first address, or one marked default, becomes the only default."""
    others = locked_addresses_of(address.user).exclude(pk=address.pk)
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
    was_default = address.is_default
    user = address.user
    address.delete()
    if was_default:
        successor = locked_addresses_of(user).order_by("-created_at").first()
        if successor:
            successor.is_default = True
            successor.save(update_fields=["is_default"])
