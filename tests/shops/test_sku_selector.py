"""SKU selection by attribute: sold-out combinations cannot be chosen (pure rule and the rendered product page)."""

import re
from decimal import Decimal

import pytest

from shops import services, sku_matrix
from tests.shops.factories import CategoryFactory, StoreFactory

D = Decimal

# 颜色 x 尺码, where 红/L and every 蓝 but 蓝/M are sold out.
SKUS = [
    (1, {"颜色": "红", "尺码": "M"}, "红 / M", D("99.00"), 3),
    (2, {"颜色": "红", "尺码": "L"}, "红 / L", D("99.00"), 0),
    (3, {"颜色": "蓝", "尺码": "M"}, "蓝 / M", D("109.00"), 2),
    (4, {"颜色": "蓝", "尺码": "L"}, "蓝 / L", D("109.00"), 0),
    (5, {"颜色": "黑", "尺码": "L"}, "黑 / L", D("119.00"), 5),
]


def test_axes_and_values_keep_the_order_they_first_appear_in():
    matrix = sku_matrix.build(SKUS, "Option")
    assert matrix.axes == ("颜色", "尺码")
    assert matrix.values == (("红", "蓝", "黑"), ("M", "L"))


def test_a_value_is_offered_only_with_stock_alongside_the_other_axes_choice():
    matrix = sku_matrix.build(SKUS, "Option")
    groups = dict(sku_matrix.states(matrix, ("红", "M")))
    assert [(v, ok) for v, ok, _sel in groups["尺码"]] == [("M", True), ("L", False)]  # 红/L sold out
    assert [(v, ok) for v, ok, _sel in groups["颜色"]] == [("红", True), ("蓝", True), ("黑", False)]  # no 黑/M
    groups = dict(sku_matrix.states(matrix, ("黑", "L")))
    assert [(v, ok) for v, ok, _sel in groups["颜色"]] == [("红", False), ("蓝", False), ("黑", True)]
    assert [(v, ok) for v, ok, _sel in groups["尺码"]] == [("M", False), ("L", True)]
    nothing_chosen = dict(sku_matrix.states(matrix, (None, None)))
    assert all(ok for _v, ok, _sel in nothing_chosen["尺码"])


def test_skus_without_shared_attribute_names_fall_back_to_one_axis_of_labels():
    matrix = sku_matrix.build([(1, {"颜色": "红"}, "红", D("1"), 1), (2, {}, "A-2", D("2"), 0)], "Option")
    assert matrix.axes == ("Option",) and matrix.values == (("红", "A-2"),)
    assert dict(sku_matrix.states(matrix, ("红",)))["Option"] == [("红", True, True), ("A-2", False, False)]
    assert sku_matrix.as_json(matrix)["options"][0] == {"sku": 1, "values": ["红"], "price": "1.00", "stock": 1}


@pytest.mark.django_db
def test_product_page_renders_button_groups_with_sold_out_combinations_disabled(client):
    skus = [{"code": f"T-{n}", "attributes": attributes, "price": str(price), "stock": stock}
            for n, (_pk, attributes, _label, price, stock) in enumerate(SKUS)]  # fmt: skip
    product = services.create_product(store=StoreFactory(), category=CategoryFactory(), skus=skus, title="T恤")
    html = client.get(f"/p/{product.pk}/").content.decode()
    chips = re.findall(r'<button type="button" class="chip( selected)?" data-axis="(\d)" data-value="([^"]+)"'
                       r'[^>]*?( disabled)?>', html)  # fmt: skip
    # (the axes' order is the database's: values are unique across both axes here, so key by value)
    state = {value: (bool(selected), bool(disabled)) for selected, _axis, value, disabled in chips}
    # The cheapest SKU in stock (红/M) is chosen; 红/L and 黑 with M are sold out.
    assert state["红"] == (True, False) and state["M"] == (True, False)
    assert state["L"] == (False, True) and state["黑"] == (False, True)
    assert state["蓝"] == (False, False)
    first = product.skus.get(code="T-0")
    assert f'name="sku" value="{first.pk}"' in html and "3 in stock" in html
    assert 'data-testid="buy-now"' in html and 'formaction="/buy-now/"' in html
    assert 'id="sku-data"' in html and '"price": "119.00"' in html


@pytest.mark.django_db
def test_the_quantity_is_capped_by_the_chosen_options_stock_and_its_per_shopper_limit_from_the_first_render(client):
    def quantity_max(skus) -> str:
        product = services.create_product(store=StoreFactory(), category=CategoryFactory(), skus=skus, title="限购")
        html = client.get(f"/p/{product.pk}/").content.decode()
        return re.search(r'name="quantity" value="1" min="1" max="(\d+)"', html).group(1)

    assert quantity_max([{"code": "Q-1", "price": "10.00", "stock": 3}]) == "3"
    limited = [{"code": "Q-2", "price": "10.00", "stock": 5, "per_shopper_limit": 2}]
    assert quantity_max(limited) == "2"
