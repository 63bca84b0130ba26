from django.contrib import admin

from .models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["short_name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["short_name"]}
