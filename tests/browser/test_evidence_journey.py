"""Who was heard, in real Chromium: a new resident answers the equality questions after signing
up; staff open who was heard for a programme, see an under-heard group and start planning a
session for it, build the evidence pack, download HTML, DOCX and CSV, and publish the summary.
axe finds nothing on the new pages, the equality errors, or the HTML pack."""

import re
import zipfile

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import EqualityAnswers, User
from programmes.evidence.models import EvidencePack
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_journeys import confirmation_link
from tests.factories import StaffFactory, UserFactory
from tests.forums.factories import ThreadFactory, general_board
from tests.smallcells import unsuppressed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.FORUMS_RATE_LIMITS = [(1, 1000)]
    settings.FORUMS_NEW_ACCOUNT_RATE_LIMITS = [(1, 1000)]


def test_a_new_resident_answers_the_equality_questions(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill("ada@example.com")
    page.get_by_label("Display name").fill("Ada L")
    page.get_by_label("Create a password").fill("a-long-enough-passphrase")
    page.get_by_label("Type your password again").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    page.goto(confirmation_link(mail.outbox[0]))
    page.get_by_role("button", name="Confirm email address").click()
    page.get_by_label("Email address").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Equality questions")
    expect(page.get_by_role("link", name="Skip these questions")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Year", exact=True).fill("1979")
    page.get_by_role("group", name="What is your sex?").get_by_label("Female").check()
    page.get_by_role("radio", name="Caribbean", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Tick the box to agree")
    assert_no_axe_violations(page)

    page.get_by_label("I agree to Talk Health keeping these answers").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    answers = EqualityAnswers.objects.get(user=User.objects.get(email="ada@example.com"))
    assert (answers.year_of_birth, answers.sex, answers.ethnic_group) == (1979, "female", "black-caribbean")

    page.goto("/accounts/equality/")
    expect(page.get_by_label("Year", exact=True)).to_have_value("1979")
    expect(page.get_by_role("button", name="Delete my equality answers")).to_be_visible()
    assert_no_axe_violations(page)


def _voices():
    """12 women from Hackney and 10 men from Croydon, all White British, start discussions in Cancer."""
    for borough, sex, count in (("hackney", "female", 12), ("croydon", "male", 10)):
        for _ in range(count):
            person = UserFactory(borough=borough)
            account_services.equality_answers_save(
                actor=person, user=person, consent=True, year_of_birth=1970, sex=sex, ethnic_group="white-british"
            )
            ThreadFactory(author=person, board=general_board("cancer"))


def _heard_offline_and_coded():
    """12 postcards from a Brent roadshow with a BSL interpreter; every contribution coded "Letters",
    one postcard chosen as a quote."""
    from programmes.contributions.corpus import corpus_keys
    from programmes.models import Programme
    from programmes.themes import outcomes
    from programmes.themes import services as theme_services
    from tests.programmes.staff.offline.conftest import make_session, record

    staff = StaffFactory()
    cancer = Programme.objects.get(slug="cancer")
    session = make_session(staff, cancer, date=timezone.localdate() - timezone.timedelta(days=2))
    cards = [
        record(staff, session, text="Letters in plain English, please.", year_of_birth=1960, sex="male",
               ethnic_group="white-irish", disability="no", carer="no")
        for _ in range(12)
    ]
    theme = theme_services.theme_create(actor=staff, programme=cancer, name="Letters")
    theme_services.items_code(actor=staff, programme=cancer, codes={k.key: {theme.pk} for k in corpus_keys(programme=cancer)})
    outcomes.quote_choose(actor=staff, theme=theme, key=f"offline:{cards[0].pk}")


def test_staff_find_who_was_not_heard_build_the_pack_and_publish_it(page, sign_in):
    _voices()
    _heard_offline_and_coded()
    sign_in(StaffFactory(display_name="Kemi Adebayo"))
    page.goto("/staff/")
    page.get_by_role("link", name="See who was heard, against London").click()
    page.get_by_label("Programme").select_option(label="Cancer")
    page.get_by_role("button", name="Show who was heard").click()
    expect(page.get_by_role("table", name="Participants by ethnic group, against London")).to_be_visible()
    expect(page.locator("[data-dimension=ethnic_group]")).to_contain_text("Under-heard")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="plan a session to hear from them (Black, Black British, Caribbean or African)").click()
    expect(page.get_by_label("Title")).to_have_value(
        "Listening session: Black, Black British, Caribbean or African (ethnic group)"
    )
    expect(page.get_by_label("Programme")).to_have_value(str(general_board("cancer").programme_id))
    page.go_back()

    page.get_by_role("link", name="Build an evidence pack for Cancer").click()
    expect(page.get_by_label("Programme")).to_have_value("cancer")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Build the evidence pack").click()
    expect(page.get_by_text("The draft is ready for review.")).to_be_visible()
    assert_no_axe_violations(page)
    pack = EvidencePack.objects.get()

    with page.expect_download() as docx:
        page.get_by_role("link", name="Download the Word document (DOCX)").click()
    assert docx.value.suggested_filename.endswith("pack.docx")
    with page.expect_download() as tables:
        page.get_by_role("link", name="Download the tables (ZIP of CSV files)").click()
    assert "who_took_part_ethnic_group.csv" in zipfile.ZipFile(tables.value.path()).namelist()

    page.get_by_role("link", name="Read the report (web page, printable)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evidence pack: Cancer")
    expect(page.get_by_role("heading", level=2, name="Who took part")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Engagement sessions held"))).to_contain_text("Brent roadshow")
    expect(page.get_by_text("Sessions held in the period: 1, with support provided: British Sign Language")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("coded contributions by theme and sex"))).to_contain_text("Letters")
    expect(page.locator("blockquote footer")).to_have_text("Resident at the Brent roadshow")
    assert unsuppressed(page.content()) == []
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Sections of this report")).to_be_hidden()
    page.emulate_media(media="screen")
    assert_no_axe_violations(page)
    page.go_back()

    page.get_by_role("button", name="Publish the summary").click()
    expect(page.get_by_role("status")).to_contain_text("The summary is published on the programme's page.")
    pack.refresh_from_db()
    assert pack.status == EvidencePack.Status.PUBLISHED and pack.published_at <= timezone.now()

    page.goto("/programmes/cancer/")
    page.get_by_role("link", name="What we heard").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What we heard")
    expect(page.get_by_role("table", name="Participants by sex, against London")).to_contain_text("Female")
    assert_no_axe_violations(page)
