"""Django admin for registry rows: for support staff; every ordinary change goes through the pages or API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CultureCategory,
    Directory,
    DirectoryEntry,
    Enterprise,
    IndustryCode,
    Park,
    Talent,
    TrainingProgramme,
)


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "district", "park", "sector", "culture_subcategory", "above_scale", "is_demo")
    list_filter = ("sector", "above_scale", "is_demo", "classification_source")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("district", "park", "organisation")


@admin.register(Park)
class ParkAdmin(SimpleHistoryAdmin):
    list_display = ("name", "level", "kind", "district", "status", "is_demo")
    list_filter = ("level", "kind", "status")
    search_fields = ("name",)
    raw_id_fields = ("organisation", "district")
    readonly_fields = ("status", "level")  # changed only through the designation life cycle


@admin.register(Talent)
class TalentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "category", "programme", "year_recognised", "employer_name")
    list_filter = ("category", "programme")
    search_fields = ("name", "employer_name")
    raw_id_fields = ("employer", "district")


@admin.register(TrainingProgramme)
class TrainingProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "team", "year", "district")
    list_filter = ("team", "year")


class DirectoryEntryInline(admin.TabularInline):
    model = DirectoryEntry
    raw_id_fields = ("enterprise", "park")
    extra = 0


@admin.register(Directory)
class DirectoryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "year", "published")
    list_filter = ("kind", "published")
    inlines = [DirectoryEntryInline]


@admin.register(IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level_name", "culture_inclusion", "culture_subcategory")
    list_filter = ("level", "culture_inclusion", "section")
    search_fields = ("code", "name")


@admin.register(CultureCategory)
class CultureCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "domain")
