#!/usr/bin/env python3
# Independent check of reports/significance.cpp: MT19937-64 written from its published definition
# (Matsumoto & Nishimura; the C++ standard's mersenne_twister_engine parameters), then the paired
# bootstrap with exact rational arithmetic for the means and the percentile.
from fractions import Fraction

class MT64:
    w, n, m, r = 64, 312, 156, 31
    a = 0xB5026F5AA96619E9
    u, d = 29, 0x5555555555555555
    s, b = 17, 0x71D67FFFEDA60000
    t, c = 37, 0xFFF7EEE000000000
    l = 43
    f = 6364136223846793005
    mask = (1 << 64) - 1
    def __init__(self, seed):
        self.mt = [0] * self.n
        self.mt[0] = seed & self.mask
        for i in range(1, self.n):
            self.mt[i] = (self.f * (self.mt[i-1] ^ (self.mt[i-1] >> 62)) + i) & self.mask
        self.index = self.n
    def twist(self):
        upper = (~((1 << self.r) - 1)) & self.mask
        lower = (1 << self.r) - 1
        for i in range(self.n):
            x = (self.mt[i] & upper) | (self.mt[(i+1) % self.n] & lower)
            xa = x >> 1
            if x & 1: xa ^= self.a
            self.mt[i] = self.mt[(i + self.m) % self.n] ^ xa
        self.index = 0
    def __call__(self):
        if self.index >= self.n: self.twist()
        y = self.mt[self.index]; self.index += 1
        y ^= (y >> self.u) & self.d
        y ^= (y << self.s) & self.b
        y ^= (y << self.t) & self.c
        y ^= y >> self.l
        return y & self.mask

g = MT64(5489)
for _ in range(9999): g()
assert g() == 9981545732273789042, "the C++ standard's check value of mt19937_64"

def bootstrap(best, other, higher=True, R=1000, seed=0):
    n = len(best)
    d = [(b - o) if higher else (o - b) for b, o in zip(best, other)]
    g = MT64(seed)
    means = sorted(Fraction(sum(d[g() % n] for _ in range(n)), n) for _ in range(R))
    pos = Fraction(25, 1000) * (R - 1)
    lo = pos.numerator // pos.denominator
    frac = pos - lo
    return Fraction(sum(d), n), means[lo] + frac * (means[lo + 1] - means[lo])

# The mixed case of tests/reports/significance_test.cpp: 50 items, the best right on 0..39, the
# other right on 0..31 and 40..42: the best wins 8 items, loses 3.
best = [1 if i < 40 else 0 for i in range(50)]
other = [1 if i < 32 or 40 <= i < 43 else 0 for i in range(50)]
mean, lower = bootstrap(best, other)
print("mixed: mean", mean, float(mean), "lower", lower, repr(float(lower)))
# The same items scored lower-is-better (a loss per item): the orientation flips the sign back.
mean2, lower2 = bootstrap([1 - x for x in best], [1 - x for x in other], higher=False)
print("mixed, lower is better:", float(mean2), repr(float(lower2)))
# A clearer case: the best wins 14 items and loses 3.
other3 = [1 if i < 26 or 40 <= i < 43 else 0 for i in range(50)]
mean3, lower3 = bootstrap(best, other3)
print("clear: mean", float(mean3), "lower", repr(float(lower3)))
# A real-valued case (nDCG-like per query values) whose 2.5th percentile falls between two
# different order statistics, so that the interpolation is exercised: 20 queries.
best4 = [Fraction((i * 7) % 11, 10) for i in range(20)]
other4 = [Fraction((i * 5) % 9, 10) for i in range(20)]
mean4, lower4 = bootstrap(best4, other4)
d = [b - o for b, o in zip(best4, other4)]
gg = MT64(0); means = sorted(Fraction(sum(d[gg() % 20] for _ in range(20)), 20) for _ in range(1000))
print("real: mean", float(mean4), "lower", repr(float(lower4)), "s24", float(means[24]), "s25", float(means[25]))
print("best4", [float(x) for x in best4]); print("other4", [float(x) for x in other4])
