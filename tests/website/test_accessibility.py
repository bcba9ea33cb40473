import pytest

from tests.accessibility import accessibility_problems

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/projekty/lider-na-rynku-ekonomii-spolecznej/",
        "/en/projects/lider-na-rynku-ekonomii-spolecznej/",
        "/biuro/logowanie/",
    ],
)
def test_public_page_passes_static_wcag_checks(client, demo_card, path):
    response = client.get(path)
    assert response.status_code == 200
    assert accessibility_problems(response.content.decode()) == []


def test_checker_catches_problems():
    html = (
        '<html><head><title></title></head><body><h2>x</h2><img src="a.png">'
        '<input name="q"><a href="/"></a><script>alert(1)</script></body></html>'
    )
    problems = accessibility_problems(html)
    assert "<html> has no lang" in problems
    assert "empty <title>" in problems
    assert "expected one h1, found 0" in problems
    assert "img without alt: a.png" in problems
    assert "unlabelled form control: q" in problems
    assert "inline script" in problems
    assert "no <main> landmark" in problems
    assert any(p.startswith("<a> without an accessible name") for p in problems)


def test_every_public_page_of_the_full_demo_passes_static_wcag_checks(client, demo_project):
    from lider.certification.models import Certificate

    slug = demo_project.slug
    code = Certificate.objects.filter(project=demo_project).values_list("code", flat=True)[0]
    paths = [
        f"/projekty/{slug}/rezultaty/",
        f"/en/projects/{slug}/results/",
        f"/projekty/{slug}/zgloszenie/",
        f"/projekty/{slug}/zgloszenie/instytucja/",
        f"/en/projects/{slug}/application/",
        "/weryfikacja/",
        f"/weryfikacja/{code}/",
        f"/en/verification/{code}/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert accessibility_problems(response.content.decode()) == [], path
