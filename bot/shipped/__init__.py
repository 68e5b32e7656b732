"""The content shipped in the package: a wheel carries the checkout's top-level content/ and
prompts/ here as bot/shipped/content and bot/shipped/prompts (pyproject.toml maps them with
package-dir). In a checkout these two folders hold only a note each, so that package
discovery finds them; bot/library/paths.py then reads the top-level folders instead.
"""
