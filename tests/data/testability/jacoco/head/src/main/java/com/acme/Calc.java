package com.acme;

public class Calc {
    public static int add(int a, int b) {
        return a + b;
    }

    public static int abs(int a) {
        if (a < 0) {
            return -a;
        }
        return a;
    }

    public static int sign(int a) {
        if (a > 0) return 1;
        if (a < 0) return -1;

        return 0;
    }

    public static String name(int a) {
        switch (a) {
            case 1:
                return "one";
            default:
                return "many";
        }
    }
}
