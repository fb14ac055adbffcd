"""The known-servers table of docs/check-results.md: `wirepad check` against
nginx, Python's http.server, Node's http, the practice server and a textbook
socket server gives the verdicts each is known to earn, and the docs hold
the table that tests/servers/known_servers.py prints now."""
import pytest

import known_servers


@pytest.fixture(scope="module")
def measured():
    return known_servers.measure()


@pytest.fixture(scope="module")
def verdicts(measured):
    return {name: {o["id"]: o["verdict"] for o in outcomes} for name, _, outcomes in measured}


def test_the_docs_hold_the_table_the_script_prints_now(measured):
    assert known_servers.documented() == known_servers.table(measured), \
        "docs/check-results.md is out of date: run python3 tests/servers/known_servers.py --write"


def test_only_python_and_the_textbook_server_accept_a_request_without_host(verdicts):
    missing_host = {name: v["rfc9112-3.2-missing-host"] for name, v in verdicts.items()}
    assert missing_host == {
        "nginx": "pass",
        "Python http.server": "fail",
        "Node http": "pass",
        "wirepad practice server": "pass",
        "textbook socket server": "fail",
    }


def test_each_server_fails_what_it_is_known_to_fail(verdicts):
    nginx, python, node = verdicts["nginx"], verdicts["Python http.server"], verdicts["Node http"]
    practice, textbook = verdicts["wirepad practice server"], verdicts["textbook socket server"]
    # nginx answers an unknown method 405 without Allow (RFC 9110 §15.5.6), and nothing else.
    assert [i for i, v in nginx.items() if v == "fail"] == ["rfc9110-15.5.6-allow"]
    # http.server reads the target as a file path and checks no field.
    assert python["rfc9112-3.2.2-absolute-form"] == python["rfc9112-5.1-space-before-colon"] == "fail"
    assert python["rfc9110-13.1.2-if-none-match"] == "skip"  # it sends no ETag
    # Node refuses a missing Host but takes two.
    assert node["rfc9112-3.2-multiple-host"] == "fail"
    # The practice server keeps the smuggling rules and sends validators.
    for rule in ["rfc9112-3.2-multiple-host", "rfc9112-6.1-content-length-and-chunked", "rfc9112-6.3-two-content-lengths",
                 "rfc9110-13.1.2-if-none-match", "rfc9110-15.5.6-allow", "rfc9110-10.1.1-expect-continue"]:
        assert practice[rule] == "pass", rule
    # The textbook server: no Date, a body after HEAD, framing by close, every request taken.
    assert textbook["rfc9110-6.6.1-date"] == textbook["rfc9110-9.3.2-head-no-content"] == "fail"
    assert textbook["rfc9112-6.3-two-content-lengths"] == "fail"


def test_the_table_has_a_row_per_server_and_counts_every_check(measured):
    rows = [line for line in known_servers.table(measured).splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [r.split(" | ")[0].lstrip("| ") for r in rows] == [name for name, _, _ in measured]
    for row, (_, _, outcomes) in zip(rows, measured):
        cells = row.strip("| ").split(" | ")[3:]
        assert sum(int(n) for cell in cells for n in cell.split(" / ")) == len(outcomes) >= 60
