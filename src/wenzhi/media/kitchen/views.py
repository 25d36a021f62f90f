"""Central kitchen pages. Thin: forms shape input, services write, selectors read, ``can()`` decides buttons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.core.listing import Column, ListPage
from wenzhi.core.permissions import can, requires
from wenzhi.core.services import history_diffs

from . import channels, moderation, selectors, services
from .choices import Channel, MachineKind
from .forms import (
    MachineDraftForm,
    ModerateForm,
    StoryForm,
    SubmissionForm,
    TransitionForm,
    VersionForm,
    WordForm,
    WordsAddForm,
)
from .machine.check import check_story
from .workflows import TRANSITIONS, available


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join("；".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


def _save(form, call) -> tuple[object | None, int]:
    """Run a service for a valid form: (result, 200), or the reason on the form and 200/409."""
    try:
        return call(), 200
    except ValidationError as exc:
        form.add_error(None, error_text(exc))
    except StaleEdit as exc:
        form.add_error(None, exc.message)
        return None, 409
    return None, 200


class StoryList(ListPage):
    title = _("稿件库")
    selector = staticmethod(selectors.story_list)
    columns = [
        Column("title", _("标题"), link=True),
        Column("origin", _("来源"), "origin"),
        Column("machine_kind", _("机器稿类型"), "machine_kind"),
        Column("status", _("状态"), "status"),
        Column("author", _("作者"), lambda s: str(s.author or "")),
        Column("created_at", _("创建时间"), lambda s: s.created_at.strftime("%Y-%m-%d %H:%M"), sortable=False),
    ]
    search_fields = ["title", "body"]
    default_ordering = "-created_at"
    export_name = "stories"
    detail_url_name = "media_kitchen:story_detail"
    permission_action = "story.view"

    def get_actions(self):
        user = self.request.user
        out = []
        if can(user, "story.add"):
            out.append((gettext("撰写稿件"), reverse("media_kitchen:story_new")))
        if can(user, "story.machine_draft"):
            out.append((gettext("生成机器稿"), reverse("media_kitchen:machine_draft")))
        return out


def _story(request, pk: int):
    return get_object_or_404(selectors.story_list(user=request.user), pk=pk)


def _version_rows(story) -> list[dict]:
    rows = []
    for version in story.versions.all():
        rule = channels.rule(version.channel)
        rows.append({
            "version": version, "rule": rule,
            "body_length": rule.length(version.body), "body_most": rule.most("body"),
            "problems": list(channels.length_problems(version.channel, title=version.title,
                                                      summary=version.summary, body=version.body).values()),
            "seconds": channels.broadcast_seconds(version.body) if version.channel == Channel.BROADCAST else None,
            "marked": moderation.marked(version.body, [h.as_dict() for h in moderation.scan(version.body)]),
        })
    return rows


@requires("story.view")
@require_safe
def story_detail(request, pk: int):
    story = _story(request, pk)
    user = request.user
    steps = [t for t in available(story.status) if can(user, t.action, story)]
    return render(request, "media_kitchen/story_detail.html", {
        "story": story, "versions": _version_rows(story), "steps": steps, "step_form": TransitionForm(),
        "can_change": story.editable and can(user, "story.change", story),
        "problems": check_story(story) if story.is_machine else [],
        "events": selectors.story_events(story), "history": history_diffs(story)})


@requires("story.add")
def story_new(request):
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        story, _status = _save(form, lambda: services.story_create(actor=request.user, **form.cleaned_data))
        if story is not None:
            messages.success(request, gettext("稿件已创建，各渠道稿已按母稿生成。"))
            return redirect("media_kitchen:story_detail", pk=story.pk)  # type: ignore[attr-defined]
    return render(request, "media_kitchen/form.html", {"title": gettext("撰写稿件"), "form": form,
                                                       "back": reverse("media_kitchen:story_list")})


@requires("story.change")
def story_edit(request, pk: int):
    story = _story(request, pk)
    if not can(request.user, "story.change", story):
        raise PermissionDenied
    form = StoryForm(request.POST or None, instance=type(story).objects.get(pk=story.pk))
    status = 200
    back = reverse("media_kitchen:story_detail", args=[story.pk])
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in StoryForm.Meta.fields}
        saved, status = _save(form, lambda: services.story_update(actor=request.user, story=story, data=data,
                                                                  version=request.POST.get("version", "")))
        if saved is not None:
            messages.success(request, gettext("母稿已保存。"))
            return redirect(back)
    return render(request, "media_kitchen/form.html", {
        "title": gettext("修改母稿") + f" · {story.title}", "form": form, "back": back,
        "version": request.POST.get("version") if status == 409 else version_of(story)}, status=status)


@requires("story.change")
@require_POST
def versions_redraft(request, pk: int):
    story = _story(request, pk)
    try:
        drafted = services.versions_redraft(actor=request.user, story=story,
                                            overwrite_edited=request.POST.get("overwrite") == "1")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, gettext("已重新生成：%(c)s") % {"c": "、".join(drafted) or gettext("（无）")})
    return redirect("media_kitchen:story_detail", pk=story.pk)


@requires("story.change")
def version_edit(request, pk: int):
    version = get_object_or_404(selectors.version_list(user=request.user), pk=pk)
    rule = channels.rule(version.channel)
    initial = {"title": version.title, "summary": version.summary, "body": version.body}
    form = VersionForm(request.POST or None, initial=initial, rule=rule)
    back = reverse("media_kitchen:story_detail", args=[version.story_id])
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {**initial, **form.cleaned_data}
        saved, status = _save(form, lambda: services.version_update(
            actor=request.user, version=version, token=request.POST.get("version", ""), **data))
        if saved is not None:
            messages.success(request, gettext("渠道稿已保存。"))
            return redirect(back)
    return render(request, "media_kitchen/form.html", {
        "title": gettext("修改渠道稿") + f" · {version.get_channel_display()}", "form": form, "back": back,
        "version": request.POST.get("version") if status == 409 else version.updated_at.isoformat()},
        status=status)


def _step_view(key: str):
    step = TRANSITIONS[key]

    @requires(step.action)
    @require_POST
    def view(request, pk: int):
        story = _story(request, pk)
        form = TransitionForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            services.story_transition(actor=request.user, story=story, transition=key, comment=comment)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, gettext("已%(step)s。") % {"step": step.label})
        return redirect("media_kitchen:story_detail", pk=story.pk)

    view.__name__ = f"story_{key}"
    return view


story_step_views = {key: _step_view(key) for key in TRANSITIONS}


@requires("story.machine_draft")
def machine_draft(request):
    kinds = selectors.machine_kinds()
    form = MachineDraftForm(request.POST or None, initial={"kind": MachineKind.KEY_PROJECTS})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {"year": data["year"], "period": data["period"],
                  "week": data["week"].isoformat() if data["week"] else None}
        story, _status = _save(form, lambda: services.machine_story_draft(actor=request.user, kind=data["kind"],
                                                                          params=params))
        if story is not None:
            messages.success(request, gettext("机器稿已生成，请核对后送审。"))
            return redirect("media_kitchen:story_detail", pk=story.pk)  # type: ignore[attr-defined]
    return render(request, "media_kitchen/machine_draft.html", {"form": form, "kinds": kinds})


@requires("story.read_published")
@require_safe
def articles(request):
    return render(request, "media_kitchen/articles.html", {"articles": selectors.published_articles()[:50]})


@requires("story.read_published")
@require_safe
def story_found(request, pk: int):
    """Where a search hit on a story leads: the library page for those who may view it, else the published
    website article (404 for a story not published)."""
    if can(request.user, "story.view"):
        return redirect("media_kitchen:story_detail", pk=pk)
    version = selectors.published_articles().filter(story_id=pk).first()
    if version is None:
        raise Http404
    return redirect("media_kitchen:article", pk=version.pk)


@requires("story.read_published")
@require_safe
def article(request, pk: int):
    version = get_object_or_404(selectors.published_articles(), pk=pk)
    return render(request, "media_kitchen/article.html", {"article": version, "story": version.story})


@requires("submission.create")
def submission_new(request):
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done, _status = _save(form, lambda: services.submission_create(actor=request.user, **form.cleaned_data))
        if done is not None:
            messages.success(request, gettext("投稿已提交，编辑审核后会在“我的投稿”中告知结果。"))
            return redirect("media_kitchen:my_submissions")
    return render(request, "media_kitchen/form.html", {"title": gettext("市民投稿"), "form": form,
                                                       "back": reverse("media_kitchen:articles")})


@requires("submission.view_own")
@require_safe
def my_submissions(request):
    return render(request, "media_kitchen/my_submissions.html",
                  {"submissions": selectors.submission_list(user=request.user)[:100]})


class SubmissionQueue(ListPage):
    title = _("市民投稿审核")
    selector = staticmethod(selectors.submission_list)
    columns = [
        Column("title", _("标题"), link=True),
        Column("status", _("状态"), "status"),
        Column("hits", _("敏感词提示"), lambda s: "、".join(dict.fromkeys(h["word"] for h in s.hits)),
               sortable=False),
        Column("submitted_by", _("投稿人"), lambda s: str(s.submitted_by or "")),
        Column("submitted_at", _("投稿时间"), lambda s: s.submitted_at.strftime("%Y-%m-%d %H:%M"), sortable=False),
    ]
    search_fields = ["title", "body"]
    default_ordering = "-submitted_at"
    export_name = "submissions"
    detail_url_name = "media_kitchen:submission_detail"
    permission_action = "submission.moderate"


def _submission(request, pk: int):
    return get_object_or_404(selectors.submission_list(user=request.user), pk=pk)


@requires("submission.moderate")
@require_safe
def submission_detail(request, pk: int):
    submission = _submission(request, pk)
    hits = submission.hits
    return render(request, "media_kitchen/submission_detail.html", {
        "submission": submission, "form": ModerateForm(),
        "title_marked": moderation.marked(submission.title, [h for h in hits if h.get("field") == "title"]),
        "body_marked": moderation.marked(submission.body, [h for h in hits if h.get("field") == "body"])})


@requires("submission.moderate")
@require_POST
def submission_moderate(request, pk: int):
    submission = _submission(request, pk)
    form = ModerateForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    accept = request.POST.get("decision") == "accept"
    try:
        done = services.submission_moderate(actor=request.user, submission=submission, accept=accept, reason=reason)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("media_kitchen:submission_detail", pk=submission.pk)
    if done.story_id:
        messages.success(request, gettext("已采用，投稿已转为稿件草稿。"))
        return redirect("media_kitchen:story_detail", pk=done.story_id)
    messages.success(request, gettext("已标为不采用。"))
    return redirect("media_kitchen:submission_queue")


@requires("sensitive_word.view")
@require_safe
def word_list(request):
    return render(request, "media_kitchen/words.html", {
        "words": selectors.word_list(user=request.user), "form": WordsAddForm(),
        "can_manage": can(request.user, "sensitive_word.manage")})


@requires("sensitive_word.manage")
@require_POST
def words_add(request):
    form = WordsAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{'；'.join(str(e) for e in v)}"
                                          for k, v in form.errors.items()))
        return redirect("media_kitchen:word_list")
    try:
        n = services.sensitive_words_add(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, gettext("已添加 %(n)s 个词语。") % {"n": n})
    return redirect("media_kitchen:word_list")


@requires("sensitive_word.manage")
def word_edit(request, pk: int):
    word = get_object_or_404(selectors.word_list(user=request.user), pk=pk)
    form = WordForm(request.POST or None, instance=type(word).objects.get(pk=word.pk))
    back = reverse("media_kitchen:word_list")
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in WordForm.Meta.fields}
        saved, _status = _save(form, lambda: services.sensitive_word_save(actor=request.user, word=word, data=data))
        if saved is not None:
            messages.success(request, gettext("已保存。"))
            return redirect(back)
    return render(request, "media_kitchen/form.html", {"title": gettext("修改敏感词"), "form": form, "back": back,
                                                       "history": history_diffs(word)})
