"""The user pool's own rules, on a real SQLite file: seed reloads, attribute changes, codes, refresh."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from local_connect.cognito.users import UserError, UserPool, password_problem, subject_for

SEED = {
    "users": [
        {
            "username": "ana",
            "password": "Ana-demo-1",
            "given_name": "Ana",
            "email": "ana@example.com",
            "phone_number": "+12025550150",
            "phone_number_verified": False,
            "groups": ["customer"],
        }
    ]
}


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "users.json"
    path.write_text(json.dumps(SEED), encoding="utf-8")
    return path


def test_a_verified_phone_survives_a_restart_until_the_seed_entry_changes(tmp_path: Path, seed: Path) -> None:
    pool = UserPool(tmp_path / "pool.sqlite3", seed)
    pool.mark_verified("ana", "phone_number")
    pool.close()
    again = UserPool(tmp_path / "pool.sqlite3", seed)
    user = again.get("ana")
    assert user is not None and user.phone_verified and user.sub == subject_for("ana")
    again.close()

    changed = {"users": [{**SEED["users"][0], "phone_number": "+12025550151"}]}
    seed.write_text(json.dumps(changed), encoding="utf-8")
    third = UserPool(tmp_path / "pool.sqlite3", seed)
    user = third.get("ana")
    assert user is not None and user.attributes["phone_number"] == "+12025550151" and not user.phone_verified


def test_changing_the_phone_number_makes_it_unverified(tmp_path: Path, seed: Path) -> None:
    pool = UserPool(tmp_path / "pool.sqlite3", seed)
    pool.mark_verified("ana", "phone_number")
    same = pool.update_attributes("ana", {"phone_number": "+1 202 555 0150"})
    assert same.phone_verified, "the same number, formatted differently, stays verified"
    other = pool.update_attributes("ana", {"phone_number": "+12025550152"})
    assert not other.phone_verified


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone_number": "555-0100"}, "+12025550100"),
        ({"email": "not-an-email"}, "Invalid email"),
        ({"custom:tier": "gold"}, "cannot be set"),
    ],
)
def test_bad_attributes_are_refused_as_cognito_does(
    tmp_path: Path, seed: Path, changes: dict[str, str], message: str
) -> None:
    pool = UserPool(tmp_path / "pool.sqlite3", seed)
    with pytest.raises(UserError) as refused:
        pool.update_attributes("ana", changes)
    assert refused.value.code == "InvalidParameterException" and message in refused.value.message


def test_the_default_password_policy() -> None:
    assert password_problem("Aa1aaaaa") is None
    assert password_problem("Aa1") is not None
    assert password_problem("aaaaaaa1") is not None
    assert password_problem("Aaaaaaaa") is not None


def test_codes_are_single_use_and_expire(tmp_path: Path, seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = UserPool(tmp_path / "pool.sqlite3", seed)
    code = pool.new_code("ana", "phone_number")
    pool.use_code("ana", "phone_number", code)
    with pytest.raises(UserError) as reused:
        pool.use_code("ana", "phone_number", code)
    assert reused.value.code == "ExpiredCodeException"

    late = pool.new_code("ana", "phone_number")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 16 * 60)
    with pytest.raises(UserError) as expired:
        pool.use_code("ana", "phone_number", late)
    assert expired.value.code == "ExpiredCodeException"


def test_refresh_tokens_are_bound_to_the_client_and_expire(tmp_path: Path, seed: Path) -> None:
    pool = UserPool(tmp_path / "pool.sqlite3", seed)
    token = pool.new_refresh_token("ana", "client-a", "openid", lifetime=60, auth_time=1234)
    user, scope, auth_time = pool.use_refresh_token(token, "client-a")
    assert (user.username, scope, auth_time) == ("ana", "openid", 1234)
    with pytest.raises(UserError):
        pool.use_refresh_token(token, "client-b")
    gone = pool.new_refresh_token("ana", "client-a", "openid", lifetime=-1, auth_time=1234)
    with pytest.raises(UserError):
        pool.use_refresh_token(gone, "client-a")


def test_unknown_user_and_wrong_password_read_the_same(tmp_path: Path, seed: Path) -> None:
    pool = UserPool(tmp_path / "pool.sqlite3", seed)
    with pytest.raises(UserError) as unknown:
        pool.authenticate("nobody", "Ana-demo-1")
    with pytest.raises(UserError) as wrong:
        pool.authenticate("ana", "Ana-demo-2")
    assert unknown.value.message == wrong.value.message == "Incorrect username or password."
