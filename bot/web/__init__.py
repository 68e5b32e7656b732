"""The web adapter: the Starlette app (health, Telegram webhook; the dashboard later)."""
