from django.urls import path

from pompolit.cases.vocabularies import views

urlpatterns = [
    path("", views.vocabulary_list, name="vocabulary_list"),
    path("<slug:vocabulary>/", views.vocabulary_terms, name="vocabulary_terms"),
    path("<slug:vocabulary>/new/", views.term_new, name="vocabulary_term_new"),
    path("<slug:vocabulary>/<int:term>/edit/", views.term_edit, name="vocabulary_term_edit"),
    path("<slug:vocabulary>/<int:term>/active/", views.term_active,
         name="vocabulary_term_active"),
    path("<slug:vocabulary>/<int:term>/delete/", views.term_delete,
         name="vocabulary_term_delete"),
]
