from django.urls import path

from pompolit.public import views

# Under /prisoners/, before the case register's public routes (the photo): "reports/" is not
# a public id (those are 12 characters).
urlpatterns = [
    path("", views.prisoner_list, name="public_case_list"),
    path("reports/", views.inaccuracy_queue, name="public_inaccuracy_queue"),
    path("reports/<int:pk>/close/", views.inaccuracy_close, name="public_inaccuracy_close"),
    path("data/", views.open_data, name="public_open_data"),
    path("data/v1/<str:file>", views.open_data_file, name="public_open_data_file"),
    path("help/", views.help_now, name="public_help_now"),
    path("hearings/", views.hearings, name="public_hearings"),
    path("hearings/calendar.ics", views.hearings_ics, name="public_hearings_ics"),
    path("hearings/atom.xml", views.hearings_atom, name="public_hearings_atom"),
    path("hearings/<slug:token>/come/", views.hearing_pledge, name="public_hearing_pledge"),
    path("<slug:public_id>/", views.prisoner_profile, name="public_case"),
    path("<slug:public_id>/hearings.ics", views.prisoner_hearings_ics,
         name="public_case_hearings_ics"),
    path("<slug:public_id>/report/", views.report_inaccuracy, name="public_report"),
]
