from rest_framework import serializers

from accounts.models import Address, User


class MeSerializer(serializers.ModelSerializer):
    is_operator = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "display_name", "email", "phone", "is_operator")
        read_only_fields = ("id", "username", "is_operator")


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = ("id", "recipient", "phone", "province", "city", "district", "detail", "is_default", "created_at")
        read_only_fields = ("id", "created_at")
