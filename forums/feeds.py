"""RSS and Atom feeds of a discussion's newest comments. Feeds are public, so they show only what
a visitor who is not signed in would see."""

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from talkhealth.feeds import CleanFeed

from .models import Comment, Thread, Visibility
from .querysets import TEXT_MAY_TRAVEL, text_may_travel

FEED_ITEMS = 30


class ThreadCommentsFeed(CleanFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Thread.objects.visible_to(AnonymousUser()).select_related("board__programme"), pk=pk)

    def title(self, thread):
        return f"Talk Health: comments on “{thread.title}”" if text_may_travel(thread) else "Talk Health: comments"

    def description(self, thread):
        return f"The newest comments in a {thread.board.programme.short_name} discussion on Talk Health."

    def link(self, thread):
        return thread.get_absolute_url()

    def items(self, thread):
        return (
            Comment.objects.filter(TEXT_MAY_TRAVEL, thread=thread, visibility=Visibility.PUBLISHED, is_deleted=False)
            .select_related("author")
            .order_by("-created_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return f"{'Official response' if item.is_official else 'Comment'} by {item.author.display_name}"

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_author_name(self, item):
        return item.author.display_name


class ThreadCommentsAtomFeed(ThreadCommentsFeed):
    feed_type = Atom1Feed

    def subtitle(self, thread):
        return self.description(thread)
