"""One handler per CLI command: call a service, return something JSON-serialisable."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlmodel import Session

from core import catalog
from core.accounts import users
from core.campaigns import campaigns, clients
from core.cli.records import campaign_record, client_record, generation_record, user_record
from core.cli.share_commands import COMMANDS as SHARE_COMMANDS
from core.cli.storyboard_commands import COMMANDS as STORYBOARD_COMMANDS
from core.cli.waiting import run_worker, wait_for
from core.errors import PermissionDenied, ValidationError
from core.generation import gallery
from core.generation import service as gen
from core.models import Generation, User


def resolve_actor(session: Session, args: argparse.Namespace) -> User | None:
    """`--as USERNAME`, else the first admin; none at all only while bootstrapping."""
    if getattr(args, "as_user", None):
        user = users.get_by_username(session=session, username=args.as_user)
        if user is None or not user.active:
            raise PermissionDenied(f"No active user named '{args.as_user}'.")
        return user
    admin = users.first_admin(session=session)
    bootstrapping = (args.command == "user" and args.action == "add") or args.command == "migrate"
    if admin is None and not bootstrapping:
        raise PermissionDenied(
            "No users yet: create an admin first with "
            "`python -m core user add NAME --role admin --password PASSWORD`."
        )
    return admin


def parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValidationError({"param": f"param: '{pair}' is not KEY=VALUE"})
        params[key.strip()] = value.strip()
    return params


def client_add(session, actor, args):
    row = clients.create_client(
        session=session, actor=actor, name=args.name, guidelines=args.guidelines,
        palette=args.palette, negative_prompt=args.negative, sound_direction=args.sound,
        budget_usd=args.budget,
    )  # fmt: skip
    return client_record(row)


def client_list(session, actor, args):
    return [client_record(c) for c in clients.list_clients(session=session, actor=actor)]


def campaign_add(session, actor, args):
    client = clients.find_client(session=session, name=args.client)
    row = campaigns.create_campaign(
        session=session, actor=actor, client_id=client.id, name=args.name,
        objective=args.objective, guidelines=args.guidelines, budget_usd=args.budget,
    )  # fmt: skip
    return campaign_record(row, client.name)


def campaign_list(session, actor, args):
    client_id = clients.find_client(session=session, name=args.client).id if args.client else None
    found = campaigns.list_campaigns(session=session, actor=actor, client_id=client_id)
    return [
        {**campaign_record(s.campaign, s.client_name), "items": s.items, "spent_usd": s.spent_usd}
        for s in found
    ]


def _password(given: str | None) -> str:
    """From --password, else asked for twice on a terminal, else the first line of stdin."""
    if given is not None:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        raise ValidationError({"password": "password: the two entries differ"})
    return password


def user_add(session, actor, args):
    row = users.create_user(
        session=session, actor=actor, username=args.username, role=args.role,
        password=_password(args.password),
    )  # fmt: skip
    return user_record(row)


def user_list(session, actor, args):
    return [user_record(u) for u in users.list_users(session=session, actor=actor)]


def _models_by_kind(model_ids: list[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for model_id in model_ids:
        chosen[catalog.get_model(model_id).kind] = model_id
    return chosen


def _campaign_id(session, args) -> str | None:
    """The id of the campaign `--campaign` (and `--client`) name, if given."""
    if not args.campaign:
        return None
    return campaigns.find_campaign(session=session, name=args.campaign, client_name=args.client).id


def _warn(message: str) -> None:
    print(message, file=sys.stderr)  # e.g. 80 % of the budget: stdout stays JSON


def generate(session, actor, args):
    campaign = campaigns.find_campaign(session=session, name=args.campaign, client_name=args.client)
    params = parse_params(args.param)
    if args.kind == "chain":
        rows = gen.submit_chain(
            session=session, actor=actor, campaign_id=campaign.id, prompt=args.prompt,
            models=_models_by_kind(args.model), params=params, source_id=args.source,
            apply_brand=not args.no_brand, submission_key=args.idempotency_key,
            music_prompt=args.music_prompt,
        )  # fmt: skip
    else:
        if len(args.model) > 1:
            raise ValidationError({"model": "model: give one --model for a single item"})
        req = gen.Request(
            args.kind, args.prompt, args.model[0] if args.model else None, params, args.source,
            args.frame, not args.no_brand,
        )  # fmt: skip
        rows = [gen.submit(session=session, actor=actor, campaign_id=campaign.id, req=req,
                           submission_key=args.idempotency_key, on_warning=_warn)]  # fmt: skip
    ids = [r.id for r in rows]
    if args.wait:
        wait_for(ids, timeout_s=args.timeout)
        session.expire_all()
    records = [generation_record(session.get(Generation, i)) for i in ids]
    return records if args.kind == "chain" else records[0]


def jobs(session, actor, args):
    campaign_id = _campaign_id(session, args)
    filters = gallery.GalleryFilter(status=args.status, campaign_id=campaign_id)
    page = gallery.search(session=session, actor=actor, filters=filters, per_page=args.limit)
    return [generation_record(r) for r in page.items]


def show(session, actor, args):
    row = gen.get_generation(session=session, actor=actor, generation_id=args.id)
    record = generation_record(row)
    kids = gallery.children(session=session, actor=actor, generation_id=row.id)
    record["children"] = [k.id for k in kids]
    return record


def cancel(session, actor, args):
    return generation_record(gen.cancel(session=session, actor=actor, generation_id=args.id))


def retry(session, actor, args):
    return generation_record(gen.retry(session=session, actor=actor, generation_id=args.id))


def delete(session, actor, args):
    gen.delete(session=session, actor=actor, generation_id=args.id)
    return {"deleted": args.id}


def migrate(session, actor, args):
    """The session's engine migrated on first use: say where the schema stands."""
    from sqlalchemy import text

    revision = session.connection().execute(text("SELECT version_num FROM alembic_version"))
    return {"revision": revision.scalar_one()}


def worker(session, actor, args):
    session.close()
    run_worker(args.workers)


def webhooks(session, actor, args):
    from core.jobs.webhook_server import serve

    session.close()
    serve(args.host, args.port)


def costs(session, actor, args):
    from dataclasses import asdict

    from core.costs import report as cost_service

    campaign_id = _campaign_id(session, args)
    rows = cost_service.report(session=session, actor=actor, by=args.by,
                               campaign_id=campaign_id, since=args.since)  # fmt: skip
    return {
        "by": args.by,
        "rows": [asdict(r) for r in rows],
        "total_estimated_usd": round(sum(r.estimated_usd for r in rows), 6),
        "total_actual_usd": round(sum(r.actual_usd for r in rows), 6),
    }


def demo(session, actor, args):
    from core.generation.demo import load_demo

    rows = load_demo(session=session, actor=actor)
    if args.wait:
        wait_for([r.id for r in rows], timeout_s=600)
        session.expire_all()
    return {"generations": [generation_record(session.get(Generation, r.id)) for r in rows]}


COMMANDS = {
    "client add": client_add,
    "client list": client_list,
    "campaign add": campaign_add,
    "campaign list": campaign_list,
    "user add": user_add,
    "user list": user_list,
    "generate": generate,
    "jobs": jobs,
    "show": show,
    "cancel": cancel,
    "retry": retry,
    "delete": delete,
    "migrate": migrate,
    "worker": worker,
    "webhooks": webhooks,
    "demo": demo,
    "costs": costs,
    **STORYBOARD_COMMANDS,
    **SHARE_COMMANDS,
}
