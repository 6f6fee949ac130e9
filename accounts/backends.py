"""Authentication with the per-request user lookup served from the cache.

Every signed-in request loads the user by the id in the session (CachedModelBackend) or by its API token
(CachedTokenAuthentication). Caching the user row (under the token itself, for tokens) keeps the database out of
requests that are otherwise answered from cache or Redis (the storefront, flash-sale admission). The entries are
dropped whenever the user row is saved or deleted (a password change, deactivation, a new role) or the token is
deleted (logout, rotation), and expire after USER_CACHE_SECONDS as a backstop against writes that bypass the
model (``QuerySet.update``).
"""

from __future__ import annotations

import hashlib
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.cache.backends.redis import RedisSerializer
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

USER_CACHE_SECONDS = 300
# Users of tokens this process served recently (remembered_user): token cache key -> (user, until, Redis key).
PROCESS_USER_SECONDS = 60
PROCESS_USERS_MAX = 50_000
_process_users: dict[str, tuple[object, float, str]] = {}


def user_cache_key(user_id) -> str:
    return f"accounts:user:{user_id}"


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(key, user, USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


def token_cache_key(key: str) -> str:
    # A digest, not the token: cache key names show up in monitoring. "token-user": the entry holds the user row
    # (entries named "token" held only its id, and may still be cached while a new release starts).
    return "accounts:token-user:" + hashlib.sha256(key.encode()).hexdigest()


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication with the token's user from the cache in one lookup (the user row is cached under
    the token itself: API clients such as flash-sale buyers pay one cache round trip, not two). ``forget_user``
    drops these entries with the user's own."""

    @staticmethod
    def cached_user(key: str):
        """The active user of the token if the cache knows it, else None (then authenticate the usual way)."""
        user = cache.get(token_cache_key(key)) if key and " " not in key else None
        return user if user is not None and user.is_active else None

    @classmethod
    def remembered_user(cls, key: str) -> tuple[object | None, str]:
        """(user, the Redis key of the token's cache entry) for a hot path that makes no cache lookup of its own:
        the user as this process last saw it (at most PROCESS_USER_SECONDS ago), else from the cache. Such a user
        is only trusted if the caller confirms, in the same Redis round trip as its own work, that the entry
        still exists: ``forget_token``/``forget_user`` delete it on logout, rotation, deactivation or any change
        of the user. (None, "") when neither knows the token: authenticate the usual way."""
        if not key or " " in key:
            return None, ""
        remembered = _remembered_in_process(key)
        if remembered is not None:
            return remembered
        return _remember(key, cls.cached_user(key))

    @staticmethod
    async def remembered_user_in_loop(key: str, async_client) -> tuple[object | None, str]:
        """``remembered_user`` for an event loop: the cache entry is read with the loop's asyncio Redis client
        (the cache's own Redis), decoded as the cache decodes it."""
        if not key or " " in key:
            return None, ""
        remembered = _remembered_in_process(key)
        if remembered is not None:
            return remembered
        raw = await async_client.get(cache.make_key(token_cache_key(key)))
        user = None if raw is None else _cache_serializer.loads(raw)
        return _remember(key, user if user is not None and user.is_active else None)

    @staticmethod
    def forget_remembered(key: str) -> None:
        _process_users.pop(token_cache_key(key), None)

    def authenticate_credentials(self, key):
        cache_key = token_cache_key(key)
        user = cache.get(cache_key)
        if user is None:
            user, token = super().authenticate_credentials(key)
            cache.set(cache_key, user, USER_CACHE_SECONDS)
            return user, token
        if not user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return user, Token(key=key, user=user)


_cache_serializer = RedisSerializer()


def _remembered_in_process(key: str) -> tuple[object, str] | None:
    remembered = _process_users.get(token_cache_key(key))
    if remembered is None or remembered[1] <= time.monotonic():
        return None
    return remembered[0], remembered[2]


def _remember(key: str, user) -> tuple[object | None, str]:
    if user is None:
        return None, ""
    if len(_process_users) >= PROCESS_USERS_MAX:
        _process_users.clear()
    cache_key = token_cache_key(key)
    raw_key = cache.make_key(cache_key)
    _process_users[cache_key] = (user, time.monotonic() + PROCESS_USER_SECONDS, raw_key)
    return user, raw_key


def forget_token(sender, instance, **kwargs) -> None:
    key = token_cache_key(instance.key)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_user(sender, instance, **kwargs) -> None:
    keys = [user_cache_key(instance.pk)]
    keys += [
        token_cache_key(token) for token in Token.objects.filter(user_id=instance.pk).values_list("key", flat=True)
    ]
    cache.delete_many(keys)
    # Again after commit: a request that cached the old row between the write and the commit is corrected.
    transaction.on_commit(lambda: cache.delete_many(keys))


def connect_signals() -> None:
    user_model = get_user_model()
    post_save.connect(forget_user, sender=user_model, dispatch_uid="accounts.forget_user.save")
    post_delete.connect(forget_user, sender=user_model, dispatch_uid="accounts.forget_user.delete")
    post_delete.connect(forget_token, sender=Token, dispatch_uid="accounts.forget_token.delete")
