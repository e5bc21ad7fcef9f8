"""The webhook Telegram posts updates to: checked, queued, answered by the worker."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from pompolit.intake.bot import services
from pompolit.members import policy
from pompolit.members.policy import requires

# Telegram's updates are small; a body larger than this is not one.
MAX_BODY = 256 * 1024


def _derived(purpose: str) -> str:
    token = settings.POMPOLIT_TELEGRAM_TOKEN.encode()
    return hmac.new(token, b"pompolit-telegram-" + purpose.encode(), hashlib.sha256).hexdigest()


def webhook_path_secret() -> str:
    """The secret part of the webhook's address, derived from the bot's token."""
    return _derived("path")[:32]


def webhook_header_secret() -> str:
    """What Telegram sends in X-Telegram-Bot-Api-Secret-Token (set with setWebhook)."""
    return _derived("header")


@csrf_exempt
@requires(policy.PUBLIC)
@require_POST
def telegram_webhook(request: HttpRequest, token: str) -> HttpResponse:
    """Only Telegram knows the address and the header; anyone else gets a 404."""
    if not settings.POMPOLIT_TELEGRAM_TOKEN:
        raise Http404
    header = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not (
        hmac.compare_digest(token, webhook_path_secret())
        and hmac.compare_digest(header, webhook_header_secret())
    ):
        raise Http404
    if len(request.body) > MAX_BODY:
        return HttpResponse(status=413)
    try:
        body = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    if isinstance(body, dict):
        services.accept_update(body)
    # 200 whatever happened to it: Telegram would only send it again.
    return JsonResponse({})
