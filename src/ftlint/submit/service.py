"""Which service ``--submit`` talks to, through which official SDK, and how its errors read.

The run's provider (``--provider``, default openai) picks the service; its profile's ``[submit]``
table (rules/providers/<id>.toml) names the SDK, the key variable and the base URL:

* ``openai``: the openai SDK at ``--base-url``, ``$OPENAI_BASE_URL`` or OpenAI, key ``OPENAI_API_KEY``.
* ``azure-openai``: the openai SDK at the resource's v1-compatible endpoint
  ``https://RESOURCE.openai.azure.com/openai/v1/`` (``--base-url``,
  ``$AZURE_OPENAI_BASE_URL``, or ``$AZURE_OPENAI_ENDPOINT`` + ``/openai/v1``),
  key ``AZURE_OPENAI_API_KEY`` sent in the ``api-key`` header Azure documents.
* ``together``: the together SDK at ``--base-url``, ``$TOGETHER_BASE_URL`` or Together,
  key ``TOGETHER_API_KEY`` (:mod:`ftlint.submit.together`).

Every request has a connect and a read timeout (``--connect-timeout``,
``--read-timeout``). The SDK retries 429, 5xx and connection errors with
backoff, and waits a Retry-After of up to its own cap (two minutes in openai
3.x) without a word; a response hook announces each such wait (how long, until
when), and :func:`patiently` waits out a longer Retry-After (up to
:data:`MAX_RETRY_AFTER_SECONDS`) and says so too.
The SDKs are imported lazily: plain linting and ``--dry-run`` work without them.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from ftlint.arguments import DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_READ_TIMEOUT_SECONDS
from ftlint.submit.console import Console, server_text
from ftlint.submit.errors import SubmitError
from ftlint.submit_state import state_key_for_base_url

#: Longest Retry-After ftlint waits out before giving up with the server's time.
MAX_RETRY_AFTER_SECONDS = 15 * 60
#: Rate-limit waits ftlint adds on top of the SDK's own retries.
MAX_RATE_LIMIT_WAITS = 3

INSTALL_HINT = "--submit needs the openai SDK: pip install 'ftlint[submit]'"
WIND_DOWN_MESSAGE = (
    "OpenAI refused to create the job: it is winding down self-serve fine-tuning and this organisation "
    "can no longer create fine-tuning jobs (no organisation can after 2027-01-06). Your files are still "
    "valid; to train on them use another provider (--provider azure-openai) or an OpenAI-compatible "
    "service with --base-url URL."
)


@dataclass(frozen=True)
class Service:
    """One submit target: provider id, base URL and the environment variable holding its key."""

    provider: str
    base_url: str
    key_variable: str
    sdk: str = "openai"  # the official SDK's import name
    extra: str = "submit"  # pip install 'ftlint[<extra>]' installs it
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_SECONDS
    read_timeout: float = DEFAULT_READ_TIMEOUT_SECONDS

    @property
    def where(self) -> str:
        return state_key_for_base_url(self.base_url)

    def api_key(self) -> str:
        return os.environ.get(self.key_variable, "").strip()

    def require_key(self) -> None:
        if not self.api_key():
            raise SubmitError(f"--submit needs an API key: set {self.key_variable} (nothing was linted or sent)")

    def client(self, openai_module, console: Console):
        """The official SDK client, with timeouts and the rate-limit announcer; credentials come
        from the environment."""
        timeout = sdk_timeout(openai_module, self)
        http_client = openai_module.DefaultHttpxClient(
            timeout=timeout, event_hooks={"response": [_rate_limit_announcer(openai_module, console)]}
        )
        if self.provider == "azure-openai":
            key = self.api_key()
            return _strict_client(openai_module)(
                base_url=self.base_url, api_key=key, default_headers={"api-key": key}, timeout=timeout,
                http_client=http_client, _strict_response_validation=True,
            )
        # The SDK reads OPENAI_API_KEY, OPENAI_ORG_ID and OPENAI_PROJECT_ID itself.
        return _strict_client(openai_module)(base_url=self.base_url, timeout=timeout, http_client=http_client,
                                             _strict_response_validation=True)


def sdk_timeout(sdk, service: Service):
    """The service's connect and read timeouts as the SDK's own ``Timeout``.

    Each SDK re-exports the timeout and client types of the HTTP library it is built on (openai 3.x:
    httpx2; together and fireworks-ai: httpx); ftlint uses those and never imports an HTTP library
    itself, so ``--submit`` needs nothing beyond what the SDK's extra installs.
    """
    return sdk.Timeout(service.read_timeout, connect=service.connect_timeout)


def _strict_client(openai_module):
    """The SDK's client, refusing replies ftlint cannot use (attack report F14: an HTML page, ``null``
    or ``{}`` with status 200 became objects of Nones or strings, then internal errors).

    With ``_strict_response_validation`` the SDK refuses a reply that is not JSON; every other field
    check of strict mode stays off (real job objects carry ``error: {code: null, ...}``, which the
    SDK's types reject). Here an object reply must be a JSON object, with a non-empty string id
    where the object has one; then the SDK builds it leniently, as it does by default.
    """
    import pydantic
    from openai._models import construct_type  # the SDK's own lenient build (its default path)

    class StrictOpenAI(openai_module.OpenAI):
        def _process_response_data(self, *, data, cast_to, response):
            if not (isinstance(cast_to, type) and issubclass(cast_to, pydantic.BaseModel)) or hasattr(cast_to, "build"):
                return super()._process_response_data(data=data, cast_to=cast_to, response=response)
            what = None
            if not isinstance(data, dict):
                what = f"the reply is {_json_kind(data)} where an object is due"
            elif "id" in cast_to.model_fields and not (isinstance(data.get("id"), str) and data["id"].strip()):
                what = "the reply has no id"
            if what is not None:
                raise openai_module.APIResponseValidationError(response, data, message=what)
            try:
                return construct_type(type_=cast_to, value=data)
            except pydantic.ValidationError as err:
                raise openai_module.APIResponseValidationError(response, data) from err

    return StrictOpenAI


def _json_kind(value) -> str:
    return {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array"}.get(type(value), type(value).__name__)


def submit_providers() -> tuple[str, ...]:
    """The providers --submit can create jobs on: those whose profile has a ``[submit]`` table."""
    from ftlint.providers import all_providers

    return tuple(p.id for p in all_providers() if p.submit is not None)


def cannot_submit_message(provider: str) -> str:
    return (
        f"--submit cannot create jobs on provider {provider!r} (it can on {', '.join(submit_providers())}); "
        f"lint with --provider {provider} and upload with the provider's own tools"
    )


def resolve_service(provider: str | None, base_url: str | None, connect_timeout: float | None = None,
                    read_timeout: float | None = None) -> Service:
    """The service for the run's provider, from its profile's ``[submit]`` table; exit 2 for a
    provider --submit cannot reach."""
    from ftlint.providers import UnknownProvider, get_provider

    provider = provider or "openai"
    timeouts = {
        "connect_timeout": _positive(connect_timeout, "--connect-timeout", DEFAULT_CONNECT_TIMEOUT_SECONDS),
        "read_timeout": _positive(read_timeout, "--read-timeout", DEFAULT_READ_TIMEOUT_SECONDS),
    }
    try:
        chosen = get_provider(provider)
    except UnknownProvider as exc:
        raise SubmitError(str(exc)) from None
    provider, policy = chosen.id, chosen.submit  # an alias (--provider azure) names the profile's id
    if policy is None:
        raise SubmitError(cannot_submit_message(provider))
    url = base_url or (os.environ.get(policy.base_url_variable) if policy.base_url_variable else None)
    if provider == "azure-openai":
        endpoint = os.environ.get("AZURE_OPENAI_ENDPOINT", "").strip()
        if not url and endpoint:
            url = endpoint.rstrip("/") + "/openai/v1"
        if not url:
            raise SubmitError(
                "--provider azure-openai needs the resource's endpoint: set AZURE_OPENAI_ENDPOINT "
                "(https://RESOURCE.openai.azure.com) or pass --base-url https://RESOURCE.openai.azure.com/openai/v1/"
            )
    url = url or policy.base_url
    if not url:
        raise SubmitError(f"--provider {provider} needs --base-url (or {policy.base_url_variable})")
    return Service(provider, url.rstrip("/"), policy.key_variable, sdk=policy.sdk, extra=policy.extra, **timeouts)


def _positive(value: float | None, flag: str, default: float) -> float:
    if value is None:
        return default
    if not (math.isfinite(value) and value > 0):
        raise SubmitError(f"{flag} must be a positive number of seconds")
    return value


def import_openai():
    try:
        import openai
    except ImportError:
        raise SubmitError(INSTALL_HINT) from None
    return openai


def import_sdk(service: Service):
    """The service's official SDK module; exit 2 with the install command when it is missing."""
    if service.sdk == "openai":
        return import_openai()
    try:
        module = __import__(service.sdk)
    except ImportError:
        raise SubmitError(f"--submit to {service.provider} needs the {service.sdk} SDK: "
                          f"pip install 'ftlint[{service.extra}]'") from None
    return module


# -- errors ---------------------------------------------------------------------------------------


def is_wind_down_error(exc: Exception) -> bool:
    """The 403 OpenAI returns to organisations that may no longer create fine-tuning jobs."""
    code = getattr(exc, "code", None)
    message = str(getattr(exc, "message", "") or "").lower()
    return code == "training_not_available" or "winding down" in message


def describe_api_error(openai_module, exc: Exception, service: Service) -> SubmitError:
    """One clear line for an SDK exception. The SDK already retried 429s, 5xx and connection errors."""
    o = openai_module
    server_message = _server_message(exc)
    where = service.where
    if isinstance(exc, o.AuthenticationError):
        return SubmitError(f"authentication failed (401) at {where}: {server_message}; check {service.key_variable}")
    if isinstance(exc, o.PermissionDeniedError):
        if is_wind_down_error(exc):
            return SubmitError(WIND_DOWN_MESSAGE + f" Server said: {server_message}")
        return SubmitError(f"permission denied (403) at {where}: {server_message}")
    if isinstance(exc, o.NotFoundError):
        return SubmitError(f"not found (404): {server_message}")
    if isinstance(exc, o.RateLimitError) or getattr(exc, "status_code", None) == 429:
        wait = retry_after_seconds(exc)
        asked = f"; the server asked to wait {wait:g} s (Retry-After)" if wait is not None else ""
        return SubmitError(f"rate limited (429) even after retries: {server_message}{asked}; try again later")
    if isinstance(exc, o.APIStatusError):
        status = exc.status_code
        kind = "server error" if status >= 500 else "request rejected"
        return SubmitError(f"{kind} ({status}): {server_message}")
    if isinstance(exc, o.APITimeoutError):
        return SubmitError(
            f"request to {where} timed out (after retries; connect timeout {service.connect_timeout:g} s, "
            f"read timeout {service.read_timeout:g} s; raise them with --connect-timeout / --read-timeout)"
        )
    if isinstance(exc, o.APIResponseValidationError):
        cause = exc.__cause__
        try:  # pydantic's ValidationError: name the fields, not its 20-line report
            fields = sorted({".".join(map(str, e["loc"])) or "(the reply)" for e in cause.errors()})
            detail = f"missing or mistyped: {', '.join(fields[:8])}" + (" ..." if len(fields) > 8 else "")
        except (AttributeError, TypeError, KeyError):
            detail = str(exc.message)
        return SubmitError(f"the reply of {where} is not what the API documents ({exc.response.status_code}, "
                           f"{server_text(exc.response.headers.get('content-type', 'no content type'))}): {server_text(detail)}")
    if isinstance(exc, o.APIConnectionError):
        return SubmitError(f"cannot connect to {where} (after retries): {server_text(exc.__cause__ or exc)}")
    return SubmitError(f"{type(exc).__name__}: {server_text(exc)}")


def _server_message(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    body = getattr(exc, "body", None)
    # The openai SDK hands us the inner "error" object, the together SDK the whole reply
    # {"error": {...}} (as text when its upload helper re-raises); prefer the server's own
    # message over the SDK's summary, which may carry the reply's headers.
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            pass
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        message = body["message"]
    param = getattr(exc, "param", None) or (body.get("param") if isinstance(body, dict) else None)
    code = getattr(exc, "code", None) or (body.get("code") if isinstance(body, dict) else None)
    details = ", ".join(f"{k}: {v}" for k, v in (("code", code), ("param", param)) if v)
    return server_text(f"{message} ({details})" if details else message)


def retry_after_seconds(exc: Exception) -> float | None:
    """The wait a 429 error asked for (see :func:`retry_after_from_headers`)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    return retry_after_from_headers(headers) if headers is not None else None


def retry_after_from_headers(headers) -> float | None:
    """The wait a response asked for: retry-after-ms, or Retry-After in seconds or as an HTTP date."""
    millis = headers.get("retry-after-ms")
    try:
        if millis is not None:
            return max(0.0, float(millis) / 1000)
    except ValueError:
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _until(seconds: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).strftime("%H:%M:%S UTC")


#: Retry-After waits shorter than this are routine backoff and not announced.
ANNOUNCED_WAIT_SECONDS = 5.0


def _rate_limit_announcer(openai_module, console: Console):
    """A response hook for the SDK's HTTP client: a 429 whose Retry-After the SDK will wait out is announced first."""
    sdk_cap = getattr(getattr(openai_module, "_base_client", None), "MAX_RETRY_AFTER_DELAY", 60)

    def announce(response) -> None:
        if response.status_code != 429:
            return
        wait = retry_after_from_headers(response.headers)
        if wait is None or wait < ANNOUNCED_WAIT_SECONDS or wait > sdk_cap:
            return  # routine backoff, or longer than the SDK waits (patiently() handles that)
        what = f"{response.request.method} {server_text(response.request.url.path)}"
        console.err(
            f"ftlint: rate limited (429) on {what}; the server asked to wait {wait:g} s (Retry-After); "
            f"retrying at {_until(wait)}"
        )

    return announce


def patiently(openai_module, console: Console, what: str, call: Callable[[], Any]) -> Any:
    """``call()``, waiting out a 429 whose Retry-After is longer than the SDK waits (it caps at 60 s).

    Each wait is announced with its length and the UTC time it ends; a Retry-After
    over :data:`MAX_RETRY_AFTER_SECONDS` is not waited out: the error says what was asked.
    """
    for attempt in range(MAX_RATE_LIMIT_WAITS + 1):
        try:
            return call()
        except openai_module.RateLimitError as exc:
            wait = retry_after_seconds(exc)
            if wait is None or attempt == MAX_RATE_LIMIT_WAITS or wait > MAX_RETRY_AFTER_SECONDS:
                raise
            console.err(
                f"ftlint: rate limited (429) on {what}; waiting {wait:g} s as the server asked "
                f"(Retry-After), until {_until(wait)}"
            )
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
