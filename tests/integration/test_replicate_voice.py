"""The voice models end to end over HTTP with the real `replicate` client and the fake Replicate:
MiniMax by its model endpoint, Kokoro by version through the worker; the request each sends
(checked against the model's schema by the fake), the speech that comes back, and its cost."""

from dataclasses import replace

import pytest

from core import catalog
from core.media import store
from core.media.outputs import describe_and_store
from core.media.speech import line_words
from core.providers.base import Finished, JobSpec
from core.providers.replicate import ReplicateProvider
from tests.integration.driving import drive
from tests.utils.factories import add_generation_rows, generation_row

LINE = "Spring is here. Shop the new collection today."


def _follow(job: JobSpec, max_steps: int = 50) -> Finished:
    """Step the provider as the worker would, recording the prediction it creates."""
    provider, ids = ReplicateProvider(), []
    for _ in range(max_steps):
        outcome = provider.step(job, lambda pid: ids.append(pid))
        if isinstance(outcome, Finished):
            return outcome
        job = replace(job, prediction_id=ids[-1] if ids else None)
    raise AssertionError("the prediction never finished")


@pytest.mark.parametrize(("audio_format", "mime"), [("wav", "audio/wav"), ("mp3", "audio/mpeg")])
def test_minimax_speaks_a_line_through_its_model_endpoint_and_bills_its_characters(
    replicate_env, tmp_path, audio_format, mime
):
    fake = replicate_env
    spec = catalog.get_model("minimax/speech-02-turbo")
    params = catalog.validate(spec.id, {"voice_id": "Deep_Voice_Man", "emotion": "happy",
                                        "speed": "1.1", "audio_format": audio_format})  # fmt: skip
    job = JobSpec(generation_id="gen_voice", kind="voice", model=spec, params=params,
                  prompt=LINE, negative_prompt="", palette=[], seed=1,
                  workdir=tmp_path)  # fmt: skip
    done = _follow(job)
    assert fake.count("POST", "/v1/models/minimax/speech-02-turbo/predictions") == 1
    ((model, body),) = fake.creates
    assert model == spec.id and "version" not in body
    assert body["input"] == {"text": LINE, "voice_id": "Deep_Voice_Man", "speed": 1.1,
                             "pitch": 0, "emotion": "happy", "volume": 1.0,
                             "english_normalization": False, "audio_format": audio_format,
                             "sample_rate": 32000}  # fmt: skip
    stored = describe_and_store(done.path, done.ext, "voice", sha256=done.sha256)
    assert stored.file.mime == mime
    assert store.abs_path(stored.thumb_path).is_file()  # its waveform, like music
    words, (start, end) = line_words(store.abs_path(stored.file.path), LINE)
    assert [w.text for w in words] == LINE.split() and end - start > 2.0
    cost = 0.00006 * len(LINE)  # $0.06 per 1,000 characters
    assert catalog.estimate_cost(spec, params, text=LINE) == pytest.approx(cost)
    assert catalog.actual_cost(spec, params, predict_time_s=3.0, text=LINE) == pytest.approx(cost)


def test_kokoro_runs_by_version_through_the_worker_and_bills_gpu_seconds(
    replicate_env, session, people, campaign
):
    fake = replicate_env
    fake.script.predict_time_s = 2.5
    spec = catalog.get_model("jaaari/kokoro-82m")
    params = catalog.validate(spec.id, {"voice": "bm_george", "speed": 1.2})
    estimate = catalog.estimate_cost(spec, params, text=LINE)
    (row,) = add_generation_rows(session, [generation_row(
        campaign, people["creative"], "voice", spec.id, status="queued", prompt=LINE,
        effective_prompt=LINE, params=params, estimated_cost_usd=estimate,
    )])  # fmt: skip
    (done,) = drive(row.id)
    assert done.status == "succeeded", done.error
    assert fake.count("POST", "/v1/predictions") == 1 and fake.count("POST", "/v1/models/") == 0
    ((_, body),) = fake.creates
    assert body["version"] == spec.version
    assert body["input"] == {"text": LINE, "voice": "bm_george", "speed": 1.2}
    assert done.media_mime == "audio/wav" and done.duration_s > 2.0
    assert done.cost_usd == pytest.approx(0.000225 * 2.5, abs=1e-6)
    words_s = len(LINE.split()) / (catalog.WORDS_PER_S * 1.2)
    assert estimate == pytest.approx(0.000225 * (3.0 + 0.1 * words_s), abs=1e-6)


def test_a_voice_the_model_does_not_have_is_refused_before_anything_is_sent(replicate_env):
    with pytest.raises(Exception, match="voice"):
        catalog.validate("jaaari/kokoro-82m", {"voice": "jf_alpha"})
    assert replicate_env.create_calls == 0
