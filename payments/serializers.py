from rest_framework import serializers

from payments.models import CallbackDelivery, Payment


class PaymentSerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order.number", read_only=True)
    redirect_url = serializers.SerializerMethodField()
    confirmation_delayed = serializers.BooleanField(
        read_only=True,
        help_text="True when the shopper paid at the gateway but its confirmation has not got through for a while: "
        "do not pay again, the platform keeps retrying and operators see it.",
    )

    class Meta:
        model = Payment
        fields = (
            "reference", "order", "gateway", "amount", "status", "created_at", "completed_at", "redirect_url",
            "confirmation_delayed",
        )  # fmt: skip

    def get_redirect_url(self, payment) -> str | None:
        from payments.gateway import get_gateway

        if payment.status != Payment.Status.PENDING or payment.sandbox_outcome:
            return None
        return get_gateway(payment.gateway).redirect_url(payment)


class PaymentStartSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"redirect" (go to redirect_url to pay) or "paid" (nothing was owed)')
    payment = PaymentSerializer(allow_null=True)


class SandboxOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["pay", "fail"])


class CallbackPayloadSerializer(serializers.Serializer):
    """The sandbox gateway's notification; the raw body is signed with HMAC-SHA256 in X-Sandbox-Signature."""

    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=["succeeded", "failed"])
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    transaction_id = serializers.CharField()
    sent_at = serializers.DateTimeField()


class CallbackAckSerializer(serializers.Serializer):
    detail = serializers.CharField()


class StuckDeliverySerializer(serializers.ModelSerializer):
    """A gateway notification the platform has not acknowledged: the payment behind it waits."""

    payment = serializers.CharField(source="payment.reference", read_only=True)
    order = serializers.CharField(source="payment.order.number", read_only=True)
    amount = serializers.DecimalField(source="payment.amount", max_digits=12, decimal_places=2, read_only=True)
    notify_url = serializers.CharField(source="payment.notify_url", read_only=True)

    class Meta:
        model = CallbackDelivery
        fields = (
            "id", "payment", "order", "amount", "notify_url", "attempts", "last_status", "last_error", "created_at",
        )  # fmt: skip
