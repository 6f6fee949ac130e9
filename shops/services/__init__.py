"""Every write to stores and the catalog goes through here, in a transaction, with the business rules checked.

Services raise ``DomainError`` with a message a merchant or operator can act on; nothing is half-saved.
Stock reservation for orders lives in shops/stock.py (orders engineer); these modules set and adjust levels.
"""

from shops.services.catalog import (  # noqa: F401
    CATEGORY_TREE_CACHE_KEY,
    MAX_GALLERY,
    PRODUCT_FIELDS,
    adjust_stock,
    clean_attributes,
    create_product,
    create_sku_with_stock,
    forget_category_tree,
    index_product,
    parse_attributes,
    parse_price,
    parse_quantity,
    refresh_min_price,
    refresh_search_tokens,
    save_category,
    save_product,
    save_sku,
    set_stock,
)
from shops.services.promises import (  # noqa: F401
    declare_holiday,
    remove_holiday,
    save_catalogue,
    set_service_card,
)
from shops.services.stores import (  # noqa: F401
    OUTLET_FIELDS,
    add_staff,
    change_staff_role,
    close_now,
    create_merchant,
    create_store,
    decide_brand_authorization,
    end_closure,
    open_store,
    remove_staff,
    save_outlet,
    schedule_closure,
    set_store_suspended,
    submit_brand_authorization,
    unique_store_slug,
    update_store,
)
