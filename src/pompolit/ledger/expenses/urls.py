from django.urls import path

from pompolit.ledger.expenses import views

urlpatterns = [
    path("expenses/", views.expense_list, name="expense_list"),
    path("expenses/new/", views.expense_new, name="expense_new"),
    path("expenses/pay/", views.expense_pay_many, name="expense_pay_many"),
    path("expenses/<int:expense>/", views.expense_detail, name="expense_detail"),
    path("expenses/<int:expense>/pay/", views.expense_pay, name="expense_pay"),
]
