"""``python manage.py demo``: migrate, load the demo city, print the logins, serve the admin."""

from django.core.management import BaseCommand, call_command
from django.db import transaction

from governance import demo as governance_demo


class Command(BaseCommand):
    help = "Migrate, load the demo city (idempotent) and serve the admin."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--no-serve", action="store_true", help="Load the data and stop.")

    def handle(self, *args, port, no_serve, **options):
        self.stdout.write("正在迁移数据库 / migrating the database …")
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            demo = governance_demo.load_city(say=self._say)
        self._print_logins(demo)
        if not no_serve:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

    def _say(self, message: str) -> None:
        self.stdout.write(f"正在载入 / loading: {message} …")
        self.stdout.flush()

    def _print_logins(self, demo):
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / Demo data ready."))
        self.stdout.write(f"密码 / password (all users): {governance_demo.DEMO_PASSWORD}")
        self.stdout.write(f"  {'admin':<14} 系统管理员 (superuser)")
        for username, full_name, role, unit in governance_demo.demo_role_holders(demo):
            # The city administrator's name is its role: say it once.
            who = full_name if full_name == str(role.label) else f"{full_name} · {role.label}"
            self.stdout.write(f"  {username:<14} {who} · {unit.name}")
