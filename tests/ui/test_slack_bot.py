"""The Slack bot in HTTP mode: signed requests in, answers from the real service out.

Slack's servers cannot be reached from here, so the bot's Web API client and slash-command
response URLs point at ``FakeSlackWebAPI`` (tests/ui/conftest.py), a loopback stand-in that records
what the bot posts. Everything else is real: bolt's signature check, the ASGI server, the
Sourcewise API (``live_api``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from service.slack_blocks import VOICE_MARKERS, escape_mrkdwn
from ui.api_client import SourcewiseClient
from ui.slack_bot import build_app, create_http_app, question_from_text

BOT_USER_ID = "UBOT0001"


def event_body(event: dict[str, Any], event_id: str = "Ev0001") -> str:
    """An Events API callback as Slack wraps it."""
    return json.dumps(
        {
            "token": "legacy-token-unused",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0001", "user_id": BOT_USER_ID, "is_bot": True}],
        }
    )


def mention(text: str, *, ts: str = "1700000000.000100", thread_ts: str | None = None) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": "U0PERSON",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": "C0CHANNEL",
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def all_texts(blocks: list[dict[str, Any]]) -> str:
    parts = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(element.get("text", "") for element in block.get("elements", []))
    return "\n".join(parts)


@pytest.fixture
def bot_url(slack_env: None, fake_slack: Any, live_api: str, serve_asgi: Callable[[Any], str]) -> str:
    """The bot, in HTTP mode, talking to the real service and to the Slack stand-in."""
    app = build_app(api_url=live_api, slack_api_url=fake_slack.base_url)
    return serve_asgi(create_http_app(app))


def assert_shows_the_answer(blocks: list[dict[str, Any]], answer: dict[str, Any]) -> None:
    """Voice headings with their markers, and the service's verbatim quotes, are in the message."""
    text = all_texts(blocks)
    for section in answer["sections"]:
        assert VOICE_MARKERS[section["voice"]] in text
        assert escape_mrkdwn(section["label"]) in text
    first_quote = answer["sections"][0]["quotes"][0]
    assert f"> {escape_mrkdwn(first_quote['text'].strip().splitlines()[0])}" in text
    assert "Traceback" not in text


@pytest.mark.server
def test_mention_is_acked_at_once_and_answered_in_its_thread(
    bot_url: str, fake_slack: Any, sign: Callable[..., dict[str, str]], corpus_question: str,
    corpus_answer: dict[str, Any],
) -> None:
    body = event_body(mention(corpus_question))
    started = time.monotonic()
    response = httpx.post(
        f"{bot_url}/slack/events", content=body, headers=sign(body, content_type="application/json"), timeout=10
    )
    assert response.status_code == 200
    assert time.monotonic() - started < 3, "Slack gives up on requests not acknowledged within 3 s"

    posted = fake_slack.wait_for("chat.postMessage", lambda call: "blocks" in call.body)
    assert posted.body["channel"] == "C0CHANNEL"
    assert posted.body["thread_ts"] == "1700000000.000100"
    assert posted.authorization == "Bearer xoxb-test-token"
    assert_shows_the_answer(posted.body["blocks"], corpus_answer)
    assert posted.body["text"], "a notification needs fallback text"


@pytest.mark.server
def test_slash_command_acks_then_answers_in_the_channel(
    bot_url: str, fake_slack: Any, sign: Callable[..., dict[str, str]], corpus_question: str,
    corpus_answer: dict[str, Any],
) -> None:
    body = urlencode(
        {
            "token": "legacy-token-unused",
            "team_id": "T0001",
            "channel_id": "C0CHANNEL",
            "user_id": "U0PERSON",
            "command": "/sourcewise",
            "text": corpus_question,
            "response_url": fake_slack.response_url("cmd-1"),
            "trigger_id": "1.2.3",
        }
    )
    started = time.monotonic()
    response = httpx.post(
        f"{bot_url}/slack/events",
        content=body,
        headers=sign(body, content_type="application/x-www-form-urlencoded"),
        timeout=10,
    )
    assert response.status_code == 200
    assert time.monotonic() - started < 3
    assert "Looking that up" in response.text  # shown only to the asker

    answered = fake_slack.wait_for("response_url", lambda call: "blocks" in call.body)
    assert answered.path == "/response/cmd-1"
    assert answered.body["response_type"] == "in_channel"
    assert_shows_the_answer(answered.body["blocks"], corpus_answer)
    assert "<@U0PERSON> asked" in all_texts(answered.body["blocks"])


@pytest.mark.server
def test_direct_message_is_answered_and_the_bots_own_messages_are_not(
    bot_url: str, fake_slack: Any, sign: Callable[..., dict[str, str]], corpus_question: str,
    corpus_answer: dict[str, Any],
) -> None:
    own = {"type": "message", "channel_type": "im", "channel": "D0DM", "user": BOT_USER_ID,
           "bot_id": "B0001", "text": "an answer of mine", "ts": "1700000000.000050"}
    body = event_body(own, event_id="Ev-own")
    assert httpx.post(f"{bot_url}/slack/events", content=body,
                      headers=sign(body, content_type="application/json")).status_code == 200

    dm = {"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0PERSON",
          "text": corpus_question, "ts": "1700000000.000200"}
    body = event_body(dm, event_id="Ev-dm")
    assert httpx.post(f"{bot_url}/slack/events", content=body,
                      headers=sign(body, content_type="application/json")).status_code == 200

    posted = fake_slack.wait_for("chat.postMessage", lambda call: "blocks" in call.body)
    assert posted.body["channel"] == "D0DM"
    assert posted.body["thread_ts"] == "1700000000.000200"
    assert_shows_the_answer(posted.body["blocks"], corpus_answer)
    time.sleep(1)  # give a (wrong) reply to the bot's own message time to show up
    assert len(fake_slack.of("chat.postMessage")) == 1


@pytest.mark.server
def test_follow_up_in_a_thread_is_asked_with_the_threads_history(
    bot_url: str, fake_slack: Any, sign: Callable[..., dict[str, str]], corpus_question: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A spy, not a fake: it records the history the bot sends, then calls the real service.
    histories: list[Any] = []
    real_ask_slack = SourcewiseClient.ask_slack

    def recording_ask_slack(self: SourcewiseClient, question: str, **kwargs: Any) -> Any:
        histories.append(kwargs.get("history"))
        return real_ask_slack(self, question, **kwargs)

    monkeypatch.setattr(SourcewiseClient, "ask_slack", recording_ask_slack)

    body = event_body(mention(corpus_question, ts="1700000000.000300"), event_id="Ev-1")
    httpx.post(f"{bot_url}/slack/events", content=body, headers=sign(body, content_type="application/json"))
    first = fake_slack.wait_for("chat.postMessage", lambda call: "blocks" in call.body)
    assert first.body["metadata"]["event_payload"]["question"] == corpus_question

    follow_up = mention("And what did Russian state media say?", ts="1700000000.000400",
                        thread_ts="1700000000.000300")
    body = event_body(follow_up, event_id="Ev-2")
    httpx.post(f"{bot_url}/slack/events", content=body, headers=sign(body, content_type="application/json"))
    second = fake_slack.wait_for(
        "chat.postMessage", lambda call: call.body.get("thread_ts") == "1700000000.000300" and call is not first
    )
    replies = fake_slack.wait_for("conversations.replies")
    assert replies.body["ts"] == "1700000000.000300"
    assert histories[-1] == [
        {"role": "user", "content": corpus_question},
        {"role": "assistant", "content": first.body["metadata"]["event_payload"]["overview"]},
    ]
    assert second.body["metadata"]["event_payload"]["question"] == "And what did Russian state media say?"
    assert "blocks" in second.body


@pytest.mark.server
def test_bad_signature_is_refused_and_nothing_is_posted(
    bot_url: str, fake_slack: Any, sign: Callable[..., dict[str, str]], corpus_question: str
) -> None:
    body = event_body(mention(corpus_question))
    forged = sign(body, content_type="application/json", secret="not-the-signing-secret")
    response = httpx.post(f"{bot_url}/slack/events", content=body, headers=forged, timeout=10)
    assert response.status_code == 401

    unsigned = httpx.post(f"{bot_url}/slack/events", content=body,
                          headers={"Content-Type": "application/json"}, timeout=10)
    assert unsigned.status_code == 401
    time.sleep(1)
    assert fake_slack.of("chat.postMessage") == []


def test_when_the_api_is_down_a_friendly_message_is_posted_in_the_thread(
    slack_env: None, fake_slack: Any, closed_api_url: str, serve_asgi: Callable[[Any], str],
    sign: Callable[..., dict[str, str]],
) -> None:
    app = build_app(api_url=closed_api_url, slack_api_url=fake_slack.base_url)
    url = serve_asgi(create_http_app(app))
    body = event_body(mention("Why were CSTO troops sent to Kazakhstan?"))
    response = httpx.post(f"{url}/slack/events", content=body, headers=sign(body, content_type="application/json"))
    assert response.status_code == 200

    posted = fake_slack.wait_for("chat.postMessage", timeout=30)
    assert posted.body["thread_ts"] == "1700000000.000100"
    assert "can't reach Sourcewise" in posted.body["text"]
    assert "Traceback" not in posted.body["text"]
    assert "httpx" not in posted.body["text"]


def test_an_empty_mention_gets_usage_help(
    slack_env: None, fake_slack: Any, closed_api_url: str, serve_asgi: Callable[[Any], str],
    sign: Callable[..., dict[str, str]],
) -> None:
    url = serve_asgi(create_http_app(build_app(api_url=closed_api_url, slack_api_url=fake_slack.base_url)))
    body = event_body(mention(""))
    httpx.post(f"{url}/slack/events", content=body, headers=sign(body, content_type="application/json"))
    posted = fake_slack.wait_for("chat.postMessage", timeout=30)
    assert "Ask me about the documents" in posted.body["text"]


def test_missing_secrets_are_reported_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.slack_bot import SlackConfigError

    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "x")
    with pytest.raises(SlackConfigError, match="SLACK_BOT_TOKEN"):
        build_app(api_url="http://127.0.0.1:1", slack_api_url="http://127.0.0.1:1/api/")


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("<@UBOT0001> why were troops sent?", "why were troops sent?"),
        ("<@UBOT0001|sourcewise>   what about   <https://tass.ru|TASS>?", "what about TASS?"),
        ("is it true that A &amp; B &lt;agree&gt;", "is it true that A & B <agree>"),
        ("<@UBOT0001>", ""),
    ],
)
def test_question_is_read_from_a_slack_message(text: str, question: str) -> None:
    assert question_from_text(text) == question


def test_slacks_retry_of_a_slow_delivery_is_not_answered_twice(
    slack_env: None, fake_slack: Any, closed_api_url: str, serve_asgi: Callable[[Any], str],
    sign: Callable[..., dict[str, str]],
) -> None:
    url = serve_asgi(create_http_app(build_app(api_url=closed_api_url, slack_api_url=fake_slack.base_url)))
    body = event_body(mention("Why were CSTO troops sent to Kazakhstan?"))
    headers = {**sign(body, content_type="application/json"),
               "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert httpx.post(f"{url}/slack/events", content=body, headers=headers).status_code == 200
    time.sleep(1.5)
    assert fake_slack.of("chat.postMessage") == []


# -- the HTTP guard in front of bolt, channel scopes and the dry run -----------------------------


@pytest.fixture
def guarded_url(slack_env: None, fake_slack: Any, closed_api_url: str, serve_asgi: Callable[[Any], str]) -> str:
    """The bot in HTTP mode; the API is down, so any handled mention posts an 'unreachable' note."""
    return serve_asgi(create_http_app(build_app(api_url=closed_api_url, slack_api_url=fake_slack.base_url)))


def test_a_stale_signature_is_401_and_nothing_is_handled(guarded_url: str, fake_slack: Any) -> None:
    from slack_sdk.signature import SignatureVerifier

    from tests.ui.conftest import SLACK_SIGNING_SECRET

    body = event_body(mention("Why were troops sent?"))
    old = str(int(time.time()) - 600)
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": old,
               "X-Slack-Signature": SignatureVerifier(SLACK_SIGNING_SECRET).generate_signature(timestamp=old, body=body)}
    assert httpx.post(f"{guarded_url}/slack/events", content=body, headers=headers).status_code == 401
    time.sleep(1)
    assert fake_slack.of("chat.postMessage") == []


def test_a_signed_request_of_another_content_type_is_401(guarded_url: str, sign: Callable[..., dict[str, str]]) -> None:
    body = "<xml>not slack</xml>"
    response = httpx.post(f"{guarded_url}/slack/events", content=body, headers=sign(body, content_type="text/xml"))
    assert response.status_code == 401


def test_an_oversized_body_is_413_before_the_signature_is_checked(guarded_url: str) -> None:
    body = "x" * (70 * 1024)
    response = httpx.post(f"{guarded_url}/slack/events", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_a_replayed_request_is_answered_once(guarded_url: str, fake_slack: Any, sign: Callable[..., dict[str, str]]) -> None:
    body = event_body(mention("Why were CSTO troops sent to Kazakhstan?"), event_id="EvReplay1")
    headers = sign(body, content_type="application/json")
    for _ in range(3):
        assert httpx.post(f"{guarded_url}/slack/events", content=body, headers=headers).status_code == 200
    fake_slack.wait_for("chat.postMessage", timeout=30)
    time.sleep(1.5)
    assert len(fake_slack.of("chat.postMessage")) == 1


def test_the_http_mode_binds_to_loopback_by_default() -> None:
    from unittest import mock

    from ui import slack_bot

    with mock.patch.object(slack_bot, "build_app") as build, mock.patch.object(slack_bot, "_serve_http") as serve:
        assert slack_bot.main(["--http"]) == 0
    assert build.called and serve.call_args.args[1] == "127.0.0.1"


def test_channel_scopes_are_read_and_bad_ones_named() -> None:
    from ui.slack_bot import SlackConfigError, channel_scopes

    scopes = channel_scopes('{"C0DESK": {"corpora": ["desk"]}, "*": {"voices": ["independent"]}}')
    assert scopes == {"C0DESK": {"corpora": ["desk"]}, "*": {"voices": ["independent"]}}
    assert channel_scopes("") == {}
    with pytest.raises(SlackConfigError, match="not JSON"):
        channel_scopes("{nope")
    with pytest.raises(SlackConfigError, match="C0X"):
        channel_scopes('{"C0X": {"colour": ["red"]}}')


@pytest.mark.server
def test_a_scoped_channel_is_answered_from_its_scope_only(
    slack_env: None, fake_slack: Any, live_api: str, serve_asgi: Callable[[Any], str],
    sign: Callable[..., dict[str, str]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCEWISE_SLACK_CHANNEL_SCOPES", '{"C0CHANNEL": {"voices": ["russian_state"]}}')
    url = serve_asgi(create_http_app(build_app(api_url=live_api, slack_api_url=fake_slack.base_url)))
    body = event_body(mention("What was said about the CSTO troops in Kazakhstan?"), event_id="EvScope1")
    assert httpx.post(f"{url}/slack/events", content=body, headers=sign(body, content_type="application/json")).status_code == 200
    posted = fake_slack.wait_for("chat.postMessage", lambda call: "blocks" in call.body, timeout=60)
    question = "What was said about the CSTO troops in Kazakhstan?"
    scoped = httpx.post(f"{live_api}/v1/ask", json={"question": question, "filters": {"voices": ["russian_state"]}},
                        timeout=120).json()
    unscoped = httpx.post(f"{live_api}/v1/ask", json={"question": question}, timeout=120).json()
    assert scoped["sections"] and {s["voice"] for s in scoped["sections"]} == {"russian_state"}
    text = all_texts(posted.body["blocks"])
    assert escape_mrkdwn(scoped["sections"][0]["quotes"][0]["text"].strip().splitlines()[0]) in text
    others = [q for s in unscoped["sections"] if s["voice"] != "russian_state" for q in s["quotes"]]
    assert others, "the unscoped answer has other voices to leave out"
    for quote in others:
        assert escape_mrkdwn(quote["text"].strip().splitlines()[0]) not in text


@pytest.mark.server
def test_the_dry_run_prints_the_message_and_posts_nothing(live_api: str, capsys: pytest.CaptureFixture[str]) -> None:
    from ui.slack_bot import main

    assert main(["--dry-run", "Why were CSTO troops sent to Kazakhstan?", "--api-url", live_api]) == 0
    out = capsys.readouterr().out
    assert "--- notification text ---" in out and "--- blocks ---" in out
    assert "Traceback" not in out and ">" in out
