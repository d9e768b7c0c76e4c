"""The team directory CSV: validate every row, then the directory it makes, then upsert by email.

All in the caller's transaction: a file whose rows are bad, or whose result would break the
rules the chat enforces (a Site Manager per account, one Primary Contact, never an Install
Technician), is refused whole, and the caller rolls back.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import policy
from bot.domain.errors import (
    DirectoryBreaksRules,
    DirectoryFileInvalid,
    InvalidEmail,
    InvalidRole,
    WouldLeaveNoSiteManager,
)
from bot.domain.model import ACTIVE, DELETED, ImportSummary, Role, normalise_email, parse_role
from bot.domain.orm import Account, User
from bot.text import plural

HEADER = ("account", "name", "email", "phone", "role", "primary_contact")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
# The audit detail names this many changes, then counts the rest.
AUDIT_CHANGES = 20

Problem = tuple[int, str]


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
    """Every row of the file, or DirectoryFileInvalid listing every problem of every bad row."""
    # skipinitialspace: hand-edited files often have `, "Smith, Ann"`.
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), skipinitialspace=True)
    problems: list[Problem] = []
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
        values, reasons = _parse_row(fields)
        email = values.get("email")
        if isinstance(email, str):
            if email in first_line:
                reasons.append(f"{email} is already on line {first_line[email]}")
            else:
                first_line[email] = start
        account = values.get("account")
        if isinstance(account, str) and values.get("primary_contact") is True:
            if account.lower() in primary_of:
                reasons.append(
                    f"{account} already has a primary contact on line "
                    f"{primary_of[account.lower()]}; an account has one"
                )
            else:
                primary_of[account.lower()] = start
        if reasons:
            problems.extend((start, reason) for reason in reasons)
        else:
            rows.append(DirectoryRow(line=start, **values))  # type: ignore[arg-type]
    if problems:
        raise DirectoryFileInvalid(problems)
    return rows


def _parse_row(fields: list[str]) -> tuple[dict[str, object], list[str]]:
    """The row's values that read well, and every problem of the others, in column order."""
    if len(fields) != len(HEADER):
        return {}, [f"expected {len(HEADER)} columns, got {len(fields)}"]
    account, name, email_text, phone, role_text, primary_text = (f.strip() for f in fields)
    values: dict[str, object] = {}
    reasons: list[str] = []
    for column, value in (("account", account), ("name", name)):
        if not value:
            reasons.append(f"the {column} is empty")
        elif len(value) > 200:
            reasons.append(f"the {column} is longer than 200 characters")
        else:
            values[column] = value
    try:
        values["email"] = normalise_email(email_text)
    except InvalidEmail:
        reasons.append(f"{email_text!r} is not an email address")
    if phone and (
        not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6 or len(phone) > 40
    ):
        reasons.append(f"{phone!r} is not a phone number")
    else:
        values["phone"] = phone or None
    try:
        values["role"] = role = parse_role(role_text)
    except InvalidRole as exc:
        role = None
        reasons.append(exc.user_message)
    primary = primary_text.lower()
    if primary not in _YES | _NO:
        reasons.append(f"primary_contact must be yes or no, got {primary_text!r}")
    else:
        values["primary_contact"] = is_primary = primary in _YES
        if is_primary and role is not None and not policy.may_be_primary_contact(role):
            reasons.append(
                f"{name or 'this person'} is an Install Technician, who can't be the Primary "
                "Contact: give them another role, or primary_contact no"
            )
    return values, reasons


@dataclass(frozen=True, slots=True)
class _Member:
    """One active user of an account as the directory will be after the import."""

    email: str
    name: str
    role: Role
    primary_contact: bool
    line: int | None  # the file's row for them; None if the file does not name them


def import_rows(session: Session, rows: list[DirectoryRow], now: datetime) -> ImportSummary:
    """Upsert the rows by email in the caller's transaction (deleted users come back).

    DirectoryBreaksRules, before anything is written, if the resulting directory would leave
    an account without an active Site Manager or with two Primary Contacts.
    """
    accounts: dict[str, Account] = {}
    new_accounts: set[str] = set()
    for name in sorted({row.account for row in rows}):
        key = name.lower()
        if key in accounts:
            continue
        account = session.scalars(
            select(Account).where(func.lower(Account.name) == key).with_for_update()
        ).one_or_none()
        if account is None:
            account = Account(name=name, created_at=now)
            session.add(account)
            new_accounts.add(key)
        accounts[key] = account
    session.flush()
    existing = {
        user.email: user
        for user in session.scalars(select(User).where(User.email.in_([r.email for r in rows])))
    }
    account_of = {row.email: accounts[row.account.lower()] for row in rows}
    primary_contact_changes = _check_rules(
        session, rows, existing, accounts, account_of, new_accounts
    )

    created = updated = unchanged = reactivated = 0
    changes: list[tuple[int, str]] = []  # (line, change), put in file order at the end
    # Flags set last, in a flush of their own: the database allows one active Primary Contact
    # per account at any moment, so every flag a row clears must be gone first.
    for batch in (
        [r for r in rows if not r.primary_contact],
        [r for r in rows if r.primary_contact],
    ):
        for row in batch:
            account = account_of[row.email]
            user = existing.get(row.email)
            if user is None:
                user = User(email=row.email, status=ACTIVE, created_at=now)
                session.add(user)
                created += 1
                flag = ", Primary Contact" if row.primary_contact else ""
                changes.append(
                    (row.line, f"{row.email}: created in {account.name} as {row.role.value}{flag}")
                )
            else:
                differences = _differences(user, row, account)
                if user.status == DELETED:
                    reactivated += 1
                    differences.insert(0, "reactivated")
                elif differences:
                    updated += 1
                else:
                    unchanged += 1
                    continue
                changes.extend((row.line, f"{row.email}: {d}") for d in differences)
            user.account_id = account.id
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
        unchanged=unchanged,
        reactivated=reactivated,
        accounts_created=len(new_accounts),
        changes=tuple(change for _, change in sorted(changes, key=lambda c: c[0])),
        primary_contact_changes=primary_contact_changes,
    )


def _differences(user: User, row: DirectoryRow, account: Account) -> list[str]:
    """'role technician → site-manager' for each field the row changes."""
    pairs = [
        ("name", user.name, row.name),
        ("phone", user.phone or "none", row.phone or "none"),
        ("role", user.role, row.role.value),
        ("primary contact", _yes_no(user.is_primary_contact), _yes_no(row.primary_contact)),
    ]
    if user.account_id != account.id:
        pairs.insert(0, ("account", user.account.name, account.name))
    return [f"{field} {old} → {new}" for field, old, new in pairs if old != new]


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _members_before(session: Session, account_ids: set[int]) -> list[User]:
    return list(
        session.scalars(select(User).where(User.account_id.in_(account_ids), User.status == ACTIVE))
    )


def _check_rules(
    session: Session,
    rows: list[DirectoryRow],
    existing: dict[str, User],
    accounts: dict[str, Account],
    account_of: dict[str, Account],
    new_accounts: set[str],
) -> tuple[str, ...]:
    """Refuse the file, naming each row to blame, if the directory it makes breaks a rule.

    Returns how the Primary Contacts change hands, for the summary.
    """
    # Every account the file touches: the ones its rows name and the ones its users leave.
    names = {account.id: account.name for account in accounts.values()}
    for user in existing.values():
        names.setdefault(user.account_id, user.account.name)
    before = _members_before(session, set(names))
    in_file = {row.email for row in rows}
    after: dict[int, list[_Member]] = {account_id: [] for account_id in names}
    for user in before:
        if user.email not in in_file:
            after[user.account_id].append(
                _Member(user.email, user.name, Role(user.role), user.is_primary_contact, None)
            )
    for row in rows:
        after[account_of[row.email].id].append(
            _Member(row.email, row.name, row.role, row.primary_contact, row.line)
        )
    problems: list[Problem] = []
    for account_id, account in names.items():
        managers_before = [
            u for u in before if u.account_id == account_id and u.role == Role.SITE_MANAGER.value
        ]
        # An account that had no Site Manager before the file is not the file's doing.
        if managers_before or account.lower() in new_accounts:
            managers_after = sum(m.role is Role.SITE_MANAGER for m in after[account_id])
            try:
                policy.check_keeps_a_site_manager(account, managers_after)
            except WouldLeaveNoSiteManager:
                problems.extend(
                    _no_site_manager_problems(
                        account, account_id, managers_before, rows, account_of
                    )
                    if managers_before
                    else [
                        (
                            min(m.line for m in after[account_id] if m.line is not None),
                            f"{account} would have no active Site Manager: the file adds it "
                            "without one; give someone the role site-manager",
                        )
                    ]
                )
        problems.extend(_primary_contact_conflicts(account, after[account_id]))
    if problems:
        raise DirectoryBreaksRules(problems)
    return _primary_contact_changes(names, before, after)


def _no_site_manager_problems(
    account: str,
    account_id: int,
    managers_before: list[User],
    rows: list[DirectoryRow],
    account_of: dict[str, Account],
) -> list[Problem]:
    """One problem per row that takes a Site Manager away from the account."""
    row_of = {row.email: row for row in rows}
    problems: list[Problem] = []
    for manager in managers_before:
        row = row_of.get(manager.email)
        if row is None:
            continue
        moved_to = account_of[row.email]
        what = (
            f"moves {row.email} to {moved_to.name}"
            if moved_to.id != account_id
            else f"makes {row.email} {_a(row.role.label)}"
        )
        problems.append(
            (
                row.line,
                f"{account} would have no active Site Manager: this row {what}; keep them a "
                "Site Manager, or make someone else one in the same file",
            )
        )
    return problems


def _primary_contact_conflicts(account: str, members: list[_Member]) -> list[Problem]:
    """A row flagging a Primary Contact while the account keeps another one is a conflict."""
    holders = [m for m in members if m.primary_contact]
    kept = [m for m in holders if m.line is None]
    if len(holders) < 2 or not kept:
        # Two flagged rows of one account are already refused when the file is read.
        return []
    other = kept[0]
    return [
        (
            m.line,
            f"{other.name} ({other.email}) is the Primary Contact of {account}, and an account "
            f"has one: to make {m.email} the Primary Contact, add {other.email}'s row with "
            "primary_contact no",
        )
        for m in holders
        if m.line is not None
    ]


def _primary_contact_changes(
    names: dict[int, str], before: list[User], after: dict[int, list[_Member]]
) -> tuple[str, ...]:
    """'Acme: Ann Boss instead of Bob Tech' for each account whose flag changes hands."""
    result: list[str] = []
    for account_id, account in names.items():
        old = next((u for u in before if u.account_id == account_id and u.is_primary_contact), None)
        new = next((m for m in after[account_id] if m.primary_contact), None)
        if old is None or (new is not None and new.email == old.email):
            continue
        if new is None:
            result.append(f"{account}: none now (was {old.name})")
        else:
            result.append(f"{account}: {new.name} instead of {old.name}")
    return tuple(result)


def _a(label: str) -> str:
    return ("an " if label[0].lower() in "aeiou" else "a ") + label


def audit_detail(summary: ImportSummary, *, limit: int = AUDIT_CHANGES) -> str:
    """The counts, then each change, the first `limit` of them by name and the rest counted."""
    parts = [f"{plural(summary.rows, 'row')}: {summary.tally()}."]
    if summary.primary_contact_changes:
        parts.append("Primary Contact: " + "; ".join(summary.primary_contact_changes) + ".")
    if summary.changes:
        shown = "; ".join(summary.changes[:limit])
        rest = len(summary.changes) - limit
        more = f"; and {plural(rest, 'more change')}" if rest > 0 else ""
        parts.append(f"Changes: {shown}{more}.")
    return " ".join(parts)
