"""``--submit --provider fireworks``: Fireworks AI through its official SDK (``pip install 'ftlint[fireworks]'``).

What the fireworks-ai SDK (1.2.x, ``fireworks/resources/datasets.py``,
``supervised_fine_tuning_jobs.py``, ``dpo_jobs.py``) sends, and so what the tests' local server
speaks (Fireworks' "Fine-tuning via API" guide describes the same steps):

1. ``POST /v1/accounts/{account}/datasets`` creates the dataset record (``datasetId``,
   ``dataset: {userUploaded: {}}``); the file goes to ``.../datasets/{id}:upload`` as multipart
   form data, or, above the direct-upload limit, to the signed URL ``...:getUploadEndpoint``
   returns (a PUT of the bytes) followed by ``...:validateUpload``;
   ``GET .../datasets/{id}`` until its state is ``READY``.
2. ``POST .../supervisedFineTuningJobs`` (chat) or ``POST .../dpoJobs`` (preference), then
   ``GET`` the job until its state is final. Fireworks lists no job events: ftlint prints each
   state change and the progress the job reports.

The dataset id is derived from the file's sha256 (``ftlint-<32 hex digits>``), so the same bytes
map to the same dataset, and an earlier upload of them is found again even without the state file.
The account comes from ``FIREWORKS_ACCOUNT_ID`` (``[submit] account_variable`` in the profile).
"""

from __future__ import annotations

import os

from ftlint.submit.backend import ProviderSDKBackend
from ftlint.submit.console import Console, server_text
from ftlint.submit.errors import SubmitError
from ftlint.submit.follow import Follower, JobView
from ftlint.submit.request import JobSettings, check_method_options
from ftlint.submit.service import patiently, sdk_timeout
from ftlint.submit.snapshot import Snapshot
from ftlint.submit.upload import FileSlot, Uploader, human_size
from ftlint.submit_state import UploadState

_DATASET_READY = "READY"
#: Final job states: the model exists (0) or it does not (1); anything else is still going.
_JOB_SUCCEEDED = ("JOB_STATE_COMPLETED", "JOB_STATE_EARLY_STOPPED")
_JOB_FAILED = ("JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED")
#: The collection a job lives in, by ftlint method.
_JOB_COLLECTIONS = {"supervised": "supervisedFineTuningJobs", "dpo": "dpoJobs"}


def dataset_id_for(snap: Snapshot) -> str:
    """The dataset id of these bytes: Fireworks ids are 1-63 characters of a-z, 0-9 and '-'."""
    return f"ftlint-{snap.sha256[:32]}"


class FireworksBackend(ProviderSDKBackend):
    request_title = "through the fireworks-ai SDK"

    def __init__(self, service):
        super().__init__(service)
        self.account_id = os.environ.get(self.policy.account_variable or "", "").strip()

    def load(self):
        super().load()
        variable = self.policy.account_variable
        if not self.account_id:
            raise SubmitError(f"--submit to {self.provider.title} needs the account id: set {variable} "
                              "(nothing was linted or sent)")
        return self.sdk

    def client(self, console: Console):
        return self.sdk.Fireworks(account_id=self.account_id, **self.client_options(console))

    # -- the request --

    def direct_upload_limit(self) -> int | None:
        """Files above this go through a signed URL (``[submit] direct_upload_max_bytes``)."""
        return self.policy.direct_upload_max_bytes

    def route(self, size: int, part_size: int) -> str:
        limit = self.direct_upload_limit()
        if limit is not None and size > limit:
            return "POST datasets, then PUT to the signed URL of :getUploadEndpoint and :validateUpload"
        return "POST datasets, then POST datasets/{id}:upload"

    def check_sizes(self, slots: list[FileSlot], part_size: int) -> None:
        """The profile's file limits are lint rules."""

    def check_job(self, settings: JobSettings, method: str, has_validation: bool) -> None:
        if method not in _JOB_COLLECTIONS or method not in self.policy.method_names:
            raise SubmitError(f"{self.provider.title} fine-tunes {', '.join(self.policy.method_names)}, not {method}")
        check_method_options(settings, method)
        if method == "dpo" and has_validation:
            raise SubmitError(f"{self.provider.title}'s DPO jobs take no validation dataset")

    def dataset_name(self, dataset_id: str) -> str:
        return f"accounts/{self.account_id or '<FIREWORKS_ACCOUNT_ID>'}/datasets/{dataset_id}"

    def job_request(self, settings: JobSettings, method: str, training_file: str, validation_file: str | None) -> dict:
        """The keyword arguments of the SDK's create call, and the job collection it goes to."""
        default_epochs = self.provider.default_epochs if isinstance(self.provider.default_epochs, int) else None
        training = {
            "base_model": settings.model,
            "epochs": settings.n_epochs if settings.n_epochs is not None else default_epochs,
            "learning_rate": settings.learning_rate,
            "batch_size": settings.batch_size,
        }
        training = {key: value for key, value in training.items() if value is not None}
        # "collection" picks the SDK call (supervised_fine_tuning_jobs or dpo_jobs); it is not sent.
        body: dict = {"collection": _JOB_COLLECTIONS[method], "dataset": self.dataset_name(training_file)}
        if settings.suffix is not None:
            body["display_name"] = settings.suffix
        if method == "dpo":
            body["training_config"] = training
            body["loss_config"] = {"method": "DPO"}
        else:
            body.update(training)
            if validation_file is not None:
                body["evaluation_dataset"] = self.dataset_name(validation_file)
        return body

    # -- the calls --

    def uploader(self, client, console: Console, state: UploadState, part_size: int, poll_interval: float,
                 reupload: bool) -> "FireworksUploader":
        uploader = FireworksUploader(self.sdk, client, console, state, self.service, part_size, poll_interval,
                                     reupload)
        uploader.direct_upload_max_bytes = self.direct_upload_limit()
        return uploader

    def create_job(self, client, body: dict):
        body = dict(body)
        if body.pop("collection") == _JOB_COLLECTIONS["dpo"]:
            return client.dpo_jobs.create(**body)
        return client.supervised_fine_tuning_jobs.create(**body)

    def job_id(self, job) -> str:
        return job.name or "?"

    def job_status(self, job) -> str:
        return _state_text(job.state)

    def follower(self, client, console: Console, poll_interval: float) -> "FireworksFollower":
        return FireworksFollower(self.sdk, client, console, poll_interval)


class FireworksUploader(Uploader):
    """One dataset per file, named after its sha256; uploaded directly or through a signed URL."""

    direct_upload_max_bytes: int | None = None

    def _retrieve_file(self, file_id: str):
        try:
            return self.client.datasets.get(file_id)
        except self.openai.NotFoundError:
            return None

    def _upload(self, snap: Snapshot) -> str:
        datasets = self.client.datasets
        dataset_id = dataset_id_for(snap)
        existing = self._retrieve_file(dataset_id)
        if existing is not None and _state_text(existing.state) == _DATASET_READY:
            self.console.out(f"{snap.role} file: {snap.original} is already dataset {dataset_id} (same sha256); "
                             "not uploading again")
        else:
            self.console.out(f"{snap.role} file: uploading {snap.original} ({human_size(snap.size)}, "
                             f"sha256 {snap.sha256}) as dataset {dataset_id}")
            if existing is None:
                patiently(self.openai, self.console, f"creating dataset {dataset_id}", lambda: datasets.create(
                    dataset_id=dataset_id, dataset={"user_uploaded": {}, "display_name": snap.upload_filename},
                ))
            if self.direct_upload_max_bytes is None or snap.size <= self.direct_upload_max_bytes:
                def send():
                    with open(snap.path, "rb") as handle:
                        return datasets.upload(dataset_id, file=(snap.upload_filename, handle, "application/jsonl"))

                patiently(self.openai, self.console, f"uploading {snap.upload_filename}", send)
            else:
                self._upload_to_signed_url(dataset_id, snap)
        self.state.record(self.base_url, snap.sha256, file_id=dataset_id, size=snap.size,
                          filename=snap.upload_filename)
        self.state.save()
        self.console.out(f"{snap.role} file: uploaded as dataset {dataset_id}")
        return dataset_id

    def _upload_to_signed_url(self, dataset_id: str, snap: Snapshot) -> None:
        endpoint = self.client.datasets.get_upload_endpoint(
            dataset_id, filename_to_size={snap.upload_filename: str(snap.size)}
        )
        url = (endpoint.filename_to_signed_urls or {}).get(snap.upload_filename)
        if not url:
            raise SubmitError(f"the service gave no upload URL for {snap.upload_filename} (dataset {dataset_id})")
        # The signed URL carries its own authorization: the API key is not sent to the storage host.
        # The SDK's own HTTP client type (it carries no credentials; see sdk_timeout).
        timeout = sdk_timeout(self.openai, self.service)
        with open(snap.path, "rb") as handle, self.openai.DefaultHttpxClient(timeout=timeout) as storage:
            response = storage.put(url, content=handle, headers={
                "Content-Type": "application/octet-stream",
                "x-goog-content-length-range": f"{snap.size},{snap.size}",
            })
        if response.status_code >= 300:
            raise SubmitError(f"the storage host refused the upload of {snap.upload_filename} "
                              f"({response.status_code}): {server_text(response.text)}")
        self.client.datasets.validate_upload(dataset_id, body={})

    def _waiting_for(self, dataset_id: str) -> tuple[str, str]:
        return f"dataset {server_text(dataset_id)}", f"dataset {server_text(dataset_id)}"

    def _processing(self, slot: FileSlot, dataset_id: str) -> tuple[str | None, str | None]:
        dataset = self.client.datasets.get(dataset_id)
        state = _state_text(dataset.state)
        status = getattr(dataset, "status", None)
        code = getattr(status, "code", None)
        if state == _DATASET_READY:
            return None, None
        if code not in (None, "OK"):
            return None, (f"the service rejected {slot.label} (dataset {server_text(dataset_id)}, {server_text(code)}): "
                          f"{server_text(getattr(status, 'message', None) or 'no details given')}")
        return state, None


class FireworksFollower(Follower):
    """Follows a Fireworks job by its name (``accounts/A/supervisedFineTuningJobs/ID`` or ``.../dpoJobs/ID``;
    a bare id is looked up as a supervised job, then as a DPO job). Its jobs list no events: the status
    message and the progress are what there is to show."""

    def __init__(self, sdk, client, console: Console, poll_interval: float):
        super().__init__(sdk, client, console, poll_interval)
        self.get = None

    def _getter(self, job_name: str):
        parts = job_name.strip("/").split("/")
        job_id = parts[-1]
        if len(parts) >= 2 and parts[-2] == _JOB_COLLECTIONS["dpo"]:
            return lambda: self.client.dpo_jobs.get(job_id)
        if len(parts) >= 2:
            return lambda: self.client.supervised_fine_tuning_jobs.get(job_id)
        try:
            self.client.supervised_fine_tuning_jobs.get(job_id)
            return lambda: self.client.supervised_fine_tuning_jobs.get(job_id)
        except self.sdk.NotFoundError:
            return lambda: self.client.dpo_jobs.get(job_id)

    def look(self, job_name: str) -> JobView:
        if self.get is None:
            self.get = self._getter(job_name)
        job = patiently(self.sdk, self.console, f"job {server_text(job_name)}", self.get)
        state = _state_text(job.state)
        message = getattr(getattr(job, "status", None), "message", None)
        progress = getattr(job, "job_progress", None)
        percent = getattr(progress, "percent", None)
        epoch = getattr(progress, "epoch", None)
        detail = " ".join(part for part in (f"{percent}%" if isinstance(percent, int) else "",
                                            f"epoch {epoch}" if isinstance(epoch, int) else "") if part)
        view = JobView(server_text(_short_state(state)), server_text(message) if message else "", progress=detail)
        if state in _JOB_SUCCEEDED:
            model = getattr(job, "output_model", None) or getattr(
                getattr(job, "training_config", None), "output_model", None)
            view.model = server_text(model or "not named by the service")
        elif state in _JOB_FAILED:
            view.failure = (f"ftlint: fine-tuning job {server_text(job_name)} {server_text(_short_state(state))}: "
                            f"{server_text(message or 'no error message given')}")
        return view


def _state_text(state) -> str:
    return str(getattr(state, "value", state) or "")


def _short_state(state: str) -> str:
    """JOB_STATE_RUNNING -> running."""
    return state.removeprefix("JOB_STATE_").lower() or "unknown"
