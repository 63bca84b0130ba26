from allauth.account.adapter import get_adapter
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Notification, NotificationFanOut, NotificationPreference, User


class AdminLoginForm(AdminAuthenticationForm):
    """/admin/login/ signs in through allauth, so it shares the site's failed-sign-in limits (per
    client address and per email): an attacker gets no more guesses here than anywhere else."""

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            self.user_cache = get_adapter(self.request).authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "borough", "email_verified", "is_active", "date_joined"]
    list_filter = ["groups", "email_verified", "is_active", "is_staff", "borough"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Public profile", {"fields": ["display_name", "borough"]}),
        ("Status", {"fields": ["email_verified", "is_active"]}),
        ("Roles", {"fields": ["groups", "is_staff", "is_superuser", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by services. Useful to see why an email did not go."""

    list_display = ["title", "recipient", "category", "created_at", "read_at", "email_status", "email_attempts"]
    list_filter = ["category", "email_status"]
    search_fields = ["event_key", "recipient__email", "recipient__display_name"]
    raw_id_fields = ["recipient", "actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationFanOut)
class NotificationFanOutAdmin(admin.ModelAdmin):
    list_display = ["event_key", "audience", "category", "created_at", "cursor", "completed_at"]
    raw_id_fields = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "frequency", "updated_at"]
    list_filter = ["category", "frequency"]
    raw_id_fields = ["user"]
