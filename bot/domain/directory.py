"""The team directory CSV: validate every row first, then upsert by email in one transaction."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.domain.errors import DirectoryFileInvalid, InvalidEmail, InvalidRole
from bot.domain.model import ACTIVE, DELETED, ImportSummary, Role, normalise_email, parse_role
from bot.domain.orm import Account, User

HEADER = ("account", "name", "email", "phone", "role", "primary_contact")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    """One valid row of a directory file."""

    line: int
    account: str
    name: str
    email: str
    phone: str | None
    role: Role
    primary_contact: bool


def parse_directory_csv(text: str) -> list[DirectoryRow]:
    """Every row of the file, or DirectoryFileInvalid listing each bad row's line and reason."""
    # skipinitialspace: hand-edited files often have `, "Smith, Ann"`.
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), skipinitialspace=True)
    problems: list[tuple[int, str]] = []
    header = next(reader, None)
    columns = tuple(c.strip().lower() for c in header or ())
    if columns != HEADER:
        raise DirectoryFileInvalid(
            [(1, f"the header must be {','.join(HEADER)}; got {','.join(columns) or 'nothing'}")]
        )
    rows: list[DirectoryRow] = []
    first_line: dict[str, int] = {}
    primary_of: dict[str, int] = {}
    line = reader.line_num
    for fields in reader:
        start, line = line + 1, reader.line_num
        if not any(f.strip() for f in fields):
            continue
        try:
            row = _parse_row(start, fields)
        except ValueError as exc:
            problems.append((start, str(exc)))
            continue
        if row.email in first_line:
            problems.append((start, f"{row.email} is already on line {first_line[row.email]}"))
            continue
        first_line[row.email] = start
        account_key = row.account.lower()
        if row.primary_contact:
            if account_key in primary_of:
                problems.append(
                    (
                        start,
                        f"{row.account} already has a primary contact on line "
                        f"{primary_of[account_key]}; an account has one",
                    )
                )
                continue
            primary_of[account_key] = start
        rows.append(row)
    if problems:
        raise DirectoryFileInvalid(problems)
    return rows


def _parse_row(line: int, fields: list[str]) -> DirectoryRow:
    if len(fields) != len(HEADER):
        raise ValueError(f"expected {len(HEADER)} columns, got {len(fields)}")
    account, name, email, phone, role_text, primary_text = (f.strip() for f in fields)
    if not account:
        raise ValueError("the account is empty")
    if not name:
        raise ValueError("the name is empty")
    for column, value, longest in (("account", account, 200), ("name", name, 200)):
        if len(value) > longest:
            raise ValueError(f"the {column} is longer than {longest} characters")
    try:
        email = normalise_email(email)
    except InvalidEmail:
        raise ValueError(f"{email!r} is not an email address") from None
    if phone and (
        not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6 or len(phone) > 40
    ):
        raise ValueError(f"{phone!r} is not a phone number")
    try:
        role = parse_role(role_text)
    except InvalidRole as exc:
        raise ValueError(exc.user_message) from None
    primary = primary_text.lower()
    if primary not in _YES | _NO:
        raise ValueError(f"primary_contact must be yes or no, got {primary_text!r}")
    is_primary = primary in _YES
    if is_primary and role is Role.INSTALL_TECHNICIAN:
        raise ValueError("an Install Technician can't be the primary contact")
    return DirectoryRow(line, account, name, email, phone or None, role, is_primary)


def import_rows(session: Session, rows: list[DirectoryRow], now: datetime) -> ImportSummary:
    """Upsert the rows by email in the caller's transaction (deleted users come back)."""
    accounts: dict[str, Account] = {}
    accounts_created = 0
    for name in {row.account for row in rows}:
        account = session.scalars(
            select(Account).where(func.lower(Account.name) == name.lower()).with_for_update()
        ).one_or_none()
        if account is None:
            account = Account(name=name, created_at=now)
            session.add(account)
            accounts_created += 1
        accounts[name.lower()] = account
    session.flush()
    # An account whose primary contact the file names loses its current one first, because
    # the database allows one primary contact per account at any moment.
    for row in rows:
        if row.primary_contact:
            session.execute(
                update(User)
                .where(User.account_id == accounts[row.account.lower()].id)
                .values(is_primary_contact=False, updated_at=now)
            )
    existing = {
        user.email: user
        for user in session.scalars(select(User).where(User.email.in_([r.email for r in rows])))
    }
    created = updated = reactivated = 0
    # Primary contacts last, in a flush of their own: a flag is only set after every flag it
    # replaces has been cleared.
    for batch in (
        [r for r in rows if not r.primary_contact],
        [r for r in rows if r.primary_contact],
    ):
        for row in batch:
            user = existing.get(row.email)
            if user is None:
                user = User(email=row.email, status=ACTIVE, created_at=now)
                session.add(user)
                created += 1
            elif user.status == DELETED:
                reactivated += 1
            else:
                updated += 1
            user.account_id = accounts[row.account.lower()].id
            user.name = row.name
            user.phone = row.phone
            user.role = row.role.value
            user.is_primary_contact = row.primary_contact
            user.status = ACTIVE
            user.deleted_at = None
            user.updated_at = now
        session.flush()
    return ImportSummary(
        rows=len(rows),
        created=created,
        updated=updated,
        reactivated=reactivated,
        accounts_created=accounts_created,
    )
