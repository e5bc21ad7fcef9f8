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
    path("work/batches/", work_views.letters_batches, name="letters_batches"),
    path("work/batches/<int:facility>/<slug:channel>/letters.pdf", work_views.letters_batch_pdf,
         name="letters_batch_pdf"),
    path("work/batches/<int:facility>/<slug:channel>/letters.zip", work_views.letters_batch_zip,
         name="letters_batch_zip"),
    path("work/batches/<int:facility>/<slug:channel>/sent/", work_views.letters_batch_sent,
         name="letters_batch_sent"),
    path("work/kit/cards.pdf", work_views.letters_kit_cards, name="letters_kit_cards"),
    path("work/rules/<int:facility>/", work_views.letter_rules, name="letter_rules"),
    path("work/<int:pk>/", work_views.letter_detail, name="letter_detail"),
    path("work/<int:pk>/step/", work_views.letter_step, name="letter_step"),
    path("work/<int:pk>/reply/", work_views.letter_reply, name="letter_reply"),
]
