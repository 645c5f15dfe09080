"""What the chat-template rules (FT901-FT906) share before ftlint.chat_template is imported."""


def checks_examples(conf, ctx) -> bool:
    """Without --chat-template these rules find nothing in any example: the engine does not call them, and
    the template machinery (ftlint.chat_template) is not imported."""
    return bool(ctx.run.options.get("chat_template"))
