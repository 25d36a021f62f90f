from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Django writes this for the empty choice of a select (ModelChoiceField, blank model choices); django-filter's
# filters say FILTERS_EMPTY_CHOICE_LABEL (全部) instead, set in the settings.
DJANGO_EMPTY_LABEL = "---------"


class FormRenderer(DjangoTemplates):
    """Django's form renderer, with the empty choice of every select saying 请选择 (Please choose).

    Set as ``FORM_RENDERER``, so every form of every app gets it without a mixin: the empty option is renamed
    where Django's widgets put its default dashes, and only there (a form's own ``empty_label`` stays).
    """

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and widget.get("optgroups"):
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    if option.get("label") == DJANGO_EMPTY_LABEL and option.get("value") in ("", None):
                        option["label"] = gettext("请选择")
        return super().render(template_name, context, request=request)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次失败后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }

    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as exc:
            if exc.code == "invalid_login" and self._is_deactivated_owner():
                # The right password of a deactivated account: say so, rather than "wrong password" (Django's model
                # backend refuses inactive users before the form can tell them apart).
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from None
            raise

    def _is_deactivated_owner(self) -> bool:
        from django.contrib.auth import get_user_model

        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return False
        user = get_user_model()._default_manager.filter(username=username, is_active=False).first()
        return bool(user and user.check_password(password))
