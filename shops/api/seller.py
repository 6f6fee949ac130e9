"""Merchant API (/api/v1/seller/...). Every lookup starts from shops.permissions.stores_for, so another merchant's
ids are simply not found (404) and nothing is read or changed."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api import DomainError
from marketplace.parsers import BoundedJSONParser
from shops import importer, services
from shops import serializers as s
from shops.models import (
    SKU,
    ImportJob,
    Merchant,
    Outlet,
    Product,
    StockLevel,
    Store,
    StoreClosure,
    StoreStaff,
)
from shops.permissions import Capability, stores_for

# --- merchant helpers -----------------------------------------------------------------------------------------


def own_store(request, store_id: int, capability: Capability) -> Store:
    return get_object_or_404(stores_for(request.user, capability), pk=store_id)


def own_product(request, pk: int, capability: Capability = Capability.MANAGE_CATALOG) -> Product:
    return get_object_or_404(
        Product.objects.select_related("category"), pk=pk, store__in=stores_for(request.user, capability)
    )


def own_sku(request, pk: int) -> SKU:
    return get_object_or_404(
        SKU.objects.select_related("product"), pk=pk, store__in=stores_for(request.user, Capability.MANAGE_CATALOG)
    )


def own_outlet(store_ids, outlet_id):
    if outlet_id is None:
        return None
    return get_object_or_404(Outlet, pk=outlet_id, store__in=store_ids)


class MerchantView(APIView):
    permission_classes = [permissions.IsAuthenticated]


# --- merchant: stores -----------------------------------------------------------------------------------------


class SellerStoreListView(MerchantView):
    """Stores the caller works in (any role); POST opens a new store for the caller's merchant."""

    @extend_schema(responses=s.SellerStoreSerializer(many=True))
    def get(self, request):
        roles = dict(StoreStaff.objects.filter(user=request.user).values_list("store_id", "role"))
        stores = list(Store.objects.filter(pk__in=roles).order_by("brand", "name"))
        for store in stores:
            store.role = roles[store.pk]
        return Response(s.SellerStoreSerializer(stores, many=True).data)

    @extend_schema(request=s.StoreCreateSerializer, responses={201: s.SellerStoreSerializer})
    def post(self, request):
        data = s.StoreCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        merchant = Merchant.objects.filter(owner=request.user).order_by("pk").first()
        if merchant is None:
            if not data.validated_data.get("merchant_name"):
                raise DomainError(_("Give merchant_name to register your business first."), code="merchant_required")
            merchant = services.create_merchant(owner=request.user, name=data.validated_data["merchant_name"])
        store = services.create_store(
            merchant=merchant,
            name=data.validated_data["name"],
            brand=data.validated_data["brand"],
            slug=data.validated_data.get("slug") or "",
            description=data.validated_data.get("description", ""),
            self_service=True,
        )
        store.role = "owner"
        return Response(s.SellerStoreSerializer(store).data, status=status.HTTP_201_CREATED)


class SellerStoreDetailView(MerchantView):
    @extend_schema(responses=s.SellerStoreSerializer)
    def get(self, request, pk: int):
        return Response(s.SellerStoreSerializer(own_store(request, pk, Capability.VIEW_STORE)).data)

    @extend_schema(request=s.StoreUpdateSerializer, responses=s.SellerStoreSerializer)
    def patch(self, request, pk: int):
        store = own_store(request, pk, Capability.MANAGE_STORE)
        data = s.StoreUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_store(store, name=data.validated_data.get("name", store.name),
                              description=data.validated_data.get("description", store.description))  # fmt: skip
        return Response(s.SellerStoreSerializer(store).data)


class SellerStoreOpenView(MerchantView):
    @extend_schema(request=None, responses=s.SellerStoreSerializer)
    def post(self, request, pk: int):
        """Open the store: a Tmall store only once its brand authorization is approved (else 400)."""
        store = services.open_store(own_store(request, pk, Capability.MANAGE_STORE), by_operator=False)
        return Response(s.SellerStoreSerializer(store).data)


class SellerBrandAuthorizationView(MerchantView):
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=s.BrandAuthorizationSerializer(many=True))
    def get(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_STORE)
        rows = store.brand_authorizations.order_by("-submitted_at")
        return Response(s.BrandAuthorizationSerializer(rows, many=True).data)

    @extend_schema(request=s.BrandAuthorizationSerializer, responses={201: s.BrandAuthorizationSerializer})
    def post(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_STORE)
        data = s.BrandAuthorizationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        authorization = services.submit_brand_authorization(
            store=store,
            brand_name=data.validated_data["brand_name"],
            document=data.validated_data.get("document"),
            document_note=data.validated_data.get("document_note", ""),
        )
        return Response(s.BrandAuthorizationSerializer(authorization).data, status=status.HTTP_201_CREATED)


# --- merchant: products and SKUs ------------------------------------------------------------------------------


class SellerProductListView(MerchantView):
    # Declared on the view so the schema describes the paginated envelope the GET answers.
    pagination_class = PageNumberPagination

    @extend_schema(responses=s.SellerProductSerializer(many=True))
    def get(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_CATALOG)
        products = store.products.select_related("category").prefetch_related("skus").order_by("-id")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(products, request, view=self)
        return paginator.get_paginated_response(s.SellerProductSerializer(page, many=True).data)

    @extend_schema(request=s.ProductInputSerializer, responses={201: s.SellerProductSerializer})
    def post(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_CATALOG)
        data = s.ProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        product = services.create_product(store=store, **fields)
        return Response(s.SellerProductSerializer(product).data, status=status.HTTP_201_CREATED)


class SellerProductDetailView(MerchantView):
    @extend_schema(responses=s.SellerProductSerializer)
    def get(self, request, pk: int):
        return Response(s.SellerProductSerializer(own_product(request, pk)).data)

    @extend_schema(request=s.ProductUpdateSerializer, responses=s.SellerProductSerializer)
    def patch(self, request, pk: int):
        product = own_product(request, pk)
        data = s.ProductUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        category = fields.pop("category", product.category)
        product = services.save_product(store=product.store, product=product, category=category, **fields)
        return Response(s.SellerProductSerializer(product).data)


class SellerSKUCreateView(MerchantView):
    @extend_schema(request=s.SKUInputSerializer, responses={201: s.SellerSKUSerializer})
    def post(self, request, pk: int):
        product = own_product(request, pk)
        data = s.SKUInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        stock = fields.pop("stock", None)
        sku = services.create_sku_with_stock(product=product, stock=stock, **fields)
        return Response(s.SellerSKUSerializer(sku).data, status=status.HTTP_201_CREATED)


class SellerSKUDetailView(MerchantView):
    @extend_schema(responses=s.SellerSKUSerializer)
    def get(self, request, pk: int):
        return Response(s.SellerSKUSerializer(own_sku(request, pk)).data)

    @extend_schema(request=s.SKUUpdateSerializer, responses=s.SellerSKUSerializer)
    def patch(self, request, pk: int):
        sku = own_sku(request, pk)
        data = s.SKUUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {
            "code": sku.code,
            "price": sku.price,
            "attributes": sku.attributes,
            "is_active": sku.is_active,
            "per_shopper_limit": sku.per_shopper_limit,
            **data.validated_data,
        }
        sku = services.save_sku(product=sku.product, sku=sku, **fields)
        return Response(s.SellerSKUSerializer(sku).data)


class SellerStockView(MerchantView):
    """Stock of one SKU per location and pool. PUT sets one level, POST .../adjust/ adds or removes units."""

    @extend_schema(responses=s.StockLevelSerializer(many=True))
    def get(self, request, pk: int):
        sku = own_sku(request, pk)
        levels = StockLevel.objects.filter(sku=sku).order_by("outlet_id", "pool")
        return Response(s.StockLevelSerializer(levels, many=True).data)

    @extend_schema(request=s.StockSetSerializer, responses=s.StockLevelSerializer)
    def put(self, request, pk: int):
        sku = own_sku(request, pk)
        data = s.StockSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outlet = own_outlet([sku.store_id], data.validated_data["outlet"])
        level = services.set_stock(sku=sku, outlet=outlet, pool=data.validated_data["pool"],
                                   quantity=data.validated_data["quantity"])  # fmt: skip
        return Response(s.StockLevelSerializer(level).data)


class SellerStockAdjustView(MerchantView):
    @extend_schema(request=s.StockAdjustSerializer, responses=s.StockLevelSerializer)
    def post(self, request, pk: int):
        sku = own_sku(request, pk)
        data = s.StockAdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outlet = own_outlet([sku.store_id], data.validated_data["outlet"])
        level = services.adjust_stock(sku=sku, outlet=outlet, pool=data.validated_data["pool"],
                                      delta=data.validated_data["delta"])  # fmt: skip
        return Response(s.StockLevelSerializer(level).data)


# --- merchant: outlets, closures, staff -----------------------------------------------------------------------


class SellerOutletListView(MerchantView):
    @extend_schema(responses=s.OutletSerializer(many=True))
    def get(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_CATALOG)
        return Response(s.OutletSerializer(store.outlets.order_by("name"), many=True).data)

    @extend_schema(request=s.OutletSerializer, responses={201: s.OutletSerializer})
    def post(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_CATALOG)
        data = s.OutletSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outlet = services.save_outlet(store=store, **data.validated_data)
        return Response(s.OutletSerializer(outlet).data, status=status.HTTP_201_CREATED)


class SellerOutletDetailView(MerchantView):
    def _outlet(self, request, pk):
        return get_object_or_404(Outlet, pk=pk, store__in=stores_for(request.user, Capability.MANAGE_CATALOG))

    @extend_schema(responses=s.OutletSerializer)
    def get(self, request, pk: int):
        return Response(s.OutletSerializer(self._outlet(request, pk)).data)

    @extend_schema(request=s.OutletSerializer, responses=s.OutletSerializer)
    def patch(self, request, pk: int):
        outlet = self._outlet(request, pk)
        data = s.OutletSerializer(outlet, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        outlet = services.save_outlet(store=outlet.store, outlet=outlet, **data.validated_data)
        return Response(s.OutletSerializer(outlet).data)


class SellerClosureListView(MerchantView):
    @extend_schema(responses=s.ClosureSerializer(many=True))
    def get(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_STORE)
        return Response(s.ClosureSerializer(store.closures.order_by("-starts_on"), many=True).data)

    @extend_schema(request=s.ClosureSerializer, responses={201: s.ClosureSerializer})
    def post(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_STORE)
        data = s.ClosureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        closure = services.schedule_closure(store=store, **data.validated_data)
        return Response(s.ClosureSerializer(closure).data, status=status.HTTP_201_CREATED)


class SellerClosureDetailView(MerchantView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        """End a running closure now (the store reopens) or cancel a future one."""
        closure = get_object_or_404(StoreClosure, pk=pk, store__in=stores_for(request.user, Capability.MANAGE_STORE))
        services.end_closure(closure)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SellerStaffListView(MerchantView):
    @extend_schema(responses=s.StaffSerializer(many=True))
    def get(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_STORE)
        return Response(s.StaffSerializer(store.staff.select_related("user"), many=True).data)

    @extend_schema(request=s.StaffInputSerializer, responses={201: s.StaffSerializer})
    def post(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_STORE)
        data = s.StaffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.add_staff(store=store, **data.validated_data)
        return Response(s.StaffSerializer(member).data, status=status.HTTP_201_CREATED)


class SellerStaffDetailView(MerchantView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        member = get_object_or_404(StoreStaff, pk=pk, store__in=stores_for(request.user, Capability.MANAGE_STORE))
        services.remove_staff(member)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- merchant: CSV import -------------------------------------------------------------------------------------


class SellerImportCreateView(MerchantView):
    parser_classes = [MultiPartParser, FormParser, BoundedJSONParser]

    @extend_schema(request=s.ImportCreateSerializer, responses={202: s.ImportJobSerializer})
    def post(self, request, store_id: int):
        """Queue an all-or-nothing import; poll the job for progress and per-line errors."""
        store = own_store(request, store_id, Capability.MANAGE_CATALOG)
        data = s.ImportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = importer.create_job(store=store, user=request.user, filename=data.validated_data["filename"],
                                  content=data.validated_data["content"])  # fmt: skip
        return Response(s.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class SellerImportDetailView(MerchantView):
    @extend_schema(responses=s.ImportJobSerializer)
    def get(self, request, pk: int):
        job = get_object_or_404(ImportJob, pk=pk, store__in=stores_for(request.user, Capability.MANAGE_CATALOG))
        return Response(s.ImportJobSerializer(job).data)
