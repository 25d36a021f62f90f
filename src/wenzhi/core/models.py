"""Organisations (city → districts → parks → enterprises), users and their roles, and the domain-row base."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Level, Role


class Organisation(models.Model):
    """One body a user belongs to: the city, one of its districts, a park, an enterprise or an institution."""

    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    code = models.CharField(_("代码"), max_length=32, blank=True, db_index=True,
                            help_text=_("区划代码（6 位）或其他唯一代码"))
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    district = models.ForeignKey("self", verbose_name=_("所属区"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("区级及以下组织所属的区（区本身指向自己）"))
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["level", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], condition=~models.Q(code=""),
                                    name="organisation_unique_level_code"),
        ]
        indexes = [models.Index(fields=["is_active", "level"], name="organisation_active_level")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in; belongs to one organisation and holds one or more roles."""

    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属组织"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users")
    roles = models.JSONField(_("角色"), default=list, blank=True)
    is_demo = models.BooleanField(_("演示账号"), default=False)
    # Set for a new account and after an official resets the password: the user must choose their own
    # password before using any page or API (core.accounts.middleware).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def has_role(self, *roles: str) -> bool:
        if self.is_superuser and Role.CITY_ADMIN in roles:
            return True
        return any(r in (self.roles or []) for r in roles)

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(r, r)) for r in self.roles or []]


class AccountEvent(models.Model):
    """One audited change to an account: who did what to whom, when, and each field's old and new value.

    Kept apart from django-simple-history so that password hashes and every login's ``last_login`` never land
    in an audit table; ``changes`` holds raw values (role codes, organisation id and name) and the account page
    turns them into labels in the reader's language.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("创建账号")
        CHANGED = "changed", _("修改账号")
        DEACTIVATED = "deactivated", _("停用账号")
        REACTIVATED = "reactivated", _("重新启用")
        PASSWORD_RESET = "password_reset", _("重置密码")
        PASSWORD_CHANGED = "password_changed", _("本人修改密码")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE,
                             related_name="account_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("操作"), max_length=24, choices=Kind.choices)
    changes = models.JSONField(_("变更内容"), default=list, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("账号变更记录")
        verbose_name_plural = _("账号变更记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()}"


class ActiveManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class DomainModel(models.Model):
    """Base of every domain row: timestamps and soft delete. Subclasses add ``history = HistoricalRecords()``."""

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ActiveManager()
    all_objects = models.Manager()  # noqa: DJ012

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def clean_fields(self, exclude=None):
        # Every service validates with full_clean(), so this is the one door all text comes in by (pages, API,
        # imports): control characters are dropped before they reach the database and, later, an export.
        from .text import clean_model_text

        clean_model_text(self)
        super().clean_fields(exclude=exclude)


class ImportRecord(models.Model):
    """One uploaded file import: the original file, its dry-run report and its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        RUNNING = "running", _("处理中")
        CHECKED = "checked", _("已校验")
        COMMITTED = "committed", _("已导入")
        REJECTED = "rejected", _("未导入")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=32)
    file = models.FileField(_("原始文件"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    dry_run = models.BooleanField(_("仅校验"), default=True)
    options = models.JSONField(_("选项"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    errors = models.JSONField(_("问题"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

from .search.models import SearchEntry  # noqa: E402,F401 - the search index table belongs to core
