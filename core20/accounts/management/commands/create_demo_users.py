from core20.accounts.management.demo import DemoCommand, create_demo_users


class Command(DemoCommand):
    help = "Create one demo user per role (new passwords each run) and print their sign-in details."
    refuse = "Demo users are for local demos"

    def run(self, **options) -> None:
        users = create_demo_users()
        self.stdout.write("\nDemo users (sign in at http://127.0.0.1:8000/account/sign-in/):\n")
        width = max(len(u.email) for u in users)
        for u in users:
            self.stdout.write(
                f"  {u.email:<{width}}  password: {u.password}   ({u.name}: {u.scope})"
            )
            if u.totp_secret:
                self.stdout.write(
                    f"  {'':<{width}}  two-factor key: {u.totp_secret}"
                    "  (add to an authenticator app, or run: manage.py demo_totp_code "
                    + u.email
                    + ")"
                )
        self.stdout.write("")
