"""One backend per official SDK: what ``--submit`` calls to upload, create and follow a job.

:func:`backend_for` picks it from the service (the run's provider profile's ``[submit] sdk``):
:class:`OpenAIBackend` (OpenAI and Azure OpenAI, the openai SDK) or
:class:`ftlint.submit.together.TogetherBackend` (Together AI, the together SDK) or
:class:`ftlint.submit.fireworks.FireworksBackend` (Fireworks AI, the fireworks-ai SDK).
Everything else -- options, snapshots, the lint gate, the state file, the dry run, recovery
hints -- is shared and lives in :mod:`ftlint.submit`. The SDK is imported only by
:meth:`load`, so ``--dry-run`` works without it.
"""

from __future__ import annotations

from ftlint.submit.console import Console
from ftlint.submit.follow import JobFollower
from ftlint.submit.request import JobSettings, build_job_request, check_method_options
from ftlint.submit.errors import SubmitError
from ftlint.submit.service import (Service, _rate_limit_announcer, describe_api_error, import_openai, import_sdk,
                                   sdk_timeout)
from ftlint.submit.upload import FileSlot, Uploader, check_sizes, upload_route
from ftlint.submit_state import UploadState


class OpenAIBackend:
    """The openai SDK: Files / Uploads API, POST /fine_tuning/jobs, job events."""

    request_title = "POST /fine_tuning/jobs"

    def __init__(self, service: Service):
        self.service = service
        self.sdk = None

    def load(self):
        self.sdk = import_openai()
        return self.sdk

    def api_errors(self) -> tuple[type[BaseException], ...]:
        return (self.sdk.APIError,)

    def describe_error(self, exc: Exception):
        return describe_api_error(self.sdk, exc, self.service)

    def client(self, console: Console):
        return self.service.client(self.sdk, console)

    def route(self, size: int, part_size: int) -> str:
        return upload_route(size, part_size)

    def check_sizes(self, slots: list[FileSlot], part_size: int) -> None:
        check_sizes(slots, part_size)

    def check_job(self, settings: JobSettings, method: str, has_validation: bool) -> None:
        check_method_options(settings, method)

    def job_request(self, settings: JobSettings, method: str, training_file: str, validation_file: str | None) -> dict:
        return build_job_request(settings, method, training_file, validation_file)

    def uploader(self, client, console: Console, state: UploadState, part_size: int, poll_interval: float,
                 reupload: bool) -> Uploader:
        return Uploader(self.sdk, client, console, state, self.service, part_size, poll_interval, reupload)

    def create_job(self, client, body: dict):
        return client.fine_tuning.jobs.create(**body)

    def job_id(self, job) -> str:
        return job.id

    def job_status(self, job) -> str:
        return job.status

    def follower(self, client, console: Console, poll_interval: float) -> JobFollower:
        return JobFollower(self.sdk, client, console, poll_interval)


class ProviderSDKBackend:
    """What the backends of providers with their own SDK (Together, Fireworks) share: the profile,
    the lazily imported SDK, its errors, and the client's timeouts and rate-limit announcer."""

    def __init__(self, service: Service):
        from ftlint.providers import get_provider

        self.service = service
        self.provider = get_provider(service.provider)
        self.policy = self.provider.submit
        self.sdk = None

    def load(self):
        self.sdk = import_sdk(self.service)
        return self.sdk

    def api_errors(self) -> tuple[type[BaseException], ...]:
        return (self.sdk.APIError,)

    def describe_error(self, exc: Exception) -> SubmitError:
        return describe_api_error(self.sdk, exc, self.service)

    def client_options(self, console: Console) -> dict:
        """The keyword arguments every Stainless-generated SDK client takes: key, URL, timeouts, HTTP client."""
        timeout = sdk_timeout(self.sdk, self.service)
        http_client = self.sdk.DefaultHttpxClient(
            timeout=timeout, event_hooks={"response": [_rate_limit_announcer(self.sdk, console)]}
        )
        return {"api_key": self.service.api_key(), "base_url": self.service.base_url, "timeout": timeout,
                "http_client": http_client}


def backend_for(service: Service):
    if service.sdk == "together":
        from ftlint.submit.together import TogetherBackend

        return TogetherBackend(service)
    if service.sdk == "fireworks":
        from ftlint.submit.fireworks import FireworksBackend

        return FireworksBackend(service)
    return OpenAIBackend(service)
