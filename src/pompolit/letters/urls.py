from django.urls import path

from pompolit.letters import views, work_views

urlpatterns = [
    path("", views.letters_home, name="letters_home"),
    path("pick/", views.letter_pick, name="letter_pick"),
    path("to/<slug:public_id>/", views.letter_write, name="letter_write"),
    path("to/<slug:public_id>/check/", views.letter_check, name="letter_check"),
    path("status/", views.letter_status, name="letter_status"),
    path("work/", work_views.letters_queue, name="letters_queue"),
    path("work/statistics/", work_views.letters_stats, name="letters_stats"),
    path("work/<int:pk>/", work_views.letter_detail, name="letter_detail"),
    path("work/<int:pk>/step/", work_views.letter_step, name="letter_step"),
    path("work/<int:pk>/reply/", work_views.letter_reply, name="letter_reply"),
]
