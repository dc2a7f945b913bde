"""Site commands: set up a database, create users, serve the app, run Django management commands."""

from __future__ import annotations

import os
import subprocess
import sys

import typer
from rich.console import Console

err = Console(stderr=True)


def setup(demo_admin: bool = typer.Option(False, help="Create the demo admin (prints its login)."),
          quiet: bool = typer.Option(False, "--quiet")) -> None:
    """Migrate the database, create the role groups and load shipped reference data (idempotent)."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.conf import settings

    if demo_admin and settings.PRODUCTION:
        err.print("[red]error:[/red] --demo-admin creates a superuser with a published password, so it is refused "
                  "when CIVICSHIELD_ENV=production. Create your administrator with "
                  "`civicshield createuser NAME --role admin` (it asks for a password).")
        raise typer.Exit(2)
    from django.apps import apps
    from django.core.management import call_command

    from civicshield.site.roles import ensure_roles

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)
    ensure_roles()
    for config in apps.get_app_configs():
        loader = getattr(config, "load_reference_data", None)
        if callable(loader):
            summary = loader()
            if not quiet:
                err.print(f"reference data · {config.label}: {summary}")
    if demo_admin:
        _demo_admin()


def _demo_admin() -> None:
    from django.contrib.auth.models import Group, User

    from civicshield.site.roles import ROLES

    user, created = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
    if created:
        user.set_password("civicshield-demo")
        user.save()
    user.groups.set(Group.objects.filter(name__in=ROLES))
    err.print("[bold green]Demo login:[/bold green] username [bold]admin[/bold] · password [bold]civicshield-demo[/bold]")


def _read_password(from_stdin: bool) -> str:
    """A new password from a hidden prompt, or the first line of standard input (never an argument,
    which would sit in the shell history and the process list)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def createuser(username: str, role: list[str] = typer.Option([], "--role", help="Role(s) to grant."),
               password_stdin: bool = typer.Option(False, "--password-stdin",
                                                   help="Read the password from standard input.")) -> None:
    """Create a console user with roles; the password is asked for (or read with --password-stdin)."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.contrib.auth.models import Group, User
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from civicshield.site.roles import ROLES, ensure_roles

    bad = set(role) - set(ROLES)
    if bad:
        err.print(f"[red]error:[/red] unknown roles {sorted(bad)}; roles are {', '.join(ROLES)}")
        raise typer.Exit(2)
    if User.objects.filter(username=username).exists():
        err.print(f"[red]error:[/red] user {username!r} exists")
        raise typer.Exit(2)
    password = _read_password(password_stdin)
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        err.print(f"[red]error:[/red] {' '.join(exc.messages)}")
        raise typer.Exit(2) from None
    ensure_roles()
    user = User.objects.create_user(username, password=password, is_staff="admin" in role)
    user.groups.set(Group.objects.filter(name__in=role))
    err.print(f"created {username} with roles {', '.join(role) or 'none'}")


def serve(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000, min=1, max=65535),
          workers: int = typer.Option(0, help="Production server worker processes (0: development server)."),
          ) -> None:
    """Serve the site. With --workers N, runs gunicorn with N asyncio (ASGI) worker processes.

    Each worker reads requests without tying up a thread, so slow or stalled clients cannot starve
    it; Django runs the views. See docs/deployment.md for the production layout behind a proxy.
    """
    from civicshield.site.bootstrap import setup_django

    setup_django()
    if workers > 0:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        os.environ["CIVICSHIELD_WARM_ON_START"] = "1"
        os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "civicshield.site.asgi:application",
                                   "--worker-class", "asgi", "--bind", f"{host}:{port}", "--workers", str(workers),
                                   "--timeout", "120", "--graceful-timeout", "30", "--access-logfile", "-"])
    from django.core.management import call_command

    err.print(f"Serving on http://{host}:{port}/  (console: http://{host}:{port}/console/)")
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)


def manage(args: list[str] = typer.Argument(None, help="Arguments for Django's manage.py.")) -> None:
    """Run a Django management command (e.g. `civicshield manage db_worker`)."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["civicshield manage", *(args or [])])


def worker() -> None:
    """Run background tasks from the database queue (set CIVICSHIELD_TASK_BACKEND=django_tasks_db.DatabaseBackend)."""
    manage(["db_worker"])


users = typer.Typer(help="Console users: unlock an account locked by failed sign-ins.", no_args_is_help=True)


@users.command("unlock")
def unlock(username: str = typer.Argument(..., help="The account to unlock."),
           address: str = typer.Option(None, "--address", help="Also forget this client address's failures."),
           ) -> None:
    """Forget an account's failed sign-ins (and optionally an address's), so it can sign in again."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from civicshield.site.lockout import unlock as forget

    forgotten = forget(username=username)
    if address:
        forgotten += forget(address=address)
    err.print(f"unlocked {username}{f' and {address}' if address else ''}: {forgotten} failed sign-ins forgotten")


commands = [setup, createuser, serve, manage, worker]
groups = {"users": users}
