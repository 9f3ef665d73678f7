"""Return templates: made from the standard return, then sections and questions changed by
national admins, with validation and an audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.oversight import actions
from core20.oversight.models import ReturnQuestion, ReturnTemplate
from core20.oversight.standard import STANDARD_SECTIONS

pytestmark = pytest.mark.django_db


def test_a_template_starts_as_a_copy_of_the_standard_return(client_as, site, people):
    response = client_as("admin").post(reverse("oversight:template-create", args=[site.wave_id]))
    assert response.status_code == 302
    template = ReturnTemplate.objects.get(wave=site.wave)
    assert [s.title for s in template.sections.order_by("position")] == [
        title for title, _, _ in STANDARD_SECTIONS
    ]
    assert template.questions.count() == sum(len(qs) for _, _, qs in STANDARD_SECTIONS)
    assert template.questions.get(key="summary").required
    assert AuditEvent.objects.filter(object_type="oversight.ReturnTemplate", verb="create")

    # Only one per wave.
    again = client_as("admin").post(
        reverse("oversight:template-create", args=[site.wave_id]), follow=True
    )
    assert "already has a quarterly return template" in again.content.decode()
    assert ReturnTemplate.objects.count() == 1


def test_only_national_admins_change_templates(site, people):
    for name in ("analyst", "lead"):
        with pytest.raises(PermissionDenied):
            actions.create_template(wave=site.wave, by=people[name])


def test_adding_and_changing_questions(client_as, site, people, template):
    section = template.sections.order_by("position").first()
    client = client_as("admin")
    url = reverse("oversight:question-create", args=[site.wave_id])
    response = client.post(
        url,
        {
            "section": section.pk,
            "key": "volunteer_hours",
            "text": "How many hours did volunteers give?",
            "kind": "number",
            "prefill": "",
            "column_label": "Volunteer hours",
            "active": "on",
        },
    )
    assert response.status_code == 302
    question = template.questions.get(key="volunteer_hours")
    assert question.short_label == "Volunteer hours"

    response = client.post(
        reverse("oversight:question-edit", args=[site.wave_id, question.pk]),
        {"section": section.pk, "text": "Volunteer hours given", "kind": "number", "active": ""},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.active, question.key) == (
        "Volunteer hours given",
        False,
        "volunteer_hours",
    )
    event = AuditEvent.objects.filter(object_type="oversight.ReturnQuestion").latest("pk")
    assert event.changes["active"] == [True, False]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"key": "summary"}, "key", "already has a question with the key “summary”"),
        ({"key": "Bad Key"}, "key", "can only contain lower-case letters"),
        (
            {"kind": "narrative", "prefill": "spend_this_quarter"},
            "prefill",
            "A written answer cannot be prefilled",
        ),
        (
            {"kind": "number", "prefill": "spend_this_quarter"},
            "prefill",
            "is a figure of another type",
        ),
        ({"text": ""}, "text", "Enter the question"),
    ],
)
def test_question_mistakes_are_explained_and_nothing_is_saved(
    client_as, site, template, data, field, message
):
    section = template.sections.first()
    before = ReturnQuestion.objects.count()
    post = {
        "section": section.pk,
        "key": "new_one",
        "text": "A question",
        "kind": "number",
        "prefill": "",
        **data,
    }
    response = client_as("admin").post(
        reverse("oversight:question-create", args=[site.wave_id]), post
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ReturnQuestion.objects.count() == before


def test_the_action_refuses_a_section_of_another_template(site, other_site, people, template):
    other = actions.create_template(wave=other_site.wave, by=people["admin"])
    with pytest.raises(ValidationError) as caught:
        actions.add_question(
            template=template,
            data={
                "section": other.sections.first(),
                "key": "x",
                "text": "X",
                "kind": "number",
            },
            by=people["admin"],
        )
    assert "section" in caught.value.message_dict


def test_adding_a_section(client_as, site, template):
    url = reverse("oversight:section-create", args=[site.wave_id])
    assert "Enter the section heading" in client_as("admin").post(url, {}).content.decode()
    assert client_as("admin").post(url, {"title": "Case studies"}).status_code == 302
    assert template.sections.order_by("position").last().title == "Case studies"


def test_the_django_admin_shows_oversight_and_knowledge_read_only(client, site, people, template):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    for name in (
        "oversight_fundingallocation",
        "oversight_spendreport",
        "oversight_returntemplate",
        "oversight_returnquestion",
        "oversight_quarterlyreturn",
        "knowledge_resource",
        "knowledge_mailing",
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"admin:{name}_add")).status_code == 403, name
