"""Writes to a programme's codebook and its codes: keyword-only, one transaction each, permission
checked inside, and every change to a theme written to its audit trail."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from forums import pagetags as forum_pagetags
from forums.models import Thread

from ..contributions.corpus import corpus_items
from ..models import Programme
from ..pagetags import programme_changed
from .models import Coding, CodingStatus, Quote, Theme, ThemeChange, ThemeDecision, ThemeStatus

NAME_MAX = 120


def require(actor, perm: str = "programmes.change_theme") -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied("Only partnership staff can work on themes.")


def audit(theme: Theme, actor, action: str, summary: str) -> None:
    ThemeChange.objects.create(theme=theme, actor=actor, action=action, summary=summary[:300])
    decisions_pages_stale(theme)


def decisions_pages_stale(theme: Theme) -> None:
    """After commit, the cached pages of the decisions a theme fed (they name and link the theme):
    the programme's pages (its updates, "You said, we did", hub) and each official response's
    discussion. A theme that fed no decision is on no public page."""
    if not ThemeDecision.objects.filter(theme_id=theme.pk).exists():
        return
    programme_changed(Programme.objects.only("slug").get(pk=theme.programme_id))
    response_threads = ThemeDecision.objects.filter(theme_id=theme.pk, response__isnull=False).values(
        "response__thread_id"
    )
    for thread in Thread.objects.filter(pk__in=response_threads).only("id", "board_id", "author_id", "page_url"):
        forum_pagetags.thread_changed(thread)


def parse_key(key: str) -> tuple[str, int]:
    """ "comment:123" as ("comment", 123), or a ValidationError."""
    kind, _, pk = (key or "").partition(":")
    if kind not in ("thread", "comment", "offline") or not pk.isdigit():
        raise ValidationError(f"{key!r} is not a contribution.")
    return kind, int(pk)


def _clean_name(programme, name: str, *, exclude: Theme | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Give the theme a name."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"Theme names can be at most {NAME_MAX} characters."})
    clash = Theme.objects.filter(programme=programme, status=ThemeStatus.ACTIVE, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"name": f"This programme already has a theme called “{name}”."})
    return name


def _clean_parent(programme, parent: Theme | None, *, theme: Theme | None = None) -> Theme | None:
    """Two levels at most: a parent is an active top-level theme of the same programme."""
    if parent is None:
        return None
    if parent.programme_id != programme.pk or not parent.is_active or parent.parent_id is not None:
        raise ValidationError({"parent": "Choose a top-level theme of this programme that is in use."})
    if theme is not None and (parent.pk == theme.pk or theme.children.filter(status=ThemeStatus.ACTIVE).exists()):
        raise ValidationError({"parent": "A theme with themes under it stays at the top level."})
    return parent


@transaction.atomic
def theme_create(
    *, actor, programme, name: str, description: str = "", inclusion_notes: str = "", parent: Theme | None = None
) -> Theme:
    """Add a theme to the programme's codebook."""
    require(actor)
    theme = Theme.objects.create(
        programme=programme,
        name=_clean_name(programme, name),
        description=(description or "").strip(),
        inclusion_notes=(inclusion_notes or "").strip(),
        parent=_clean_parent(programme, parent),
        created_by=actor,
    )
    audit(theme, actor, ThemeChange.Action.CREATED, f"Created “{theme.name}”.")
    return theme


@transaction.atomic
def theme_edit(
    *, actor, theme: Theme, name: str, description: str = "", inclusion_notes: str = "", parent: Theme | None = None
) -> Theme:
    """Rename a theme or change its description, notes or level. The trail says what changed."""
    require(actor)
    theme = Theme.objects.select_for_update().select_related("programme").get(pk=theme.pk)
    if not theme.is_active:
        raise ValidationError("Only a theme in use can be changed.")
    new_name = _clean_name(theme.programme, name, exclude=theme)
    parent = _clean_parent(theme.programme, parent, theme=theme)
    said = []
    if new_name != theme.name:
        said.append(f"Renamed “{theme.name}” to “{new_name}”.")
    if (description or "").strip() != theme.description or (inclusion_notes or "").strip() != theme.inclusion_notes:
        said.append("Changed the description or inclusion notes.")
    if (parent.pk if parent else None) != theme.parent_id:
        said.append(f"Moved under “{parent.name}”." if parent else "Moved to the top level.")
    theme.name, theme.parent = new_name, parent
    theme.description, theme.inclusion_notes = (description or "").strip(), (inclusion_notes or "").strip()
    theme.updated_at = timezone.now()
    theme.save()
    if said:
        audit(theme, actor, ThemeChange.Action.EDITED, " ".join(said))
    return theme


def _move(rows, *, target_field: str, target: Theme, key_fields=("kind", "item_pk")) -> int:
    """Move rows (codings or quotes) to `target`, dropping those the target already has."""
    moved = 0
    model = rows.model
    have = set(model.objects.filter(**{target_field: target}).values_list(*key_fields))
    for row in rows:
        if tuple(getattr(row, f) for f in key_fields) in have:
            row.delete()
        else:
            setattr(row, target_field, target)
            row.save(update_fields=[target_field])
            moved += 1
    return moved


@transaction.atomic
def theme_merge(*, actor, source: Theme, target: Theme) -> Theme:
    """Fold `source` into `target`: its codes, quotes, decisions and sub-themes move with it, and
    it stays in the trail as merged."""
    require(actor)
    source, target = (Theme.objects.select_for_update().get(pk=t.pk) for t in (source, target))
    if source.pk == target.pk or source.programme_id != target.programme_id:
        raise ValidationError({"target": "Choose another theme of the same programme."})
    if not (source.is_active and target.is_active):
        raise ValidationError({"target": "Only themes in use can be merged."})
    if target.parent_id == source.pk:
        raise ValidationError({"target": "Merge a theme into its parent, not the other way round."})
    # A confirmed code on the source wins over a suggestion on the target.
    confirmed = Coding.objects.filter(theme=source, status=CodingStatus.CONFIRMED).values_list("kind", "item_pk")
    for kind, pk in confirmed:
        Coding.objects.filter(theme=target, kind=kind, item_pk=pk).exclude(status=CodingStatus.CONFIRMED).delete()
    codes = _move(Coding.objects.filter(theme=source), target_field="theme", target=target)
    _move(Quote.objects.filter(theme=source), target_field="theme", target=target)
    _move(
        ThemeDecision.objects.filter(theme=source, update__isnull=False),
        target_field="theme",
        target=target,
        key_fields=("update_id",),
    )
    _move(
        ThemeDecision.objects.filter(theme=source, response__isnull=False),
        target_field="theme",
        target=target,
        key_fields=("response_id",),
    )
    source.children.filter(status=ThemeStatus.ACTIVE).update(
        parent=target if target.parent_id is None else target.parent
    )
    source.status, source.merged_into, source.updated_at = ThemeStatus.MERGED, target, timezone.now()
    source.save()
    audit(source, actor, ThemeChange.Action.MERGED, f"Merged into “{target.name}”.")
    audit(
        target,
        actor,
        ThemeChange.Action.MERGED,
        f"“{source.name}” merged in ({codes} code{'s' if codes != 1 else ''} moved).",
    )
    return target


@transaction.atomic
def theme_split(*, actor, theme: Theme, name: str, keys: Iterable[str], description: str = "") -> Theme:
    """Make a new theme beside `theme` and move the chosen coded items to it."""
    require(actor)
    theme = Theme.objects.select_for_update().select_related("programme").get(pk=theme.pk)
    if not theme.is_active:
        raise ValidationError("Only a theme in use can be split.")
    pairs = {parse_key(k) for k in keys}
    if not pairs:
        raise ValidationError({"keys": "Choose the coded items that belong to the new theme."})
    new = Theme.objects.create(
        programme=theme.programme,
        name=_clean_name(theme.programme, name),
        description=(description or "").strip(),
        parent=theme.parent,
        created_by=actor,
    )
    moved = 0
    for kind, pk in sorted(pairs):
        moved += Coding.objects.filter(theme=theme, kind=kind, item_pk=pk).update(theme=new)
    audit(
        new,
        actor,
        ThemeChange.Action.SPLIT,
        f"Split from “{theme.name}” with {moved} item{'s' if moved != 1 else ''}.",
    )
    audit(
        theme, actor, ThemeChange.Action.SPLIT, f"{moved} item{'s' if moved != 1 else ''} split off into “{new.name}”."
    )
    return new


@transaction.atomic
def theme_retire(*, actor, theme: Theme) -> Theme:
    """Stop using a theme (and its sub-themes). Its codes are kept for the record but no longer
    counted; its open suggestions are withdrawn."""
    require(actor)
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if not theme.is_active:
        return theme
    family = [theme, *theme.children.filter(status=ThemeStatus.ACTIVE)]
    for t in family:
        t.status, t.updated_at = ThemeStatus.RETIRED, timezone.now()
        t.save(update_fields=["status", "updated_at"])
        Coding.objects.filter(theme=t, status=CodingStatus.SUGGESTED).delete()
        audit(t, actor, ThemeChange.Action.RETIRED, f"Retired “{t.name}”.")
    return theme


def _programme_keys(programme) -> set[str]:
    return {item.key for item in corpus_items(programme=programme)}


@transaction.atomic
def items_code(*, actor, programme, codes: dict[str, set[int]]) -> int:
    """Code contributions: {key: theme ids}. A suggestion of a chosen theme becomes a code; items
    given no theme stay uncoded. Returns how many items were coded."""
    require(actor)
    codes = {k: set(v) for k, v in codes.items() if v}
    if not codes:
        return 0
    known = _programme_keys(programme)
    if unknown := sorted(set(codes) - known):
        raise ValidationError(f"Not a contribution to this programme: {', '.join(unknown[:3])}.")
    active = set(Theme.objects.filter(programme=programme, status=ThemeStatus.ACTIVE).values_list("pk", flat=True))
    if stray := {t for ids in codes.values() for t in ids} - active:
        raise ValidationError(f"Not a theme in use in this programme: {sorted(stray)}.")
    now = timezone.now()
    for key, theme_ids in sorted(codes.items()):
        kind, pk = parse_key(key)
        for theme_id in sorted(theme_ids):
            Coding.objects.update_or_create(
                theme_id=theme_id,
                kind=kind,
                item_pk=pk,
                defaults={
                    "programme": programme,
                    "status": CodingStatus.CONFIRMED,
                    "decided_by": actor,
                    "decided_at": now,
                },
            )
    return len(codes)


@transaction.atomic
def suggestions_decide(*, actor, programme, coding_ids: Iterable[int], confirm: bool) -> int:
    """Confirm or reject suggestions, one or many. Only a confirmed suggestion counts as coded; a
    rejected one teaches the next classifier run."""
    require(actor)
    rows = Coding.objects.filter(
        programme=programme, pk__in=list(coding_ids), status=CodingStatus.SUGGESTED, theme__status=ThemeStatus.ACTIVE
    )
    return rows.update(
        status=CodingStatus.CONFIRMED if confirm else CodingStatus.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
    )
