"""Who may speak for the office or post on its accounts, what expires soon, and the approval
round for office posts.

"Only the Ombudsman, Deputy Ombudsman or Assistant Director, Communication and Engagement (or
authorised individual) may comment publicly on behalf of the Victorian Ombudsman in any
medium." A post drafted for an office account by someone who holds ``business-use`` but not
``spokesperson`` waits for a ``communications`` approver, who approves it, asks for changes or
rejects it. Nobody approves their own post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.registers import AuthorisationRegister
from commsguard.store import crud
from commsguard.store.tables import AuthorisationRow, PostApproval
from commsguard.workflows import audit
from commsguard.workflows.notify import (
    GovernanceSettings,
    addresses_for,
    addresses_for_role,
    send_mail,
)

DECISIONS: dict[str, str] = {
    "approve": "approved", "request-changes": "changes-requested", "reject": "rejected",
}
APPROVER_ROLES: tuple[str, ...] = ("communications",)
STATUSES: tuple[str, ...] = ("pending", "approved", "changes-requested", "rejected")


class ApprovalError(ValueError):
    """A post cannot be submitted or decided as asked."""


class ApprovalDenied(ApprovalError):
    """The person may not do this (not an approver, or approving their own post)."""


@dataclass(frozen=True)
class Standing:
    """An authorisation and how long it has left."""

    row: AuthorisationRow
    days_left: int | None

    @property
    def state(self) -> str:
        if self.days_left is None:
            return "no expiry"
        if self.days_left < 0:
            return "expired"
        return "expiring soon" if self.days_left <= self._soon else "current"

    _soon: int = 30


def standings(session: Session, *, today: date | None = None,
              soon_days: int | None = None) -> list[Standing]:
    """Every authorisation with its days left, soonest expiry first."""
    today = today or date.today()
    soon = soon_days if soon_days is not None else GovernanceSettings().expiring_days
    rows = session.scalars(select(AuthorisationRow).order_by(AuthorisationRow.person))
    out = [Standing(r, None if r.expires is None else (r.expires - today).days, soon)
           for r in rows]
    return sorted(out, key=lambda s: (s.days_left is None, s.days_left or 0, s.row.person))


def expiring_soon(session: Session, *, days: int | None = None,
                  today: date | None = None) -> list[AuthorisationRow]:
    """Authorisations that are still current and end within ``days``."""
    today = today or date.today()
    days = days if days is not None else GovernanceSettings().expiring_days
    return list(session.scalars(
        select(AuthorisationRow).where(
            AuthorisationRow.expires.is_not(None),
            AuthorisationRow.expires >= today,
            AuthorisationRow.expires <= today + timedelta(days=days),
        ).order_by(AuthorisationRow.expires)
    ))


def _holds(register: AuthorisationRegister, username: str, authority: str) -> bool:
    return register.holds(username, authority)


def needs_approval(register: AuthorisationRegister, username: str) -> bool:
    """A business-use holder who is not a spokesperson needs an approver for office posts."""
    return _holds(register, username, "business-use") and not _holds(
        register, username, "spokesperson")


def submit_post(
    session: Session, *, author: str, account: str, text: str, channel: str = "",
    settings: GovernanceSettings | None = None,
) -> PostApproval:
    """Submit a draft for an office account for approval."""
    register = crud.load_authorisations(session)
    author = author.lower()
    if not _holds(register, author, "business-use"):
        raise ApprovalDenied(
            f"{author} holds no current business-use authorisation to post for the office")
    if _holds(register, author, "spokesperson"):
        raise ApprovalError(f"{author} is a spokesperson and may post without approval")
    if not text.strip():
        raise ApprovalError("the post is empty")
    if not account.strip():
        raise ApprovalError("name the office account it is for")
    row = PostApproval(author=author, account=account.strip()[:200], channel=channel.strip()[:50],
                       text=text.strip(), status="pending", revision=1, comment="")
    session.add(row)
    session.flush()
    audit.append(session, actor=author, action="post.submit", target=f"post:{row.id}")
    settings = settings or GovernanceSettings()
    send_mail(to=addresses_for_role(session, "communications", exclude=[author]),
              settings=settings, subject=f"[commsguard] Office post #{row.id} awaits approval",
              body=f"{author} drafted a post for {row.account}.\n\n"
                   f"{settings.base_url}/approvals/{row.id}\n")
    return row


def decide(
    session: Session, *, post: PostApproval, actor: str, role: str, decision: str,
    comment: str = "", settings: GovernanceSettings | None = None,
) -> PostApproval:
    """Approve, request changes or reject a pending post (never one's own)."""
    if role not in APPROVER_ROLES:
        raise ApprovalDenied("only a communications approver decides office posts")
    if actor.lower() == post.author:
        raise ApprovalDenied("you cannot approve your own post")
    if decision not in DECISIONS:
        raise ApprovalError(f"decision must be one of {', '.join(DECISIONS)}")
    if post.status != "pending":
        raise ApprovalError(f"post {post.id} is {post.status}, not pending")
    if decision != "approve" and not comment.strip():
        raise ApprovalError("say what should change, or why it is rejected")
    post.status = DECISIONS[decision]
    post.approver = actor.lower()
    post.comment = comment.strip()
    post.decided_at = datetime.now(UTC)
    audit.append(session, actor=actor, action=f"post.{decision}", target=f"post:{post.id}",
                 detail={"revision": post.revision})
    settings = settings or GovernanceSettings()
    send_mail(to=addresses_for(session, [post.author]), settings=settings,
              subject=f"[commsguard] Your office post #{post.id}: {post.status}",
              body=f"{post.comment or 'Approved.'}\n\n{settings.base_url}/approvals/{post.id}\n")
    return post


def revise(session: Session, *, post: PostApproval, actor: str, text: str) -> PostApproval:
    """The author revises a post after changes were requested; it waits for approval again."""
    if actor.lower() != post.author:
        raise ApprovalDenied("only the author revises a post")
    if post.status != "changes-requested":
        raise ApprovalError(f"post {post.id} is {post.status}; only a post with changes "
                            "requested can be revised")
    if not text.strip():
        raise ApprovalError("the post is empty")
    post.text = text.strip()
    post.revision += 1
    post.status = "pending"
    audit.append(session, actor=actor, action="post.revise", target=f"post:{post.id}",
                 detail={"revision": post.revision})
    return post


def visible_posts(session: Session, *, username: str, role: str,
                  status: str | None = None) -> list[PostApproval]:
    """Approvers see all posts; everyone else their own."""
    query = select(PostApproval).order_by(PostApproval.created_at.desc(), PostApproval.id.desc())
    if status:
        query = query.where(PostApproval.status == status)
    if role not in (*APPROVER_ROLES, "admin"):
        query = query.where(PostApproval.author == username.lower())
    return list(session.scalars(query))


def get_post(session: Session, post_id: int, *, username: str, role: str) -> PostApproval:
    post = session.get(PostApproval, post_id)
    if post is None or (role not in (*APPROVER_ROLES, "admin") and post.author != username):
        raise ApprovalDenied(f"no post {post_id}")
    return post
