from core20.directory.models import Service
from core20.directory.queries import services_for_site
from tests.directory.factories import ServiceFactory


def test_services_for_site_are_national_and_own_active_ones(site, other_site):
    national = ServiceFactory(name="National helpline")
    own = ServiceFactory(name="Home walking group", site=site, published=False)
    ServiceFactory(name="Other site's group", site=other_site)
    ServiceFactory(name="Closed clinic", site=site, status=Service.Status.DEFUNCT)
    ServiceFactory(name="Paused clinic", status=Service.Status.TEMPORARILY_CLOSED)
    ServiceFactory(name="Draft national service", published=False)

    assert list(services_for_site(site)) == [own, national]
    assert list(services_for_site(site.pk)) == [own, national]
