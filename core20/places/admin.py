from django.contrib import admin

from core20.places import models


@admin.register(models.LSOA)
class LSOAAdmin(admin.ModelAdmin):
    list_display = ["code", "vintage", "name", "lad", "ward"]
    list_filter = ["vintage"]
    search_fields = ["code", "name"]
    raw_id_fields = ["lad", "ward"]


@admin.register(models.LocalAuthorityDistrict)
class LADAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "year"]
    search_fields = ["code", "name"]


@admin.register(models.Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "lad", "year"]
    search_fields = ["code", "name"]
    raw_id_fields = ["lad"]


@admin.register(models.SubICBLocation)
class SubICBAdmin(admin.ModelAdmin):
    list_display = ["code", "ods_code", "name", "icb", "year"]
    search_fields = ["code", "ods_code", "name"]


@admin.register(models.Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "year", "lsoa_vintage", "lsoa_count"]


@admin.register(models.GPPractice)
class GPPracticeAdmin(admin.ModelAdmin):
    list_display = ["ods_code", "name", "postcode", "status", "prescribing_setting", "lsoa"]
    list_filter = ["status", "prescribing_setting"]
    search_fields = ["ods_code", "name", "postcode"]
    raw_id_fields = ["lsoa"]


@admin.register(models.PCN)
class PCNAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["display", "lsoa11_code", "lsoa21_code", "lad_code", "terminated"]
    search_fields = ["code"]
    raw_id_fields = ["lsoa11", "lsoa21"]


@admin.register(models.SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["site", "deprivation_edition"]


@admin.register(models.ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "file_name", "status", "summary"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in models.ImportRun._meta.fields]
