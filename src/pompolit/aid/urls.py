from django.urls import path  # noqa: F401  (the pages come with aid/views*.py)

urlpatterns: list[object] = []
