from django.contrib import admin

from berekraft.places.models import Membership, Network, Place, PlaceChange


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ["code", "name", "kind", "parent", "population", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_nb"]


@admin.register(PlaceChange)
class PlaceChangeAdmin(admin.ModelAdmin[PlaceChange]):
    list_display = ["date", "kind", "from_place", "to_place", "weight"]
    list_filter = ["kind"]


class MembershipInline(admin.TabularInline[Membership, Network]):
    model = Membership
    extra = 0
    autocomplete_fields = ["place"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin[Network]):
    list_display = ["code", "name"]
    inlines = [MembershipInline]
