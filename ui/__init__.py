"""Sourcewise's chat clients: a Streamlit chat UI and a Slack bot.

Both are plain HTTP clients of the Sourcewise REST API (``/work/shared/API.md``): they never
import the service, the store or the models, so they can run on any machine that reaches the API.
"""
