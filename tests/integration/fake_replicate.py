"""A fake Replicate API of our own, over real HTTP, for the real `replicate` client to talk to.

It behaves like the parts of Replicate we use (../shared/replicate/README.md): model endpoint for
official models (404 for community ones), version endpoint, GET and cancel, file uploads, the
webhook signing secret, Bearer auth, RFC 7807 problem errors, each model's input schema (422),
predictions that stay `processing` for a while, signed webhooks, and output files served from its
own host. Tests script it through `.script` and `.inject(...)`.

Run alone (the benchmark does, in its own process): `python -m tests.integration.fake_replicate
--latency 2` prints `READY <base url>` and serves until killed.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.jobs.webhooks import sign
from tests.integration import fake_media
from tests.integration.fake_schemas import BY_VERSION, SCHEMAS, Schema, file_digests, validate
from tests.utils.processes import ServerThread

TOKEN = "r8_FakeTokenForTests0123456789"
SECRET = "whsec_" + base64.b64encode(b"fake-replicate-signing-key-0001").decode()
BODY_FIELDS = {"input", "version", "webhook", "webhook_completed", "webhook_events_filter",
               "stream"}  # fmt: skip
EVENTS = {"start", "output", "logs", "completed"}
FINAL = ("succeeded", "failed", "canceled")
LOG_STEPS = 20  # a model's progress bar in its logs, as tqdm prints it
NOT_FOUND = "The requested resource could not be found."


@dataclass
class Script:
    latency_s: float = 0.0  # how long a prediction stays processing
    polls_before_success: int = 1  # GETs answered `processing` before it may end
    polls_by_model: dict[str, int] = field(default_factory=dict)  # the same, for one model
    fail_with: str | None = None  # end `failed` with this error text
    predict_time_s: float = 1.25
    output_url: str | None = None  # replace the output URL (e.g. a host that is not Replicate's)
    output_content_type: str | None = None
    output_bytes: bytes | None = None
    output_removed: bool = False  # succeeded, but its output already deleted (`data_removed`)
    logs: str | None = None  # replace the logs a prediction writes as it runs


@dataclass
class Injection:
    route: str  # create | get | list | cancel | files | download | secret
    status: int | None = None
    headers: dict = field(default_factory=dict)
    detail: str = "Injected failure."
    hang_s: float = 0.0  # answer late (after the side effect)
    times: int = 1
    model: str | None = None  # create only: fail this model's creates, let others through


@dataclass
class Pred:
    id: str
    schema: Schema
    input: dict
    base: str
    created: float = field(default_factory=time.monotonic)
    created_wall: float = field(default_factory=time.time)
    created_at: str = ""
    status: str = "starting"
    webhook: str | None = None
    events: list | None = None
    polls: int = 0
    polls_needed: int = 1
    output: Any = None
    error: str | None = None
    predict_time: float | None = None
    completed_at: str | None = None
    digests: dict = field(default_factory=dict)
    data_removed: bool = False

    def __post_init__(self):
        self.created_at = self.created_at or _iso(datetime.fromtimestamp(self.created_wall, UTC))


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def problem(status: int, detail: str, title: str = "", headers: dict | None = None) -> Response:
    body = {"title": title or detail, "detail": detail, "status": status}
    return JSONResponse(body, status, headers=headers, media_type="application/problem+json")


class FakeReplicate:
    def __init__(self, token: str = TOKEN, secret: str = SECRET):
        self.token, self.secret = token, secret
        self.script = Script()
        self.predictions: dict[str, Pred] = {}
        self.creates: list[tuple[str, dict]] = []  # accepted creates: (path, body)
        self.calls: list[tuple[str, str, int]] = []  # (method, path, status)
        self.uploads: dict[str, str] = {}  # file id -> sha256
        self.deliveries: list[tuple[str, int]] = []  # (prediction id, receiver's status)
        self.download_auth: list[str | None] = []  # Authorization header of each download
        self._injections: list[Injection] = []
        self._outage: tuple[float, int] | None = None  # (monotonic end, status) of every route
        self.page_size = 100
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        # One client for every delivery, as a real sender keeps: a new client per POST builds
        # an SSL context (~40 ms of CPU), which made deliveries late under load.
        self._sender = httpx.Client(timeout=10)
        self.app = Starlette(routes=[
            Route("/v1/models/{owner}/{name}/predictions", self.create_by_model, methods=["POST"]),
            Route("/v1/predictions", self.create_by_version, methods=["POST"]),
            Route("/v1/predictions", self.list_predictions, methods=["GET"]),
            Route("/v1/predictions/{id}", self.get, methods=["GET"]),
            Route("/v1/predictions/{id}/cancel", self.cancel, methods=["POST"]),
            Route("/v1/files", self.upload, methods=["POST"]),
            Route("/v1/webhooks/default/secret", self.webhook_secret, methods=["GET"]),
            Route("/files/{id}/{name}", self.download, methods=["GET"]),
            Route("/_stats", self.stats, methods=["GET"]),
            Route("/_sample.jpg", self.sample, methods=["GET"]),
        ])  # fmt: skip

    # -- scripting -------------------------------------------------------------------------
    def inject(self, route: str, **kwargs) -> None:
        with self._lock:
            self._injections.append(Injection(route, **kwargs))

    def outage(self, seconds: float, status: int = 503) -> None:
        """Every route, outputs included, answers `status` for the next `seconds`."""
        with self._lock:
            self._outage = (time.monotonic() + seconds, status)

    def count(self, method: str, path_prefix: str) -> int:
        return sum(1 for m, p, _ in self.calls if m == method and p.startswith(path_prefix))

    @property
    def create_calls(self) -> int:
        """Create requests received, accepted or not."""
        return sum(1 for m, p, _ in self.calls if m == "POST" and p.endswith("/predictions"))

    def _take(self, route: str, model: str | None = None) -> Injection | None:
        with self._lock:
            for inj in self._injections:
                if inj.route == route and inj.model in (None, model):
                    inj.times -= 1
                    if inj.times <= 0:
                        self._injections.remove(inj)
                    return inj
        return None

    # -- request plumbing ------------------------------------------------------------------
    def _record(self, request: Request, response: Response) -> Response:
        with self._lock:
            self.calls.append((request.method, request.url.path, response.status_code))
        return response

    def _gate(
        self, request: Request, route: str, model: str | None = None
    ) -> tuple[Response | None, Injection | None]:
        """Auth, then any outage or injected error. Returns (refusal, injection to apply later)."""
        if self._outage and time.monotonic() < self._outage[0]:
            return problem(self._outage[1], "Service unavailable (outage)."), None
        if route != "download" and request.headers.get("authorization") != f"Bearer {self.token}":
            detail = "You did not pass a valid authentication token"
            return problem(401, detail, "Unauthenticated"), None
        inj = self._take(route, model)
        if inj and inj.status:
            return problem(inj.status, inj.detail, headers=inj.headers), None
        return None, inj

    async def _answer(self, request: Request, response: Response, inj: Injection | None):
        if inj and inj.hang_s:
            await asyncio.sleep(inj.hang_s)  # the effect happened; the answer comes too late
        return self._record(request, response)

    # -- predictions -----------------------------------------------------------------------
    async def create_by_model(self, request: Request) -> Response:
        model = f"{request.path_params['owner']}/{request.path_params['name']}"
        schema = SCHEMAS.get(model)
        if schema is None or schema.version:  # community models: by version only
            return self._record(request, problem(404, NOT_FOUND))
        return await self._create(request, schema)

    async def create_by_version(self, request: Request) -> Response:
        body = await request.json()
        ref = str(body.get("version", ""))
        schema = BY_VERSION.get(ref.rpartition(":")[2]) or SCHEMAS.get(ref.partition(":")[0])
        if schema is None:
            detail = "Invalid version or not permitted"
            return self._record(request, problem(422, detail, "Invalid version"))
        return await self._create(request, schema)

    def _body_errors(self, schema: Schema, body: dict) -> list[str]:
        errors = [f"- {k}: Additional property {k} is not allowed" for k in set(body) - BODY_FIELDS]
        events = body.get("webhook_events_filter")
        if events is not None and not (isinstance(events, list) and set(events) <= EVENTS):
            errors.append(f"- webhook_events_filter: must be a list of {', '.join(EVENTS)}")
        return errors + validate(schema, body.get("input"))

    async def _create(self, request: Request, schema: Schema) -> Response:
        refusal, inj = self._gate(request, "create", schema.model)
        if refusal:
            return self._record(request, refusal)
        body = await request.json()
        errors = self._body_errors(schema, body)
        if errors:
            detail = "\n".join(errors) + "\n"
            return self._record(request, problem(422, detail, "Input validation failed"))
        pred = self._new(schema, body, str(request.base_url).rstrip("/"))
        return await self._answer(request, JSONResponse(self.as_json(pred), 201), inj)

    def _new(self, schema: Schema, body: dict, base: str) -> Pred:
        with self._lock:
            pred = Pred(
                id=f"fake{next(self._ids):06d}{uuid.uuid4().hex[:8]}", schema=schema,
                input=body["input"], base=base, webhook=body.get("webhook"),
                events=body.get("webhook_events_filter"), digests=file_digests(body["input"]),
                polls_needed=0 if body.get("webhook") else self.script.polls_by_model.get(
                    schema.model, self.script.polls_before_success),
            )  # fmt: skip
            self.predictions[pred.id] = pred
            self.creates.append((schema.model, body))
        if pred.webhook:
            threading.Timer(self.script.latency_s, self._deliver_completed, [pred.id]).start()
        return pred

    def _lookup(self, request: Request, route: str) -> tuple[Pred | None, Injection | None, Any]:
        """(prediction, injection, refusal): the gate's refusal, else 404 for an unknown id."""
        refusal, inj = self._gate(request, route)
        pred = self.predictions.get(request.path_params["id"])
        if refusal is None and pred is None:
            refusal = problem(404, NOT_FOUND)
        return pred, inj, refusal

    async def get(self, request: Request) -> Response:
        pred, inj, refusal = self._lookup(request, "get")
        if refusal:
            return self._record(request, refusal)
        with self._lock:
            pred.polls += 1
            self._progress(pred)
        return await self._answer(request, JSONResponse(self.as_json(pred)), inj)

    async def list_predictions(self, request: Request) -> Response:
        """The account's predictions, newest first, a page at a time (`?cursor=<offset>`)."""
        refusal, inj = self._gate(request, "list")
        if refusal:
            return self._record(request, refusal)
        offset = int(request.query_params.get("cursor", "0"))
        with self._lock:
            newest = sorted(self.predictions.values(), key=lambda p: p.created_wall, reverse=True)
            page = [self.as_json(p) for p in newest[offset : offset + self.page_size]]
        more = offset + self.page_size < len(newest)
        base = str(request.base_url).rstrip("/")
        following = f"{base}/v1/predictions?cursor={offset + self.page_size}" if more else None
        body = {"previous": None, "next": following, "results": page}
        return await self._answer(request, JSONResponse(body), inj)

    async def cancel(self, request: Request) -> Response:
        pred, inj, refusal = self._lookup(request, "cancel")
        if refusal:
            return self._record(request, refusal)
        with self._lock:
            if pred.status not in FINAL:
                pred.status, pred.completed_at = "canceled", _iso(datetime.now(UTC))
        return await self._answer(request, JSONResponse(self.as_json(pred)), inj)

    def _progress(self, pred: Pred) -> None:
        if pred.status in FINAL:
            return
        ready = time.monotonic() - pred.created >= self.script.latency_s
        if not (ready and pred.polls >= pred.polls_needed):
            pred.status = "processing"
            return
        # When it ended, as Replicate reports it: after its latency, not when a poll noticed.
        ended = min(time.time(), pred.created_wall + self.script.latency_s)
        pred.completed_at = _iso(datetime.fromtimestamp(ended, UTC))
        if self.script.fail_with:
            pred.status, pred.error = "failed", self.script.fail_with
        else:
            pred.status, pred.output = "succeeded", self._output(pred)
            pred.predict_time = self.script.predict_time_s
            if self.script.output_removed:
                pred.output, pred.data_removed = None, True

    def _output(self, pred: Pred) -> Any:
        if self.script.output_url:
            return self.script.output_url
        files = f"{pred.base}/files/{pred.id}"
        kind, fmt = pred.schema.kind, pred.input.get("output_format")
        if kind == "riffusion":
            return {"audio": f"{files}/audio.wav", "spectrogram": f"{files}/spectrogram.jpg"}
        if kind == "voice":  # minimax names its format `audio_format`; kokoro makes WAV
            fmt = pred.input.get("audio_format", pred.schema.defaults.get("audio_format"))
        ext = {"image": fmt or "jpg", "video": "mp4", "audio": fmt or "wav",
               "voice": fmt or "wav"}[kind]  # fmt: skip
        return f"{files}/output.{ext}"

    def as_json(self, pred: Pred) -> dict:
        urls = {"get": f"{pred.base}/v1/predictions/{pred.id}",
                "cancel": f"{pred.base}/v1/predictions/{pred.id}/cancel"}  # fmt: skip
        metrics = {"predict_time": pred.predict_time} if pred.predict_time is not None else {}
        return {
            "id": pred.id, "model": pred.schema.model, "version": pred.schema.version or "hidden",
            "input": pred.input, "status": pred.status, "output": pred.output,
            "error": pred.error, "logs": self._logs(pred), "metrics": metrics, "source": "api",
            "created_at": pred.created_at, "started_at": pred.created_at,
            "completed_at": pred.completed_at, "urls": urls, "data_removed": pred.data_removed,
        }  # fmt: skip

    def _logs(self, pred: Pred) -> str:
        """What a model prints as it runs: its seed, then a tqdm bar that fills with the time
        it has had (full once it succeeded), then how it ended. Removed with its data."""
        if pred.status == "starting" or pred.data_removed:
            return ""
        if self.script.logs is not None:
            return self.script.logs
        latency = self.script.latency_s
        part = 1.0 if not latency else min((time.monotonic() - pred.created) / latency, 1.0)
        done = min(int(LOG_STEPS * part), LOG_STEPS - 1)
        if pred.status == "succeeded":
            done = LOG_STEPS
        bar = ("█" * (done * 10 // LOG_STEPS)).ljust(10)
        lines = [f"Using seed: {pred.input.get('seed', 42)}",
                 f"{done * 100 // LOG_STEPS:3d}%|{bar}| {done}/{LOG_STEPS}"]  # fmt: skip
        if pred.status == "failed":
            lines += ["Traceback (most recent call last):", f"RuntimeError: {pred.error}"]
        elif pred.status == "canceled":
            lines.append("Prediction canceled.")
        return "\n".join(lines) + "\n"

    # -- files, secret, outputs ------------------------------------------------------------
    async def upload(self, request: Request) -> Response:
        refusal, inj = self._gate(request, "files")
        if refusal:
            return self._record(request, refusal)
        form = await request.form()
        content = form["content"]
        data = await content.read()
        file_id = uuid.uuid4().hex
        self.uploads[file_id] = hashlib.sha256(data).hexdigest()
        base = str(request.base_url).rstrip("/")
        reply = {
            "id": file_id, "name": content.filename, "content_type": content.content_type,
            "size": len(data), "etag": file_id, "checksums": {"sha256": self.uploads[file_id]},
            "metadata": {}, "created_at": _iso(datetime.now(UTC)), "expires_at": None,
            "urls": {"get": f"{base}/v1/files/{file_id}/download"},
        }  # fmt: skip
        return await self._answer(request, JSONResponse(reply, 201), inj)

    async def webhook_secret(self, request: Request) -> Response:
        refusal, inj = self._gate(request, "secret")
        if refusal:
            return self._record(request, refusal)
        return await self._answer(request, JSONResponse({"key": self.secret}), inj)

    async def download(self, request: Request) -> Response:
        self.download_auth.append(request.headers.get("authorization"))
        pred, inj, refusal = self._lookup(request, "download")
        if refusal:
            return self._record(request, refusal)
        name = request.path_params["name"]
        data = self.script.output_bytes or await run_in_threadpool(self._file_bytes, pred, name)
        ext = name.rpartition(".")[2]
        media_type = self.script.output_content_type or fake_media.CONTENT_TYPES[ext]
        return await self._answer(request, Response(data, media_type=media_type), inj)

    def _file_bytes(self, pred: Pred, name: str) -> bytes:
        ext = name.rpartition(".")[2]
        duration = float(pred.input.get("duration") or (5 if pred.schema.kind != "audio" else 8))
        if ext in ("jpg", "png"):
            picture = fake_media.image(ext, str(pred.input.get("aspect_ratio", "1:1")))
            return fake_media.tagged(picture, ext, pred.id)
        if ext == "mp4":
            return fake_media.video(duration)
        if pred.schema.kind == "voice":  # as long as its text takes to say
            return fake_media.speech(str(pred.input.get("text", "")), ext)
        return fake_media.mp3(duration) if ext == "mp3" else fake_media.wav(duration)

    async def stats(self, request: Request) -> Response:
        """Request counts by route, for a benchmark running the fake in another process."""
        counts = {
            "creates": len(self.creates),
            "polls": self.count("GET", "/v1/predictions/"),
            "downloads": self.count("GET", "/files/"),
            "webhooks": len(self.deliveries),
        }
        return JSONResponse(counts)

    async def sample(self, request: Request) -> Response:
        """A typical image output (nano-banana's 1:1 size), for the benchmark's own timing."""
        return Response(fake_media.image("jpg", "1:1"), media_type="image/jpeg")

    # -- webhooks --------------------------------------------------------------------------
    def _deliver_completed(self, prediction_id: str) -> None:
        pred = self.predictions[prediction_id]
        with self._lock:
            self._progress(pred)
        if pred.status in FINAL and (pred.events is None or "completed" in pred.events):
            self.deliver(prediction_id, pred.webhook)

    def deliver(
        self, prediction_id: str, url: str, *, timestamp: int | None = None,
        webhook_id: str | None = None, signature: str | None = None, changes: dict | None = None,
    ) -> httpx.Response:  # fmt: skip
        """POST a delivery to `url`, signed with this account's secret unless told otherwise;
        `changes` replace fields of the prediction as delivered."""
        prediction = {**self.as_json(self.predictions[prediction_id]), **(changes or {})}
        body = json.dumps(prediction).encode()
        webhook_id = webhook_id or f"msg_{uuid.uuid4().hex}"
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = signature or sign(self.secret, webhook_id, timestamp, body)
        headers = {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp),
                   "webhook-signature": signature, "content-type": "application/json"}  # fmt: skip
        response = self._sender.post(url, content=body, headers=headers)
        with self._lock:
            self.deliveries.append((prediction_id, response.status_code))
        return response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=2.0)
    parser.add_argument("--polls", type=int, default=0, help="GETs answered processing first")
    args = parser.parse_args()
    fake = FakeReplicate()
    fake.script.latency_s, fake.script.polls_before_success = args.latency, args.polls
    server = ServerThread(fake.app).start()
    print(f"READY {server.url}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
