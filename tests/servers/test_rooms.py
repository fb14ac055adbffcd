"""`wirepad serve`'s class rooms, end to end: a real server process and real
WebSocket clients on loopback. One teacher drives; followers mirror it and
answer; nothing a follower sends reaches another follower."""
import json
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect


def room(server, query, origin=None):
    return connect(f"ws://127.0.0.1:{server.port}/room?{query}", origin=origin or server.origin, open_timeout=5, close_timeout=2)


def recv(ws, timeout=3.0):
    """The next message, past the roster's (`roster`, `student`): the tests
    of the roster read them with `recv_any`."""
    while True:
        m = recv_any(ws, timeout)
        if m["type"] not in ("roster", "student"):
            return m


def recv_any(ws, timeout=3.0):
    return json.loads(ws.recv(timeout=timeout))


def nothing(ws, wait=0.3):
    """Asserts that no message arrives within `wait` seconds."""
    with pytest.raises(TimeoutError):
        ws.recv(timeout=wait)


def test_the_teacher_drives_followers_answer_and_nothing_goes_from_follower_to_follower(relay_factory):
    server = relay_factory()
    with room(server, "create") as teacher:
        created = recv(teacher)
        assert created["type"] == "created"
        code, key = created["code"], created["key"]
        assert len(code) == 8 and not set(code) & set("01OI"), code
        assert len(key) == 32
        with room(server, f"code={code}") as a, room(server, f"code={code[:4]}-{code[4:].lower()}") as b:
            joined_a, joined_b = recv(a), recv(b)
            assert joined_a["type"] == "joined" and joined_a["code"] == code
            assert joined_b["type"] == "joined", "codes are read without case and dashes"
            n_a, n_b = joined_a["follower"], joined_b["follower"]
            assert n_a != n_b
            assert recv(teacher) == {"type": "followers", "count": 1}
            assert recv(teacher) == {"type": "followers", "count": 2}
            state = {"request_b64": "R0VUIC8=", "selection": {"wire": "response", "start": 9, "end": 12}}
            teacher.send(json.dumps({"type": "state", "state": state}))
            assert recv(a) == {"type": "state", "state": state}
            assert recv(b) == {"type": "state", "state": state}
            # A follower's answer reaches the teacher only, with its number, no name.
            a.send(json.dumps({"type": "answer", "answer": {"question": "status-code", "right": True}}))
            assert recv(teacher) == {"type": "answer", "follower": n_a, "answer": {"question": "status-code", "right": True}}
            nothing(b)
            # A follower cannot drive: a forged state is refused and changes nothing.
            b.send(json.dumps({"type": "state", "state": {"forged": True}}))
            assert recv(b)["code"] == "not-teacher"
            nothing(a)
            nothing(teacher)
            # A follower who joins later gets the teacher's latest state at once.
            with room(server, f"code={code}") as late:
                assert recv(late)["type"] == "joined"
                assert recv(late) == {"type": "state", "state": state}


def test_the_teacher_comes_back_with_the_key_and_only_with_it(relay_factory):
    server = relay_factory()
    with room(server, "create") as first:
        created = recv(first)
        code, key = created["code"], created["key"]
        with room(server, f"code={code}&key={'0' * 32}") as wrong:
            assert recv(wrong)["code"] == "wrong-key"
            with pytest.raises(ConnectionClosed):
                wrong.recv(timeout=3)
        with room(server, f"code={code}") as follower:
            recv(follower)
            assert recv(first) == {"type": "followers", "count": 1}
            # The teacher reloads: the new page takes over, the old one is told.
            with room(server, f"code={code}&key={key}") as again:
                assert recv(again) == {"type": "teacher", "code": code, "followers": 1, "names": "anonymous"}
                assert recv(first)["code"] == "replaced"
                again.send(json.dumps({"type": "state", "state": {"step": 3}}))
                assert recv(follower) == {"type": "state", "state": {"step": 3}}
    with room(server, "code=NOPE2345") as lost:
        assert recv(lost)["code"] == "no-such-room"


def test_a_teacher_who_comes_back_gets_the_answers_so_far_also_those_sent_while_away(relay_factory):
    server = relay_factory()
    with room(server, "create") as first:
        created = recv(first)
        code, key = created["code"], created["key"]
        with room(server, f"code={code}") as a, room(server, f"code={code}") as b:
            n_a, n_b = recv(a)["follower"], recv(b)["follower"]
            assert recv(first)["count"] == 1 and recv(first)["count"] == 2
            first.send(json.dumps({"type": "state", "state": {"exercise": {"id": 7}}}))
            recv(a), recv(b)
            a.send(json.dumps({"type": "answer", "answer": {"kind": "exercise", "exercise": 7, "q": 0, "right": True}}))
            assert recv(first)["follower"] == n_a
            first.close()
            # While the teacher's page reloads, answers still come.
            b.send(json.dumps({"type": "answer", "answer": {"kind": "exercise", "exercise": 7, "q": 0, "right": False}}))
            b.send(json.dumps({"type": "answer", "answer": {"kind": "request", "request": "R0VU"}}))
            time.sleep(0.2)
            with room(server, f"code={code}&key={key}") as again:
                assert recv(again) == {"type": "teacher", "code": code, "followers": 2, "names": "anonymous"}
                assert recv(again) == {"type": "state", "state": {"exercise": {"id": 7}}}
                answers = [recv(again) for _ in range(3)]
                assert answers == [
                    {"type": "answer", "follower": n_a, "answer": {"kind": "exercise", "exercise": 7, "q": 0, "right": True}},
                    {"type": "answer", "follower": n_b, "answer": {"kind": "exercise", "exercise": 7, "q": 0, "right": False}},
                    {"type": "answer", "follower": n_b, "answer": {"kind": "request", "request": "R0VU"}},
                ]
                nothing(again)
                # Nothing of it reaches the followers.
                nothing(a)
                nothing(b)


def test_a_foreign_origin_cannot_join(relay_factory):
    server = relay_factory()
    for origin in ["http://evil.example", "null"]:
        with pytest.raises(InvalidStatus) as refused:
            with room(server, "create", origin=origin):
                pass
        assert refused.value.response.status_code == 403


def test_limits_hold_with_their_flags(relay_factory):
    server = relay_factory("--max-rooms", "1", "--max-followers", "2", "--max-room-message", "1000", "--follower-rate", "2")
    with room(server, "create") as teacher:
        code = recv(teacher)["code"]
        with room(server, "create") as second:
            assert recv(second)["code"] == "too-many-rooms"
        with room(server, f"code={code}") as a, room(server, f"code={code}") as b:
            recv(a), recv(b)
            with room(server, f"code={code}") as c:
                assert recv(c)["code"] == "room-full"
            teacher.send(json.dumps({"type": "state", "state": {"x": "y" * 2000}}))
            replies = [recv(teacher), recv(teacher), recv(teacher)]
            assert {"type": "followers", "count": 2} in replies[:2]
            assert replies[2]["code"] == "message-too-large"
            nothing(a)
            # Five answers at once from a follower allowed two a second (four at once).
            for i in range(5):
                a.send(json.dumps({"type": "answer", "answer": i}))
            assert recv(a)["code"] == "too-fast"
            answers = []
            while True:
                try:
                    answers.append(recv(teacher, timeout=0.5)["answer"])
                except TimeoutError:
                    break
            assert answers == [0, 1, 2, 3]
            time.sleep(0.6)  # the budget refills
            a.send(json.dumps({"type": "answer", "answer": "later"}))
            assert recv(teacher)["answer"] == "later"


def test_a_late_follower_catches_up_on_the_exchange_its_appends_and_the_view(relay_factory):
    server = relay_factory()
    with room(server, "create") as teacher:
        code, key = (lambda c: (c["code"], c["key"]))(recv(teacher))
        with room(server, f"code={code}") as early:
            recv(early), recv(teacher)
            exchange = {"id": 1, "request": "R0VUIC8gSFRUUC8xLjENCg0K", "response": ""}
            teacher.send(json.dumps({"type": "exchange", "exchange": exchange}))
            teacher.send(json.dumps({"type": "append", "append": {"id": 1, "bytes": "SFRUUC8x"}}))
            teacher.send(json.dumps({"type": "append", "append": {"id": 1, "bytes": "LjEgMjAw"}}))
            teacher.send(json.dumps({"type": "state", "state": {"selection": {"wire": "response", "index": 2}}}))
            got = [recv(early) for _ in range(4)]
            assert [m["type"] for m in got] == ["exchange", "append", "append", "state"]
            with room(server, f"code={code}") as late:
                assert recv(late)["type"] == "joined"
                assert [recv(late) for _ in range(4)] == got, "the same messages in the same order"
            # A new exchange drops the appends of the old one.
            teacher.send(json.dumps({"type": "exchange", "exchange": {"id": 2}}))
            assert recv(early) == {"type": "exchange", "exchange": {"id": 2}}
            with room(server, f"code={code}") as later:
                recv(later)
                assert recv(later) == {"type": "exchange", "exchange": {"id": 2}}
                assert recv(later)["type"] == "state"
                nothing(later)
            # The teacher coming back with its key gets what it showed.
            with room(server, f"code={code}&key={key}") as again:
                assert recv(again)["type"] == "teacher"
                assert recv(again) == {"type": "exchange", "exchange": {"id": 2}}
                assert recv(again)["type"] == "state"
            # Followers cannot send any of the teacher's messages.
            for kind in ["exchange", "append"]:
                early.send(json.dumps({"type": kind, kind: {"forged": True}}))
                assert recv(early)["code"] == "not-teacher"


def test_a_state_that_mentions_replaced_closes_nobody(relay_factory):
    # Regression: a page's loop once ended on any message containing the
    # text "replaced", meant only for the refusal sent to a replaced teacher.
    server = relay_factory()
    with room(server, "create") as teacher:
        code = recv(teacher)["code"]
        with room(server, f"code={code}") as follower:
            recv(follower), recv(teacher)
            teacher.send(json.dumps({"type": "state", "state": {"note": "replaced"}}))
            assert recv(follower)["state"] == {"note": "replaced"}
            teacher.send(json.dumps({"type": "state", "state": {"step": 2}}))
            assert recv(follower)["state"] == {"step": 2}


def test_the_appends_a_room_keeps_are_limited(relay_factory):
    server = relay_factory("--max-room-message", "1000")
    with room(server, "create") as teacher:
        recv(teacher)
        teacher.send(json.dumps({"type": "append", "append": {"bytes": "x"}}))
        assert recv(teacher)["code"] == "message-too-large", "an append needs an exchange first"
        teacher.send(json.dumps({"type": "exchange", "exchange": {"id": 1}}))
        for _ in range(6):
            teacher.send(json.dumps({"type": "append", "append": {"bytes": "y" * 150}}))
        # Each append is 192 bytes: five are kept (960), the sixth would pass 1000.
        assert recv(teacher)["code"] == "message-too-large"
        nothing(teacher)


def test_the_join_link_has_a_qr_code(relay_factory):
    import urllib.error
    import urllib.parse
    import urllib.request

    server = relay_factory()
    link = f"http://127.0.0.1:{server.port}/#room=AB2CD3EF"
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/qr.svg?text={urllib.parse.quote(link)}") as r:
        assert r.headers["Content-Type"] == "image/svg+xml"
        svg = r.read().decode()
    assert svg.count("<path") + svg.count("<rect") >= 1 and "<svg" in svg
    with pytest.raises(urllib.error.HTTPError) as long:
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/qr.svg?text={'x' * 2000}")
    assert long.value.code == 400


def test_the_teacher_ends_the_class_followers_are_told_and_the_room_is_gone(relay_factory):
    server = relay_factory()
    with room(server, "create") as teacher:
        created = recv(teacher)
        code, key = created["code"], created["key"]
        with room(server, f"code={code}") as follower:
            recv(follower)
            follower.send(json.dumps({"type": "end"}))
            assert recv(follower)["code"] == "not-teacher", "only the teacher ends the class"
            teacher.send(json.dumps({"type": "end"}))
            assert recv(follower) == {"type": "ended"}
            with pytest.raises(ConnectionClosed):
                follower.recv(timeout=3)
            # The teacher is told too, and no connection stays open outside a room.
            while recv(teacher)["type"] != "ended":
                pass
            with pytest.raises(ConnectionClosed):
                teacher.recv(timeout=3)
        # The code now says the class ended, to a follower and to the teacher's key alike.
        with room(server, f"code={code}") as late:
            refusal = recv(late)
            assert (refusal["code"], refusal["message"]) == ("class-ended", "the teacher ended this class; there is nothing to join any more")
            with pytest.raises(ConnectionClosed):
                late.recv(timeout=3)
        with room(server, f"code={code}&key={key}") as again:
            assert recv(again)["code"] == "class-ended"


def test_a_room_closed_for_idleness_tells_its_followers_and_closes_their_connections(relay_factory):
    server = relay_factory("--room-idle", "1")
    with room(server, "create") as teacher:
        code = recv(teacher)["code"]
        follower = room(server, f"code={code}")
        assert recv(follower)["type"] == "joined"
    # The teacher left; the room closes once idle, and its follower with it.
    with follower:
        assert recv(follower, timeout=30) == {"type": "ended"}
        with pytest.raises(ConnectionClosed):
            follower.recv(timeout=3)


# ---- names and the teacher's roster -------------------------------------------


def student(ws):
    """The next roster update the teacher gets (past follower counts)."""
    while True:
        m = recv_any(ws)
        if m["type"] != "followers":
            return m


def test_the_teacher_chooses_whether_followers_give_names(relay_factory):
    server = relay_factory()
    with room(server, "create&names=sometimes") as bad:
        assert recv(bad)["code"] == "bad-names"
    with room(server, "create&names=required") as teacher:
        created = recv(teacher)
        assert created["names"] == "required"
        code = created["code"]
        for query, refusal in [(f"code={code}", "name-required"), (f"code={code}&name=%20%20", "name-required"), (f"code={code}&name={'x' * 65}", "bad-name"), (f"code={code}&name=a%07b", "bad-name")]:
            with room(server, query) as f:
                assert recv(f)["code"] == refusal, query
        with room(server, f"code={code}&name=%20Ada%20Lovelace%20") as ada:
            joined = recv(ada)
            assert joined["name"] == "Ada Lovelace" and len(joined["seat"]) == 32
            assert student(teacher) == {"type": "student", "follower": joined["follower"], "name": "Ada Lovelace", "status": "following"}
    with room(server, "create&names=optional") as teacher:
        code = recv(teacher)["code"]
        with room(server, f"code={code}") as nameless, room(server, f"code={code}&name=Grace") as grace:
            assert recv(nameless)["name"] is None and recv(grace)["name"] == "Grace"
            assert [student(teacher)["name"], student(teacher)["name"]] == [None, "Grace"]
    # Anonymous (the default, as before names): a name given is not kept, followers are numbers.
    with room(server, "create") as teacher:
        created = recv(teacher)
        assert created["names"] == "anonymous"
        with room(server, f"code={created['code']}&name=Alan") as alan:
            joined = recv(alan)
            assert joined["name"] is None
            assert student(teacher) == {"type": "student", "follower": joined["follower"], "name": None, "status": "following"}


def test_the_roster_shows_who_follows_explores_is_away_or_gone(relay_factory):
    server = relay_factory()
    with room(server, "create&names=optional") as teacher:
        created = recv(teacher)
        code, key = created["code"], created["key"]
        a = room(server, f"code={code}&name=Ada")
        b = room(server, f"code={code}&name=Bo")
        ja, jb = recv(a), recv(b)
        na, nb = ja["follower"], jb["follower"]
        assert student(teacher)["follower"] == na and student(teacher)["follower"] == nb
        # A follower says when it breaks away and when it follows again; the same status twice says nothing.
        a.send(json.dumps({"type": "status", "status": "exploring"}))
        assert student(teacher) == {"type": "student", "follower": na, "name": "Ada", "status": "exploring"}
        a.send(json.dumps({"type": "status", "status": "exploring"}))
        a.send(json.dumps({"type": "status", "status": "following"}))
        assert student(teacher)["status"] == "following"
        for wrong in [{"type": "status", "status": "away"}, {"type": "status"}, {"type": "status", "status": 3}]:
            a.send(json.dumps(wrong))
            assert recv(a)["code"] == "bad-message", wrong
        teacher.send(json.dumps({"type": "status", "status": "exploring"}))
        assert recv(teacher)["code"] == "not-follower"
        # A lost connection is away; the same page coming back with its seat is the same student.
        b.close()
        assert recv_any(teacher) == {"type": "student", "follower": nb, "name": "Bo", "status": "away"}
        assert recv_any(teacher) == {"type": "followers", "count": 1}
        with room(server, f"code={code}&seat={jb['seat']}") as b_again:
            again = recv(b_again)
            assert (again["follower"], again["name"], again["seat"]) == (nb, "Bo", jb["seat"])
            assert student(teacher) == {"type": "student", "follower": nb, "name": "Bo", "status": "following"}
            # The same seat in a second page: the first page is let go, the student stays one.
            with room(server, f"code={code}&seat={jb['seat']}") as b_third:
                assert recv(b_third)["follower"] == nb
                assert recv(b_again)["code"] == "replaced"
                # Leaving for good: gone, the page let go, the seat given up.
                a.send(json.dumps({"type": "leave"}))
                assert recv(a) == {"type": "ended"}
                with pytest.raises(ConnectionClosed):
                    a.recv(timeout=3)
                assert student(teacher) == {"type": "student", "follower": na, "name": "Ada", "status": "gone"}
                with room(server, f"code={code}&seat={ja['seat']}&name=Ada") as a_new:
                    assert recv(a_new)["follower"] != na, "a seat given up is a new student"
                    # A teacher who comes back gets the whole roster, in the order students joined.
                    with room(server, f"code={code}&key={key}") as back:
                        assert recv_any(back)["type"] == "teacher"
                        roster = recv_any(back)
                        assert roster["type"] == "roster"
                        rows = [(r["name"], r["status"]) for r in roster["roster"]]
                        assert rows == [("Ada", "gone"), ("Bo", "following"), ("Ada", "following")]


def test_a_followers_statuses_count_against_its_rate(relay_factory):
    server = relay_factory("--follower-rate", "1")
    with room(server, "create") as teacher:
        code = recv(teacher)["code"]
        with room(server, f"code={code}") as f:
            recv(f)
            for i in range(6):
                f.send(json.dumps({"type": "status", "status": ["exploring", "following"][i % 2]}))
            assert recv(f)["code"] == "too-fast"


def test_the_teacher_pauses_every_follower_also_one_who_joins_meanwhile_and_resumes(relay_factory):
    server = relay_factory()
    with room(server, "create") as teacher:
        created = recv(teacher)
        code, key = created["code"], created["key"]
        with room(server, f"code={code}") as early:
            recv(early)
            teacher.send(json.dumps({"type": "pause", "pause": True}))
            assert recv(early) == {"type": "pause", "pause": True}
            with room(server, f"code={code}") as late:
                assert recv(late)["type"] == "joined"
                assert recv(late) == {"type": "pause", "pause": True}
                # Only the teacher pauses; a pause says true or false.
                early.send(json.dumps({"type": "pause", "pause": False}))
                assert recv(early)["code"] == "not-teacher"
                teacher.send(json.dumps({"type": "pause", "pause": "yes"}))
                while (m := recv(teacher))["type"] == "followers":
                    pass
                assert m["code"] == "bad-message"
                # A teacher who reloads learns the class is paused.
                with room(server, f"code={code}&key={key}") as again:
                    assert recv(again)["type"] == "teacher"
                    assert recv(again) == {"type": "pause", "pause": True}
                    again.send(json.dumps({"type": "pause", "pause": False}))
                    assert recv(early) == {"type": "pause", "pause": False}
                    assert recv(late) == {"type": "pause", "pause": False}
            with room(server, f"code={code}") as after:
                assert recv(after)["type"] == "joined"
                with pytest.raises(TimeoutError):
                    recv(after, timeout=0.5)


def test_a_followers_step_reaches_the_roster_and_the_teacher_asks_one_follower_for_a_snapshot(relay_factory):
    server = relay_factory()
    with room(server, "create&names=optional") as teacher:
        created = recv(teacher)
        code, key = created["code"], created["key"]
        with room(server, f"code={code}&name=Ada") as a, room(server, f"code={code}&name=Bo") as b:
            na, nb = recv(a)["follower"], recv(b)["follower"]
            assert student(teacher)["follower"] == na and student(teacher)["follower"] == nb
            # Where each is in the lesson, once per change.
            a.send(json.dumps({"type": "step", "step": "2/4 · The socket lesson"}))
            assert student(teacher) == {"type": "student", "follower": na, "name": "Ada", "status": "following", "step": "2/4 · The socket lesson"}
            a.send(json.dumps({"type": "step", "step": "2/4 · The socket lesson"}))
            a.send(json.dumps({"type": "step", "step": "3/4 · The socket lesson"}))
            assert student(teacher)["step"] == "3/4 · The socket lesson"
            for wrong in [{"type": "step", "step": "x" * 81}, {"type": "step", "step": "1/2\u001b[2J"}]:
                a.send(json.dumps(wrong))
                assert recv(a)["code"] == "bad-step", wrong
            teacher.send(json.dumps({"type": "step", "step": "1/2"}))
            assert recv(teacher)["code"] == "not-follower"
            # A snapshot: asked of Bo alone; Ada hears nothing of it.
            teacher.send(json.dumps({"type": "snapshot", "follower": nb}))
            assert recv(b) == {"type": "snapshot"}
            nothing(a)
            b.send(json.dumps({"type": "answer", "answer": {"kind": "snapshot", "request": "R0VU"}}))
            assert recv(teacher) == {"type": "answer", "follower": nb, "answer": {"kind": "snapshot", "request": "R0VU"}}
            a.send(json.dumps({"type": "snapshot", "follower": nb}))
            assert recv(a)["code"] == "not-teacher"
            nothing(b)
            teacher.send(json.dumps({"type": "snapshot", "follower": nb + 1 if nb + 1 != na else nb + 2}))
            assert recv(teacher)["code"] == "not-here"
            # A teacher who comes back sees each student's last step.
            with room(server, f"code={code}&key={key}") as back:
                assert recv_any(back)["type"] == "teacher"
                roster = recv_any(back)["roster"]
                assert [(r["name"], r.get("step")) for r in roster] == [("Ada", "3/4 · The socket lesson"), ("Bo", None)]
