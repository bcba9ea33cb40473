"""The child program that compiles typst documents for ``lider.core.render_pool``.

Run as ``python -P path/to/render_worker.py``; it imports typst only (no Django). It reads
requests from stdin and writes answers to stdout, each a frame: 8 bytes of big-endian length,
then the body. A request body is JSON ``{"path": ..., "root": ..., "inputs": {...}}``; an answer
body is one status byte and the payload: ``K`` + the PDF, ``E`` + an error message (a typst
compile error; the worker goes on), or ``P`` + a message after a panic of the renderer (the
worker then exits, so the next document gets a fresh one whatever state the panic left).
One ``typst.Compiler`` is kept per template: recompiling it with new inputs is what makes a
document cost milliseconds.
"""

import json
import os
import struct
import sys

HEADER = struct.Struct(">Q")


def read_frame(stream) -> bytes | None:
    """One frame's body, or None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (length,) = HEADER.unpack(header)
    body = stream.read(length)
    if len(body) < length:
        return None
    return body


def write_frame(stream, body: bytes) -> None:
    stream.write(HEADER.pack(len(body)))
    stream.write(body)
    stream.flush()


def main() -> int:
    import typst

    requests = sys.stdin.buffer
    # Frames go to a private copy of stdout; anything printed by accident goes to stderr.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    compilers: dict[tuple[str, str], typst.Compiler] = {}
    while (body := read_frame(requests)) is not None:
        request = json.loads(body)
        key = (request["path"], request["root"])
        try:
            if key not in compilers:
                compilers[key] = typst.Compiler(
                    request["path"], root=request["root"], ignore_system_fonts=True
                )
            pdf = compilers[key].compile(format="pdf", sys_inputs=request["inputs"])
        except Exception as error:  # a compile error: report it and take the next request
            write_frame(answers, b"E" + str(error).encode("utf-8", "replace")[:4000])
        except BaseException as error:  # pyo3's PanicException: report it and start afresh
            write_frame(answers, b"P" + str(error).encode("utf-8", "replace")[:4000])
            return 3
        else:
            write_frame(answers, b"K" + pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
