"""`tandem cohort ...` and `tandem invite ...`."""

from __future__ import annotations

import click

from bot.cli.support import bot_username, load, open_db, operator_errors


@click.group()
def cohort() -> None:
    """Create and list cohorts."""


@cohort.command("create")
@click.argument("name")
@click.option("--programme", help="The programme it belongs to, as partners know it.")
@click.option("--timezone", "time_zone", default=None, help="Default: TANDEM_TIMEZONE.")
@click.option(
    "--hours",
    type=int,
    default=8,
    show_default=True,
    help="Roughly how many hours a month the role takes, reading included.",
)
@click.option("--meetings", help='When meetings are, e.g. "monthly, Thursday afternoons".')
@click.option("--contact", help="Who partners contact with questions (name and how).")
@click.option("--language", help="What its people read in until they choose (e.g. en, pl, ar).")
@operator_errors
def cohort_create(
    name: str,
    programme: str | None,
    time_zone: str | None,
    hours: int,
    meetings: str | None,
    contact: str | None,
    language: str | None,
) -> None:
    """Create the cohort NAME."""
    from bot.domain.clock import SystemClock
    from bot.domain.cohorts import create_cohort

    settings = load()
    database = open_db(settings)
    with database.transaction() as session:
        made = create_cohort(
            session,
            name=name,
            clock=SystemClock(),
            time_zone=time_zone or settings.tandem_timezone,
            programme=programme,
            hours_per_month=hours,
            meetings_note=meetings,
            contact=contact,
            language=spoken(language),
        )
        click.echo(f"Created cohort {made.name!r} ({made.time_zone}).")


@cohort.command("language")
@click.argument("name")
@click.argument("code", required=False)
@operator_errors
def cohort_language(name: str, code: str | None) -> None:
    """Show, or set to CODE (en, pl, ar...), what the cohort NAME's new people read in."""
    from bot.domain.cohorts import get_cohort, set_language

    database = open_db(load())
    with database.transaction() as session:
        if code is None:
            made = get_cohort(session, name=name)
        else:
            made = set_language(session, name=name, language=spoken(code))
        click.echo(f"{made.name}: new people read in {made.language or 'en'}.")


@cohort.command("list")
@operator_errors
def cohort_list() -> None:
    """List cohorts with their number of active partners."""
    from bot.domain.cohorts import list_cohorts

    database = open_db(load())
    with database.transaction() as session:
        rows = list_cohorts(session)
    if not rows:
        click.echo("No cohorts yet. Create one with: tandem cohort create NAME")
    for made, partners in rows:
        click.echo(f"{made.name}\t{partners} partners\t{made.time_zone}")


def spoken(code: str | None) -> str | None:
    """A language Tandem speaks (None: not given), or a clear error naming those it does."""
    if code is None:
        return None
    from bot.library.languages import load_languages
    from bot.library.paths import configured

    known = [language.code for language in load_languages(configured().prompts)[0]]
    if code not in known:
        raise click.BadParameter(
            f"{code!r}: Tandem speaks {', '.join(known)}", param_hint="--language"
        )
    return code


@click.group()
def invite() -> None:
    """Create, list and revoke invite links."""


@invite.command("create")
@click.option(
    "--role", type=click.Choice(["partner", "facilitator", "coordinator", "board"]), required=True
)
@click.option("--cohort", "cohort_name", help="Required except for coordinators.")
@click.option("--uses", type=int, default=1, show_default=True, help="How many people may join.")
@click.option(
    "--expires", default="14d", show_default=True, help="How long it works: e.g. 30m, 48h, 14d, 2w."
)
@click.option("--language", help="What the person joining reads in (e.g. en, pl, ar).")
@operator_errors
def invite_create(
    role: str, cohort_name: str | None, uses: int, expires: str, language: str | None
) -> None:
    """Print a new invite code and its t.me deep link."""
    from bot.domain.clock import SystemClock
    from bot.domain.cohorts import get_cohort
    from bot.domain.invites import create_invite, deep_link, parse_duration
    from bot.models import Role

    settings = load()
    database = open_db(settings)
    expires_in = parse_duration(expires)
    username = bot_username(settings, database)
    with database.transaction() as session:
        target = get_cohort(session, name=cohort_name) if cohort_name else None
        made = create_invite(
            session,
            role=Role(role),
            cohort=target,
            clock=SystemClock(),
            uses=uses,
            expires_in=expires_in,
            language=spoken(language),
        )
    click.echo(f"code: {made.code}")
    click.echo(f"link: {deep_link(username or '<bot username>', made.code)}")
    where = f" in {target.name}" if target else ""
    click.echo(
        f"for: {role}{where}; {uses} use(s); expires {made.invite.expires_at:%Y-%m-%d %H:%M} UTC"
    )
    if not username:
        click.echo(
            "note: the bot's username is not known yet; run `tandem run` once, or set "
            "TELEGRAM_BOT_TOKEN, and replace <bot username> in the link.",
            err=True,
        )


@invite.command("list")
@operator_errors
def invite_list() -> None:
    """List invites that can still be used (codes are not stored, so not shown)."""
    from bot.domain.clock import SystemClock
    from bot.domain.invites import list_invites

    database = open_db(load())
    with database.transaction() as session:
        rows = list_invites(session, now=SystemClock().now())
    if not rows:
        click.echo("No usable invites.")
    for made, target in rows:
        where = target.name if target else "(no cohort)"
        click.echo(
            f"#{made.id}\t{made.role.value}\t{where}\t{made.uses}/{made.max_uses} used\t"
            f"expires {made.expires_at:%Y-%m-%d %H:%M} UTC"
        )


@invite.command("revoke")
@click.argument("code")
@operator_errors
def invite_revoke(code: str) -> None:
    """Stop the invite CODE from working."""
    from bot.domain.clock import SystemClock
    from bot.domain.invites import revoke_invite

    database = open_db(load())
    with database.transaction() as session:
        revoke_invite(session, code=code, clock=SystemClock())
    click.echo("Revoked.")
