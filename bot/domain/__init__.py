"""The domain core: use cases over SQLModel sessions. No Telegram, web or scheduler imports."""
