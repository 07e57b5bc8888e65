from calc import add, div, mul
from shapes.area import rect, square


def test_add():
    assert add(2, 3) == 5


def test_mul():
    assert mul(3, 4) == 12


def test_div():
    assert div(6, 3) == 2


def test_shapes():
    assert square(3) == 9
    assert rect(2, 3) == 6
