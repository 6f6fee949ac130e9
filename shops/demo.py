"""Demo catalog: 3 merchants (one with a Taobao and a Tmall store), 6 open stores + 1 Tmall store under review,
200 products a person would believe: each store sells one coherent assortment (a phone store sells phones at phone
prices), SKUs are every combination of the item's real options (colour x size, storage, 色号...) with a few sold
out, shipping templates per store, outlets with stock in every pool, one store on holiday closure, and pictures
per product drawn locally with Pillow (its name and category on its vertical's colour, then a detail view and for
every other product a care card: the product page's gallery).

Idempotent: stores are looked up by slug and a store that already has products is left alone.
"""

from __future__ import annotations

import datetime
import functools
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

# Title words per vertical, so a phone is never "floral" and a dress never "noise-cancelling".
VERTICAL_MODIFIERS = {
    "apparel": [("夏季", "summer"), ("复古", "vintage"), ("简约", "minimalist"), ("碎花", "floral"), ("新款", "new-season"),
                ("经典", "classic"), ("宽松", "relaxed-fit"), ("法式", "French-style")],
    "beauty": [("保湿", "hydrating"), ("持久", "long-wear"), ("经典", "classic"), ("限定", "limited-edition"),
               ("温和", "gentle"), ("修护", "repairing")],
    "electronics": [("旗舰", "flagship"), ("轻薄", "slim"), ("降噪", "noise-cancelling"), ("入门", "everyday"),
                    ("新款", "2026"), ("专业", "pro")],
    "food": [("特级", "premium"), ("新茶", "new-harvest"), ("原味", "original"), ("手工", "hand-made"),
             ("家庭装", "family-size"), ("礼盒装", "gift-boxed")],
    "home": [("北欧", "Nordic"), ("简约", "minimalist"), ("加厚", "extra-thick"), ("日式", "Japanese-style"),
             ("大容量", "large"), ("静音", "quiet")],
}  # fmt: skip
MODIFIERS = [pair for pairs in VERTICAL_MODIFIERS.values() for pair in pairs]

# English item -> (price range in yuan, [(attribute, [(value, extra yuan)])]): real prices and real option axes.
ITEMS = {
    "dress": ((159, 399), [("颜色", [("藏青", 0), ("米白", 0), ("碎花", 10)]), ("尺码", [("S", 0), ("M", 0), ("L", 0)])]),
    "maxi dress": ((199, 459), [("颜色", [("黑色", 0), ("雾粉", 0)]), ("尺码", [("S", 0), ("M", 0), ("L", 0)])]),
    "shirt dress": ((169, 329), [("颜色", [("蓝白条", 0), ("卡其", 0)]), ("尺码", [("M", 0), ("L", 0), ("XL", 0)])]),
    "T-shirt": ((49, 129), [("颜色", [("白色", 0), ("黑色", 0), ("灰色", 0)]), ("尺码", [("M", 0), ("L", 0), ("XL", 0)])]),
    "short-sleeve tee": ((39, 99), [("颜色", [("白色", 0), ("藏青", 0)]), ("尺码", [("S", 0), ("M", 0), ("L", 0)])]),
    "jacket": ((299, 699), [("颜色", [("黑色", 0), ("军绿", 0)]), ("尺码", [("M", 0), ("L", 0), ("XL", 0)])]),
    "trench coat": ((499, 1199), [("颜色", [("卡其", 0), ("黑色", 0)]), ("尺码", [("S", 0), ("M", 0), ("L", 0)])]),
    "down jacket": ((599, 1599), [("颜色", [("黑色", 0), ("米白", 0), ("雾蓝", 0)]), ("尺码", [("M", 0), ("L", 0)])]),
    "sneakers": ((299, 799), [("颜色", [("白色", 0), ("黑白", 0)]), ("鞋码", [("38", 0), ("40", 0), ("42", 0)])]),
    "running shoes": ((399, 999), [("颜色", [("荧光绿", 0), ("黑色", 0)]), ("鞋码", [("39", 0), ("41", 0), ("43", 0)])]),
    "lipstick": ((169, 360), [("色号", [("#999 正红", 0), ("#520 豆沙", 0), ("#316 枫叶", 0)])]),
    "lip glaze": ((129, 290), [("色号", [("01 裸粉", 0), ("05 奶茶", 0), ("09 番茄", 0)])]),
    "face cream": ((199, 880), [("规格", [("30ml", 0), ("50ml", 120)])]),
    "serum": ((259, 1080), [("规格", [("30ml", 0), ("50ml", 160), ("100ml", 380)])]),
    "sheet mask": ((69, 199), [("规格", [("5 片装", 0), ("10 片装", 60)])]),
    "perfume": ((399, 1280), [("规格", [("30ml", 0), ("50ml", 200), ("100ml", 420)])]),
    "eau de toilette": ((299, 899), [("规格", [("30ml", 0), ("100ml", 260)])]),
    "smartphone": ((1999, 5999), [("颜色", [("曜石黑", 0), ("星光银", 0), ("远峰蓝", 0)]),
                                  ("存储", [("128GB", 0), ("256GB", 500), ("512GB", 1500)])]),
    "phone case": ((29, 79), [("适用机型", [("iPhone 15", 0), ("iPhone 15 Pro", 0), ("Mate 60", 0)]),
                              ("颜色", [("透明", 0), ("磨砂黑", 0)])]),
    "Bluetooth earbuds": ((199, 1299), [("颜色", [("白色", 0), ("黑色", 0)])]),
    "headphones": ((599, 2499), [("颜色", [("黑色", 0), ("银色", 0), ("午夜蓝", 0)])]),
    "Bluetooth speaker": ((199, 899), [("颜色", [("黑色", 0), ("蓝色", 0), ("红色", 0)])]),
    "laptop": ((4999, 9999), [("配置", [("i5 16G 512G", 0), ("i7 16G 1T", 1200), ("i7 32G 1T", 2200)])]),
    "mechanical keyboard": ((299, 799), [("轴体", [("红轴", 0), ("茶轴", 0), ("青轴", 0)]), ("配列", [("87 键", 0), ("104 键", 40)])]),
    "Longjing green tea": ((128, 598), [("规格", [("50g", 0), ("100g", 120), ("250g", 380)])]),
    "Pu'er tea": ((98, 468), [("规格", [("357g 饼", 0), ("2 饼装", 200)])]),
    "mixed nuts gift box": ((89, 199), [("规格", [("750g", 0), ("1.5kg", 90)])]),
    "beef jerky": ((39, 99), [("口味", [("原味", 0), ("麻辣", 0), ("五香", 0)]), ("规格", [("100g", 0), ("250g", 40)])]),
    "coffee beans": ((69, 189), [("烘焙", [("中烘", 0), ("深烘", 0)]), ("规格", [("250g", 0), ("500g", 60)])]),
    "drip coffee bags": ((39, 99), [("规格", [("10 包", 0), ("30 包", 60)])]),
    "bedding set": ((299, 899), [("颜色", [("米白", 0), ("雾蓝", 0), ("浅灰", 0)]), ("尺寸", [("1.5m", 0), ("1.8m", 60)])]),
    "silk duvet": ((699, 1999), [("尺寸", [("150x200", 0), ("200x230", 300)])]),
    "non-stick pan": ((129, 399), [("尺寸", [("26cm", 0), ("28cm", 30), ("30cm", 60)])]),
    "insulated bottle": ((79, 239), [("颜色", [("白色", 0), ("墨绿", 0), ("樱粉", 0)]), ("容量", [("350ml", 0), ("500ml", 20)])]),
    "desk lamp": ((129, 459), [("颜色", [("白色", 0), ("黑色", 0)])]),
    "floor lamp": ((259, 899), [("颜色", [("原木", 0), ("黑色", 0)])]),
}  # fmt: skip
VERTICAL_COLORS = {
    "apparel": (219, 39, 119),
    "beauty": (190, 24, 93),
    "electronics": (37, 99, 235),
    "food": (21, 128, 61),
    "home": (180, 83, 9),
}

# slug, name, brand, merchant key, subcategories sold, product count, outlets
STORES = [
    ("youxuan-taobao", "优选小铺", "TAOBAO", "merchant", ["dresses", "tshirts"], 40,
     [("优选杭州西湖店", "杭州市西湖区文三路 90 号", "30.280000", "120.130000")]),
    ("youxuan-tmall", "优选官方旗舰店", "TMALL", "merchant", ["dresses", "jackets", "sneakers"], 40,
     [("优选上海南京路店", "上海市黄浦区南京东路 300 号", "31.235000", "121.480000"),
      ("优选北京三里屯店", "北京市朝阳区三里屯路 19 号", "39.935000", "116.455000")]),
    ("geek-tmall", "极客数码旗舰店", "TMALL", "merchant2", ["phones", "audio", "laptops"], 35,
     [("极客深圳华强北店", "深圳市福田区华强北路 1002 号", "22.545000", "114.085000")]),
    ("xiaomei-beauty", "小美美妆", "TAOBAO", "merchant2", ["lipstick", "skincare", "perfume"], 25, []),
    ("shanli-food", "山里好味", "TAOBAO", "merchant3", ["tea", "snacks", "coffee"], 30,
     [("山里好味成都店", "成都市锦江区春熙路 8 号", "30.657000", "104.080000")]),
    ("chaoliu-home", "潮流家居馆", "TAOBAO", "merchant3", ["bedding", "kitchen", "lighting"], 30, []),
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
    for slug, name, brand, owner, subcategories, count, outlets in STORES:
        store = ensure_store(merchants[owner], slug, name, brand, operator)
        outlet_rows = [ensure_outlet(store, *outlet) for outlet in outlets]
        ensure_shipping(store)
        if not store.products.exists():
            made += seed_products(store, subcategories, count, categories, outlet_rows, rng)
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


REMOTE = [{"provinces": ["新疆", "西藏"], "first_fee": "20.00", "additional_fee": "10.00", "remote": True}]


def ensure_shipping(store: Store) -> None:
    """Tmall flagships ship free (remote regions excepted); Taobao stores ship free over 99, else by region."""
    from shops.services import shipping

    if store.shipping_templates.exists():
        return
    if store.brand == "TMALL":
        shipping.save_template(store=store, name="全国包邮", mode="free", regions=REMOTE, is_default=True)
        return
    shipping.save_template(
        store=store, name="满 99 包邮", mode="free_over", free_over="99", first_fee="8", additional_fee="2",
        regions=[{"provinces": ["黑龙江", "吉林", "辽宁", "内蒙古", "甘肃", "青海", "宁夏"], "first_fee": "12.00",
                  "additional_fee": "4.00", "remote": False}, *REMOTE],
        is_default=True,
    )  # fmt: skip


def ensure_closure(store: Store) -> None:
    today = timezone.localdate()
    if store.active_closure(today) is None:
        services.schedule_closure(store=store, starts_on=today - datetime.timedelta(days=1),
                                  ends_on=today + datetime.timedelta(days=6), reason="春节休假 Holiday")  # fmt: skip


def product_ideas(subcategories: list[str]):
    """Endless (vertical, subcategory slug, title, English title, item) combinations for these subcategories."""
    pools = []
    for slug, _name, _en, subs in CATEGORIES:
        for sub_slug, _sub_name, _sub_en, items in subs:
            if sub_slug in subcategories:
                pools.extend((slug, sub_slug, item) for item in items)
    n = 0
    while True:
        for vertical, sub_slug, (item_zh, item_en) in pools:
            modifiers = VERTICAL_MODIFIERS[vertical]
            modifier_zh, modifier_en = modifiers[n % len(modifiers)]
            title_en = f"{modifier_en[0].upper()}{modifier_en[1:]} {item_en}"
            yield vertical, sub_slug, f"{modifier_zh}{item_zh}", title_en, item_en
        n += 1


def seed_products(store, subcategories, count, categories, outlets, rng) -> int:
    ideas = product_ideas(subcategories)
    for index in range(count):
        vertical, sub_slug, title, title_en, item_en = next(ideas)
        title = f"{store.name[:4]} {title}"
        skus = sku_specs(store, item_en, index, rng)
        product = services.create_product(
            store=store,
            category=categories[sub_slug],
            skus=skus,
            title=title,
            title_en=title_en,
            description=f"{title_en} from {store.name}. Ships within 48 hours, 7-day returns. {title}，正品保障，48 小时发货。",
            featured=index % 5 == 0,
            index_now=True,  # seeding runs without workers
        )
        # A starting figure for a fresh demo; the reviews worker replaces it with real monthly sales.
        product.sales_count = product.recommend_score = rng.randint(0, 5000)
        category = categories[sub_slug]
        product.image.save(f"demo-{store.slug}-{index}.png", draw_image(title_en, category.name_en, vertical, index),
                           save=False)  # fmt: skip
        # The gallery: a detail view of every product, and the care card for every other one.
        views = [("Detail", title_en)] + ([("Care & service", "Ships in 48 h · 7-day returns")] if index % 2 else [])
        storage = product.image.storage
        product.gallery = [
            storage.save(f"products/demo-{store.slug}-{index}-{n}.png", draw_view(heading, text, vertical, index + n))
            for n, (heading, text) in enumerate(views, start=1)
        ]
        product.save(update_fields=["sales_count", "recommend_score", "image", "gallery"])
        for sku in product.skus.all():
            for outlet in outlets:
                services.set_stock(sku=sku, outlet=outlet, pool=StockPool.SHARED, quantity=rng.randint(0, 8))
                services.set_stock(sku=sku, outlet=outlet, pool=StockPool.OUTLET, quantity=rng.randint(0, 4))
    return count


def sku_specs(store, item_en: str, index: int, rng) -> list[dict]:
    """Every combination of the item's real option axes; a few combinations sold out, like a real shelf."""
    (low, high), axes = ITEMS[item_en]
    if len(axes) > 1:  # 2 x 2 combinations of the real options: enough to choose from, and a quick seed
        axes = [(name, values[:2]) for name, values in axes]
    combos = [({}, 0)]
    for name, values in axes:
        combos = [({**combo, name: value}, extra + more) for combo, extra in combos for value, more in values]
    base = rng.randint(low, high) // 10 * 10 + 9  # prices end in 9, as shops price them
    return [
        {
            "code": f"{store.slug[:6].upper()}-{index:03d}-{n}",
            "price": f"{base + extra}.00",
            "attributes": combo,
            "stock": 0 if (index % 17 == 3 or rng.random() < 0.12) else rng.randint(3, 60),
        }
        for n, (combo, extra) in enumerate(combos)
    ]


@functools.cache
def font_of(size: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def draw_image(label: str, category: str, vertical: str, index: int):
    """A 320x320 product picture drawn locally (no network): the product's name and category on its vertical's
    colour, with a soft highlight so neighbouring products differ."""
    from django.core.files.base import ContentFile

    red, green, blue = VERTICAL_COLORS[vertical]
    shade = (index * 23) % 50
    size = 320
    image = Image.new("RGB", (size, size), (max(0, red - shade), max(0, green - shade // 2), max(0, blue - shade)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size // 2 - 30 + index % 50, -100, size + 130, size // 2 + 100), fill=(255, 255, 255))
    image = Image.blend(image, Image.new("RGB", (size, size), (red, green, blue)), 0.65)
    draw = ImageDraw.Draw(image)
    small = font_of(20)
    draw.rounded_rectangle((20, 20, 50 + draw.textlength(category, font=small), 56), radius=18, fill=(255, 255, 255))
    draw.text((35, 27), category, fill=(red, green, blue), font=small)
    lines = wrapped(label, 15)
    font = font_of(32)
    top = size - 40 - 38 * len(lines[:3])
    for number, line in enumerate(lines[:3]):
        draw.text((24, top + number * 38), line, fill=(255, 255, 255), font=font)
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    return ContentFile(buffer.getvalue())


def wrapped(text: str, width: int) -> list[str]:
    """Words in lines of at most `width` characters (a longer word keeps a line of its own)."""
    lines = [""]
    for word in text.split():
        candidate = f"{lines[-1]} {word}".strip()
        if len(candidate) > width and lines[-1]:
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


def draw_view(heading: str, text: str, vertical: str, index: int):
    """One more 320x320 picture of a product for its gallery: a heading and a line of text on a light card in its
    vertical's colour (drawn locally, like draw_image)."""
    from django.core.files.base import ContentFile

    red, green, blue = VERTICAL_COLORS[vertical]
    size = 320
    image = Image.new("RGB", (size, size), (red, green, blue))
    draw = ImageDraw.Draw(image)
    inset = 24 + index % 12
    draw.rounded_rectangle((inset, inset, size - inset, size - inset), radius=28, fill=(250, 250, 247))
    draw.ellipse((size - 120, size - 120, size + 40, size + 40), fill=(red, green, blue))
    draw.text((inset + 20, inset + 22), heading, fill=(red, green, blue), font=font_of(30))
    lines = wrapped(text, 18)
    for number, line in enumerate(lines[:4]):
        draw.text((inset + 20, inset + 80 + number * 32), line, fill=(60, 60, 60), font=font_of(24))
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return ContentFile(buffer.getvalue())
