"""Cycles are collected on the GUI thread only while the app runs (app/qt/collector.py): a worker thread's
allocations never start a collection, and the GUI thread's timer collects what they left."""

import gc
import threading
import weakref

from app.qt.collector import MainThreadCollector


class Node:
    def __init__(self):
        self.me = self


def test_a_worker_thread_never_collects_and_the_gui_threads_timer_does(qtbot):
    before = gc.isenabled()  # off already under the suite's own collector (tests/conftest.py)
    collector = MainThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        refs, alive = [], []

        def work():
            for _ in range(20000):  # far past gen 0's threshold: automatic collection would have run here
                refs.append(weakref.ref(Node()))
            alive.append(all(r() is not None for r in refs))  # nothing collected in this thread

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert alive == [True]
        qtbot.waitUntil(lambda: all(r() is None for r in refs), timeout=5000)
    finally:
        collector.stop()
    assert gc.isenabled() == before  # given back as it was
