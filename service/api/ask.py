"""``POST /v1/ask`` and ``POST /v1/ask/slack``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status

from service.deps import EngineDep, ReadAccess
from service.errors import ERROR_RESPONSES
from service.metrics import record_answer
from service.schemas import AskRequest, AskResponse, SlackAnswer
from service.slack_blocks import render_answer

router = APIRouter(tags=["answers"], dependencies=[ReadAccess])


async def ask_slot(request: Request) -> AsyncIterator[None]:
    """A place among the questions this process answers at once; 503 with Retry-After when the
    queue would keep a client waiting longer than ``queue_wait_s`` (overload answers fast)."""
    slots: asyncio.Semaphore = request.app.state.ask_slots
    wait = request.app.state.settings.queue_wait_s
    try:
        if slots.locked():
            await asyncio.wait_for(slots.acquire(), timeout=wait)
        else:
            await slots.acquire()  # a free slot is taken at once, whatever the wait allowed
    except TimeoutError:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="The service is answering as many questions as it can; retry in a moment",
            headers={"Retry-After": "1"},
        ) from None
    try:
        yield
    finally:
        slots.release()


Slot = Annotated[None, Depends(ask_slot)]


@router.post("/v1/ask", response_model=AskResponse, responses=ERROR_RESPONSES)
def ask(request: AskRequest, engine: EngineDep, _: Slot) -> AskResponse:
    """Answer a question with verbatim quotes grouped by the voice of who makes each claim."""
    answer = engine.ask(request)
    record_answer(answer)
    return answer


@router.post("/v1/ask/slack", response_model=SlackAnswer, responses=ERROR_RESPONSES)
def ask_slack(request: AskRequest, engine: EngineDep, _: Slot) -> SlackAnswer:
    """The same answer, also rendered as a Slack Block Kit message."""
    answer = engine.ask(request)
    record_answer(answer)
    message = render_answer(answer.model_dump(mode="json"))
    return SlackAnswer(text=message["text"], blocks=message["blocks"], answer=answer)
