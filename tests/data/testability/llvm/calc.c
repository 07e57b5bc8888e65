#include <stdio.h>
#include <stdlib.h>

#define SQUARE(x) ((x) * (x))

static int clamp(int x, int lo, int hi) {
    if (x < lo) return lo;
    if (x > hi)
        return hi;
    return x;
}

static int sum_squares(int n) {
    int total = 0;
    for (int i = 0; i < n; i++) {
        if (i % 2 == 0) {
            total += SQUARE(i);
        } else {
            total -= 1;
        }
    }
    return total;
}

#if 0
static int never_compiled(void) { return 42; }
#endif

static int classify(int x) {
    switch (x) {
    case 0:
        return 10;
    case 1:
        return 11;
    default:
        break;
    }
    return x > 100 ? 1 : (x < -100 ? -1 : 0);
}

static void unused(void) {
    puts("never");
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 5;
    printf("%d %d %d\n", clamp(n, 0, 3), sum_squares(n), classify(n));
    if (argc > 5) { unused(); }
    return 0;
}
