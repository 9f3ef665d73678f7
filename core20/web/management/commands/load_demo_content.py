from core20.accounts.management.demo import DemoCommand
from core20.web.demo import load_demo_content


class Command(DemoCommand):
    help = (
        "Add sample work (connectors, activities, insights, claims, grants...) to the demo "
        "site, through the apps' own actions. Needs the reference data and the demo users. "
        "Safe to run again."
    )
    refuse = "Demo content is for local demos"

    def run(self, **options) -> None:
        for line in load_demo_content():
            self.stdout.write(line)
