"""Helpers for the few long, allocation-heavy batch paths (a week's build, an
adjustment): code every app may call (opd is the bottom app)."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """No cyclic garbage collection inside the block.

    Planning makes many short-lived objects (a 50,000-employee week some 250,000
    entries and their keys, an adjustment of an OPD of 1,000 some 30,000), and each
    700 allocations set off a young collection that walks every tracked object of its
    generation; the older generations are walked again and again as the heap grows.
    These objects hold no cycles to wait for: reference counting frees them. Measured:
    a 50,000-employee build 3.2-3.3 s in process instead of 3.8-4.2 s, an adjustment
    2-7 ms of its 35-45 ms. The collector runs again after the block, at its next
    threshold. Nested blocks, or a caller who had it off already, leave it as found.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
