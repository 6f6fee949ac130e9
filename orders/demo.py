"""Demo orders for the demo shoppers alice and bob: each gets an address and a few orders across both brands.

payments/demo.py then pays and ships some of them, so every page (my orders, timelines, the workbench list) has
content. Idempotent: orders are placed with fixed idempotency keys and skipped when they exist.
"""

from __future__ import annotations

from accounts.models import Address, User
from orders import cart as carts
from orders.checkout import place_order
from orders.models import Cart, Order
from shops import stock
from shops.models import SKU, Brand, Store
from shops.selectors import purchasable_problem

# (shopper, idempotency key, [(brand, index among that brand's buyable SKUs, quantity)])
DEMO_ORDERS = [
    ("alice", "demo-alice-1", [(Brand.TMALL, 0, 1), (Brand.TAOBAO, 0, 2)]),
    ("alice", "demo-alice-2", [(Brand.TAOBAO, 3, 1)]),
    ("alice", "demo-alice-3", [(Brand.TMALL, 4, 1)]),
    ("bob", "demo-bob-1", [(Brand.TAOBAO, 5, 1), (Brand.TMALL, 6, 1)]),
    ("bob", "demo-bob-2", [(Brand.TMALL, 8, 2)]),
]

ADDRESSES = {
    "alice": {"recipient": "爱丽丝", "phone": "13800001111", "province": "浙江省", "city": "杭州市",
              "district": "西湖区", "detail": "文三路 478 号 2 单元 301"},
    "bob": {"recipient": "小白", "phone": "13900002222", "province": "上海市", "city": "上海市",
            "district": "浦东新区", "detail": "世纪大道 100 号 18 楼"},
}  # fmt: skip


def buyable_skus(brand: str, limit: int = 12) -> list[SKU]:
    rows = (
        SKU.objects.filter(is_active=True, store__brand=brand, store__status=Store.Status.OPEN)
        .select_related("product", "store")
        .order_by("store_id", "id")
    )
    found = []
    for sku in rows[:200]:
        if not purchasable_problem(sku) and stock.available(sku.pk) >= 5:
            found.append(sku)
            if len(found) == limit:
                break
    return found


def ensure_address(user: User) -> Address:
    address = Address.objects.filter(user=user).first()
    if address is None:
        address = Address.objects.create(user=user, is_default=True, **ADDRESSES[user.username])
    return address


def seed(stdout):
    users = {user.username: user for user in User.objects.filter(username__in=ADDRESSES)}
    skus = {brand: buyable_skus(brand) for brand in (Brand.TMALL, Brand.TAOBAO)}
    if len(users) < 2 or not all(skus.values()):
        stdout.write("orders: demo shoppers or catalog missing (run the accounts and shops demos first); skipped")
        return []
    placed = 0
    for username, key, lines in DEMO_ORDERS:
        user = users[username]
        if Order.objects.filter(shopper=user, idempotency_key=key).exists():
            continue
        address = ensure_address(user)
        cart = Cart.objects.get_or_create(shopper=user)[0]
        cart.items.all().delete()
        for brand, index, quantity in lines:
            choices = skus[brand]
            carts.add_item(cart, sku_id=choices[index % len(choices)].pk, quantity=quantity, shopper=user)
        place_order(shopper=user, cart=cart, idempotency_key=key, address_id=address.pk, coupon_choice=[])
        placed += 1
    stdout.write(f"orders: {placed} demo orders placed for alice and bob")
    return []
