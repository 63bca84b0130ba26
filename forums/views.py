"""Discussion pages. Each view validates a form and calls a service; reads go through selectors.

With htmx, replies, likes and follows swap in place; without JavaScript the same URLs take plain
form posts and redirect back.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from talkhealth import htmx, markdown, pagecache, signposting

from . import hooks, selectors, services
from .moderation import selectors as moderation_selectors
from .forms import CommentForm, ThreadForm
from .models import Comment, Visibility


def _refused(form, error: ValidationError) -> None:
    """Put a service's refusal on the form; personal information also offers the "post anyway" box."""
    form.add_error(None, error)
    form.personal_found = getattr(error, "code", None) == "personal_info" or any(
        getattr(e, "code", None) == "personal_info" for e in getattr(error, "error_list", [])
    )


def _posted(request, post):
    """Back to the post; after crisis language, to the urgent help card at the top of its page, focused,
    so the person sees help where their eyes are, with or without JavaScript."""
    _screening_messages(request, post)
    screening = getattr(post, "screening", None)
    if screening is None or not screening.crisis:
        return redirect(post)
    if isinstance(post, Comment):
        page = selectors.comment_page_number(comment=post)
        return HttpResponseRedirect(f"{post.thread.get_absolute_url()}{f'?page={page}' if page > 1 else ''}#urgent-help")
    return HttpResponseRedirect(f"{post.get_absolute_url()}#urgent-help")


def _screening_messages(request, post) -> None:
    screening = getattr(post, "screening", None)
    if screening is None:
        return
    if screening.crisis:
        messages.warning(request, signposting.TEXT, extra_tags=signposting.MESSAGE_TAG)
    if screening.held:
        messages.info(request, "Your post is waiting for a moderator to check it. You can see it; others will once it is approved.")


@pagecache.anonymous_page(
    params=("page",), tags=("board:{programme_slug}/{slug}", "~activity:{programme_slug}/{slug}")
)
def board_detail(request, programme_slug, slug):
    board = selectors.board_detail(programme_slug=programme_slug, slug=slug)
    sort = selectors.thread_sort(request.GET.get("sort"))
    page = selectors.board_threads(board=board, user=request.user, page=request.GET.get("page", 1), sort=sort)
    return render(
        request, "forums/board.html", {"board": board, "programme": board.programme, "page": page, **_sorting(sort)}
    )


def _sorting(sort: str) -> dict:
    return {"sort": sort, "sorts": selectors.THREAD_SORT_LABELS, "query_prefix": f"sort={sort}&"}


@login_required
def thread_create(request, programme_slug, slug):
    board = selectors.board_detail(programme_slug=programme_slug, slug=slug)
    if not board.accepts_threads:
        raise Http404
    if not request.user.has_perm("forums.add_thread"):
        suspension = moderation_selectors.active_suspension(user=request.user)
        if suspension is not None:
            return render(request, "forums/suspended.html", {"suspension": suspension}, status=403)
        raise PermissionDenied("Confirm your email address before starting a discussion.")
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(actor=request.user, board=board, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            if thread.visibility == Visibility.PUBLISHED:
                messages.success(request, "Your discussion has been posted.")
            return _posted(request, thread)
    return render(request, "forums/thread_form.html", {"board": board, "programme": board.programme, "form": form})


def _thread_context(request, thread, *, form=None, reply_to=None):
    context = selectors.discussion(
        thread, request.user, page=request.GET.get("page", 1), sort=request.GET.get("sort", "oldest")
    )
    return {
        **context,
        "board": thread.board,
        "programme": thread.board.programme,
        "form": form or CommentForm(),
        "reply_to": reply_to,
        "can_moderate": request.user.has_perm("forums.lock_thread", thread),
        "can_set_status": rules.has_perm("programmes.set_thread_status", request.user, thread),
        "suspension": moderation_selectors.active_suspension(user=request.user)
        if request.user.is_authenticated and request.user.email_verified and not context["can_reply"]
        else None,
    }


@pagecache.anonymous_page(params=("page", "sort"), tags=("thread:{pk}",))
def thread_detail(request, pk, slug=None):
    thread = selectors.thread_detail(pk=pk, user=request.user)
    if thread.page_url:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return HttpResponseRedirect(thread.page_url + query)
    if slug != thread.slug:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return HttpResponseRedirect(thread.get_absolute_url() + query)
    template = "forums/_comment_more.html" if request.htmx and request.GET.get("fragment") == "comments" else "forums/thread.html"
    return render(request, template, _thread_context(request, thread))


def _reply_parent(thread, raw: str):
    """The comment a reply answers, read from the posted form whatever else is wrong with it, so a
    reply sent back with an error still answers the same comment when it is posted again."""
    if not raw.strip().isdigit():
        return None
    return Comment.objects.filter(thread=thread, pk=int(raw)).select_related("author").first()


@login_required
@require_POST
def comment_create(request, pk):
    thread = selectors.thread_for_reply(pk=pk, user=request.user)
    form = CommentForm(request.POST)
    parent = _reply_parent(thread, request.POST.get("parent", ""))
    if form.is_valid():
        if form.cleaned_data.get("parent") and parent is None:
            form.add_error(None, "The comment you are replying to no longer exists.")
        if not form.errors:
            try:
                comment = services.comment_post(
                    actor=request.user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    parent=parent,
                    personal_confirmed=form.cleaned_data.get("personal_confirmed", False),
                    official=form.cleaned_data.get("official", False),
                )
            except ValidationError as error:
                _refused(form, error)
            else:
                if request.htmx:
                    thread.refresh_from_db(fields=["reply_count"])
                    return render(
                        request,
                        "forums/_comment_posted.html",
                        {
                            "comment": comment, "thread": thread, "form": CommentForm(), "parent": parent,
                            "can_reply": True, "screening": comment.screening,
                            "can_post_official": hooks.official_replies.allowed(request.user),
                            "listing": {
                                "liked_comment_ids": set(),
                                "staff_ids": {request.user.pk} if request.user.is_partnership_staff else set(),
                            },
                        },
                    )
                if comment.visibility == Visibility.PUBLISHED:
                    messages.success(request, "Your reply has been posted.")
                return _posted(request, comment)
    can_post_official = hooks.official_replies.allowed(request.user)
    if request.htmx:
        return render(
            request,
            "forums/_comment_form.html",
            {"thread": thread, "form": form, "parent": parent, "can_post_official": can_post_official},
        )
    if parent is not None:
        return render(
            request,
            "forums/comment_reply.html",
            {"thread": thread, "comment": parent, "form": form, "can_post_official": can_post_official},
            status=400,
        )
    thread = selectors.thread_detail(pk=pk, user=request.user)
    context = _thread_context(request, thread, form=form)
    return render(request, "forums/thread.html", context, status=400)


@login_required
def comment_reply(request, pk):
    """A reply form for one comment: its own page without JavaScript, an inline form with htmx."""
    comment = selectors.comment_for_action(pk=pk, user=request.user)
    if comment.is_deleted:
        messages.error(request, "That comment has been deleted, so you cannot reply to it.")
        return redirect(comment)
    initial = {"parent": comment.pk}
    if request.GET.get("quote"):
        selected = " ".join(request.GET.get("text", "").split())
        quoted = selected if selected and selected in " ".join(comment.body.split()) else comment.body
        initial["body"] = markdown.quote(quoted[:2000])
    form = CommentForm(initial=initial)
    template = "forums/_comment_form.html" if request.htmx else "forums/comment_reply.html"
    context = {
        "thread": comment.thread, "comment": comment, "parent": comment, "form": form,
        "can_post_official": hooks.official_replies.allowed(request.user),
    }
    return render(request, template, context)


def comment_permalink(request, pk):
    comment = selectors.comment_for_action(pk=pk, user=request.user)
    page = selectors.comment_page_number(comment=comment)
    query = f"?page={page}" if page > 1 else ""
    return HttpResponseRedirect(f"{comment.thread.get_absolute_url()}{query}#comment-{comment.pk}")


@login_required
def comment_edit(request, pk):
    comment = selectors.comment_for_action(pk=pk, user=request.user)
    if comment.author_id != request.user.pk or not request.user.has_perm("forums.change_comment", comment):
        raise PermissionDenied(
            "You can only edit your own comments, for a short time after posting. Moderators edit from the moderation page."
        )
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.comment_edit(
                actor=request.user,
                comment=comment,
                body=form.cleaned_data["body"],
                personal_confirmed=form.cleaned_data.get("personal_confirmed", False),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            if comment.visibility == Visibility.PUBLISHED:
                messages.success(request, "Your comment has been updated.")
            return _posted(request, comment)
    return render(request, "forums/comment_edit.html", {"comment": comment, "thread": comment.thread, "form": form})


@login_required
def comment_delete(request, pk):
    comment = selectors.comment_for_action(pk=pk, user=request.user)
    if comment.author_id != request.user.pk or not request.user.has_perm("forums.delete_comment", comment):
        raise PermissionDenied("You can only delete your own comments.")
    if request.method == "POST":
        services.comment_delete(actor=request.user, comment=comment)
        messages.success(request, "Your comment has been deleted.")
        return redirect(comment)
    return render(request, "forums/comment_delete.html", {"comment": comment, "thread": comment.thread})


@login_required
def comment_history(request, pk):
    comment = selectors.comment_for_action(pk=pk, user=request.user)
    if comment.author_id != request.user.pk or not request.user.has_perm("forums.view_revisions", comment):
        raise Http404
    revisions = selectors.comment_revisions(comment=comment)
    return render(request, "forums/comment_history.html", {"comment": comment, "revisions": revisions})


def _like_refused(request, error, obj):
    """Said beside the button with htmx; without JavaScript, at the top of the page the person came from."""
    message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    if request.htmx:
        return htmx.refusal(request, message, status=403 if isinstance(error, PermissionDenied) else 400)
    messages.error(request, message)
    return redirect(obj)


def _like_response(request, *, obj, liked, count, url_name, fallback):
    if request.htmx:
        return render(
            request,
            "forums/_like_button.jinja",
            {"target": obj, "liked": liked, "count": count, "like_url": reverse(url_name, args=[obj.pk])},
        )
    return redirect(fallback)


@login_required
@require_POST
def thread_like(request, pk):
    thread = selectors.thread_detail(pk=pk, user=request.user)
    try:
        liked, count = services.thread_like_toggle(actor=request.user, thread=thread)
    except (ValidationError, PermissionDenied) as error:
        return _like_refused(request, error, thread)
    return _like_response(request, obj=thread, liked=liked, count=count, url_name="forums:thread_like", fallback=thread)


@login_required
@require_POST
def comment_like(request, pk):
    comment = selectors.comment_for_action(pk=pk, user=request.user)
    try:
        liked, count = services.comment_like_toggle(actor=request.user, comment=comment)
    except (ValidationError, PermissionDenied) as error:
        return _like_refused(request, error, comment)
    return _like_response(
        request, obj=comment, liked=liked, count=count, url_name="forums:comment_like", fallback=comment
    )


@login_required
@require_POST
def thread_follow(request, pk):
    thread = selectors.thread_detail(pk=pk, user=request.user)
    following = services.thread_follow_set(actor=request.user, thread=thread, follow=request.POST.get("follow") == "1")
    if request.htmx:
        return render(request, "forums/_follow_button.html", {"thread": thread, "following": following, "refocus": True})
    messages.success(request, "You are following this discussion." if following else "You have unfollowed this discussion.")
    return redirect(thread)


@pagecache.anonymous_page(params=("page",), tags=("tags", "~activity"))
def tag_detail(request, slug):
    tag = selectors.tag_detail(slug=slug)
    sort = selectors.thread_sort(request.GET.get("sort"))
    page = selectors.tag_threads(tag=tag, user=request.user, page=request.GET.get("page", 1), sort=sort)
    return render(request, "forums/tag.html", {"tag": tag, "page": page, **_sorting(sort)})


@require_GET
def tag_suggest(request):
    """`<option>`s for the tag field's datalist: existing tags that start with the last typed one."""
    typed = request.GET.get("tags", "").split(",")[-1]
    return render(request, "forums/_tag_options.html", {"names": selectors.tag_suggestions(prefix=typed)})


@pagecache.anonymous_page(params=("show", "page"), tags=("person:{pk}", "~activity"))
def person_profile(request, pk):
    """A person's public page. The borough shows only if they chose to show it."""
    person = selectors.person_for_profile(pk=pk)
    profile = selectors.profile_page(
        person=person, user=request.user, tab=request.GET.get("show", "threads"), page=request.GET.get("page", 1)
    )
    return render(
        request,
        "forums/profile.html",
        {"profile": profile, "person": person, "tabs": selectors.PROFILE_TABS, "query_prefix": f"show={profile.tab}&"},
    )
