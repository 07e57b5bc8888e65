def square(s):
    return s * s


def rect(w, h):
    if w < 0 or h < 0:
        raise ValueError("negative side")
    return w * h


def circle(r):
    import math

    return math.pi * r * r
