"""Programmes and their waves. Both are public: every page shows them to everyone."""

from django.db.models import Prefetch
from ninja import Query, Router
from ninja.pagination import paginate

from core20.api.errors import NotFound
from core20.api.pagination import ApiPagination
from core20.api.schemas import ProgrammeOut, WaveOut, responses
from core20.programme.models import Programme, Wave

router = Router(tags=["Programmes and waves"])


def _programmes():
    return Programme.objects.prefetch_related(
        Prefetch("waves", queryset=Wave.objects.order_by("number", "pk"))
    ).order_by("name", "pk")


@router.get("/programmes", response=responses(list[ProgrammeOut]), summary="List programmes")
@paginate(ApiPagination)
def list_programmes(request):
    """Every programme, by name."""
    return _programmes()


@router.get(
    "/programmes/{slug}",
    response=responses(ProgrammeOut, not_found=True),
    summary="Get a programme",
)
def get_programme(request, slug: str):
    """One programme, by its slug."""
    programme = _programmes().filter(slug=slug).first()
    if programme is None:
        raise NotFound("programme", slug)
    return programme


def _waves():
    return Wave.objects.select_related("programme").order_by("programme__name", "number", "pk")


@router.get("/waves", response=responses(list[WaveOut]), summary="List waves")
@paginate(ApiPagination)
def list_waves(request, programme: str | None = Query(None, description="Programme slug")):
    """Every wave, by programme and number."""
    waves = _waves()
    if programme:
        waves = waves.filter(programme__slug=programme)
    return waves


@router.get("/waves/{id}", response=responses(WaveOut, not_found=True), summary="Get a wave")
def get_wave(request, id: int):
    """One wave, by its id."""
    wave = _waves().filter(pk=id).first()
    if wave is None:
        raise NotFound("wave", id)
    return wave
