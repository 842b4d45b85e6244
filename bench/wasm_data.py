#!/usr/bin/env python3
"""What the data segments of a wasm file hold (issue 15): section sizes, and
the data split into Chinese text, zero bytes, panic locations, serde field
lists, view markup and the rest, each with its deflate size.

    python3 bench/wasm_data.py target/site/pkg/gaoliang.wasm
"""
import re
import sys
import zlib


def leb(buf, i):
    value, shift = 0, 0
    while True:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def sections(buf):
    """Yields (id, payload) of each section."""
    i = 8
    while i < len(buf):
        sid = buf[i]
        size, i = leb(buf, i + 1)
        yield sid, buf[i : i + size]
        i += size


def data_segments(payload):
    """The bytes of every active data segment (the only kind rustc emits)."""
    count, j = leb(payload, 0)
    out = b""
    for _ in range(count):
        flag, j = leb(payload, j)
        if flag != 0:
            raise SystemExit(f"data segment kind {flag} not handled")
        j += 1  # i32.const
        _, j = leb(payload, j)
        j += 1  # end
        length, j = leb(payload, j)
        out += payload[j : j + length]
        j += length
    return out


def main(path):
    buf = open(path, "rb").read()
    names = {0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
             6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data",
             12: "datacount"}
    data = code = b""
    print(f"{path}: {len(buf):,} bytes")
    for sid, payload in sections(buf):
        print(f"  {names.get(sid, sid):10} {len(payload):>9,} bytes, deflate {len(zlib.compress(payload, 9)):>8,}")
        if sid == 11:
            data = data_segments(payload)
        elif sid == 10:
            code = payload
    text = data.decode("utf-8", "replace")
    chinese = sum(len(m.group(0).encode()) for m in
                  re.finditer(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", text))
    kinds = {"panic locations (source paths)": 0, "serde field lists (struct X with N elements)": 0,
             "view markup (tags, classes, attributes)": 0, "other text": 0}
    for run in re.findall(rb"[\x20-\x7e]{4,}", data):
        t = run.decode()
        if ".rs" in t or "/rustc/" in t or "registry/src" in t:
            kinds["panic locations (source paths)"] += len(run)
        elif re.search(r"struct \w+ with \d+ element", t):
            kinds["serde field lists (struct X with N elements)"] += len(run)
        elif re.search(r"</|class|data-|aria-|=\"", t):
            kinds["view markup (tags, classes, attributes)"] += len(run)
        else:
            kinds["other text"] += len(run)
    print(f"data segments: {len(data):,} bytes (deflate {len(zlib.compress(data, 9)):,}); "
          f"code: deflate {len(zlib.compress(code, 9)):,}")
    print(f"  Chinese text (UTF-8)  {chinese:>9,}")
    print(f"  zero bytes            {data.count(0):>9,}")
    for kind, size in kinds.items():
        print(f"  {kind:45} {size:>9,}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/site/pkg/gaoliang.wasm")
