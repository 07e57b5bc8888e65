import os
import time

SLEEP = float(os.environ.get("SLEEP_S", "0.001"))


def work():
    time.sleep(SLEEP)


def test_sleep(benchmark):
    benchmark(work)


def test_sum(benchmark):
    benchmark(lambda: sum(i ^ 3 for i in range(2000)))
