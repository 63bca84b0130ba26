"""Evidence packs: built by a background job into HTML, DOCX and CSV with the very figures of the
staff page, small numbers suppressed, reviewed, then published on the programme hub."""

import csv
import io
import re
import zipfile
from datetime import timedelta
from html import unescape

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forums import services as forum_services
from programmes.responses import services as responses
from forums.models import ThreadStatus
from programmes.evidence import services
from programmes.evidence.models import EvidencePack
from tests.factories import UserFactory
from tests.forums.factories import ThreadFactory, general_board
from tests.programmes.evidence.test_representativeness import _person
from tests.programmes.staff.factories import published_update
from tests.smallcells import unsuppressed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def relaxed_posting_limits(settings):
    settings.FORUMS_RATE_LIMITS = [(1, 10_000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 10_000)]


@pytest.fixture
def period():
    today = timezone.localdate()
    return today - timedelta(days=30), today


@pytest.fixture
def voices(staff):
    """12 women in Hackney and 11 men in Lewisham start discussions in Cancer; one leads to a change."""
    people = [_person("hackney", 1985, "female", "white-irish") for _ in range(12)]
    people += [_person("lewisham", 1958, "male", "black-caribbean") for _ in range(11)]
    thread = ThreadFactory(author=people[0], board=general_board("cancer"), title="Screening letters are confusing")
    forum_services.comment_post(actor=staff, thread=thread, body="We will change the letters.", official=True)
    update = published_update(staff, title="New screening letters")
    responses.thread_status_set(actor=staff, thread=thread, status=ThreadStatus.CHANGED, update=update)
    return people


def _build(staff, cancer, period, django_capture_on_commit_callbacks) -> EvidencePack:
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.evidence_pack_request(actor=staff, programme=cancer, start=period[0], end=period[1])
    pack.refresh_from_db()
    return pack


def _tables(html: str) -> dict[str, list[list[str]]]:
    """The who-took-part tables of a page, by dimension, as the cell texts a reader sees."""
    tables = {}
    for key, body in re.findall(r'<table class="nhsuk-table" data-dimension="([a-z_]+)">(.*?)</table>', html, re.S):
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody", 1)[1], re.S)
        tables[key] = [
            [" ".join(unescape(re.sub(r"<[^>]+>", "", cell)).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows
        ]
    return tables


def test_a_pack_is_built_in_the_background_into_three_files(staff, cancer, voices, period, django_capture_on_commit_callbacks):
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    assert (pack.status, pack.progress, pack.step) == (EvidencePack.Status.DRAFT, 100, "Ready for review")
    html = pack.html.open("rb").read().decode()
    for section in ("What was asked", "Who took part", "What was heard", "What changed", "Moderation", "Method and limitations"):
        assert f">{section}</h2>" in html
    assert "Participants by ethnic group, against London" in html and "No themes have been coded" in html
    assert "Harrow" in html and "self-selecting" in html and "Open Government Licence" in html
    assert "New discussions with an official response from the partnership: 1" in html
    assert "<li>Screening letters are confusing</li>" in html and "New screening letters" in html
    assert unsuppressed(html) == []


def test_the_pack_figures_are_the_staff_page_figures(client, staff, cancer, voices, period, django_capture_on_commit_callbacks):
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    client.force_login(staff)
    page = client.get("/staff/who-was-heard/", {"programme": "cancer", "start": str(period[0]), "end": str(period[1])})
    on_page = _tables(page.content.decode())
    assert set(on_page) == {"borough", "age", "sex", "ethnic_group", "disability", "carer"}
    assert on_page["sex"] == [["Female", "12", "52%", "51.5%", "1.01", ""], ["Male", "11", "48%", "48.5%", "0.99", ""]]

    assert _tables(pack.html.open("rb").read().decode()) == on_page

    as_data = {key: [[{"–": "", "Under-heard": "yes"}.get(c, c) for c in row] for row in rows] for key, rows in on_page.items()}
    archive = zipfile.ZipFile(pack.tables.open("rb"))
    for key, rows in as_data.items():
        assert list(csv.reader(io.StringIO(archive.read(f"who_took_part_{key}.csv").decode())))[1:] == rows, key

    word = {t.rows[0].cells[0].text: [[c.text for c in row.cells] for row in t.rows[1:]] for t in docx.Document(pack.docx.open("rb")).tables}
    assert word["Sex"] == as_data["sex"] and word["Ethnic group"] == as_data["ethnic_group"]
    assert word["Borough"] == as_data["borough"] and word["Age"] == as_data["age"]


def test_the_word_document_has_headings_tables_and_alt_text(staff, cancer, voices, period, django_capture_on_commit_callbacks):
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    document = docx.Document(pack.docx.open("rb"))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert ("Heading 1", "Who took part") in headings and ("Heading 1", "Method and limitations") in headings
    assert ("Heading 2", "Participants by ethnic group, against London") in headings
    assert document.core_properties.title.startswith("Evidence pack: Cancer")
    for table in document.tables:
        properties = table._tbl.tblPr.xml
        assert "w:tblCaption" in properties and "w:tblDescription" in properties


def test_small_numbers_are_suppressed_in_every_form_of_the_pack(staff, cancer, period, django_capture_on_commit_callbacks):
    for _ in range(3):
        _person("croydon", 1990, "female", "asian-bangladeshi")
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    assert unsuppressed(pack.html.open("rb").read().decode()) == []
    archive = zipfile.ZipFile(pack.tables.open("rb"))
    for name in archive.namelist():
        if name.startswith("who_took_part_"):
            for row in list(csv.reader(io.StringIO(archive.read(name).decode())))[1:]:
                assert row[1] == "fewer than 10" and row[2] == "fewer than 10", (name, row)
    summary = dict(csv.reader(io.StringIO(archive.read("summary.csv").decode())))
    assert summary["Participants"] == "fewer than 10"
    word = " ".join(c.text for t in docx.Document(pack.docx.open("rb")).tables for r in t.rows for c in r.cells)
    assert "Croydon fewer than 10 fewer than 10" in word


def test_the_command_line_writes_the_same_pack(tmp_path, cancer, voices, period):
    out = io.StringIO()
    call_command(
        "evidence_pack", "--programme", "cancer", "--start", str(period[0]), "--end", str(period[1]),
        "--out", str(tmp_path), stdout=out,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.docx", "pack.html", "tables.zip"]
    html = (tmp_path / "pack.html").read_text()
    assert _tables(html)["sex"][0][:3] == ["Female", "12", "52%"] and "Built in" in out.getvalue()
    assert zipfile.ZipFile(tmp_path / "tables.zip").read("summary.csv").decode().startswith("Figure,Value")


def test_staff_review_then_publish_a_summary_on_the_hub(client, staff, cancer, voices, period, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/evidence-packs/", {"programme": "cancer", "start": str(period[0]), "end": str(period[1])}
        )
    pack = EvidencePack.objects.get()
    assert response.url == pack.get_absolute_url()
    detail = client.get(pack.get_absolute_url()).content.decode()
    assert "The draft is ready for review." in detail and "Publish the summary" in detail
    for kind, kind_type in (("html", "text/html"), ("docx", "wordprocessingml"), ("zip", "application/zip")):
        download = client.get(f"/staff/evidence-packs/{pack.pk}/{kind}/")
        assert download.status_code == 200 and kind_type in download["Content-Type"]

    client.logout()
    assert client.get(f"/programmes/cancer/what-we-heard/{pack.pk}/").status_code == 404
    assert "What we heard" not in client.get("/programmes/cancer/").content.decode()

    client.force_login(staff)
    client.post(pack.get_absolute_url())
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.PUBLISHED and pack.published_by == staff
    client.logout()
    summary = client.get(f"/programmes/cancer/what-we-heard/{pack.pk}/").content.decode()
    assert "Participants by sex, against London" in summary and "Screening letters are confusing" in summary
    assert f"/programmes/cancer/what-we-heard/{pack.pk}/" in client.get("/programmes/cancer/").content.decode()
    assert client.get(f"/programmes/mental-health/what-we-heard/{pack.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "resident", "moderator"])
def test_evidence_packs_are_for_partnership_staff_only(client, staff, cancer, period, role, moderator):
    pack = EvidencePack.objects.create(programme=cancer, start=period[0], end=period[1], requested_by=staff)
    if role != "anonymous":
        client.force_login(moderator if role == "moderator" else UserFactory())
    for url in ("/staff/evidence-packs/", pack.get_absolute_url(), f"/staff/evidence-packs/{pack.pk}/html/"):
        assert client.get(url).status_code == 404
    with pytest.raises(Exception):
        services.evidence_pack_request(actor=moderator, programme=cancer, start=period[0], end=period[1])


@pytest.mark.parametrize("packs", [1, 6])
def test_the_pack_pages_cost_the_same_at_any_size(client, staff, cancer, period, packs, django_assert_num_queries):
    built = [
        EvidencePack.objects.create(
            programme=cancer, start=period[0], end=period[1], requested_by=staff,
            status=EvidencePack.Status.PUBLISHED, published_at=timezone.now(), body_html="<p>Report</p>",
        )
        for _ in range(packs)
    ]
    client.force_login(staff)
    client.get("/staff/evidence-packs/")
    with django_assert_num_queries(5):  # session, user, groups, packs, programmes for the form
        assert client.get("/staff/evidence-packs/").status_code == 200
    with django_assert_num_queries(4):  # session, user, groups, the pack
        assert client.get(built[0].get_absolute_url()).status_code == 200
    client.logout()
    client.get(built[0].get_public_url())
    with django_assert_num_queries(1):  # the pack with its programme
        assert client.get(built[0].get_public_url()).status_code == 200


def _page_cells(html: str) -> list[list[str]]:
    """The counts page's theme table as a reader sees the counts (share and lift left aside)."""
    body = re.search(r'<caption[^>]*>Coded contributions by theme.*?<tbody[^>]*>(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    cells = [[" ".join(unescape(re.sub(r"<[^>]+>", "", c.split("<br>")[0])).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]
    return cells[:-1]  # the last row is "All contributions"


def _pack_cells(html: str, dimension: str) -> tuple[list[str], list[list[str]]]:
    table = re.search(rf'<table class="nhsuk-table" data-themes="{dimension}">(.*?)</table>', html, re.S).group(1)
    head = [" ".join(unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in re.findall(r"<th[^>]*>(.*?)</th>", table.split("<tbody")[0], re.S)]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody", 1)[1], re.S)
    return head, [[" ".join(unescape(re.sub(r"<[^>]+>", "", c)).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


@pytest.fixture
def heard(staff, cancer, voices, period):
    """The 23 online voices and 12 postcards from a Brent roadshow with a BSL interpreter, all coded
    "Letters"; one postcard chosen as a quote."""
    from programmes.contributions.corpus import corpus_keys
    from programmes.themes import outcomes
    from programmes.themes import services as theme_services
    from tests.programmes.staff.offline.conftest import make_session, record

    session = make_session(staff, cancer, date=period[1] - timedelta(days=3), interpreter_languages="Somali")
    cards = [
        record(staff, session, text="The letters are hard to read.", borough="brent", year_of_birth=1970, sex="male",
               ethnic_group="black-african", disability="yes-a-lot", carer="yes-50-plus")
        for _ in range(12)
    ]
    letters = theme_services.theme_create(actor=staff, programme=cancer, name="Letters")
    theme_services.items_code(actor=staff, programme=cancer, codes={k.key: {letters.pk} for k in corpus_keys(programme=cancer)})
    outcomes.quote_choose(actor=staff, theme=letters, key=f"offline:{cards[0].pk}")
    return session


@pytest.mark.parametrize("dimension", ["source", "borough", "age", "sex", "ethnic_group", "disability", "carer"])
def test_the_pack_themes_are_the_counts_page_figures(
    client, staff, cancer, heard, period, dimension, django_capture_on_commit_callbacks
):
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    html = pack.html.open("rb").read().decode()
    client.force_login(staff)
    page = client.get(
        reverse("staff:themes:counts", kwargs={"slug": "cancer"}), {"dimension": dimension, "start": str(period[0]), "end": str(period[1])}
    )
    assert page.status_code == 200
    head, rows = _pack_cells(html, dimension)
    assert rows == _page_cells(page.content.decode())
    assert rows[0][0] == "Letters" and rows[0][-1] == "36"  # 24 discussions (one person started two), 12 postcards
    if dimension == "sex":
        assert head == ["Theme", "Female", "Male", "All"] and rows == [["Letters", "13", "23", "36"]]
    if dimension == "source":
        assert head == ["Theme", "Offline", "Online", "All"] and rows == [["Letters", "12", "24", "36"]]
    archive = zipfile.ZipFile(pack.tables.open("rb"))
    assert list(csv.reader(io.StringIO(archive.read(f"heard_by_{dimension}.csv").decode()))) == [head, *rows]


def test_the_pack_hears_offline_people_and_the_sessions_held(staff, cancer, heard, period, django_capture_on_commit_callbacks):
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    html = pack.html.open("rb").read().decode()
    assert "<th scope=\"row\">Brent roadshow</th><td>Roadshow</td>" in html
    assert "Interpreter (Somali), British Sign Language" in html and "Sessions held in the period: 1" in html
    assert "12 contributions at sessions" in html
    assert "<p>The letters are hard to read.</p><footer>Resident at the Brent roadshow</footer>" in html
    assert _tables(html)["sex"][1][:2] == ["Male", "23"]
    assert unsuppressed(html) == []
    archive = zipfile.ZipFile(pack.tables.open("rb"))
    summary = dict(csv.reader(io.StringIO(archive.read("summary.csv").decode())))
    assert (summary["Participants"], summary["Participants at sessions (offline)"]) == ("35", "12")
    quotes = list(csv.reader(io.StringIO(archive.read("heard_quotes.csv").decode())))
    assert quotes[1] == ["Letters", "The letters are hard to read.", "Resident at the Brent roadshow"]
    document = docx.Document(pack.docx.open("rb"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Themes by sex" in headings and "Letters: in people's words" in headings


def test_small_theme_cells_are_suppressed_in_the_pack(staff, cancer, period, django_capture_on_commit_callbacks):
    from programmes.themes import services as theme_services
    from tests.programmes.staff.offline.conftest import make_session, record

    session = make_session(staff, cancer, date=period[1] - timedelta(days=1))
    said = [record(staff, session, sex="female") for _ in range(3)]
    theme = theme_services.theme_create(actor=staff, programme=cancer, name="Parking")
    theme_services.items_code(actor=staff, programme=cancer, codes={f"offline:{s.pk}": {theme.pk} for s in said})
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    html = pack.html.open("rb").read().decode()
    assert _pack_cells(html, "sex")[1] == [["Parking", "fewer than 10", "fewer than 10"]]
    assert unsuppressed(html) == []


def _pack_words(pack) -> str:
    """Everything a pack holds: its report and its three files."""
    pack.refresh_from_db()
    files = [getattr(pack, f).open("rb").read() for f in ("html", "docx", "tables") if getattr(pack, f)]
    text = pack.body_html
    for blob in files:
        if blob[:2] == b"PK":  # docx and zip: read every member
            archive = zipfile.ZipFile(io.BytesIO(blob))
            text += "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        else:
            text += blob.decode()
    return text


@pytest.mark.parametrize("how", ["withdrawn", "edited"])
def test_a_pack_forgets_an_offline_quote_withdrawn_or_edited_and_is_published_again(
    client, staff, cancer, heard, period, how, django_capture_on_commit_callbacks
):
    from programmes.contributions import services as contributions
    from programmes.contributions.models import OfflineContribution
    from programmes.themes.models import Quote

    quoted = OfflineContribution.objects.get(pk=Quote.objects.get().item_pk)
    OfflineContribution.objects.filter(pk=quoted.pk).update(text="Wordmarker hard to read letters.")
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    services.evidence_pack_publish(actor=staff, pack=pack)
    assert "Wordmarker" in _pack_words(pack) and pack.quoted_keys == [f"offline:{quoted.pk}"]
    old_files = [pack.html.name, pack.docx.name, pack.tables.name]

    with django_capture_on_commit_callbacks(execute=False) as queued:
        if how == "withdrawn":
            contributions.contribution_withdraw(actor=staff, contribution=quoted)
        else:
            quoted.refresh_from_db()
            contributions.contribution_edit(
                actor=staff, contribution=quoted, programme=cancer, channel=quoted.channel, consent=quoted.consent,
                text="The letters are hard to read.", borough=quoted.borough,
            )
    pack.refresh_from_db()
    # At once: no file, report or public summary holds the words while the pack is rebuilt.
    assert pack.status == EvidencePack.Status.PENDING and not pack.body_html and not pack.html
    assert not any(pack.html.storage.exists(name) for name in old_files)
    assert client.get(pack.get_public_url()).status_code == 404
    for callback in queued:
        callback()
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.PUBLISHED
    assert "Wordmarker" not in _pack_words(pack)
    assert client.get(pack.get_public_url()).status_code == 200


def test_a_pack_forgets_a_post_its_author_deletes(staff, cancer, voices, period, django_capture_on_commit_callbacks):
    from forums.models import Thread
    from programmes.themes import outcomes
    from programmes.themes import services as theme_services

    thread = Thread.objects.get(title="Screening letters are confusing")
    Thread.objects.filter(pk=thread.pk).update(body="Wordmarker: the letters confuse me.")
    theme = theme_services.theme_create(actor=staff, programme=cancer, name="Letters")
    theme_services.items_code(actor=staff, programme=cancer, codes={f"thread:{thread.pk}": {theme.pk}})
    outcomes.quote_choose(actor=staff, theme=theme, key=f"thread:{thread.pk}")
    pack = _build(staff, cancer, period, django_capture_on_commit_callbacks)
    assert "Wordmarker" in _pack_words(pack)
    from forums import authoring

    with django_capture_on_commit_callbacks(execute=True):
        authoring.thread_delete(actor=thread.author, thread=thread)
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.DRAFT
    assert "Wordmarker" not in _pack_words(pack)
