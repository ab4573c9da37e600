"""Fill one account with many locations, assets, parts, meters and work orders, for the benchmarks (docs/benchmarks.md).

    python bench/generate.py --database-url sqlite:////tmp/bench/10k.sqlite3 --work-orders 10000
    python bench/generate.py --database-url postgresql://postgres@127.0.0.1:5432/premises_bench_1m \\
        --work-orders 1000000 --locations 2000 --assets 20000

The account and its users are created through the application's own services (so the admin can
log in); places, assets and work orders are then bulk-inserted: SQLAlchemy Core ``insert()``
executemany batches (one transaction per batch), or ``COPY`` on PostgreSQL. The last line on
stdout is JSON with the account id, the admin's email and password, an OAuth client acting as the
admin (``client_id``, ``client_secret``: /v1's bearer token) and the database URL;
``bench/load.py --credentials FILE`` reads it.
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from sqlalchemy import Connection, Engine, Table, event, insert, select, text, update

from premises.account.service import create_account
from premises.db import migrate
from premises.db.engine import Database, make_engine
from premises.identity.clients import create_personal_client
from premises.identity.passwords import NewPassword
from premises.identity.permissions import Role
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import AccountCounter, Base, Category
from premises.user.commands import UserCreate
from premises.user.operator import operator_of
from premises.user.service import create_user_unchecked

console = Console(stderr=True)
app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)

DAY_MS = 86_400_000
YEAR_MS = 365 * DAY_MS
STATUSES = ("open", "inProgress", "onHold", "complete")
STATUS_WEIGHTS = (25, 10, 5, 60)
PRIORITY_WEIGHTS = (40, 30, 20, 10)

TASKS = (
    "Replace filter on",
    "Inspect",
    "Repair leak at",
    "Lubricate bearings of",
    "Annual service for",
    "Check pressure on",
    "Clean",
    "Replace belt on",
    "Calibrate",
    "Investigate noise from",
    "Test alarm on",
    "Paint",
    "Replace lamp in",
    "Tighten fittings on",
)
THINGS = (
    "Air Handler",
    "Boiler",
    "Chiller",
    "Compressor",
    "Conveyor",
    "Elevator",
    "Exhaust Fan",
    "Fire Pump",
    "Forklift",
    "Generator",
    "Ice Machine",
    "Pump",
    "Rooftop Unit",
    "Walk-in Freezer",
    "Water Heater",
)
WORDS = (
    "the unit trips after a few minutes of running and the tenant reports a burning smell near the panel",
    "vibration is above the usual level; check mounts and alignment before the weekend",
    "follow the standard operating procedure and record readings in the form items",
    "reported by the night shift, access through the loading dock, key at security",
    "parts ordered last week should be on site; confirm with the storeroom first",
    "quarterly preventive task; attach photos of the nameplate and the filter condition",
)
PLACE_KINDS = ("site", "building", "floor", "area")
STREETS = ("Main St", "Harbor Rd", "Industrial Pkwy", "Elm Ave", "Station Sq", "Mill Ln", "Park Blvd")
CITIES = ("Springfield", "Riverton", "Lakeside", "Fairview", "Georgetown", "Clinton")


@dataclass
class Ctx:
    engine: Engine
    url: str
    account_id: str
    admin_id: str
    tech_ids: list[str]
    batch: int
    rng: random.Random
    progress: Progress
    use_copy: bool


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


def _batches(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(size, total - start)


def _counter(conn: Connection, account_id: str, name: str) -> int:
    value = conn.scalar(
        select(AccountCounter.value).where(AccountCounter.account_id == account_id, AccountCounter.name == name)
    )
    return int(value or 0)


def _set_counter(conn: Connection, account_id: str, name: str, value: int) -> None:
    conn.execute(
        update(AccountCounter)
        .where(AccountCounter.account_id == account_id, AccountCounter.name == name)
        .values(value=value)
    )


def _copy_rows(ctx: Ctx, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """PostgreSQL: one COPY per batch, in its own transaction."""
    columns = list(rows[0].keys())
    raw = ctx.engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        with driver.cursor() as cursor:
            quoted = ", ".join(columns)
            with cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        driver.commit()
    finally:
        raw.close()


def _insert(ctx: Ctx, table: Table, label: str, total: int, make: Callable[[int, int], list[dict[str, Any]]]) -> None:
    task = ctx.progress.add_task(label, total=total)
    began = time.monotonic()
    reported = 0
    for start, size in _batches(total, ctx.batch):
        rows = make(start, size)
        if ctx.use_copy:
            _copy_rows(ctx, table, rows)
        else:
            with ctx.engine.begin() as conn:
                conn.execute(insert(table), rows)
        ctx.progress.advance(task, size)
        done = start + size
        if not console.is_terminal and (done - reported >= total / 10 or done == total):
            # Redirected to a file (a background run): Rich draws no live bar there, so log every 10%.
            console.print(f"{label}: {done:,}/{total:,} in {time.monotonic() - began:.0f} s")
            reported = done


def _places(ctx: Ctx, count: int, now: int) -> list[str]:
    with ctx.engine.begin() as conn:
        first_no = _counter(conn, ctx.account_id, "record_no") + 1
    ids = [new_id() for _ in range(count)]
    rng = ctx.rng
    # A shallow hierarchy: the first ~5% are sites; every other place hangs under an earlier one.
    roots = max(1, count // 20)
    parents: list[str | None] = []
    sites: list[str] = []  # each place's site (its stored ``site_id``: a site's own id)
    for i in range(count):
        parent = None if i < roots else rng.randrange(min(i, roots * 4))
        parents.append(None if parent is None else ids[parent])
        sites.append(ids[i] if parent is None else sites[parent])

    def make(start: int, size: int) -> list[dict[str, Any]]:
        rows = []
        for i in range(start, start + size):
            created = now - 3 * YEAR_MS - rng.randrange(30 * DAY_MS)
            rows.append(
                {
                    "account_id": ctx.account_id,
                    "id": ids[i],
                    "record_no": first_no + i,
                    "kind": "site" if i < roots else rng.choice(PLACE_KINDS[1:]),
                    "parent_id": parents[i],
                    "site_id": sites[i],
                    "name": f"{'Site' if i < roots else 'Location'} {i + 1:05d}",
                    "code": f"L{i + 1:05d}",
                    "address": f"{rng.randrange(1, 999)} {rng.choice(STREETS)}, {rng.choice(CITIES)}",
                    "latitude": round(rng.uniform(25, 49), 6),
                    "longitude": round(rng.uniform(-124, -67), 6),
                    "hide_map": False,
                    "description": None,
                    "created_by_user_id": ctx.admin_id,
                    "deleted_at": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        return rows

    _insert(ctx, Base.metadata.tables["places"], "locations", count, make)
    with ctx.engine.begin() as conn:
        _set_counter(conn, ctx.account_id, "record_no", first_no + count - 1)
    return ids


def _assets(
    ctx: Ctx, count: int, place_ids: Sequence[str], categories: Sequence[str], now: int
) -> tuple[list[str], list[str | None]]:
    """Create the assets; return their ids and each one's location."""
    rng = ctx.rng
    ids = [new_id() for _ in range(count)]
    locations: list[str | None] = [
        rng.choice(place_ids) if place_ids and rng.random() < 0.9 else None for _ in range(count)
    ]

    def make(start: int, size: int) -> list[dict[str, Any]]:
        rows = []
        for i in range(start, start + size):
            created = now - 3 * YEAR_MS + rng.randrange(YEAR_MS)
            thing = rng.choice(THINGS)
            rows.append(
                {
                    "account_id": ctx.account_id,
                    "id": ids[i],
                    "name": f"{thing} {i + 1:05d}",
                    "description": f"{thing} serving zone {rng.randrange(1, 40)}",
                    "model": f"M-{rng.randrange(100, 999)}",
                    "serial": secrets.token_hex(6).upper(),
                    "serial_number": f"SN{rng.randrange(10**8):08d}",
                    "additional_information": None,
                    "notes": None,
                    "area": f"Zone {rng.randrange(1, 40)}",
                    "status": "active" if rng.random() < 0.95 else "inactive",
                    "category": rng.choice(categories) if categories else None,
                    "location_id": locations[i],
                    "parent_asset_id": None,
                    "manufacturer_vendor_id": None,
                    "assigned_to_user_id": rng.choice(ctx.tech_ids) if ctx.tech_ids and rng.random() < 0.3 else None,
                    "created_by_user_id": ctx.admin_id,
                    "image_file_id": None,
                    "purchase_receipt_file_id": None,
                    "warranty_file_id": None,
                    "purchase_date": created - rng.randrange(YEAR_MS),
                    "placed_in_service_date": created,
                    "warranty_expiration": created + 2 * YEAR_MS,
                    "purchase_price": round(rng.uniform(500, 50_000), 2),
                    "residual_value": None,
                    "useful_life_quantity": rng.choice((5, 10, 15)),
                    "useful_life_units": "years",
                    "downtime_status": "available",
                    "check_in_procedure": None,
                    "check_out_procedure": None,
                    "availability_status": None,
                    "availability_tracking_on": False,
                    "deleted_at": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        return rows

    _insert(ctx, Base.metadata.tables["assets"], "assets", count, make)
    return ids, locations


def _row(table: str, **values: Any) -> dict[str, Any]:
    """A row of ``table`` with ``values`` and None for every other column (COPY needs them all)."""
    return {column.name: values.get(column.name) for column in Base.metadata.tables[table].columns}


def _parts(ctx: Ctx, count: int, place_ids: Sequence[str], now: int) -> None:
    """Parts in stock (for the parts list's benchmark): names, costs, counts, a location for most."""
    rng = ctx.rng

    def make(start: int, size: int) -> list[dict[str, Any]]:
        rows = []
        for i in range(start, start + size):
            created = now - 2 * YEAR_MS + rng.randrange(YEAR_MS)
            thing = rng.choice(("Filter", "Belt", "Bearing", "Gasket", "Fuse", "Valve", "Seal", "Pump"))
            location = rng.choice(place_ids) if place_ids and rng.random() < 0.8 else None
            rows.append(
                _row(
                    "parts",
                    account_id=ctx.account_id,
                    id=new_id(),
                    name=f"{thing} {i + 1:05d}",
                    description=f"{thing} for zone {rng.randrange(1, 40)}",
                    cost=round(rng.uniform(1, 900), 2),
                    quantity=float(rng.randrange(0, 200)),
                    minimum_quantity=float(rng.choice((0, 5, 10))),
                    area=f"Shelf {rng.randrange(1, 60)}",
                    location_id=location,
                    part_number=f"P-{i + 1:06d}",
                    created_by_user_id=ctx.admin_id,
                    created_at=created,
                    updated_at=created,
                )
            )
        return rows

    _insert(ctx, Base.metadata.tables["parts"], "parts", count, make)


def _meters(ctx: Ctx, count: int, asset_ids: Sequence[str], asset_locations: Sequence[str | None], now: int) -> None:
    """Meters on assets (for the meters list's benchmark)."""
    rng = ctx.rng

    def make(start: int, size: int) -> list[dict[str, Any]]:
        rows = []
        for i in range(start, start + size):
            created = now - YEAR_MS + rng.randrange(YEAR_MS)
            asset = rng.randrange(len(asset_ids)) if asset_ids else None
            name, units = rng.choice((("Run hours", "hours"), ("Odometer", "km"), ("Supply temperature", "°C")))
            rows.append(
                _row(
                    "meters",
                    account_id=ctx.account_id,
                    id=new_id(),
                    name=f"{name} {i + 1:05d}",
                    units=units,
                    frequency=rng.choice((1, 7, 30)),
                    asset_id=asset_ids[asset] if asset is not None else None,
                    location_id=asset_locations[asset] if asset is not None else None,
                    cumulative=units != "°C",
                    created_by_user_id=ctx.admin_id,
                    created_at=created,
                    updated_at=created,
                )
            )
        return rows

    _insert(ctx, Base.metadata.tables["meters"], "meters", count, make)


def _work_orders(
    ctx: Ctx,
    count: int,
    place_ids: Sequence[str],
    asset_ids: Sequence[str],
    asset_locations: Sequence[str | None],
    categories: Sequence[str],
    now: int,
) -> None:
    rng = ctx.rng
    with ctx.engine.begin() as conn:
        first_no = _counter(conn, ctx.account_id, "work_order_no") + 1
    span = 3 * YEAR_MS
    begin = now - span
    users = [ctx.admin_id, *ctx.tech_ids]

    def make(start: int, size: int) -> list[dict[str, Any]]:
        rows = []
        for i in range(start, start + size):
            # Creation times grow with work_order_no (as in a real account), with some jitter.
            created = begin + (span * i) // max(count, 1) + rng.randrange(60_000)
            status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
            asset_index = rng.randrange(len(asset_ids)) if asset_ids and rng.random() < 0.75 else None
            asset_id = asset_ids[asset_index] if asset_index is not None else None
            location_id = asset_locations[asset_index] if asset_index is not None else None
            if location_id is None and place_ids and rng.random() < 0.85:
                location_id = rng.choice(place_ids)
            assignee = rng.choice(ctx.tech_ids) if ctx.tech_ids and rng.random() < 0.6 else None
            first_change = None
            completed_at = None
            completed_by = None
            if status != "open":
                first_change = created + rng.randrange(DAY_MS // 4, 3 * DAY_MS)
            if status == "complete":
                completed_at = first_change + rng.randrange(DAY_MS // 2, 10 * DAY_MS) if first_change else None
                completed_by = assignee or ctx.admin_id
            updated = max(created, completed_at or first_change or created)
            due = created + rng.randrange(1, 30) * DAY_MS if rng.random() < 0.5 else None
            thing = rng.choice(THINGS)
            rows.append(
                {
                    "account_id": ctx.account_id,
                    "id": new_id(),
                    "work_order_no": first_no + i,
                    "title": f"{rng.choice(TASKS)} {thing} {rng.randrange(1, 400)}",
                    "description": rng.choice(WORDS) if rng.random() < 0.7 else None,
                    "status": status,
                    "priority": rng.choices((0, 1, 2, 3), PRIORITY_WEIGHTS)[0],
                    "category": rng.choice(categories) if categories and rng.random() < 0.8 else None,
                    "start_date": created if rng.random() < 0.3 else None,
                    "due_date": due,
                    "end_due_date": None,
                    "date_completed": completed_at,
                    "first_status_change_at": first_change,
                    "location_id": location_id,
                    "asset_id": asset_id,
                    "team_id": None,
                    "assigned_to_user_id": assignee,
                    "assigned_by_user_id": ctx.admin_id if assignee else None,
                    "completed_by_user_id": completed_by,
                    "created_by_user_id": rng.choice(users),
                    "requested_by_user_id": None,
                    "request_id": None,
                    "public_requester_email": None,
                    "custom_status_id": None,
                    "form_template_id": None,
                    "estimated_duration_hours": rng.choice((None, 0.5, 1.0, 2.0, 4.0)),
                    "time_spent": round(rng.uniform(0.25, 8), 2) if status == "complete" else None,
                    "cost": round(rng.uniform(10, 900), 2) if status == "complete" and rng.random() < 0.4 else None,
                    "archived": status == "complete" and rng.random() < 0.05,
                    "requires_signature": False,
                    "decrease_inventory": "auto",
                    "image_file_id": None,
                    "image2_file_id": None,
                    "image3_file_id": None,
                    "image4_file_id": None,
                    "image5_file_id": None,
                    "signature_file_id": None,
                    "additional_user_ids": "[]",
                    "part_ids": "[]",
                    "part_quantities": "[]",
                    "file_ids": "[]",
                    "form_items": "[]",
                    # ~0.5% soft-deleted, so the partial (live) indexes have something to skip.
                    "deleted_at": updated + DAY_MS if rng.random() < 0.005 else None,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        return rows

    _insert(ctx, Base.metadata.tables["work_orders"], "work orders", count, make)
    with ctx.engine.begin() as conn:
        _set_counter(conn, ctx.account_id, "work_order_no", first_no + count - 1)


def _sqlite_tuning(engine: Engine) -> None:
    """A big page cache for the generator's own connection: random ids make the PK index inserts random."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA cache_size=-1000000")  # 1 GB
        cursor.close()


@app.command()
def main(
    database_url: Annotated[
        str, typer.Option(envvar="PREMISES_DATABASE_URL", help="sqlite:////abs/path.sqlite3 or postgresql://...")
    ],
    work_orders: Annotated[int, typer.Option(min=0, max=5_000_000)] = 10_000,
    locations: Annotated[int, typer.Option(min=0)] = 200,
    assets: Annotated[int, typer.Option(min=0)] = 2_000,
    parts: Annotated[int | None, typer.Option(min=0, help="Default: half the assets.")] = None,
    meters: Annotated[int | None, typer.Option(min=0, help="Default: half the assets.")] = None,
    technicians: Annotated[int, typer.Option(min=0, help="TECH users to assign work orders to.")] = 10,
    batch_size: Annotated[int, typer.Option(min=100, max=100_000)] = 5_000,
    copy: Annotated[bool, typer.Option(help="Use COPY on PostgreSQL (else Core executemany).")] = True,
    seed: Annotated[int, typer.Option(help="Random seed for the generated rows.")] = 1,
    account_name: Annotated[str, typer.Option()] = "Benchmark Facilities",
    admin_email: Annotated[str, typer.Option(help="Default: bench-<random>@example.com.")] = "",
    admin_password: Annotated[str, typer.Option(help="Default: random.")] = "",
) -> None:
    """Create one account and fill it; print its credentials as JSON (last line of stdout)."""
    started = time.monotonic()
    tag = secrets.token_hex(4)
    email = admin_email or f"bench-{tag}@example.com"
    password = admin_password or secrets.token_urlsafe(12)
    console.print(f"migrating {database_url}")
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    is_pg = _is_postgres(database_url)
    if not is_pg:
        _sqlite_tuning(engine)
    db = Database(engine)
    with db.unit_of_work() as session:
        admin_password = NewPassword.make(password, email=email)
        created = create_account(session, name=account_name, admin_email=email, admin_password=admin_password)
        tech_ids = [
            create_user_unchecked(
                session,
                created.account_id,
                UserCreate(
                    email=f"tech{n + 1}-{tag}@example.com",
                    account_type=Role.TECH,
                    first_name="Tech",
                    last_name=f"{n + 1:02d}",
                ),
                NewPassword.make(password, email=f"tech{n + 1}-{tag}@example.com"),
            ).id
            for n in range(technicians)
        ]
        # An OAuth client acting as the admin (every site, as the session of the /api/v2 runs): /v1's token.
        client = create_personal_client(
            session, operator_of(created.account_id), name="Benchmark", user_id=created.user_id
        )
    with engine.begin() as conn:

        def names(kind: str) -> list[str]:
            return list(
                conn.scalars(
                    select(Category.name)
                    .where(Category.account_id == created.account_id, Category.kind == kind)
                    .order_by(Category.position)
                )
            )

        wo_categories, asset_categories = names("work_order"), names("asset")
    now = now_ms()
    progress = Progress(
        TextColumn("{task.description:>12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )
    ctx = Ctx(
        engine=engine,
        url=database_url,
        account_id=created.account_id,
        admin_id=created.user_id,
        tech_ids=tech_ids,
        batch=batch_size,
        rng=random.Random(seed),
        progress=progress,
        use_copy=is_pg and copy,
    )
    with progress:
        place_ids = _places(ctx, locations, now)
        asset_ids, asset_locations = _assets(ctx, assets, place_ids, asset_categories, now)
        _parts(ctx, assets // 2 if parts is None else parts, place_ids, now)
        _meters(ctx, assets // 2 if meters is None else meters, asset_ids, asset_locations, now)
        _work_orders(ctx, work_orders, place_ids, asset_ids, asset_locations, wo_categories, now)
    if is_pg:
        console.print("ANALYZE")
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    engine.dispose()
    if not is_pg:
        # Fold the write-ahead log into the database file, so the server starts from a clean file.
        sqlite = sqlite3.connect(database_url[len("sqlite:///") :])
        sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        sqlite.close()
    result = {
        "account_id": created.account_id,
        "admin_email": email,
        "admin_password": password,
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "database_url": database_url,
        "locations": locations,
        "assets": assets,
        "work_orders": work_orders,
        "seconds": round(time.monotonic() - started, 1),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    app()
