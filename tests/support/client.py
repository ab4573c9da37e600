"""An UpKeep-speaking test client over the real ASGI stack, and account fixtures' helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from premises.account.service import create_account
from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.kit.ids import new_id
from premises.user.commands import UserCreate
from premises.user.service import create_user_unchecked
from tests.support.factories import PASSWORD, new_password


@dataclass
class UpKeep:
    """Calls /api/v2 as one logged-in user."""

    http: TestClient
    token: str
    user_id: str
    account_id: str
    email: str
    headers: dict[str, str] = field(default_factory=dict)

    def _h(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Session-Token": self.token, **self.headers, **(extra or {})}

    def get(self, path: str, params: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.http.get("/api/v2" + path, params=params, headers=self._h(headers))

    def post(self, path: str, json: Any = None, data: Any = None, files: Any = None) -> Any:
        return self.http.post("/api/v2" + path, json=json, data=data, files=files, headers=self._h(None))

    def patch(self, path: str, json: Any = None, data: Any = None) -> Any:
        return self.http.patch("/api/v2" + path, json=json, data=data, headers=self._h(None))

    def put(self, path: str, json: Any = None, data: Any = None) -> Any:
        return self.http.put("/api/v2" + path, json=json, data=data, headers=self._h(None))

    def delete(self, path: str) -> Any:
        return self.http.delete("/api/v2" + path, headers=self._h(None))


def login(http: TestClient, email: str, password: str = PASSWORD) -> str:
    response = http.post("/api/v2/auth", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["result"]["sessionToken"]
    return token


@dataclass
class Tenant:
    """One account with an admin client; ``as_role`` adds users of other roles."""

    http: TestClient
    db: Database
    account_id: str
    admin: UpKeep

    def as_role(self, role: str, *, location_based: bool = False) -> UpKeep:
        email = f"{role.lower()}-{new_id().lower()}@example.test"
        with self.db.unit_of_work() as session:
            user = create_user_unchecked(
                session,
                self.account_id,
                UserCreate(
                    email=email, account_type=Role(role), first_name=role.title(), is_location_based=location_based
                ),
                new_password(email),
            )
            user_id = user.id
        return UpKeep(self.http, login(self.http, email), user_id, self.account_id, email)


def new_tenant(http: TestClient, db: Database, name: str = "Test Property Co") -> Tenant:
    email = f"admin-{new_id().lower()}@example.test"
    with db.unit_of_work() as session:
        created = create_account(session, name=name, admin_email=email, admin_password=new_password(email))
    admin = UpKeep(http, login(http, email), created.user_id, created.account_id, email)
    return Tenant(http, db, created.account_id, admin)
