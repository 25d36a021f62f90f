from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .accounts import views as accounts
from .accounts.mail import WenzhiPasswordResetForm, WenzhiSetPasswordForm

app_name = "core"
urlpatterns = [
    path("organisations/", views.OrganisationList.as_view(), name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("search/", views.search, name="search"),
    path("account/", views.account, name="account"),
    path("account/password/", accounts.password_change, name="password_change"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", accounts.account_edit, name="account_edit"),
    path("accounts/<int:pk>/deactivate/", accounts.account_deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/reactivate/", accounts.account_reactivate, name="account_reactivate"),
    path("accounts/<int:pk>/reset-password/", accounts.account_reset_password, name="account_reset_password"),
    # "Forgot password": Django's views with the platform's templates and the one reset mail.
    path("password-reset/", auth_views.PasswordResetView.as_view(
        form_class=WenzhiPasswordResetForm, template_name="core/accounts/password_reset_form.html",
        success_url=reverse_lazy("core:password_reset_done")), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="core/accounts/password_reset_done.html"), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        form_class=WenzhiSetPasswordForm, template_name="core/accounts/password_reset_confirm.html",
        success_url=reverse_lazy("core:password_reset_complete")), name="password_reset_confirm"),
    path("password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(
        template_name="core/accounts/password_reset_complete.html"), name="password_reset_complete"),
]
