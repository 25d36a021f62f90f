from django.urls import path

from . import views

app_name = "card"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("apply/", views.apply, name="apply"),
    path("topup/", views.topup, name="topup"),
    path("statement/", views.statement, name="statement"),
    path("cards/", views.CardList.as_view(), name="card_list"),
    path("cards/issue/", views.card_issue, name="card_issue"),
    path("cards/<int:pk>/", views.card_detail, name="card_detail"),
    path("cards/<int:pk>/topup/", views.card_counter_topup, name="card_counter_topup"),
    path("cards/<int:pk>/status/", views.card_status, name="card_status"),
    path("merchants/", views.MerchantList.as_view(), name="merchant_list"),
    path("merchants/new/", views.merchant_new, name="merchant_new"),
    path("merchants/<int:pk>/", views.merchant_detail, name="merchant_detail"),
    path("merchants/<int:pk>/edit/", views.merchant_edit, name="merchant_edit"),
    path("merchants/<int:pk>/charge/", views.merchant_charge, name="merchant_charge"),
    path("merchants/<int:pk>/settlement.xlsx", views.merchant_settlement, name="merchant_settlement"),
    path("redemptions/<int:pk>/refund/", views.redemption_refund, name="redemption_refund"),
    path("subsidy/", views.subsidy, name="subsidy"),
    path("subsidy/budget/", views.budget_set, name="budget_set"),
    path("subsidy/rules/new/", views.rule_new, name="rule_new"),
    path("subsidy/rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("subsidy/policy/edit/", views.policy_edit, name="policy_edit"),
]
