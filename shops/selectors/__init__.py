"""Reads of stores and the catalog (the write side is shops.services). Other apps import from here."""

from shops.selectors.catalog import (  # noqa: F401
    COUNT_CAP,
    SORTS,
    CatalogFilters,
    ResultPage,
    capped_count,
    catalog,
    catalog_page,
    in_stock_expression,
    page_number,
    search_stages,
)
from shops.selectors.directory import (  # noqa: F401
    annotate_closures,
    attach_stores,
    categories_by_id,
    category_by_slug,
    category_path,
    category_tree,
    closures_for,
    descendant_ids,
    hidden_store_ids,
    store_directory,
    verticals,
    visible_products,
)
from shops.selectors.product import (  # noqa: F401
    ProductDetail,
    SkuView,
    delivery_stock,
    home_sections,
    product_detail,
    purchasable_problem,
    purchasable_problems,
    stock_rows_for,
    store_by_slug,
    store_stats,
)
from shops.selectors.promises import (  # noqa: F401
    card_of,
    closure_days,
    holiday_days,
    no_reason_return_days,
    paused_days,
    return_excluded_vertical_ids,
    service_card,
    ships_after,
)
