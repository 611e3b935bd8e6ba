"""A typical Python implementation of the exercise's service, for comparison only.

Flask, one bytearray-like list of page owners, first fit by scanning: what a
candidate would write in the exercise's 2-6 hours. Run with
    python3 Benchmarks/http/baseline_flask.py 8090
(werkzeug's threaded server) and point the same wrk commands at it.
"""
import sys
import threading

from flask import Flask, request

app = Flask(__name__)
lock = threading.Lock()
state = {"pages": None, "p": 0, "tags": {}, "next": 1}


@app.post("/new")
def new():
    with lock:
        if state["pages"] is None:
            state["p"] = int(request.args["p"])
            state["pages"] = [None] * int(request.args["N"])
        return "HEAP-123\n", 201


@app.post("/alloc")
def alloc():
    m = int(request.args["M"])
    with lock:
        need = -(-m // state["p"])
        pages, run = state["pages"], 0
        for i, owner in enumerate(pages):
            run = run + 1 if owner is None else 0
            if run == need:
                tag = str(state["next"])
                state["next"] += 1
                for j in range(i - need + 1, i + 1):
                    pages[j] = tag
                state["tags"][tag] = m
                return tag + "\n", 201
        return "allocation failed\n", 409


@app.post("/dealloc")
def dealloc():
    tag = request.args["tag"]
    with lock:
        if tag not in state["tags"]:
            return "deallocation failed, unknown tag\n", 404
        del state["tags"][tag]
        state["pages"] = [None if o == tag else o for o in state["pages"]]
        return "deallocation succeeded\n"


@app.post("/reset")
def reset():
    with lock:
        state.update(pages=None, p=0, tags={}, next=1)
        return "ok, heap cleared\n"


@app.get("/show")
def show():
    with lock:
        pages = state["pages"]
        rows = ["".join(o or "." for o in pages[i:i + 16]) for i in range(0, len(pages), 16)]
        listing = [f"{t}: {b} bytes" for t, b in sorted(state["tags"].items(), key=lambda x: int(x[0]))]
        return "\n".join(rows + ["", "<Allocations by tag>"] + listing) + "\n"


if __name__ == "__main__":
    import logging
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.run(host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 8090, threaded=True)
