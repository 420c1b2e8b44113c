"""Gives the fuzzed resident, participant and coach records of their own, the way people
get them.

Without it their accounts hold no resident or participant and the coach no caseload, and
every `/me/...` question, every job of their own and every participant the coach asks
about answers 404: the fuzzing never reaches what residents, participants and coaches
do. Used by scripts/schemathesis, against the server it started.

    python3 scripts/schemathesis_accounts.py BASE_URL OUTBOX_DIR PASSWORD DESK_EMAIL CONFIG

- The resident registers through the API like anyone at home: the confirmation mail is
  read from the outbox folder the development server writes mail to, and its link's
  token confirmed. The resident's account is made by that confirmation.
- The participant's account (made by `servicepunt user create`) is linked to the first
  demo participant by a werkleider at the desk (DESK_EMAIL), as an account address on the
  profile.
- The same werkleider makes the fuzzed trajectbegeleider the coach of demo participants
  1 to 4; 5 and 6 stay outside the caseload, so the refusal of someone else's participant
  is asked too.
- Records behind the nested addresses (an absence, a key, a do-not-pair, a review and a
  request for approval) and two intake times are made by the desk and the coach, and
  CONFIG pins those operations to them (`[[operations]]` with fixed `parameters`):
  drawn at random, the parent's id and the record's would almost never belong together,
  and every such question would answer 404.
- The resident orders a job, and CONFIG (scripts/schemathesis.toml for this run) gets its
  id among the ids drawn from. The resident also starts a weekly visit, and buys a cheque
  at the counter (finance opens a cash session and sells it), so their series and their
  receipt have a record to ask about. The resident's own copy (CONFIG with `-resident`
  before `.toml`) pins the questions about a job, a series, a receipt and a resident to
  those and to their own resident id, and draws the other ids from those four only: the
  demo's ids are other people's, and would make nearly every question about their own
  record, jobs, visits and receipts a 404.
"""

import email
import glob
import json
import re
import sys
import time
import urllib.error
import urllib.request

base, outbox, password, desk, config = sys.argv[1:6]
RESIDENT = "resident@schemathesis.test"
PARTICIPANT = "participant@schemathesis.test"
COACH = "trajectbegeleider@schemathesis.test"
FINANCE = "finance@schemathesis.test"


def call(method, path, body, token=None, headers=()):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, method=method, data=data)
    for name, value in headers:
        request.add_header(name, value)
    if data is not None:
        request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def expect(answer, status, what):
    if answer[0] != status:
        sys.exit(f"schemathesis_accounts: {what}: {answer[0]} {answer[1]}")
    return answer[1]


def mailed_token():
    """The 64-hex-digit token in the plain text of the resident's mail in the outbox."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for path in sorted(glob.glob(outbox + "/*.eml")):
            with open(path, "rb") as f:
                message = email.message_from_binary_file(f)
            if RESIDENT not in message.get("To", ""):
                continue
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    text = part.get_payload(decode=True).decode()
                    found = re.search(r"\b[0-9a-f]{64}\b", text)
                    if found:
                        return found.group(0)
        time.sleep(0.1)
    sys.exit("schemathesis_accounts: no confirmation mail in the outbox within 30 s")


registration = {
    "email": RESIDENT,
    "password": password,
    "name": "Fuzz Bewoner",
    "phone": "0318 123456",
    "address": {"street": "Molenstraat", "house_number": "12", "postcode": "6711AB", "city": "Ede"},
}
expect(call("POST", "/api/v1/auth/register", registration), 202, "registering the resident")
resident = expect(call("POST", "/api/v1/auth/register/confirm", {"token": mailed_token()}), 201, "confirming it")
order = {"service_id": 1, "description": "De heg langs het pad snoeien", "otherwise_not_done": True}
ordered = call("POST", "/api/v1/jobs", order, resident["tokens"]["access_token"])
job = expect(ordered, 201, "the resident's order")["id"]
resident_token = resident["tokens"]["access_token"]
services = expect(call("GET", "/api/v1/services", None), 200, "the catalogue")
visited = next(s["id"] for s in services if s["allowed"] and not s["around_home"])
next_week = time.localtime(time.time() + 7 * 86400)
series = {
    "service_id": visited,
    "description": "Elke week boodschappen doen",
    "otherwise_not_done": True,
    "weekday": next_week.tm_wday,
    "dagdeel": "morning",
    "starts_on": time.strftime("%Y-%m-%d", next_week),
}
series = expect(call("POST", "/api/v1/job-series", series, resident_token), 201, "the resident's weekly visit")["id"]
finance_token = expect(call("POST", "/api/v1/auth/login", {"email": FINANCE, "password": password}), 200, "finance")[
    "access_token"
]
drawer = expect(call("POST", "/api/v1/cash-sessions", {"float_cents": 0}, finance_token), 201, "a cash session")["id"]
sale = {
    "cash_session_id": drawer,
    "resident_id": resident["resident"]["id"],
    "product_id": 1,
    "quantity": 1,
    "payment_method": "cash",
}
sold = call("POST", "/api/v1/cheque-sales", sale, finance_token, [("idempotency-key", "schemathesis-sale")])
sale = expect(sold, 201, "a cheque for the resident")["sale_id"]
desk_token = expect(call("POST", "/api/v1/auth/login", {"email": desk, "password": password}), 200, "the desk")[
    "access_token"
]
linked = call("PATCH", "/api/v1/participants/1", {"account_email": PARTICIPANT}, desk_token)
expect(linked, 200, "linking the participant's account")

coach_token = expect(call("POST", "/api/v1/auth/login", {"email": COACH, "password": password}), 200, "the coach")[
    "access_token"
]
coach_id = expect(call("GET", "/api/v1/me", None, coach_token), 200, "the coach's account")["id"]
for participant in range(1, 5):
    caseload = call("PATCH", f"/api/v1/participants/{participant}", {"coach_user_id": coach_id}, desk_token)
    expect(caseload, 200, f"giving participant {participant} to the coach")


def made(method, path, body, token, what):
    return expect(call(method, path, body, token), 201, what)


later = time.strftime("%Y-%m-%d", time.localtime(time.time() + 30 * 86400))
today = time.strftime("%Y-%m-%d")
absence = made("POST", "/api/v1/participants/1/absences", {"kind": "leave", "starts_on": later}, desk_token, "an absence")
key = made("POST", "/api/v1/residents/1/keys", {"tag": "S-12"}, desk_token, "a key")
pair = call("POST", "/api/v1/participants/1/do-not-pair", {"other_participant_id": 2}, desk_token)
expect(pair, 204, "a do-not-pair")
trajectories = expect(call("GET", "/api/v1/participants/1/trajectories", None, coach_token), 200, "the trajectories")
trajectory = next(t["id"] for t in trajectories if t.get("ended_on") is None)
review = {"held_on": today, "ladder_step": 3, "summary": "Gaat goed; volgende keer samen plannen."}
review = made("POST", f"/api/v1/trajectories/{trajectory}/reviews", review, coach_token, "a review")
approval = {"kind": "extra_time", "proposal": "Drie maanden langer: de werkritme-doelen zijn bijna gehaald."}
approval = made("POST", f"/api/v1/trajectories/{trajectory}/approvals", approval, coach_token, "a request for approval")
opening = {"on": later, "times": ["09:00", "10:00"], "minutes": 45}
cancelled, booked = made("POST", "/api/v1/intake-slots", opening, coach_token, "intake times")

pinned = [
    ("PATCH /api/v1/participants/{id}/absences/{absence_id}", 1, "absence_id", absence["id"]),
    ("DELETE /api/v1/participants/{id}/absences/{absence_id}", 1, "absence_id", absence["id"]),
    ("POST /api/v1/residents/{id}/keys/{key_id}/return", 1, "key_id", key["id"]),
    ("DELETE /api/v1/participants/{id}/do-not-pair/{other_participant_id}", 1, "other_participant_id", 2),
    ("PUT /api/v1/trajectories/{id}/reviews/{review_id}", trajectory, "review_id", review["id"]),
    ("POST /api/v1/trajectories/{id}/approvals/{approval_id}/answer", trajectory, "approval_id", approval["id"]),
    ("POST /api/v1/trajectories/{id}/approvals/{approval_id}/withdraw", trajectory, "approval_id", approval["id"]),
]
# One intake time for taking back, the other for booking and its outcome.
slots = [
    ("DELETE /api/v1/intake-slots/{id}", cancelled["id"]),
    ("POST /api/v1/intake-slots/{id}/booking", booked["id"]),
    ("DELETE /api/v1/intake-slots/{id}/booking", booked["id"]),
    ("POST /api/v1/intake-slots/{id}/outcome", booked["id"]),
]

with open("scripts/schemathesis.toml") as f:
    settings = f.read()
ids = "values = [1, 2, 3, 4, 5, 6]"
if ids not in settings:
    sys.exit(f"schemathesis_accounts: scripts/schemathesis.toml has no `{ids}` to add to")
settings = settings.replace(ids, f"values = [1, 2, 3, 4, 5, 6, {job}]")
for name, parent, nested, value in pinned:
    settings += f'\n[[operations]]\ninclude-name = "{name}"\nparameters = {{ "path.id" = {parent}, "path.{nested}" = {value} }}\n'
for name, slot in slots:
    settings += f'\n[[operations]]\ninclude-name = "{name}"\nparameters = {{ "path.id" = {slot} }}\n'
with open(config, "w") as f:
    f.write(settings)
with open(config.removesuffix(".toml") + "-resident.toml", "w") as f:
    own = f"values = [{resident['resident']['id']}, {job}, {series}, {sale}]"
    f.write(settings.replace(f"values = [1, 2, 3, 4, 5, 6, {job}]", own))
    # Drawn from four ids, a question about the job would name the job one time in four.
    # Pinned, every question about a job, a series, a receipt or the resident's own record
    # reaches theirs (the matrix test proves the refusals of other people's).
    owner = {
        "/api/v1/jobs/{id}": job,
        "/api/v1/job-series/{id}": series,
        "/api/v1/cheque-sales/{id}": sale,
        "/api/v1/residents/{id}": resident["resident"]["id"],
    }
    with open("scripts/schemathesis_scope.txt") as scope:
        for line in scope:
            who, _, operation = line.strip().partition(" ")
            path = operation.partition(" ")[2]
            if who != "resident" or path.count("{") != 1:
                continue
            for prefix, value in owner.items():
                if path == prefix or path.startswith(prefix + "/"):
                    f.write(f'\n[[operations]]\ninclude-name = "{operation}"\nparameters = {{ "path.id" = {value} }}\n')
