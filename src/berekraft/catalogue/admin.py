from django.contrib import admin

from berekraft.catalogue.models import FrameworkNode, Goal, Indicator, Series, Target


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ["number", "name_en", "name_nb", "name_nn", "colour"]


@admin.register(FrameworkNode)
class FrameworkNodeAdmin(admin.ModelAdmin[FrameworkNode]):
    list_display = ["code", "level", "name_en", "name_nb", "name_nn"]
    list_filter = ["level"]


class SeriesInline(admin.TabularInline[Series, Indicator]):
    model = Series
    extra = 0
    fields = ["code", "key", "name_en", "name_nb", "name_nn", "direction", "unit"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["code", "name_en", "name_nb", "type", "direction", "unit_en", "owner"]
    # A member's local indicators (owner set) are edited here or in the member's workspace.
    list_filter = [
        "type",
        "direction",
        "category__parent__parent",
        ("owner", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "name_en", "name_nb", "name_nn"]
    filter_horizontal = ["goals"]
    autocomplete_fields = ["owner"]
    inlines = [SeriesInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin[Target]):
    list_display = ["series", "scope", "network", "place", "value", "lower", "upper", "year", "source"]
    list_filter = ["scope"]
    search_fields = ["series__code", "source"]
    autocomplete_fields = ["series", "place"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin[Series]):
    list_display = ["code", "name_en", "direction", "unit"]
    search_fields = ["code", "name_en", "name_nb"]
