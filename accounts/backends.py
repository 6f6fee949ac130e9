"""The authentication backend: Django's ModelBackend with the per-request user lookup served from the cache.

Every signed-in request loads the user by the id in the session. Caching that row keeps the database out of pages
that are otherwise served from cache (the storefront). The entry is dropped whenever the user row is saved or
deleted (a password change, deactivation, a new role), and expires after USER_CACHE_SECONDS as a backstop against
writes that bypass the model (``QuerySet.update``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

USER_CACHE_SECONDS = 300


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


def forget_user(sender, instance, **kwargs) -> None:
    key = user_cache_key(instance.pk)
    cache.delete(key)
    # Again after commit: a request that cached the old row between the write and the commit is corrected.
    transaction.on_commit(lambda: cache.delete(key))


def connect_signals() -> None:
    user_model = get_user_model()
    post_save.connect(forget_user, sender=user_model, dispatch_uid="accounts.forget_user.save")
    post_delete.connect(forget_user, sender=user_model, dispatch_uid="accounts.forget_user.delete")
