"""Background work: the queue, the step lifecycle, the worker and Replicate's webhooks.

The API other parts use: `enqueue` a step, `start_consumer` to run steps, `reconcile` to
re-drive unfinished work, `worker_id` of this process, `reset_queues` when settings change.
"""

from core.jobs.lifecycle import reconcile, worker_id
from core.jobs.queue import enqueue, get_queue, reset_queues
from core.jobs.worker import EmbeddedConsumer, provider_for, start_consumer

__all__ = [
    "EmbeddedConsumer", "enqueue", "get_queue", "provider_for", "reconcile", "reset_queues",
    "start_consumer", "worker_id",
]  # fmt: skip
