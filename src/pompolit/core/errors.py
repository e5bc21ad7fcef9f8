def error_messages(error: Exception) -> list[str]:
    """What a service's refusal says (a ValidationError's messages), for a page or a command."""
    return list(getattr(error, "messages", None) or [str(error)])
