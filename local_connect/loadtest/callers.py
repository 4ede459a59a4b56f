"""Simulated callers: each one a test phone number that calls, and calls again, until the run ends.

A caller draws a scenario for each call (weights in Mix):
  menu      dial the inbound number, English (or Spanish), a department and a sub-menu, wait in queue
  survey    as menu, and answer the three survey questions after the agent hangs up
  callback  as menu, wait for the callback offer (after the first 60 s hold message), take it on this
            number, hang up, and answer when the callback rings
  web       press "call me" on the website: POST /api/connect/contact with the customer's ID token,
            answer the ringing phone, wait in queue
Every caller has a patience: a caller still waiting in queue when it runs out hangs up (abandoned).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field

import phonenumbers

from local_connect.cognito import LOCAL_CLIENT_ID
from local_connect.cognito.tokens import DEFAULT_SCOPE, TokenMinter
from local_connect.cognito.users import User
from local_connect.loadtest.client import Channel, Http, PollCadence, Tally
from local_connect.numbers import INBOUND_NUMBER

MENU = {"1": "SalesMenu", "2": "AccountsMenu", "3": "SupportMenu"}
WEB_ISSUES = (
    ("sales", "new_order"),
    ("accounts", "billing"),
    ("support", "technical"),
    ("support", "devices"),
)
AREA_CODES = (
    "202",
    "212",
    "213",
    "214",
    "215",
    "216",
    "303",
    "305",
    "312",
    "404",
    "415",
    "503",
    "617",
    "713",
)


@dataclass(frozen=True)
class Mix:
    menu: float = 0.45
    survey: float = 0.25
    callback: float = 0.15
    web: float = 0.15

    def draw(self, rng: random.Random) -> str:
        names = ("menu", "survey", "callback", "web")
        return rng.choices(names, weights=[self.menu, self.survey, self.callback, self.web])[0]


@dataclass(frozen=True)
class CallerSettings:
    patience: tuple[float, float] = (20.0, 90.0)  # seconds in queue before hanging up
    redial_after: tuple[float, float] = (2.0, 10.0)  # seconds between one call and the next
    spanish: float = 0.1
    mix: Mix = field(default_factory=Mix)
    cadence: PollCadence = field(default_factory=PollCadence)


def test_numbers(count: int, seed: int = 7) -> list[str]:
    """`count` distinct valid US numbers (phonenumbers' metadata) in the 555 exchange and others."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        number = f"+1{rng.choice(AREA_CODES)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
        if number not in found and phonenumbers.is_valid_number(phonenumbers.parse(number)):
            found[number] = None
    return list(found)


@dataclass
class Context:
    http: Http
    tally: Tally
    settings: CallerSettings
    minter: TokenMinter
    web_flow_id: str
    stop_at: float  # loop time when every caller hangs up
    calls_left: list[int]  # one shared budget of calls (bounded runs)

    def take_call(self) -> bool:
        if self.calls_left[0] <= 0:
            return False
        self.calls_left[0] -= 1
        return True


class Caller:
    def __init__(self, context: Context, number: str, rng: random.Random) -> None:
        self.c = context
        self.number = number
        self.rng = rng
        self.path = f"/local/phones/{number}"
        self.phone = Channel(context.http, self.path, context.settings.cadence)
        self.token: str | None = None

    async def run(self, start_after: float) -> None:
        try:
            await self.calls(start_after)
        finally:
            self.phone.close()

    async def calls(self, start_after: float) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(start_after)
        while loop.time() < self.c.stop_at and self.c.take_call():
            scenario = self.c.settings.mix.draw(self.rng)
            self.c.tally.call_started(scenario)
            outcome = "cut_by_the_run_bound"  # cancelled: still busy when the run's last bound passed
            try:
                outcome = await self.call(scenario)
            except Exception as error:  # a bug or an answer we did not expect: counted, never hidden
                outcome = f"error_{type(error).__name__}"
            finally:
                if outcome not in ("callback_requested",):
                    await self.c.http.post(f"{self.path}/hangup", "hangup")
                self.c.tally.call_finished(outcome)
            await asyncio.sleep(self.rng.uniform(*self.c.settings.redial_after))

    async def digits(self, keys: str) -> None:
        await self.c.http.post(f"{self.path}/digits", "digits", {"digits": keys})

    async def answer_prompt(self, prompt: str, keys: str, deadline: float) -> bool:
        event = await self.phone.wait({"prompt"}, deadline, prompt)
        if event is None or event["type"] != "prompt":
            return False
        await self.digits(keys)
        return True

    async def call(self, scenario: str) -> str:
        loop = asyncio.get_running_loop()
        await self.phone.open()
        if scenario == "web":
            return await self.web_call()
        status, _ = await self.c.http.post(f"{self.path}/dial", "dial", {"to": INBOUND_NUMBER})
        if status != 200:
            return "dial_failed"
        ivr_deadline = min(self.c.stop_at, loop.time() + 60)
        language = "2" if self.rng.random() < self.c.settings.spanish else "1"
        if not await self.answer_prompt("LanguageOffer", language, ivr_deadline):
            return "ivr_missed"
        department = self.rng.choice(tuple(MENU))
        if not await self.answer_prompt("MainMenu", department, ivr_deadline):
            return "ivr_missed"
        if not await self.answer_prompt(MENU[department], self.rng.choice("12"), ivr_deadline):
            return "ivr_missed"
        return await self.in_queue(scenario, ivr_deadline)

    async def web_call(self) -> str:
        loop = asyncio.get_running_loop()
        department, issue = self.rng.choice(WEB_ISSUES)
        if self.token is None:
            user = User(
                f"load-{self.number[1:]}",
                str(uuid.uuid4()),
                {"phone_number": self.number, "phone_number_verified": True},
            )
            self.token = self.c.minter.pair(user, LOCAL_CLIENT_ID, DEFAULT_SCOPE, int(time.time()))[0]
        status, _ = await self.c.http.post(
            "/api/connect/contact",
            "web_request",
            {
                "destinationPhoneNumber": self.number,
                "contactFlowId": self.c.web_flow_id,
                "attributes": {"department": department, "issue": issue, "language": "en-US"},
            },
            headers={
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": str(uuid.uuid4()),
                "Origin": self.c.http.base_url,
            },
        )
        if status != 202:
            return f"web_refused_{status}"
        # The request may wait for Connect's outbound quota (the CallRequests queue): ring within patience.
        deadline = min(self.c.stop_at, loop.time() + self.rng.uniform(*self.c.settings.patience) + 60)
        ringing = await self.phone.wait({"ringing"}, deadline)
        if ringing is None or ringing["type"] != "ringing":
            return "web_not_called"
        await self.c.http.post(f"{self.path}/answer", "answer")
        return await self.in_queue("web", min(self.c.stop_at, loop.time() + 60))

    async def in_queue(self, scenario: str, ivr_deadline: float) -> str:
        loop = asyncio.get_running_loop()
        full = False
        while True:  # to the queue, or told it is full (QueueAtCapacity: the flow offers a callback)
            event = await self.phone.wait({"queued", "prompt"}, ivr_deadline)
            if event is None:
                return "ivr_timeout"
            if event["type"] == "queued":
                break
            if event["type"] == "call_ended":
                return "queue_full" if full else "ended_before_queue"
            full = full or event.get("promptId") == "QueueFull"
            if full and event.get("promptId") == "CallbackOffer":
                if scenario != "callback":
                    return "queue_full"  # hangs up; calls again later
                await self.digits("1")
                return await self.take_callback()
        queued_at = loop.time()
        patience = self.rng.uniform(*self.c.settings.patience)
        if scenario == "callback":
            patience = max(patience, 90.0)  # waits for the offer that comes after the 60 s hold message
        give_up = min(self.c.stop_at, queued_at + patience)
        while True:
            event = await self.phone.next(give_up)
            if event is None:
                if loop.time() < self.c.stop_at:
                    self.c.tally.abandoned_waits.append(loop.time() - queued_at)
                    return "abandoned"
                return "cut_at_end"
            kind = event["type"]
            if kind == "connected":
                self.c.tally.queue_waits.append(loop.time() - queued_at)
                return await self.with_agent(scenario)
            if kind == "call_ended":
                return "ended_in_queue"
            if scenario == "callback" and kind == "prompt" and event.get("promptId") == "CallbackOffer":
                await self.digits("1")
                return await self.take_callback()

    async def take_callback(self) -> str:
        loop = asyncio.get_running_loop()
        deadline = min(self.c.stop_at, loop.time() + 30)
        while True:  # in queue the flow asks to confirm the number; when the queue is full it does not
            event = await self.phone.wait({"prompt"}, deadline)
            if event is None or event["type"] == "call_ended":
                return "callback_not_created"  # our key came late, or the flow ended the call
            prompt = event.get("promptId")
            if prompt == "ConfirmNumber":
                await self.digits("1")  # call me back on this number
            elif prompt == "CallbackFailed":
                return "callback_not_created"
            elif prompt == "CallbackConfirmed":
                break
        self.c.tally.callbacks_requested += 1
        await self.phone.wait({"call_ended"}, deadline)  # the flow says goodbye and hangs up
        # The callback waits in the queue in the caller's place; an agent taking it rings this phone.
        ringing = await self.phone.wait({"ringing"}, self.c.stop_at)
        if ringing is None or ringing["type"] != "ringing":
            return "callback_requested"
        await self.c.http.post(f"{self.path}/answer", "answer")
        connected = await self.phone.wait({"connected"}, min(self.c.stop_at, loop.time() + 30))
        if connected is None or connected["type"] != "connected":
            return "callback_missed"
        return await self.with_agent("callback")

    async def with_agent(self, scenario: str) -> str:
        left = await self.phone.wait({"agent_left"}, self.c.stop_at)
        if left is None:
            return "cut_at_end"
        if left["type"] == "call_ended":
            return "handled"
        if scenario != "survey":
            return "handled"
        loop = asyncio.get_running_loop()
        deadline = min(self.c.stop_at, loop.time() + 60)
        for question in ("Q1", "Q2", "Q3"):
            if not await self.answer_prompt(question, str(self.rng.randint(1, 5)), deadline):
                return "handled"
        ended = await self.phone.wait({"call_ended"}, deadline)
        if ended is not None:
            self.c.tally.surveys += 1
        return "handled_with_survey"
