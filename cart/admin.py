from django.contrib import admin, messages
from django.utils import timezone

from cart.models import Product, SavedCart, SavedCartLine
from newsroom.races import UniqueRaceAdminMixin


@admin.register(Product)
class ProductAdmin(UniqueRaceAdminMixin, admin.ModelAdmin):
    list_display = ("name", "price", "currency", "is_active", "updated_at")
    list_filter = ("is_active", "currency")
    search_fields = ("name", "slug", "short_description")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    actions = ("put_on_sale", "take_off_sale")

    @admin.action(description="Put the selected products on sale")
    def put_on_sale(self, request, queryset):
        changed = queryset.update(is_active=True, updated_at=timezone.now())
        self.message_user(request, f"{changed} product(s) are now on sale.", messages.SUCCESS)

    @admin.action(description="Take the selected products off sale (and out of carts)")
    def take_off_sale(self, request, queryset):
        changed = queryset.update(is_active=False, updated_at=timezone.now())
        self.message_user(request, f"{changed} product(s) are now off sale.", messages.SUCCESS)


class SavedCartLineInline(admin.TabularInline):
    model = SavedCartLine
    fields = ("product", "quantity")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SavedCart)
class SavedCartAdmin(admin.ModelAdmin):
    """Read-only: a reader's saved cart changes only through the shop."""

    list_display = ("user", "updated_at")
    search_fields = ("user__email",)
    readonly_fields = ("user", "updated_at")
    inlines = (SavedCartLineInline,)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
