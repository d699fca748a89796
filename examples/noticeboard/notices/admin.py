from django.contrib import admin

from notices.models import Board, Notice, Tag


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "moderator_email"]
    prepopulated_fields = {"slug": ["name"]}


@admin.action(description="Approve the selected notices")
def approve(modeladmin, request, queryset):
    queryset.update(approved=True)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "board", "poster_name", "approved", "created_at"]
    list_filter = ["approved", "board"]
    search_fields = ["title", "body", "poster_name"]
    actions = [approve]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    filter_horizontal = ["notices"]
