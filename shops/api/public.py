"""Public catalog API: categories, products (listing and search), product detail with stock, stores."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api import DomainError
from shops import selectors
from shops import serializers as s
from shops.models import (
    Category,
    ServiceCatalogue,
    Store,
)

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

    @extend_schema(
        operation_id="products_list", parameters=[s.CatalogQuerySerializer], responses=s.ProductPageSerializer
    )
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
        stores = Store.objects.filter(status=Store.Status.OPEN).select_related("service_card", "dsr").order_by("name")
        brand = self.request.query_params.get("brand")
        return stores.filter(brand=brand.upper()) if brand else stores

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "closures": selectors.closures_for(self.get_queryset().values_list("pk", flat=True)),
            "service_catalogue": ServiceCatalogue.current(),
        }


class StoreDetailView(generics.RetrieveAPIView):
    """An open store with its holiday closure and its service card (服务卡)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = s.StoreSerializer
    lookup_field = "slug"
    queryset = Store.objects.filter(status=Store.Status.OPEN).select_related("service_card", "dsr")
