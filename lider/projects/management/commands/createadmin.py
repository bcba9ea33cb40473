"""`lider createadmin`: the first administrator of an empty installation."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lider.core.accounts import find_user
from lider.projects.accounts import create_first_administrator


class Command(BaseCommand):
    help = (
        "Create an administrator of the installation. The password is asked for, or read from "
        "LIDER_ADMIN_PASSWORD; at the first login the administrator sets up a second factor."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--dry-run", action="store_true", help="check, create nothing")

    def handle(self, *args, username, email, dry_run, **options):
        existing = find_user(username)
        if existing is not None:
            if existing.is_superuser:
                self.stdout.write(
                    f"Administrator {existing.username} already exists; nothing done."
                )
                return
            raise CommandError(f"An account {existing.username} exists and is no administrator.")
        password = os.environ.get("LIDER_ADMIN_PASSWORD") or self._ask()
        if dry_run:
            self.stdout.write(f"Would create administrator {username} <{email}>.")
            return
        try:
            user = create_first_administrator(username=username, email=email, password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        count = get_user_model().objects.filter(is_superuser=True).count()
        self.stdout.write(
            f"Created administrator {user.username} ({count} in the installation). "
            "Log in at /biuro/logowanie/ and set up the code from an authenticator app."
        )

    def _ask(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ.")
        return first
