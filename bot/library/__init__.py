"""The content library: briefings and the glossary, turned into what the bot sends."""
