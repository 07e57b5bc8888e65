def square(s):
    return s * s
