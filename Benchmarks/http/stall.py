#!/usr/bin/env python3
"""Issue 22's loads against a running `memallook serve`, with the figures it asks for.

Usage: stall.py BINARY   (starts its own servers on free ports, prints one line per figure)

- heavy: two POST /compare of a trace at the operation limit at once, while GET /show
  and /healthz are timed every 50 ms; a third and fourth compare to see 503s.
- timeline: POST /replay?timeline=1 of that trace; the server's peak RSS.
- partial: 40 connections each declaring an 8 MiB trace and sending 7 MiB, then
  stalling; the server's RSS and what they were answered.
- trickle: 200 connections sending one body byte every 5 s; /healthz timed meanwhile.
- lock: serve --state F with F's lock held by this script: three POST /alloc, /healthz
  timed meanwhile; then whether any ALLOC was made later.
"""
import fcntl
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BINARY = sys.argv[1]


def start(*extra):
    process = subprocess.Popen(
        [BINARY, "serve", "--port", "0", *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    line = process.stdout.readline()
    port = int(line.rsplit(":", 1)[1])
    return process, port


def rss_kb(process):
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1])
    return 0


def request(port, method, path, body=b"", timeout=120):
    """The status line and the time the answer took, on a connection of its own."""
    start_time = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n"
        connection.sendall(head.encode() + body)
        answer = b""
        while True:
            part = connection.recv(65536)
            if not part:
                break
            answer += part
    return answer.split(b"\r\n", 1)[0].decode(), time.monotonic() - start_time, answer


def timed_reads(port, stop, samples):
    while not stop.is_set():
        for path in ("/show", "/healthz"):
            try:
                _, took, _ = request(port, "GET", path, timeout=60)
                samples.append(took)
            except OSError:
                samples.append(float("inf"))
        time.sleep(0.05)


def summary(samples):
    finite = sorted(s for s in samples if s != float("inf"))
    if not finite:
        return "no answer"
    p50 = statistics.median(finite) * 1000
    p99 = finite[min(len(finite) - 1, int(len(finite) * 0.99))] * 1000
    return f"{len(samples)} reads: median {p50:.1f} ms, p99 {p99:.1f} ms, max {finite[-1] * 1000:.1f} ms, failed {len(samples) - len(finite)}"


def trace_at_limit():
    # 333,333 allocs, frees and reallocs in .rep form: 999,999 operations, about 7 MiB.
    lines = ["100", "1000", "999999", "1"]
    for i in range(333333):
        lines += [f"a {i % 1000} {16 + i % 200}", f"r {i % 1000} {32 + i % 300}", f"f {i % 1000}"]
    return ("\n".join(lines) + "\n").encode()


def heavy():
    body = trace_at_limit()
    process, port = start()
    try:
        idle = []
        stop = threading.Event()
        reader = threading.Thread(target=timed_reads, args=(port, stop, idle))
        reader.start()
        time.sleep(2)
        stop.set()
        reader.join()
        print(f"heavy: idle baseline, GET /show and /healthz: {summary(idle)}")
        loaded = []
        stop = threading.Event()
        reader = threading.Thread(target=timed_reads, args=(port, stop, loaded))
        results = []

        def compare():
            results.append(request(port, "POST", "/compare", body))

        workers = [threading.Thread(target=compare) for _ in range(4)]
        begun = time.monotonic()
        for worker in workers:
            worker.start()
        reader.start()
        for worker in workers:
            worker.join()
        stop.set()
        reader.join()
        print(f"heavy: {len(body) >> 10} KiB bodies, 4 POST /compare at once, {time.monotonic() - begun:.1f} s: "
              + ", ".join(f"{status} in {took:.1f} s" for status, took, _ in results))
        print(f"heavy: meanwhile GET /show and /healthz: {summary(loaded)}")
        print(f"heavy: server peak RSS {rss_kb(process) // 1024} MiB")
    finally:
        process.kill()


def timeline():
    body = trace_at_limit()
    process, port = start()
    try:
        status, took, answer = request(port, "POST", "/replay?timeline=1", body)
        print(f"timeline: POST /replay?timeline=1: {status}, {len(answer) >> 10} KiB answer in {took:.1f} s, "
              f"server peak RSS {rss_kb(process) // 1024} MiB")
    finally:
        process.kill()


def partial():
    process, port = start()
    try:
        connections = []
        answers = []
        chunk = b"+16\n-0\n" * (1 << 10)
        for _ in range(40):
            connection = socket.create_connection(("127.0.0.1", port))
            connection.sendall(b"POST /replay HTTP/1.1\r\nHost: x\r\nContent-Length: 8388000\r\n\r\n")
            connections.append(connection)
        for connection in connections:
            try:
                for _ in range((7 << 20) // len(chunk)):
                    connection.sendall(chunk)
            except OSError:
                pass
        time.sleep(2)
        for connection in connections:
            connection.settimeout(0.5)
            try:
                answers.append(connection.recv(200).split(b"\r\n", 1)[0].decode() or "closed")
            except socket.timeout:
                answers.append("waiting")
            except OSError as error:
                answers.append(type(error).__name__)
        counts = {answer: answers.count(answer) for answer in set(answers)}
        _, took, _ = request(port, "GET", "/healthz")
        print(f"partial: 40 bodies of 7 of 8 MiB: {counts}; server peak RSS {rss_kb(process) // 1024} MiB; "
              f"/healthz in {took * 1000:.1f} ms")
        for connection in connections:
            connection.close()
    finally:
        process.kill()


def trickle():
    process, port = start()
    try:
        connections = []
        for _ in range(200):
            connection = socket.create_connection(("127.0.0.1", port))
            connection.sendall(b"POST /command HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nA")
            connections.append(connection)
        samples = []
        stop = threading.Event()
        reader = threading.Thread(target=timed_reads, args=(port, stop, samples))
        reader.start()
        closed_at = None
        answered = set()
        begun = time.monotonic()
        while time.monotonic() - begun < 60 and closed_at is None:
            time.sleep(1)
            for index, connection in enumerate(connections):
                if index in answered:
                    continue
                connection.setblocking(False)
                try:
                    connection.recv(100)  # the 408, or the end of the connection
                    answered.add(index)
                except BlockingIOError:
                    if int(time.monotonic() - begun) % 5 == 0:
                        try:
                            connection.sendall(b"A")
                        except OSError:
                            answered.add(index)
                except OSError:
                    answered.add(index)
            if len(answered) == len(connections):
                closed_at = time.monotonic() - begun
        stop.set()
        reader.join()
        print(f"trickle: 200 bodies at 1 byte / 5 s: all answered 408 or closed after {closed_at and round(closed_at)} s; "
              f"meanwhile GET /show and /healthz: {summary(samples)}")
    finally:
        process.kill()


def lock():
    folder = tempfile.mkdtemp()
    state = os.path.join(folder, "heap.json")
    subprocess.run([BINARY, "16", "64", "--state", state], check=True, capture_output=True)
    process, port = start("--state", state)
    try:
        held = open(state + ".lock", "a+")
        fcntl.flock(held, fcntl.LOCK_EX)
        results = []
        allocs = [threading.Thread(target=lambda: results.append(request(port, "POST", "/alloc?M=16"))) for _ in range(3)]
        for thread in allocs:
            thread.start()
        samples = []
        stop = threading.Event()
        reader = threading.Thread(target=timed_reads, args=(port, stop, samples))
        reader.start()
        for thread in allocs:
            thread.join()
        stop.set()
        reader.join()
        print("lock: 3 POST /alloc with the lock held: "
              + ", ".join(f"{status} in {took:.1f} s" for status, took, _ in results))
        print(f"lock: meanwhile GET /show and /healthz: {summary(samples)}")
        held.close()
        time.sleep(1)
        shown = subprocess.run([BINARY, "show", "--state", state], capture_output=True, text=True).stdout
        print(f"lock: after the lock is released, allocations made: {shown.count('bytes')}")
    finally:
        process.kill()


if __name__ == "__main__":
    chosen = sys.argv[2:] or ["heavy", "timeline", "partial", "trickle", "lock"]
    print(f"load before: {open('/proc/loadavg').read().strip()}")
    for name in chosen:
        globals()[name]()
    print(f"load after: {open('/proc/loadavg').read().strip()}")
