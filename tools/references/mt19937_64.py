"""std::mt19937_64 in pure Python (C++11 [rand.predef]: mersenne_twister_engine<uint_fast64_t,
64, 312, 156, 31, 0xb5026f5aa96619e9, 29, 0x5555555555555555, 17, 0x71d67fffeda60000, 37,
0xfff7eee000000000, 43, 6364136223846793005>), seeded the way the standard seeds it from one
integer. The standard requires the 10000th output of a default-constructed engine (seed 5489) to be
9981545732273789042; `check()` verifies that."""

MASK64 = (1 << 64) - 1
_N, _M, _R = 312, 156, 31
_A = 0xB5026F5AA96619E9
_U, _D = 29, 0x5555555555555555
_S, _B = 17, 0x71D67FFFEDA60000
_T, _C = 37, 0xFFF7EEE000000000
_L = 43
_F = 6364136223846793005
_UPPER = (~((1 << _R) - 1)) & MASK64
_LOWER = (1 << _R) - 1


class MT19937_64:
    def __init__(self, seed: int = 5489):
        self.mt = [0] * _N
        self.mt[0] = seed & MASK64
        for i in range(1, _N):
            prev = self.mt[i - 1]
            self.mt[i] = (_F * (prev ^ (prev >> 62)) + i) & MASK64
        self.index = _N

    def _twist(self):
        mt = self.mt
        for i in range(_N):
            x = (mt[i] & _UPPER) | (mt[(i + 1) % _N] & _LOWER)
            xa = x >> 1
            if x & 1:
                xa ^= _A
            mt[i] = mt[(i + _M) % _N] ^ xa
        self.index = 0

    def __call__(self) -> int:
        if self.index >= _N:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> _U) & _D
        y ^= (y << _S) & _B
        y ^= (y << _T) & _C
        y ^= y >> _L
        return y & MASK64


def check() -> int:
    g = MT19937_64()
    for _ in range(9999):
        g()
    v = g()
    if v != 9981545732273789042:
        raise AssertionError(f"mt19937_64: 10000th output {v}, the standard says 9981545732273789042")
    return v


if __name__ == "__main__":
    print(check())
    g = MT19937_64(0)
    print([g() for _ in range(3)])
