"""The exercise's service in FastAPI, as a benchmark baseline (not part of memallook).

Idiomatic FastAPI on uvicorn: `async def` endpoints (nothing here blocks, so they
run on the event loop and need no lock), typed query parameters, plain-text
replies, a first-fit scan over a list of page owners. Same routes and replies as
memallook for what the benchmark drives (NEW, ALLOC, DEALLOC, SHOW, RESET), so the
same wrk scripts run against both. Run with

    python3 Benchmarks/http/baseline_fastapi.py 8092

(one uvicorn worker, uvloop and httptools when installed, no access log).
"""

import random
import sys

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse


class HeapError(Exception):
    """A refusal, with its HTTP status and the text memallook answers."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message


class Heap:
    """N pages of p bytes; `owners[i]` is the tag that owns page i, or None."""

    def __init__(self, page_size: int, page_count: int):
        self.id = f"HEAP-{random.randint(100, 999)}"
        self.page_size = page_size
        self.owners: list[int | None] = [None] * page_count
        self.sizes: dict[int, int] = {}
        self.next_tag = 1

    def alloc(self, size: int) -> int:
        need = -(-size // self.page_size)
        run = 0
        for page, owner in enumerate(self.owners):
            run = run + 1 if owner is None else 0
            if run == need:
                tag, self.next_tag = self.next_tag, self.next_tag + 1
                first = page - need + 1
                self.owners[first : page + 1] = [tag] * need
                self.sizes[tag] = size
                return tag
        raise HeapError(409, "allocation failed")

    def dealloc(self, tag: str) -> None:
        key = int(tag) if tag.isdigit() and str(int(tag)) == tag else None
        if key not in self.sizes:
            raise HeapError(404, f'deallocation failed, unknown tag: no live allocation has tag "{tag}"')
        del self.sizes[key]
        self.owners = [None if owner == key else owner for owner in self.owners]

    def show(self, width: int = 16) -> str:
        glyphs = "123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        cells = ["." if owner is None else glyphs[(owner - 1) % len(glyphs)] for owner in self.owners]
        rows = ["".join(cells[i : i + width]) for i in range(0, len(cells), width)]
        listing = [f"{tag}: {size} byte{'' if size == 1 else 's'}" for tag, size in sorted(self.sizes.items())]
        return "\n".join(rows + ["", "<Allocations by tag>"] + listing)


app = FastAPI(title="memallook baseline", default_response_class=PlainTextResponse)
heap: Heap | None = None


def current() -> Heap:
    if heap is None:
        raise HeapError(409, "no heap: run NEW p N first")
    return heap


def text(body: str, status: int = 200) -> PlainTextResponse:
    return PlainTextResponse(body + "\n", status_code=status)


@app.exception_handler(HeapError)
async def refused(_: Request, error: HeapError) -> PlainTextResponse:
    return text(error.message, error.status)


@app.exception_handler(RequestValidationError)
async def invalid(_: Request, error: RequestValidationError) -> PlainTextResponse:
    first = error.errors()[0]
    return text(f"invalid {first['loc'][-1]}: {first['msg']}", 400)


@app.post("/new")
async def new(p: int = Query(gt=0), N: int = Query(gt=0)) -> PlainTextResponse:
    global heap
    if heap is not None:
        return text(heap.id, 200)
    heap = Heap(p, N)
    return text(heap.id, 201)


@app.post("/alloc")
async def alloc(M: int = Query(gt=0)) -> PlainTextResponse:
    return text(str(current().alloc(M)), 201)


@app.post("/dealloc")
async def dealloc(tag: str) -> PlainTextResponse:
    current().dealloc(tag)
    return text("deallocation succeeded")


@app.get("/show")
async def show(width: int = Query(16, ge=1, le=1024)) -> PlainTextResponse:
    return text(current().show(width))


@app.post("/reset")
async def reset() -> PlainTextResponse:
    global heap
    heap = None
    return text("ok, heap cleared")


if __name__ == "__main__":
    import uvicorn

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8092
    uvicorn.run(app, host="127.0.0.1", port=port, workers=1, access_log=False, log_level="warning")
