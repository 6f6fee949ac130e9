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
    login(request, user)
    request.session_key_before_login = session_key_before
    run_login_hooks(request, user)


@transaction.atomic
def rotate_api_token(user: User) -> Token:
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
