"""Photos of originals (a postcard, a form): images only, size-capped, stored privately and shown
to partnership staff only through the staff area."""

import uuid

from django.core.exceptions import ValidationError

MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"GIF87a": ("image/gif", "gif"),
    b"GIF89a": ("image/gif", "gif"),
}


def image_type(head: bytes) -> str | None:
    """The image's MIME type read from its first bytes (not its name), or None."""
    for signature, (mime, _) in SIGNATURES.items():
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def original_name(upload) -> str:
    """A random name: the uploaded file's own name may say whose postcard it is."""
    upload.seek(0)
    mime = image_type(upload.read(12))
    upload.seek(0)
    return f"{uuid.uuid4().hex}.{mime.split('/')[1].replace('jpeg', 'jpg')}"


def original_check(upload) -> None:
    if upload.size > MAX_BYTES:
        raise ValidationError({"original": "The photo must be 5 MB or smaller."}, code="too_big")
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if image_type(head) is None:
        raise ValidationError({"original": "The photo must be a JPEG, PNG, GIF or WebP image."}, code="not_image")
