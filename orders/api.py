"""REST API for cart, checkout, orders and the merchant's sub-orders. Thin: orders.cart/checkout/services decide."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.backends import CachedTokenAuthentication
from marketplace.api import DomainError
from marketplace.middleware import CONTROL_CHARACTERS
from orders import cart as carts
from orders import cart_view, checkout, flash, flash_orders, invoices, selectors, services
from orders.events import why
from orders.models import Order, SubOrder
from orders.serializers import (
    AddItemSerializer,
    CartOutSerializer,
    CartSelectionSerializer,
    CheckoutSerializer,
    CheckoutStoreOptionSerializer,
    CouponChoiceSerializer,
    FlashBuySerializer,
    FlashSaleSerializer,
    FlashTicketSerializer,
    InvoiceUploadSerializer,
    OrderSerializer,
    OrderSummarySerializer,
    PickupCodeSerializer,
    QuantitySerializer,
    SellerSubOrderSerializer,
    ShipSerializer,
    ShopperSubOrderSerializer,
    cart_data,
)


def cart_response(request, status_code=status.HTTP_200_OK):
    view = cart_view.view_cart(carts.cart_for(request, create=False), request.user)
    return Response(CartOutSerializer(cart_data(view)).data, status=status_code)


class CartView(APIView):
    """The current cart (the shopper's, or the anonymous session's), grouped by store and priced by the server."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=CartOutSerializer)
    def get(self, request):
        return cart_response(request)


class CartItemsView(APIView):
    """Add units of a SKU to the cart (on top of what it holds). Refused if the item cannot be bought, is out of
    stock or over the per-shopper limit."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=AddItemSerializer, responses={201: CartOutSerializer})
    def post(self, request):
        data = AddItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cart = carts.cart_for(request)
        carts.add_item(
            cart,
            sku_id=data.validated_data["sku"],
            quantity=data.validated_data["quantity"],
            source=data.validated_data["source"],
            shopper=request.user if request.user.is_authenticated else None,
        )
        return cart_response(request, status.HTTP_201_CREATED)


class CartItemView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=QuantitySerializer, responses=CartOutSerializer)
    def patch(self, request, pk: int):
        cart = carts.cart_for(request, create=False) or carts.cart_for(request)
        carts.cart_item(cart, pk)  # another cart's line is a 404 before the body is read
        data = QuantitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        carts.set_quantity(
            cart, pk, data.validated_data["quantity"], request.user if request.user.is_authenticated else None
        )
        return cart_response(request)

    @extend_schema(responses=CartOutSerializer)
    def delete(self, request, pk: int):
        cart = carts.cart_for(request)
        carts.remove_item(cart, pk)
        return cart_response(request)


class CartSelectionView(APIView):
    """Tick exactly these cart items for checkout (勾选结算); the cart is priced for the ticked lines only. An empty
    list unticks everything; ids not in this cart answer 400 and nothing changes."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=CartSelectionSerializer, responses=CartOutSerializer)
    def put(self, request):
        data = CartSelectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        carts.set_selection(carts.cart_for(request), data.validated_data["items"])
        return cart_response(request)


class CartCouponsView(APIView):
    """Choose the coupons for this cart ("best" lets the engine pick); the server re-prices."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CouponChoiceSerializer, responses=CartOutSerializer)
    def put(self, request):
        data = CouponChoiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        carts.set_coupon_choice(carts.cart_for(request), data.validated_data["coupon_choice"], request.user)
        return cart_response(request)


class CheckoutOptionsView(APIView):
    """Per store in the cart: the outlets that could hand over everything for pickup."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=CheckoutStoreOptionSerializer(many=True))
    def get(self, request):
        cart = carts.cart_for(request)
        outlets = checkout.pickup_outlets(cart)
        view = cart_view.view_cart(cart, request.user)
        data = [
            {"store": group.store.pk, "name": group.store.name, "pickup_outlets": outlets.get(group.store.pk, [])}
            for group in view.groups
        ]
        return Response(CheckoutStoreOptionSerializer(data, many=True).data)


class CheckoutView(APIView):
    """Place the order from the cart (or the chosen cart items, or buy-now lines): one order, one sub-order per
    store with its shipping fee, stock reserved. The same idempotency_key returns the same order (200) instead of
    creating another (201). Unknown or foreign cart item ids answer 400."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CheckoutSerializer, responses={201: OrderSerializer, 200: OrderSerializer})
    def post(self, request):
        data = CheckoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        buy_now = values.get("buy_now") or None
        order, created = checkout.place_order(
            shopper=request.user,
            cart=None if buy_now else carts.cart_for(request),
            idempotency_key=values["idempotency_key"],
            address_id=values.get("address"),
            fulfilment={choice["store"]: choice.get("outlet") for choice in values.get("fulfilment", [])},
            coupon_choice=values.get("coupon_choice", "cart"),
            expected_payable=values.get("expected_payable"),
            buy_now=buy_now,
            items=values.get("items"),
            notes={note["store"]: note["note"] for note in values.get("notes", [])},
            invoice=values.get("invoice"),
        )
        if not created:  # a new order carries the rows just written (orders.order_rows.keep_written_rows)
            order = selectors.order_for_shopper(request.user, order.number)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class FlashSaleView(APIView):
    """A flash sale as the signed-in shopper sees it before buying: the units left and the shopper's delivery
    addresses to choose from (404 when the SKU has no sale on). Opening it also readies the shopper's addresses
    for the sale's admission, so the buy itself needs no database."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=FlashSaleSerializer)
    def get(self, request, sku_id: int):
        sale = flash_orders.sale_of(sku_id)
        addresses = [{"id": a.pk, "label": a.one_line()} for a in flash_orders.addresses_for_sale(request.user)]
        body = {"sku": sale.sku.pk, "units_left": sale.units_left, "addresses": addresses}
        return Response(FlashSaleSerializer(body).data)


class FlashBuyView(APIView):
    """Buy now in a flash sale (秒杀): answered at once. 202 with a queued ticket when admitted (the order is
    written within seconds; poll the ticket), 409 when sold out. The same idempotency key answers 200 with the
    same ticket, or with the order once it is written."""

    permission_classes = [permissions.IsAuthenticated]

    def dispatch(self, request, *args, **kwargs):
        # Every buyer of a sale arrives at once, most to be refused: the usual API client (an API token, a JSON
        # body, no session) is answered without DRF's per-request machinery (content negotiation, parser and
        # renderer selection, two authenticators), which costs as much as a whole hello-world request. Anything
        # else, or any doubt (a token the cache does not know, an unparsable body, bad input), goes the DRF way
        # below with nothing taken, so the answers are the same either way.
        answer = self._token_buyer_fast(request, kwargs.get("sku_id"))
        return answer if answer is not None else super().dispatch(request, *args, **kwargs)

    @staticmethod
    def _token_buyer_fast(request, sku_id) -> JsonResponse | None:
        token = fast_buyer_token(request)
        if token is None:
            return None
        # The token's user as this process knows it, confirmed by the admission script itself: one Redis round
        # trip for the whole answer.
        user, credentials_key = CachedTokenAuthentication.remembered_user(token)
        if user is None:
            return None
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError, RequestDataTooBig):  # DRF's parser gives these their answers
            return None
        try:
            values = flash_buy_input(data)
            purchase = flash_orders.buy(shopper=user, sku_id=sku_id, credentials_key=credentials_key, **values)
        except flash.CredentialsGone:
            CachedTokenAuthentication.forget_remembered(token)
            return None
        except DomainError as exc:
            if exc.code != "out_of_stock":  # bad input and the like: rare, answered after a full authentication
                return None
            request.user = user  # for the middleware after the view (audit actor, insight), as DRF does
            body, code = sold_out_answer(exc)
            refused = JsonResponse(body, status=code)
            refused._has_been_logged = True  # most buyers of a sale are refused: the expected answer, not a warning
            return refused
        request.user = user
        body, code = purchase_answer(purchase)
        return JsonResponse(body, status=code)

    @extend_schema(
        request=FlashBuySerializer,
        responses={
            202: FlashTicketSerializer,
            200: FlashTicketSerializer,
            400: OpenApiResponse(description="Bad input, no flash sale on now, or not one of your addresses"),
            409: OpenApiResponse(description="Sold out"),
        },
    )
    def post(self, request, sku_id: int):
        # Every buyer of a sale comes here at once: the body is read by flash_buy_input (the same rules as
        # FlashBuySerializer, which documents it, at a fraction of the cost) and the answer is the ticket as
        # admitted, with no second lookup.
        purchase = flash_orders.buy(shopper=request.user, sku_id=sku_id, **flash_buy_input(request.data))
        return Response(*purchase_answer(purchase))


def fast_buyer_token(request) -> str | None:
    """The API token of a buyer the fast paths answer (FlashBuyView's own, orders.flash_lane): a POST with a token,
    a JSON body and no session. None: the DRF way."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if (request.method != "POST" or not header.startswith("Token ") or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.content_type != "application/json"):  # fmt: skip
        return None
    return header[6:].strip()


def purchase_answer(purchase: flash_orders.Purchase) -> tuple[dict, int]:
    """A buyer's answer: 202 with a new ticket, 200 for the same key again (its ticket, or its order once written)."""
    return flash_orders.ticket_body(purchase), status.HTTP_202_ACCEPTED if purchase.new else status.HTTP_200_OK


def sold_out_answer(exc: DomainError) -> tuple[dict, int]:
    return {"detail": exc.message, "code": exc.code}, exc.status_code


def flash_buy_input(data) -> dict:
    """The fields of a buy-now by FlashBuySerializer's rules; the service checks the values (key, quantity,
    address). Text with control characters is refused here: it would reach PostgreSQL with the order."""
    if not hasattr(data, "get"):
        raise DomainError(_("Send a JSON object."), code="invalid")
    key, address, quantity = data.get("idempotency_key"), data.get("address"), data.get("quantity", 1)
    source = data.get("source") or ""
    for name, text in (("idempotency_key", key), ("source", source)):
        if not isinstance(text, str | int) or isinstance(text, bool) or CONTROL_CHARACTERS.search(str(text)):
            raise DomainError(_("%(field)s must be plain text.") % {"field": name}, code="invalid")
    if len(str(source)) > 64:
        raise DomainError(_("%(field)s must be plain text.") % {"field": "source"}, code="invalid")
    for name, number in (("address", address), ("quantity", quantity)):
        if isinstance(number, bool | float | list | dict):
            raise DomainError(_("%(field)s must be a whole number.") % {"field": name}, code="invalid")
    return {"idempotency_key": key, "address_id": address, "quantity": quantity, "source": str(source)}


class FlashTicketView(APIView):
    """A flash-sale ticket of the signed-in shopper: queued, placed (with the order number) or failed (why)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=FlashTicketSerializer)
    def get(self, request, ticket_id: str):
        return Response(FlashTicketSerializer(flash_orders.ticket_of(request.user, ticket_id)).data)


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    """The shopper's own orders (another shopper's order numbers answer 404)."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"

    queryset = Order.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return selectors.orders_of(self.request.user)

    def get_serializer_class(self):
        return OrderSummarySerializer if self.action == "list" else OrderSerializer

    def retrieve(self, request, number=None):
        return Response(OrderSerializer(selectors.order_for_shopper(request.user, number)).data)

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, number=None):
        """Cancel an unpaid order: stock and coupons go back."""
        order = selectors.order_for_shopper(request.user, number)
        services.cancel_order(order, actor=request.user, reason=why("cancelled_by_shopper"))
        return Response(OrderSerializer(selectors.order_for_shopper(request.user, number)).data)


class ConfirmReceiptView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=ShopperSubOrderSerializer)
    def post(self, request, number: str, pk: int):
        """The shopper confirms a shipped sub-order arrived."""
        order = selectors.order_for_shopper(request.user, number)
        suborder = get_object_or_404(SubOrder, order=order, pk=pk)
        services.confirm_receipt(suborder, shopper=request.user)
        order = selectors.order_for_shopper(request.user, number)
        return Response(ShopperSubOrderSerializer(order.suborders.get(pk=pk)).data)


class SellerSubOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sub-orders of the stores where you handle orders (others answer 404). Filter with ?state= and ?store=."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SellerSubOrderSerializer
    filter_backends: list = []
    lookup_value_regex = "[0-9]+"

    queryset = SubOrder.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SubOrder.objects.none()
        state = self.request.query_params.get("state") or None
        rows = selectors.suborders_for_merchant(self.request.user, state=state)
        store = self.request.query_params.get("store")
        if store and store.isdigit():
            rows = rows.filter(store_id=int(store))
        return rows.prefetch_related(*selectors.suborder_prefetch())

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=SubOrder.State.values, required=False),
            OpenApiParameter("store", int, required=False),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ShipSerializer, responses={200: SellerSubOrderSerializer, 400: OpenApiResponse()})
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        """Ship a paid delivery sub-order with the carrier and tracking number."""
        suborder = selectors.suborder_for_merchant(request.user, pk)
        data = ShipSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.ship(suborder, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(selectors.suborder_for_merchant(request.user, pk)).data)

    @extend_schema(
        request={"multipart/form-data": InvoiceUploadSerializer},
        responses={200: SellerSubOrderSerializer, 400: OpenApiResponse(), 404: OpenApiResponse()},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def invoice(self, request, pk=None):
        """Issue the e-invoice the shopper asked for: upload its PDF (checked to be a PDF); the shopper can then
        download it from the order."""
        suborder = selectors.suborder_for_merchant(request.user, pk)
        data = InvoiceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invoices.issue(suborder, actor=request.user, pdf=data.validated_data["pdf"])
        return Response(self.get_serializer(selectors.suborder_for_merchant(request.user, pk)).data)

    @extend_schema(request=PickupCodeSerializer, responses={200: SellerSubOrderSerializer, 400: OpenApiResponse()})
    @action(detail=True, methods=["post"])
    def pickup(self, request, pk=None):
        """The outlet enters the pickup code the shopper shows; the sub-order is handed over (received)."""
        suborder = selectors.suborder_for_merchant(request.user, pk)
        data = PickupCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.confirm_pickup(suborder, actor=request.user, code=data.validated_data["code"])
        return Response(self.get_serializer(selectors.suborder_for_merchant(request.user, pk)).data)
