from rest_framework import serializers

from shops.serializers import ProductListSerializer

MONEY = {"max_digits": 14, "decimal_places": 2}


class AnalyticsQuerySerializer(serializers.Serializer):
    store = serializers.CharField(required=False, help_text="A store id, or omit / 'all' for all your stores.")
    from_ = serializers.CharField(required=False, help_text="YYYY-MM-DD (default: 29 days before `to`)")
    to = serializers.CharField(required=False, help_text="YYYY-MM-DD (default: today)")
    grain = serializers.ChoiceField(choices=["day", "week", "month"], required=False, default="day")


class AnalyticsRowSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The day (or the first day of the week / month).")
    orders = serializers.IntegerField(help_text="Sub-orders paid that day (local date of paid_at).")
    gmv = serializers.DecimalField(**MONEY, help_text="Amount paid for those sub-orders.")
    refunds = serializers.DecimalField(**MONEY, help_text="Amount refunded that day (local date of refunded_at).")
    refund_count = serializers.IntegerField()
    net_sales = serializers.DecimalField(**MONEY, help_text="gmv - refunds")
    aov = serializers.DecimalField(**MONEY, help_text="gmv / orders (0 without orders)")
    buyers = serializers.IntegerField(help_text="Distinct shoppers with a paid sub-order that day.")
    new_buyers = serializers.IntegerField(help_text="Buyers whose first paid sub-order in the store is that day.")
    returning_buyers = serializers.IntegerField()
    units = serializers.IntegerField()
    visitors = serializers.IntegerField(help_text="Distinct visitors with an event on the store's pages.")
    views = serializers.IntegerField(help_text="Product page views.")
    conversion = serializers.DecimalField(
        max_digits=8, decimal_places=4, allow_null=True, help_text="buyers / visitors"
    )
    sources = serializers.DictField(child=serializers.IntegerField(), help_text="Visitors by traffic source.")


class AnalyticsSerializer(serializers.Serializer):
    stores = serializers.ListField(child=serializers.IntegerField())
    from_date = serializers.DateField()
    to_date = serializers.DateField()
    grain = serializers.CharField()
    rows = AnalyticsRowSerializer(many=True)
    totals = AnalyticsRowSerializer()


class RecommendationsSerializer(serializers.Serializer):
    context = serializers.CharField()
    results = ProductListSerializer(many=True)


class TrackingSerializer(serializers.Serializer):
    opted_out = serializers.BooleanField()


class BasketSuggestionSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    sku_id = serializers.IntegerField()
    title = serializers.CharField()
    price = serializers.DecimalField(**MONEY)
    quantity = serializers.IntegerField()
    overspend = serializers.DecimalField(**MONEY)
    saves = serializers.DecimalField(**MONEY, help_text="What the cart saves more with it, priced by the engine.")


class BasketGapSerializer(serializers.Serializer):
    label = serializers.CharField()
    spend_more = serializers.DecimalField(**MONEY)
    save = serializers.DecimalField(**MONEY)
    suggestions = BasketSuggestionSerializer(many=True)


class TodoItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    urgent = serializers.IntegerField(help_text="e.g. refunds that time out today")
    url = serializers.CharField(help_text="The filtered workbench list")


class ForecastRowSerializer(serializers.Serializer):
    sku_id = serializers.IntegerField()
    sku_code = serializers.CharField()
    outlet_id = serializers.IntegerField(allow_null=True, help_text="null = the online warehouse")
    forecast_units = serializers.FloatField(help_text="Over the next 30 days, or over the chosen campaign's days")
    daily = serializers.ListField(child=serializers.FloatField())
    stock = serializers.IntegerField()
    lead_demand = serializers.FloatField()
    safety_stock = serializers.FloatField()
    suggested = serializers.IntegerField()
