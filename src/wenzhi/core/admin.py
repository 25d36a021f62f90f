from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ImportRecord, Organisation, User


@admin.register(User)
class WenzhiUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("文智", {"fields": ("display_name", "organisation", "roles", "is_demo")}))
    list_display = ("username", "display_name", "organisation", "roles", "is_active")
    list_filter = ("is_active", "is_demo")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "code", "parent", "district")
    list_filter = ("level",)
    search_fields = ("name", "code")


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind", "status", "created_by", "created_at")
    readonly_fields = [f.name for f in ImportRecord._meta.fields]
