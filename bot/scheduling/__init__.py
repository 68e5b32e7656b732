"""Scheduled jobs (APScheduler): thin wrappers that call domain functions."""
