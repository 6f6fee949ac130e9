"""The flash-sale buyers' lane (marketplace.lane): ``POST /api/v1/flash/<sku>/buy/`` answered in the event loop.

Who it answers: an API client with a token whose user this process or the cache knows, a JSON body and no session
(the app's buyers); what it answers: admitted (202), the same key again (200) or sold out (409), all from the one
Redis script every buyer runs (orders.flash). Everything else (a session, an unknown or revoked token, bad input,
addresses or a sale Redis does not know, a body over the limit, a host Django would refuse, plain HTTP where HTTPS
is required) goes to the Django application unchanged, where FlashBuyView answers it; nothing was taken before
handing on. The answers are the view's: same status, body, language and headers (tests/orders/test_flash_lane.py
compares them).
"""

from __future__ import annotations

import json
import logging
import re

import redis
from django.conf import settings
from django.utils import translation

from accounts.backends import CachedTokenAuthentication
from marketplace import lane
from marketplace.api import DomainError
from marketplace.redis_client import shared_async
from orders import flash, flash_orders
from orders.api import fast_buyer_token, flash_buy_input, purchase_answer, sold_out_answer

logger = logging.getLogger(__name__)
BUY_PATH = re.compile(r"/api/v1/flash/([0-9]{1,18})/buy/")


class FlashBuyLane:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        match = BUY_PATH.fullmatch(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" else None
        if match is None or scope.get("root_path"):
            return await self.app(scope, receive, send)
        messages, whole = await lane.read_body(receive, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**20)
        if not (whole and await self._answer(scope, lane.body_of(messages), int(match[1]), send)):
            await self.app(scope, lane.replaying(messages, receive), send)

    @classmethod
    async def _answer(cls, scope, body: bytes, sku_id: int, send) -> bool:
        try:
            return await cls._answer_from_redis(scope, body, sku_id, send)
        except redis.RedisError:
            # Redis slow or gone: Django answers (or fails) as it would have. A script that ran but whose reply was
            # lost is safe to run again: the same idempotency key gets the same ticket.
            logger.warning("flash lane: Redis failed, handing the buyer to Django", exc_info=True)
            return False

    @staticmethod
    async def _answer_from_redis(scope, body: bytes, sku_id: int, send) -> bool:
        request = lane.django_request(scope, body)
        if request is None or lane.needs_https_redirect(request):
            return False
        token = fast_buyer_token(request)
        if token is None:
            return False
        redis_client = shared_async()
        user, credentials_key = await CachedTokenAuthentication.remembered_user_in_loop(token, redis_client)
        if user is None:
            return False
        try:
            values = flash_buy_input(json.loads(body))
        except (ValueError, RecursionError, DomainError):  # the view gives these their answers
            return False
        language = lane.language_of(request)
        with translation.override(language):
            try:
                purchase = await flash_orders.buy_in_loop(
                    redis_client, shopper_id=user.pk, sku_id=sku_id, credentials_key=credentials_key, **values
                )
            except flash.CredentialsGone:
                CachedTokenAuthentication.forget_remembered(token)
                return False
            except DomainError as exc:
                if exc.code != "out_of_stock":
                    return False
                await lane.send_json(send, request, language, *sold_out_answer(exc))
                return True
            if purchase is None:
                return False
            await lane.send_json(send, request, language, *purchase_answer(purchase))
        return True
