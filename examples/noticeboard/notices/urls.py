from django.urls import path

from notices import views

app_name = "notices"
urlpatterns = [
    path("", views.boards, name="boards"),
    path("b/<slug:slug>/", views.board, name="board"),
    path("b/<slug:slug>/<int:pk>/", views.notice, name="notice"),
]
