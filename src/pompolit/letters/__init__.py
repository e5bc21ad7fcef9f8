"""Letters to prisoners: writers (public, no account), moderation, tracking, replies."""
