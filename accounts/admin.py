from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Address, User


@admin.register(User)
class MarketplaceUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Marketplace", {"fields": ("display_name", "phone")}),)
    list_display = ("username", "display_name", "email", "is_staff", "is_active")


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("user", "recipient", "city", "is_default")
    search_fields = ("user__username", "recipient", "city")
