"""Checks that the test suite got a success answer from every operation in the contract.

    python3 scripts/contract_answers.py ANSWERS [openapi/openapi.json]

ANSWERS is the file the API suite writes when CONTRACT_ANSWERS names it (one line per
answer it checked against the contract, `METHOD /path/{template} STATUS`, see
tests/api/contract.rs). An operation no test got a 2xx from has its success answer
checked against the contract nowhere, and its use case tested nowhere: the run fails and
names it. `.ci/run` runs this after the suite on each backend.
"""

import json
import sys

answers_file = sys.argv[1]
contract_file = sys.argv[2] if len(sys.argv) > 2 else "openapi/openapi.json"
with open(contract_file) as f:
    contract = json.load(f)
operations = {
    f"{method.upper()} {path}"
    for path, item in contract["paths"].items()
    for method in item
    if method in ("get", "put", "post", "patch", "delete")
}
statuses = {}
with open(answers_file) as f:
    for line in f:
        name, _, status = line.rstrip("\n").rpartition(" ")
        statuses.setdefault(name, set()).add(int(status))
succeeded = {op for op in operations if any(200 <= s < 300 for s in statuses.get(op, ()))}
missing = sorted(operations - succeeded)
pairs = sum(len(s) for op, s in statuses.items() if op in operations)
print(
    f"{len(succeeded)} of {len(operations)} operations answered 2xx in the suite; "
    f"{pairs} operation and status pairs checked against the contract"
)
for op in missing:
    print(f"  no test got a 2xx from {op}")
sys.exit(1 if missing else 0)
