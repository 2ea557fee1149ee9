// Callers for the thunk tests, compiled by the test set-up with clang-22 -fsanitize=kcfi -O2 -fPIC
// -shared (and scheme variants): every indirect call below is KCFI-checked.
#include <stddef.h>

long call_long(long (*f)(long), long x) { return f(x); }

int call_mixed(int (*f)(signed char, short, int, long long, double, float, void *), void *p) {
    return f(-1, -2, -3, -4, 0.5, 0.25f, p);
}

double call_double(double (*f)(double, double), double a, double b) { return f(a, b); }

unsigned char call_bytes(unsigned char (*f)(unsigned char, _Bool), unsigned char c) { return f(c, 1); }

long call_void(void (*f)(long), long n) {
    for (long i = 0; i < n; i++) f(i);
    return n;
}

int sort_ints(int *values, size_t n, int (*cmp)(const void *, const void *)) {
    // insertion sort through the comparator: many calls, each checked
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp(&values[j - 1], &values[j]) > 0; j--) {
            int t = values[j]; values[j] = values[j - 1]; values[j - 1] = t;
        }
    return 0;
}

// Six integer arguments leave no register free: these callbacks take the one-stub-per-callback path.
long call_six(long (*f)(long, long, long, long, long, long)) { return f(1, 2, 3, 4, 5, 6); }

// Structs by value: in registers (8 and 16 bytes, integer and mixed classes) and in memory (40 bytes).
struct point { int x; int y; };
struct pair { double a; long b; };
struct big { long v[4]; char tag; };

long call_point(long (*f)(struct point), int x, int y) {
    struct point p = {x, y};
    return f(p);
}

struct pair call_pair(struct pair (*f)(struct pair, int), double a, long b) {
    struct pair p = {a, b};
    return f(p, 3);
}

long call_big(long (*f)(struct big), long base) {
    struct big b = {{base, base + 1, base + 2, base + 3}, 'z'};
    return f(b);
}

// A complex number travels as a struct of its parts.
double _Complex call_complex(double _Complex (*f)(double _Complex, float _Complex), double re, double im) {
    double _Complex z = re + im * 1.0i;
    return f(z, 2.0f - 1.0if);
}

void *call_ptr(void *(*f)(void *), void *p) { return f(p); }
