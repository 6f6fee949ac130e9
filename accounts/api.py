from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import Address
from accounts.serializers import AddressSerializer, MeSerializer, TokenRequestSerializer, TokenSerializer


class MeView(generics.RetrieveUpdateAPIView):
    """The logged-in user's profile."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token (send it as `Authorization: Token <key>`)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: the sign-in throttle marks a lockout on it for its middleware.
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            return Response({"detail": _("Wrong username or password.")}, status=status.HTTP_400_BAD_REQUEST)
        # A token is a sign-in: the throttle's failure count resets and last_login moves, as with the login page.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class AddressViewSet(viewsets.ModelViewSet):
    """Your address book. Another shopper's address ids answer 404."""

    serializer_class = AddressSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    pagination_class = None
    lookup_value_regex = "[0-9]+"

    queryset = Address.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Address.objects.none()
        return Address.objects.filter(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        make_default = data.pop("is_default", None)
        serializer.instance = services.save_address(Address(user=self.request.user, **data), make_default=make_default)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        make_default = data.pop("is_default", None)
        address = serializer.instance
        for field, value in data.items():
            setattr(address, field, value)
        serializer.instance = services.save_address(address, make_default=make_default if make_default else None)

    def perform_destroy(self, instance):
        services.delete_address(instance)
