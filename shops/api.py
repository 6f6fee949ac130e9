"""REST API of the shops app (/api/v1/): public catalog, merchant endpoints scoped to the caller's own stores,
operator endpoints. Every merchant lookup starts from shops.permissions.stores_for, so another merchant's ids
are simply not found (404) and nothing is read or changed.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.decorators import IsOperator
from marketplace.api import DomainError
from shops import importer, selectors, services
from shops import serializers as s
from shops.models import (
    SKU,
    BrandAuthorization,
    Category,
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

PAGE_SIZE = 24

# --- public catalog -------------------------------------------------------------------------------------------


class CategoryListView(generics.ListAPIView):
    """The whole category tree (top level = vertical), flat, ordered by position."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.CategorySerializer
    pagination_class = None
    queryset = Category.objects.order_by("position", "id")


class ProductListView(APIView):
    """Catalog listing and search (Chinese and English) with brand/category/price/stock filters and sorting."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[s.CatalogQuerySerializer], responses=s.ProductPageSerializer)
    def get(self, request):
        query = s.CatalogQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = selectors.CatalogFilters.from_params(request.query_params)
        if filters.errors:
            raise DomainError("; ".join(str(error) for error in filters.errors), code="invalid_filter")
        page = selectors.catalog_page(filters, selectors.page_number(request.query_params.get("page")), PAGE_SIZE)
        return Response({
            "count": page.count,
            "count_capped": page.capped,
            "page": page.number,
            "pages": page.num_pages,
            "results": s.ProductListSerializer(page.object_list, many=True).data,
        })  # fmt: skip


class ProductDetailView(APIView):
    """A product with per-SKU price, delivery stock and pickup stock per outlet, and whether it can be bought."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.ProductDetailSerializer)
    def get(self, request, pk: int):
        detail = selectors.product_detail(pk)
        if detail is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        return Response(s.ProductDetailSerializer(detail).data)


class StoreListView(generics.ListAPIView):
    """Open stores of both brands."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.StoreSerializer

    def get_queryset(self):
        stores = Store.objects.filter(status=Store.Status.OPEN).order_by("name")
        brand = self.request.query_params.get("brand")
        return stores.filter(brand=brand.upper()) if brand else stores

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "closures": selectors.closures_for(self.get_queryset().values_list("pk", flat=True)),
        }


class StoreDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.StoreSerializer
    lookup_field = "slug"
    queryset = Store.objects.filter(status=Store.Status.OPEN)


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
                raise DomainError("Give merchant_name to register your business first.", code="merchant_required")
            merchant = services.create_merchant(owner=request.user, name=data.validated_data["merchant_name"])
        store = services.create_store(
            merchant=merchant,
            name=data.validated_data["name"],
            brand=data.validated_data["brand"],
            slug=data.validated_data.get("slug") or "",
            description=data.validated_data.get("description", ""),
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
    parser_classes = [JSONParser, MultiPartParser, FormParser]

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
    @extend_schema(responses=s.SellerProductSerializer(many=True))
    def get(self, request, store_id: int):
        store = own_store(request, store_id, Capability.MANAGE_CATALOG)
        products = store.products.select_related("category").prefetch_related("skus").order_by("-id")
        paginator = PageNumberPagination()
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
    parser_classes = [MultiPartParser, FormParser, JSONParser]

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


# --- operator -------------------------------------------------------------------------------------------------


class OpsBrandAuthorizationListView(generics.ListAPIView):
    """The review queue (default: pending, oldest first)."""

    permission_classes = [IsOperator]
    serializer_class = s.OpsBrandAuthorizationSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=BrandAuthorization.Status.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        wanted = self.request.query_params.get("status") or BrandAuthorization.Status.PENDING
        return (
            BrandAuthorization.objects.filter(status=wanted)
            .select_related("store__merchant")
            .order_by("submitted_at", "id")
        )


class OpsBrandDecisionView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(request=s.DecisionSerializer, responses=s.OpsBrandAuthorizationSerializer)
    def post(self, request, pk: int):
        """Approve (the Tmall store opens) or reject (reason required)."""
        authorization = get_object_or_404(BrandAuthorization, pk=pk)
        data = s.DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.decide_brand_authorization(
            authorization,
            operator=request.user,
            approve=data.validated_data["decision"] == "approve",
            reason=data.validated_data["reason"],
        )
        return Response(s.OpsBrandAuthorizationSerializer(decided).data)


class OpsMerchantListView(generics.ListAPIView):
    permission_classes = [IsOperator]
    serializer_class = s.OpsMerchantSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str, description="name, owner or store name")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        merchants = Merchant.objects.select_related("owner").prefetch_related("stores").order_by("name")
        q = (self.request.query_params.get("q") or "").strip()
        if q:
            merchants = merchants.filter(
                Q(name__icontains=q) | Q(owner__username__icontains=q) | Q(stores__name__icontains=q)
            ).distinct()
        return merchants


class OpsStoreListView(generics.ListAPIView):
    permission_classes = [IsOperator]
    serializer_class = s.OpsStoreSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("brand", str),
                               OpenApiParameter("status", str)])  # fmt: skip
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        stores = Store.objects.select_related("merchant").order_by("name")
        params = self.request.query_params
        q = (params.get("q") or "").strip()
        if q:
            stores = stores.filter(Q(name__icontains=q) | Q(slug__icontains=q) | Q(merchant__name__icontains=q))
        if params.get("brand"):
            stores = stores.filter(brand=params["brand"].upper())
        if params.get("status"):
            stores = stores.filter(status=params["status"])
        return stores
