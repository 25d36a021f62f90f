"""Opinion alerts and their handling (预警与处置), notifications, webhooks and opinion reports.

Documents, sources and their analysis belong to ``wenzhi.media``; this app only reads them and links to them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AlertState, Channel, DeliveryStatus, EntityKind, ReportKind, RuleKind, Severity


class Webhook(models.Model):
    """One partner system that receives alerts as signed JSON POSTs (HMAC-SHA256 of the body with ``secret``)."""

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500, help_text=_("http(s) 地址，平台以 JSON POST 推送预警"))
    secret = models.CharField(_("签名密钥"), max_length=128,
                              help_text=_("接收方用它校验 X-Wenzhi-Signature（HMAC-SHA256）"))
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_success_at = models.DateTimeField(_("最近成功"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("最近失败"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Webhook 接收方")
        verbose_name_plural = _("Webhook 接收方")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AlertRule(models.Model):
    """One standing instruction: raise an alert when a stored document (or the volume about an entity) matches.

    Kinds: keywords (any of ``keywords`` in title or text), an entity (a document mentions it), negative
    sentiment (at least ``negativity``), a source, or a volume spike (an entity's documents in the last
    ``window_hours`` against its own average over the ``baseline_days`` before). ``district`` and
    ``negative_only`` narrow every kind.
    """

    name = models.CharField(_("规则名称"), max_length=100)
    kind = models.CharField(_("规则类型"), max_length=16, choices=RuleKind.choices)
    severity = models.CharField(_("预警级别"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    is_active = models.BooleanField(_("启用"), default=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    entity_kind = models.CharField(_("对象类型"), max_length=12, choices=EntityKind.choices, blank=True)
    entity_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True,
                                               help_text=_("声量突增规则留空表示该类型的每个对象"))
    entity_name = models.CharField(_("对象名称"), max_length=200, blank=True)
    source = models.ForeignKey("media.Source", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("信息来源"))
    negativity = models.FloatField(_("负面程度阈值"), default=0.8,
                                   validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
                                   help_text=_("0–1，负面情感规则：负面概率不低于此值"))
    negative_only = models.BooleanField(_("仅负面信息"), default=False)
    district = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("限定区"))
    window_hours = models.PositiveSmallIntegerField(_("统计窗口（小时）"), default=24,
                                                    validators=[MinValueValidator(1), MaxValueValidator(24 * 7)])
    baseline_days = models.PositiveSmallIntegerField(_("基线天数"), default=14,
                                                     validators=[MinValueValidator(1), MaxValueValidator(90)])
    spike_factor = models.FloatField(_("突增倍数"), default=3.0,
                                     validators=[MinValueValidator(1.0), MaxValueValidator(100.0)])
    min_count = models.PositiveIntegerField(_("最少篇数"), default=5)
    notify_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                          verbose_name=_("站内通知"))
    email_to = models.JSONField(_("邮件通知地址"), default=list, blank=True)
    webhooks = models.ManyToManyField(Webhook, blank=True, related_name="rules", verbose_name=_("Webhook"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One raised alert and its handling: assigned to a unit (and a person), acknowledged, answered with the
    official response, closed. ``key`` groups matches: while an alert is open, further matching documents join
    it instead of raising another."""

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("规则"))
    key = models.CharField(_("归并键"), max_length=120, db_index=True)
    title = models.CharField(_("预警标题"), max_length=300)
    reason = models.CharField(_("触发原因"), max_length=500)
    severity = models.CharField(_("预警级别"), max_length=10, choices=Severity.choices)
    state = models.CharField(_("状态"), max_length=14, choices=AlertState.choices, default=AlertState.NEW,
                             db_index=True)
    district = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("所属区"))
    entity_kind = models.CharField(_("对象类型"), max_length=12, choices=EntityKind.choices, blank=True)
    entity_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    documents = models.ManyToManyField("media.Document", through="AlertDocument", related_name="+",
                                       verbose_name=_("相关文章"))
    document_count = models.PositiveIntegerField(_("文章数"), default=0)
    first_arrived_at = models.DateTimeField(_("首篇到达时间"), null=True, blank=True)
    raised_at = models.DateTimeField(_("预警时间"), default=timezone.now, db_index=True)
    unit = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("承办单位"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("承办人"))
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    response = models.TextField(_("官方回应"), blank=True)

    class Meta:
        verbose_name = _("舆情预警")
        verbose_name_plural = _("舆情预警")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["rule", "key", "state"], name="watch_alert_rule_key_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state != AlertState.CLOSED


class AlertDocument(models.Model):
    """One document that triggered (or joined) an alert, with when it arrived and when it was matched."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="links")
    document = models.ForeignKey("media.Document", on_delete=models.CASCADE, related_name="+")
    arrived_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    matched_at = models.DateTimeField(_("匹配时间"), default=timezone.now)

    class Meta:
        verbose_name = _("预警文章")
        verbose_name_plural = _("预警文章")
        constraints = [models.UniqueConstraint(fields=["alert", "document"], name="watch_alert_document_once")]

    def __str__(self) -> str:
        return f"{self.alert_id} ← {self.document_id}"


class AlertStep(models.Model):
    """One audited step of an alert's handling: who moved it from which state to which, when, and why."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    transition = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(_("原状态"), max_length=14, choices=AlertState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=14, choices=AlertState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("处置记录")
        verbose_name_plural = _("处置记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.transition}"

    @property
    def transition_label(self):
        from .workflows import ALERT_STEPS

        step = ALERT_STEPS.get(self.transition)
        return step.label if step else _("触发预警")


class Notification(models.Model):
    """One in-app message to a user about an alert (raised, assigned to them, answered)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="watch_notification_unread")]

    def __str__(self) -> str:
        return self.text


class Delivery(models.Model):
    """One message to send outside the platform (an e-mail or a webhook POST), kept until delivered, retried
    with back-off; ``attempts`` and the last error show what happened."""

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    target = models.CharField(_("发送对象"), max_length=500)
    event = models.CharField(_("事件"), max_length=32)
    payload = models.JSONField(_("内容"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外部通知")
        verbose_name_plural = _("外部通知")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.target}"


class OpinionReport(models.Model):
    """One daily, weekly or monthly opinion report for a period, with its DOCX and PDF files and the figures
    they were written from; made on schedule or on demand (making it again replaces the files)."""

    kind = models.CharField(_("报告类型"), max_length=8, choices=ReportKind.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    title = models.CharField(_("标题"), max_length=200)
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    docx = models.FileField(_("Word 文件"), upload_to="watch/reports/%Y/", blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="watch/reports/%Y/", blank=True)
    scheduled = models.BooleanField(_("定时生成"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("生成人"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("舆情报告")
        verbose_name_plural = _("舆情报告")
        ordering = ["-period_start", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "period_start"], name="watch_report_once_per_period")]

    def __str__(self) -> str:
        return self.title


class ReportSchedule(models.Model):
    """Whether the daily, weekly or monthly report is made automatically (one row per kind) and who gets it."""

    kind = models.CharField(_("报告类型"), max_length=8, choices=ReportKind.choices, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    email_to = models.JSONField(_("邮件发送地址"), default=list, blank=True)
    last_period_start = models.DateField(_("最近一期"), null=True, blank=True)

    class Meta:
        verbose_name = _("报告计划")
        verbose_name_plural = _("报告计划")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()
