"""What every projects page shares: error text, and the edit-and-report step (200 refused, 409 stale)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from wenzhi.core.exceptions import StaleEdit


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join("；".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


def save_edit(form, save: Callable[[], object]) -> int | None:
    """Run a page's save; None when saved, else the status with the reason on the form (200 refused, 409 stale)."""
    try:
        save()
    except ValidationError as exc:
        form.add_error(None, error_text(exc))
        return 200
    except StaleEdit as exc:
        form.add_error(None, exc.message)
        return 409
    return None


def act(request, do: Callable[[], object], success: str, target: str, **kwargs):
    """Run a one-button action (POST), report success or the reason, and go back to ``target``; a stale
    action answers 409 with the message so a script or the browser test sees the conflict."""
    from django.http import HttpResponse

    try:
        do()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except StaleEdit as exc:
        messages.error(request, exc.message)
        response = redirect(target, **kwargs)
        return HttpResponse(exc.message, status=409, headers={"HX-Redirect": response["Location"]}) \
            if request.headers.get("HX-Request") else _conflict(request, exc.message, response["Location"])
    else:
        messages.success(request, success)
    return redirect(target, **kwargs)


def _conflict(request, message: str, back: str):
    from django.shortcuts import render

    return render(request, "projects/conflict.html", {"message": message, "back": back}, status=409)
