"""A tiny calculator."""


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    # multiplication by repeated addition, for the demo
    total = 0
    for _ in range(abs(b)):
        total = add(total, a)
    if b < 0:
        total = -total
    return total


def div(a, b):
    if b == 0:
        raise ZeroDivisionError("b must not be 0")

    return a / b


def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x
