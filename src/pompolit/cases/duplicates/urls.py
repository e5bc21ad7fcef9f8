"""Under /cases/people/, in the `cases` namespace (`cases:duplicate_queue`, …)."""

from django.urls import path

from pompolit.cases.duplicates import views

app_name = "cases"

urlpatterns = [
    path("duplicates/", views.duplicate_queue, name="duplicate_queue"),
    path("duplicates/decide/", views.duplicate_decide, name="duplicate_decide"),
    path(
        "duplicates/<int:first>/<int:second>/merge/", views.duplicate_merge, name="duplicate_merge"
    ),
    path("merges/<int:pk>/", views.merge_detail, name="merge_detail"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("possible-matches/", views.possible_matches, name="possible_matches"),
]
