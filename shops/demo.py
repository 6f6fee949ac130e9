"""Demo catalog: 3 merchants (one with a Taobao and a Tmall store), 6 open stores + 1 Tmall store under review,
200 products over 5 verticals with Chinese titles and English descriptions, SKUs with attributes, outlets with
stock in every pool, one store on holiday closure, and product images drawn locally with Pillow.

Idempotent: stores are looked up by slug and a store that already has products is left alone.
"""

from __future__ import annotations

import datetime
import random
from io import BytesIO

from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.demo import DEMO_PASSWORD, ensure_user
from shops import services
from shops.models import Category, Merchant, Outlet, StaffRole, StockPool, Store, StoreStaff

# vertical slug, 中文, English, [(sub slug, 中文, English, [(item 中文, item English)])]
CATEGORIES = [
    ("apparel", "服饰", "Apparel", [
        ("dresses", "连衣裙", "Dresses", [("连衣裙", "dress"), ("长裙", "maxi dress"), ("衬衫裙", "shirt dress")]),
        ("tshirts", "T恤", "T-shirts", [("T恤", "T-shirt"), ("短袖T恤", "short-sleeve tee")]),
        ("jackets", "外套", "Jackets", [("外套", "jacket"), ("风衣", "trench coat"), ("羽绒服", "down jacket")]),
        ("sneakers", "运动鞋", "Sneakers", [("运动鞋", "sneakers"), ("跑步鞋", "running shoes")]),
    ]),
    ("beauty", "美妆", "Beauty", [
        ("lipstick", "口红", "Lipstick", [("口红", "lipstick"), ("唇釉", "lip glaze")]),
        ("skincare", "护肤", "Skincare", [("面霜", "face cream"), ("精华液", "serum"), ("面膜", "sheet mask")]),
        ("perfume", "香水", "Perfume", [("香水", "perfume"), ("淡香水", "eau de toilette")]),
    ]),
    ("electronics", "数码", "Electronics", [
        ("phones", "手机", "Phones", [("智能手机", "smartphone"), ("手机壳", "phone case")]),
        ("audio", "耳机音响", "Audio", [("蓝牙耳机", "Bluetooth earbuds"), ("头戴式耳机", "headphones"),
                                       ("蓝牙音箱", "Bluetooth speaker")]),
        ("laptops", "电脑", "Laptops", [("笔记本电脑", "laptop"), ("机械键盘", "mechanical keyboard")]),
    ]),
    ("food", "食品", "Food", [
        ("tea", "茶叶", "Tea", [("龙井茶", "Longjing green tea"), ("普洱茶", "Pu'er tea")]),
        ("snacks", "零食", "Snacks", [("坚果礼盒", "mixed nuts gift box"), ("牛肉干", "beef jerky")]),
        ("coffee", "咖啡", "Coffee", [("咖啡豆", "coffee beans"), ("挂耳咖啡", "drip coffee bags")]),
    ]),
    ("home", "家居", "Home", [
        ("bedding", "床品", "Bedding", [("四件套", "bedding set"), ("蚕丝被", "silk duvet")]),
        ("kitchen", "厨具", "Kitchen", [("不粘锅", "non-stick pan"), ("保温杯", "insulated bottle")]),
        ("lighting", "灯具", "Lighting", [("台灯", "desk lamp"), ("落地灯", "floor lamp")]),
    ]),
]  # fmt: skip

MODIFIERS = [
    ("夏季", "summer"), ("复古", "vintage"), ("简约", "minimalist"), ("碎花", "floral"), ("轻薄", "lightweight"),
    ("经典", "classic"), ("高端", "premium"), ("新款", "new-season"), ("便携", "portable"), ("加厚", "extra-thick"),
]  # fmt: skip

VARIANTS = {
    "apparel": [("颜色", ["黑色", "白色", "红色"]), ("尺码", ["S", "M", "L"])],
    "beauty": [("规格", ["标准装", "旅行装"])],
    "electronics": [("颜色", ["曜石黑", "星光银"]), ("版本", ["标准版", "Pro"])],
    "food": [("规格", ["250g", "500g", "1kg"])],
    "home": [("颜色", ["米白", "雾蓝"]), ("尺寸", ["标准", "加大"])],
}
BASE_PRICE = {"apparel": 129, "beauty": 189, "electronics": 599, "food": 59, "home": 159}
VERTICAL_COLORS = {
    "apparel": (236, 72, 153),
    "beauty": (219, 39, 119),
    "electronics": (59, 130, 246),
    "food": (22, 163, 74),
    "home": (245, 158, 11),
}

# slug, name, brand, merchant key, verticals, product count, outlets
STORES = [
    ("youxuan-taobao", "优选小铺", "TAOBAO", "merchant", ["apparel", "home"], 40,
     [("优选杭州西湖店", "杭州市西湖区文三路 90 号", "30.280000", "120.130000")]),
    ("youxuan-tmall", "优选官方旗舰店", "TMALL", "merchant", ["apparel", "beauty"], 40,
     [("优选上海南京路店", "上海市黄浦区南京东路 300 号", "31.235000", "121.480000"),
      ("优选北京三里屯店", "北京市朝阳区三里屯路 19 号", "39.935000", "116.455000")]),
    ("geek-tmall", "极客数码旗舰店", "TMALL", "merchant2", ["electronics"], 35,
     [("极客深圳华强北店", "深圳市福田区华强北路 1002 号", "22.545000", "114.085000")]),
    ("xiaomei-beauty", "小美美妆", "TAOBAO", "merchant2", ["beauty"], 25, []),
    ("shanli-food", "山里好味", "TAOBAO", "merchant3", ["food"], 30,
     [("山里好味成都店", "成都市锦江区春熙路 8 号", "30.657000", "104.080000")]),
    ("chaoliu-home", "潮流家居馆", "TAOBAO", "merchant3", ["home", "apparel"], 30, []),
]  # fmt: skip
MERCHANTS = {
    "merchant": ("杭州优选贸易有限公司", "优选 Merchant"),
    "merchant2": ("深圳极客科技有限公司", "极客 Merchant 2"),
    "merchant3": ("山里好味个人店", "山里 Merchant 3"),
}
PENDING_TMALL = ("chaxiang-tmall", "茶香天猫旗舰店", "merchant2")
CLOSED_STORE = "shanli-food"


def seed(stdout):
    categories = seed_categories()
    users = {key: ensure_user(key, display_name=display) for key, (_name, display) in MERCHANTS.items()}
    operator = ensure_user("operator", display_name="平台小二 Operator", is_staff=True, is_superuser=True)
    merchants = {}
    for key, (name, _display) in MERCHANTS.items():
        kind = Merchant.Kind.INDIVIDUAL if key == "merchant3" else Merchant.Kind.COMPANY
        merchants[key] = Merchant.objects.get_or_create(name=name, defaults={"owner": users[key], "kind": kind})[0]
    rng = random.Random(2026)
    made = 0
    for slug, name, brand, owner, store_verticals, count, outlets in STORES:
        store = ensure_store(merchants[owner], slug, name, brand, operator)
        outlet_rows = [ensure_outlet(store, *outlet) for outlet in outlets]
        if not store.products.exists():
            made += seed_products(store, store_verticals, count, categories, outlet_rows, rng)
    ensure_pending_tmall(merchants[PENDING_TMALL[2]])
    ensure_closure(Store.objects.get(slug=CLOSED_STORE))
    cs = ensure_user("cs", display_name="客服 小张")
    ops_staff = ensure_user("ops1", display_name="运营 小李")
    for slug in ("youxuan-taobao", "youxuan-tmall"):
        StoreStaff.objects.get_or_create(store=Store.objects.get(slug=slug), user=cs,
                                         defaults={"role": StaffRole.CUSTOMER_SERVICE})  # fmt: skip
        StoreStaff.objects.get_or_create(store=Store.objects.get(slug=slug), user=ops_staff,
                                         defaults={"role": StaffRole.OPERATIONS})  # fmt: skip
    stdout.write(f"shops: {Store.objects.count()} stores, {made} new products")
    return [
        ("merchant", DEMO_PASSWORD, "merchant owner: 优选小铺 (Taobao) + 优选官方旗舰店 (Tmall)"),
        ("merchant2", DEMO_PASSWORD, "merchant owner: 极客数码旗舰店 (Tmall), 小美美妆, Tmall store under review"),
        ("merchant3", DEMO_PASSWORD, "merchant owner: 山里好味 (on holiday closure), 潮流家居馆"),
        ("ops1", DEMO_PASSWORD, "operations staff (运营) in merchant's two stores"),
        ("cs", DEMO_PASSWORD, "customer service (客服) in merchant's two stores"),
    ]


def seed_categories() -> dict[str, Category]:
    found = {}
    for position, (slug, name, name_en, subs) in enumerate(CATEGORIES):
        vertical = services.save_category(name=name, name_en=name_en, slug=slug, position=position)
        found[slug] = vertical
        for sub_position, (sub_slug, sub_name, sub_en, _items) in enumerate(subs):
            found[sub_slug] = services.save_category(
                name=sub_name, name_en=sub_en, slug=sub_slug, parent=vertical, position=sub_position
            )
    return found


def ensure_store(merchant: Merchant, slug: str, name: str, brand: str, operator) -> Store:
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        store = services.create_store(merchant=merchant, name=name, brand=brand, slug=slug,
                                      description=f"{name} · {merchant.name}")  # fmt: skip
    if brand == "TMALL" and not store.brand_approved():
        authorization = services.submit_brand_authorization(
            store=store, brand_name=name.replace("官方旗舰店", "").replace("旗舰店", ""),
            document_note="商标注册证 第 12345678 号；品牌授权书有效期至 2028-12-31",
        )  # fmt: skip
        services.decide_brand_authorization(authorization, operator=operator, approve=True, reason="资料齐全，准予开店")
    store.refresh_from_db()
    return store


def ensure_pending_tmall(merchant: Merchant) -> None:
    slug, name, _owner = PENDING_TMALL
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        store = services.create_store(merchant=merchant, name=name, brand="TMALL", slug=slug)
    if not store.brand_authorizations.exists():
        services.submit_brand_authorization(
            store=store, brand_name="茶香", document_note="商标注册证 第 87654321 号；授权期限 2026-2029"
        )


def ensure_outlet(store: Store, name: str, address: str, lat: str, lng: str) -> Outlet:
    outlet = store.outlets.filter(name=name).first()
    return outlet or services.save_outlet(store=store, name=name, address=address, latitude=lat, longitude=lng)


def ensure_closure(store: Store) -> None:
    today = timezone.localdate()
    if store.active_closure(today) is None:
        services.schedule_closure(store=store, starts_on=today - datetime.timedelta(days=1),
                                  ends_on=today + datetime.timedelta(days=6), reason="春节休假 Holiday")  # fmt: skip


def product_ideas(store_verticals: list[str]):
    """Endless (vertical, subcategory slug, title, English title) combinations for these verticals."""
    pools = []
    for slug, _name, _en, subs in CATEGORIES:
        if slug in store_verticals:
            for sub_slug, _sub_name, _sub_en, items in subs:
                pools.extend((slug, sub_slug, item) for item in items)
    n = 0
    while True:
        for vertical, sub_slug, (item_zh, item_en) in pools:
            modifier_zh, modifier_en = MODIFIERS[n % len(MODIFIERS)]
            yield vertical, sub_slug, f"{modifier_zh}{item_zh}", f"{modifier_en.capitalize()} {item_en}"
        n += 1


def seed_products(store, store_verticals, count, categories, outlets, rng) -> int:
    ideas = product_ideas(store_verticals)
    for index in range(count):
        vertical, sub_slug, title, title_en = next(ideas)
        title = f"{store.name[:4]} {title}"
        skus = sku_specs(store, vertical, index, rng)
        product = services.create_product(
            store=store,
            category=categories[sub_slug],
            skus=skus,
            title=title,
            title_en=title_en,
            description=f"{title_en} from {store.name}. Carefully selected, ships in 48 hours. {title}，品质保证。",
            featured=index % 5 == 0,
        )
        # A starting figure for a fresh demo; the reviews worker replaces it with real monthly sales.
        product.sales_count = product.recommend_score = rng.randint(0, 5000)
        product.image.save(f"demo-{store.slug}-{index}.png", draw_image(title_en, vertical, index), save=False)
        product.save(update_fields=["sales_count", "recommend_score", "image"])
        for sku in product.skus.all():
            for outlet in outlets:
                services.set_stock(sku=sku, outlet=outlet, pool=StockPool.SHARED, quantity=rng.randint(0, 8))
                services.set_stock(sku=sku, outlet=outlet, pool=StockPool.OUTLET, quantity=rng.randint(0, 4))
    return count


def sku_specs(store, vertical: str, index: int, rng) -> list[dict]:
    axes = VARIANTS[vertical]
    combos = [{}]
    for name, values in axes:
        combos = [{**combo, name: value} for combo in combos for value in values[: 2 if len(axes) > 1 else 3]]
    base = BASE_PRICE[vertical] + rng.randint(-20, 200)
    return [
        {
            "code": f"{store.slug[:6].upper()}-{index:03d}-{n}",
            "price": f"{base + n * 10}.00",
            "attributes": combo,
            "stock": 0 if (index % 17 == 3) else rng.randint(0, 60),
        }
        for n, combo in enumerate(combos)
    ]


def draw_image(label: str, vertical: str, index: int):
    """A 320x320 product placeholder drawn locally (no network): vertical colour, shapes and the English title."""
    from django.core.files.base import ContentFile

    red, green, blue = VERTICAL_COLORS[vertical]
    shade = (index * 37) % 60
    image = Image.new("RGB", (320, 320), (min(255, red + shade), min(255, green + shade), min(255, blue + shade)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((60 + index % 40, 50, 260, 250), fill=(255, 255, 255))
    draw.rectangle((0, 260, 320, 320), fill=(0, 0, 0))
    draw.text((12, 282), label[:40], fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    return ContentFile(buffer.getvalue())
