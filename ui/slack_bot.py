"""Sourcewise Slack bot: answers mentions, direct messages and ``/sourcewise`` with quotes by voice.

The bot is a plain HTTP client of the Sourcewise API: it asks ``POST /v1/ask/slack`` and posts the
Block Kit message the API renders. Slack wants every request acknowledged within 3 seconds and an
answer can take longer, so each listener acks at once and does the work in a bolt *lazy listener*
(a worker thread here; a separate invocation on FaaS with ``process_before_response``).

Secrets come only from the environment:

* ``SLACK_BOT_TOKEN`` (``xoxb-…``) and ``SLACK_SIGNING_SECRET`` (HTTP mode; requests are verified
  by bolt's middleware against it);
* ``SLACK_APP_TOKEN`` (``xapp-…``) for Socket Mode.

The API address is ``Settings.api_url`` (``SOURCEWISE_API_URL``); where the API has keys, the bot
sends ``SOURCEWISE_API_KEY`` (a read key is enough).

Run::

    python -m ui.slack_bot --http --port 3000   # Slack posts to http(s)://HOST:3000/slack/events
    python -m ui.slack_bot --socket             # no public URL needed
    python -m ui.slack_bot --dry-run "What did Peskov say?" [--channel C0123]   # print, post nothing

A channel can be tied to corpora and voices: ``SOURCEWISE_SLACK_CHANNEL_SCOPES`` is a JSON object of
channel id (or ``*`` for every other channel) to filters, e.g.
``{"C0123ABCD": {"corpora": ["desk"]}, "*": {"voices": ["independent", "russian_state"]}}``.

Slack app configuration: bot scopes ``app_mentions:read``, ``chat:write``, ``im:history``,
``commands`` (and optionally ``channels:history``/``groups:history`` so that follow-ups in a thread
are understood); events ``app_mention`` and ``message.im``; a slash command ``/sourcewise``.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltRequest, BoltResponse, Respond
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sourcewise.settings import get_settings
from ui.api_client import (
    MAX_HISTORY_TURNS,
    AskFilters,
    HistoryTurn,
    SlackAnswer,
    SourcewiseAPIError,
    SourcewiseClient,
)

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SLASH_COMMAND = "/sourcewise"
#: ``event_type`` of the metadata attached to every answer, so that a thread can be replayed as
#: chat history for follow-up questions.
ANSWER_METADATA_TYPE = "sourcewise_answer"

USAGE = (
    "Ask me about the documents, e.g. `@Sourcewise why were CSTO troops sent to Kazakhstan?` "
    f"or `{SLASH_COMMAND} what did the Kremlin say about the protests?`. "
    "I answer with verbatim quotes, grouped by who makes each claim."
)


SOMETHING_WENT_WRONG = (
    ":warning: Sorry, something went wrong on my side while answering. "
    "Please try again; if it keeps happening, tell whoever runs the bot."
)


class SlackConfigError(RuntimeError):
    """A required Slack secret is missing from the environment."""


def escape_mrkdwn(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so that text is shown as written in Slack."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def question_from_text(text: str) -> str:
    """The question in a Slack message: mentions removed, links and entities turned back into text."""
    text = re.sub(r"<@[A-Z0-9]+(?:\|[^>]*)?>", " ", text)
    # <https://x|label> -> label, <https://x> -> https://x (Slack wraps URLs the user typed).
    text = re.sub(r"<((?:https?|mailto):[^>|]+)\|([^>]+)>", r"\2", text)
    text = re.sub(r"<((?:https?|mailto):[^>|]+)>", r"\1", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def friendly_error(error: SourcewiseAPIError) -> str:
    """What to tell people in Slack when the API fails: plain, actionable, never a traceback."""
    if error.unreachable:
        return (
            ":warning: Sorry, I can't reach Sourcewise right now, so I can't answer. "
            "Please try again in a few minutes; if it keeps happening, ask whoever runs the bot "
            "to check that the Sourcewise API is up."
        )
    if error.status_code is not None and error.status_code < 500:
        return f":warning: Sorry, Sourcewise could not take that question: {escape_mrkdwn(error.message)}"
    return (
        ":warning: Sorry, Sourcewise could not answer right now "
        f"(it said: {escape_mrkdwn(error.message)}). Please try again later."
    )


SCOPE_FIELDS = ("corpora", "voices", "publishers", "speakers")


def channel_scopes(raw: str | None) -> dict[str, AskFilters]:
    """``SOURCEWISE_SLACK_CHANNEL_SCOPES``: a JSON object of channel id (or ``*``) to filters.

    ``{"C0123ABCD": {"corpora": ["desk"]}, "*": {"voices": ["independent"]}}`` ties channel
    C0123ABCD to the desk corpus and every other channel to independent sources. SlackConfigError
    names what is wrong.
    """
    import json

    if not raw or not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise SlackConfigError(f"SOURCEWISE_SLACK_CHANNEL_SCOPES is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise SlackConfigError("SOURCEWISE_SLACK_CHANNEL_SCOPES must be a JSON object of channel id to filters")
    scopes: dict[str, AskFilters] = {}
    for channel, filters in data.items():
        if not isinstance(filters, dict) or set(filters) - set(SCOPE_FIELDS):
            raise SlackConfigError(f"scope of {channel!r}: give an object with only {', '.join(SCOPE_FIELDS)}")
        if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in filters.values()):
            raise SlackConfigError(f"scope of {channel!r}: each filter is a list of names")
        scopes[channel] = {k: list(v) for k, v in filters.items() if v}  # type: ignore[misc]
    return scopes


def _require_env(name: str, purpose: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise SlackConfigError(f"{name} is not set: {purpose}")
    return value


class SourcewiseSlackBot:
    """The listeners, bound to one Sourcewise API client."""

    def __init__(self, sourcewise: SourcewiseClient, scopes: dict[str, AskFilters] | None = None) -> None:
        self.sourcewise = sourcewise
        #: Channel id -> the filters its questions are asked with ("*": every other channel).
        self.scopes = dict(scopes or {})

    def scope(self, channel: str | None) -> AskFilters | None:
        """The filters of a channel's scope (its own, else ``*``), or None for no restriction."""
        found = self.scopes.get(channel or "") or self.scopes.get("*")
        return dict(found) if found else None

    # -- acks (must return within 3 s: no I/O) ------------------------------------------------

    @staticmethod
    def ack_event(ack: Ack) -> None:
        """Acknowledge an event at once; the answer follows from the lazy listener."""
        ack()

    @staticmethod
    def ack_command(ack: Ack, command: dict[str, Any]) -> None:
        """Acknowledge ``/sourcewise`` with a short note only the asker sees."""
        question = question_from_text(command.get("text", ""))
        if not question:
            ack(text=USAGE)
        else:
            ack(text=f":mag: Looking that up: _{escape_mrkdwn(question)}_")

    # -- slow work ----------------------------------------------------------------------------

    def answer_in_thread(self, event: dict[str, Any], client: WebClient) -> None:
        """Answer an ``@Sourcewise`` mention or a direct message in its thread."""
        channel = event["channel"]
        thread_ts = event.get("thread_ts") or event["ts"]
        try:
            self._answer_in_thread(event, client, channel, thread_ts)
        except Exception:
            # A bug or an unexpected reply must not leave the asker waiting in silence.
            logger.exception("Answering in %s failed", channel)
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=SOMETHING_WENT_WRONG)

    def _answer_in_thread(self, event: dict[str, Any], client: WebClient, channel: str, thread_ts: str) -> None:
        question = question_from_text(event.get("text", ""))
        if not question:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=USAGE)
            return
        history = self._thread_history(client, channel, event) if event.get("thread_ts") else []
        try:
            rendered = self.sourcewise.ask_slack(question, history=history, filters=self.scope(channel))
        except SourcewiseAPIError as error:
            logger.warning("Question in %s failed: %s", channel, error.message)
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=friendly_error(error))
            return
        self._post_answer(client, channel, thread_ts, question, rendered)

    def answer_command(self, command: dict[str, Any], respond: Respond) -> None:
        """Answer ``/sourcewise QUESTION`` in the channel through the command's response URL.

        The response URL works in every channel, even ones the bot has not joined.
        """
        try:
            self._answer_command(command, respond)
        except Exception:
            logger.exception("Answering %s failed", SLASH_COMMAND)
            respond(text=SOMETHING_WENT_WRONG, response_type="ephemeral", replace_original=False)

    def _answer_command(self, command: dict[str, Any], respond: Respond) -> None:
        question = question_from_text(command.get("text", ""))
        if not question:
            return  # the ack already showed the usage
        try:
            rendered = self.sourcewise.ask_slack(question, filters=self.scope(command.get("channel_id")))
        except SourcewiseAPIError as error:
            logger.warning("Slash command question failed: %s", error.message)
            respond(text=friendly_error(error), response_type="ephemeral", replace_original=False)
            return
        blocks = list(rendered["blocks"])
        asker = command.get("user_id")
        if asker and len(blocks) < 50:
            blocks.insert(0, _context_block(f"<@{asker}> asked with `{SLASH_COMMAND}`"))
        respond(text=rendered["text"], blocks=blocks, response_type="in_channel", replace_original=False)

    @staticmethod
    def _post_answer(client: WebClient, channel: str, thread_ts: str, question: str, rendered: SlackAnswer) -> None:
        # The metadata lets a later mention in this thread replay it as history.
        metadata = {
            "event_type": ANSWER_METADATA_TYPE,
            "event_payload": {"question": question[:2000], "overview": rendered["answer"]["answer"][:4000]},
        }
        try:
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=rendered["text"],
                blocks=rendered["blocks"],
                metadata=metadata,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            # Should the blocks ever be refused (a limit we did not foresee), the plain text still helps.
            logger.error("Slack refused the answer blocks (%s); posting the text only", error.response.get("error"))
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=rendered["text"])

    @staticmethod
    def _thread_history(client: WebClient, channel: str, event: dict[str, Any]) -> list[HistoryTurn]:
        """Earlier questions and answers of this thread, from the metadata of the bot's answers.

        Best effort: without the history scopes the question is simply asked on its own.
        """
        try:
            replies = client.conversations_replies(
                channel=channel, ts=event["thread_ts"], include_all_metadata=True, limit=100
            )
        except SlackApiError as error:
            logger.info("No thread history (%s); answering without it", error.response.get("error"))
            return []
        history: list[HistoryTurn] = []
        for message in replies.get("messages", []):
            if message.get("ts") == event.get("ts"):
                continue  # the question being answered now
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == ANSWER_METADATA_TYPE and payload.get("overview"):
                history.append({"role": "user", "content": str(payload.get("question", ""))})
                history.append({"role": "assistant", "content": str(payload["overview"])})
        return history[-MAX_HISTORY_TURNS:]


def _context_block(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _is_direct_message(event: dict[str, Any]) -> bool:
    """A person's new message in a DM with the bot (not an edit, not a bot's own message)."""
    return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")


def _ignore(ack: Ack) -> None:
    """Other message events (edits, channel chatter) need an ack and nothing else."""
    ack()


def skip_timeout_retries(request: BoltRequest, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Acknowledge Slack's re-sends of events it thinks timed out, without answering twice.

    Slack re-sends an event when the first delivery was not acknowledged within 3 s
    (``X-Slack-Retry-Reason: http_timeout``). The first delivery is being answered already, so the
    retry only needs a 200. Retries for other reasons (our server erred) are processed normally.
    """
    if request.headers.get("x-slack-retry-reason", [None])[0] == "http_timeout":
        logger.info("Ignoring Slack's retry #%s of a slow delivery", request.headers.get("x-slack-retry-num"))
        return BoltResponse(status=200, body="")
    return next()


def build_app(
    *,
    api_url: str | None = None,
    slack_api_url: str | None = None,
    process_before_response: bool = False,
) -> App:
    """The bolt App with Sourcewise's listeners.

    Args:
        api_url: the Sourcewise API; defaults to ``Settings.api_url``.
        slack_api_url: the Slack Web API base URL (tests point it at a local stand-in);
            defaults to Slack's.
        process_before_response: True on FaaS, where nothing may run after the HTTP response.
    """
    token = _require_env("SLACK_BOT_TOKEN", "set it to the app's Bot User OAuth Token (xoxb-…)")
    signing_secret = _require_env(
        "SLACK_SIGNING_SECRET", "set it to the app's Signing Secret (Basic Information > App Credentials)"
    )
    settings = get_settings()
    key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    sourcewise = SourcewiseClient(api_url or settings.api_url, api_key=key)
    bot = SourcewiseSlackBot(sourcewise, channel_scopes(os.environ.get("SOURCEWISE_SLACK_CHANNEL_SCOPES")))

    if slack_api_url:
        # Bolt validates the token with auth.test right here, against this base URL too.
        client_or_token: dict[str, Any] = {"client": WebClient(token=token, base_url=slack_api_url)}
    else:
        client_or_token = {"token": token}
    app = App(
        name="sourcewise",
        signing_secret=signing_secret,
        process_before_response=process_before_response,
        **client_or_token,
    )
    app.use(skip_timeout_retries)
    app.event("app_mention")(ack=bot.ack_event, lazy=[bot.answer_in_thread])
    # Order matters: bolt runs the first listener that matches, so DMs go before the catch-all.
    app.event("message", matchers=[_is_direct_message])(ack=bot.ack_event, lazy=[bot.answer_in_thread])
    app.event("message")(_ignore)
    app.command(SLASH_COMMAND)(ack=bot.ack_command, lazy=[bot.answer_command])
    logger.info("Slack bot ready; Sourcewise API at %s", sourcewise.base_url)
    return app


#: Largest request Slack sends the bot (events and slash commands are a few KiB).
MAX_SLACK_BODY_BYTES = 64 * 1024
#: Signed requests remembered to answer a replay once (a few minutes of traffic).
REPLAY_MEMORY = 10_000
SLACK_CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")


def create_http_app(bolt_app: App, path: str = EVENTS_PATH, *, signing_secret: str | None = None,
                    max_body_bytes: int = MAX_SLACK_BODY_BYTES) -> Starlette:
    """An ASGI app serving Slack's requests at ``path`` (and ``/healthz`` for load balancers).

    Before anything reads the body as JSON or a form, in this order: a body over ``max_body_bytes``
    is 413 (counted as it arrives, whatever Content-Length says); a request whose signature is
    missing, wrong or older than five minutes is 401; a content type Slack never sends is 401; a
    request already seen (same timestamp and signature: a replay) is answered 200 once more and
    never dispatched again. Then bolt's dispatch (synchronous: signature check again, ack) runs in
    a worker thread so that the event loop keeps accepting requests.
    """
    # Imported here: the adapter's helpers need starlette, only HTTP mode does.
    from collections import OrderedDict

    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from slack_sdk.signature import SignatureVerifier

    secret = signing_secret or os.environ.get("SLACK_SIGNING_SECRET", "")
    verifier = SignatureVerifier(secret)
    seen: OrderedDict[str, None] = OrderedDict()

    def refuse(status: int, error: str) -> Response:
        return JSONResponse({"error": error}, status_code=status)

    async def slack_events(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body_bytes:
            return refuse(413, f"request body over {max_body_bytes} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body_bytes:
                return refuse(413, f"request body over {max_body_bytes} bytes")
            chunks.append(chunk)
        body = b"".join(chunks)
        timestamp = request.headers.get("x-slack-request-timestamp", "")
        signature = request.headers.get("x-slack-signature", "")
        if not secret or not timestamp or not signature or not verifier.is_valid(body, timestamp, signature):
            return refuse(401, "invalid or stale Slack signature")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in SLACK_CONTENT_TYPES:
            return refuse(401, "not a Slack request (content type)")
        replay_key = f"{timestamp}:{signature}"
        if replay_key in seen:
            logger.info("A replayed Slack request was answered without being handled again")
            return Response(status_code=200)
        seen[replay_key] = None
        while len(seen) > REPLAY_MEMORY:
            seen.popitem(last=False)
        try:
            bolt_request = to_bolt_request(request, body)
        except UnicodeDecodeError:
            return refuse(400, "the request body is not UTF-8")
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[Route(path, slack_events, methods=["POST"]), Route("/healthz", healthz, methods=["GET"])]
    )


def render_terminal(rendered: SlackAnswer) -> str:
    """A rendered answer as a terminal would show the Slack message: fallback text, then each block."""
    lines = ["--- notification text ---", rendered["text"], "--- blocks ---"]
    for block in rendered["blocks"]:
        kind = block.get("type")
        if kind == "divider":
            lines.append("-" * 40)
            continue
        if kind == "header":
            lines.append(f"## {block['text']['text']}")
            continue
        if "text" in block:
            lines.append(block["text"]["text"])
        for element in block.get("elements", []):
            if element.get("text"):
                lines.append(f"  {element['text']}")
        for field in block.get("fields", []) or []:
            lines.append(f"  {field.get('text', '')}")
    lines.append(f"--- {len(rendered['blocks'])} blocks ---")
    return "\n".join(lines)


def dry_run(question: str, *, api_url: str | None = None, channel: str | None = None) -> int:
    """Ask as the bot would in ``channel`` (its scope applied) and print the message instead of posting it."""
    settings = get_settings()
    key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    try:
        scopes = channel_scopes(os.environ.get("SOURCEWISE_SLACK_CHANNEL_SCOPES"))
    except SlackConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    bot = SourcewiseSlackBot(SourcewiseClient(api_url or settings.api_url, api_key=key), scopes)
    scope = bot.scope(channel)
    if scope:
        print(f"(channel {channel or '*'} is scoped to {scope})")
    try:
        rendered = bot.sourcewise.ask_slack(question_from_text(question), filters=scope)
    except SourcewiseAPIError as error:
        print(friendly_error(error))
        return 1
    print(render_terminal(rendered))
    return 0


def _serve_http(app: App, host: str, port: int) -> None:
    import uvicorn

    logger.info("Listening for Slack on http://%s:%d%s", host, port, EVENTS_PATH)
    uvicorn.run(create_http_app(app), host=host, port=port, log_level="info")


def _serve_socket(app: App) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    app_token = _require_env(
        "SLACK_APP_TOKEN", "Socket Mode needs an app-level token (xapp-…) with the connections:write scope"
    )
    SocketModeHandler(app, app_token).start()


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m ui.slack_bot --http [--port 3000]`` or ``--socket``."""
    parser = argparse.ArgumentParser(prog="python -m ui.slack_bot", description="Run the Sourcewise Slack bot.")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--http", action="store_true", help="receive Slack's requests over HTTP (Events API)")
    mode.add_argument("--socket", action="store_true", help="connect to Slack with Socket Mode")
    mode.add_argument("--dry-run", metavar="QUESTION", help="print the answer the bot would post; Slack is not contacted")
    parser.add_argument("--channel", help="dry run: answer as in this channel (its SOURCEWISE_SLACK_CHANNEL_SCOPES scope)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="HTTP mode: address to bind (default loopback; 0.0.0.0 behind your TLS proxy)")
    parser.add_argument("--port", type=int, default=3000, help="HTTP mode: port (default 3000)")
    parser.add_argument("--api-url", default=None, help="Sourcewise API (default: SOURCEWISE_API_URL)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.dry_run is not None:
        return dry_run(args.dry_run, api_url=args.api_url, channel=args.channel)

    try:
        app = build_app(api_url=args.api_url)
        if args.http:
            _serve_http(app, args.host, args.port)
        else:
            _serve_socket(app)
    except SlackConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BoltError as error:
        # Raised at start-up when Slack rejects the bot token (auth.test).
        print(f"error: Slack refused the bot token: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        # urllib's URLError: Slack cannot be reached to check the token (network, proxy, DNS).
        print(f"error: cannot reach Slack to check the bot token: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
