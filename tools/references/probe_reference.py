"""Expected values for tests/suites/{probe,folds,classification_metrics}_test.cpp.

Run: /tmp/venv/bin/python tools/references/probe_reference.py   (numpy, scikit-learn)

1. scikit-learn's LogisticRegression(solver="liblinear") on two small fixed problems: the decision
   values and predictions LinearProbe must reproduce. scikit-learn >= 1.8 no longer runs the
   one-vs-rest scheme of liblinear itself for 3+ classes; OneVsRestClassifier fits the same binary
   problems (class c against the rest, same C and tol), which is what LIBLINEAR's train() does.
2. f1_score(average="macro") and accuracy_score of the hand-computed example.
3. stratified_folds' assignment of a tiny input, from an independent mt19937_64 written here from
   the published algorithm (Matsumoto & Nishimura 2000; the parameters of [rand.predef] in the C++
   standard), checked against the standard's 10000th output of a default-seeded engine.
All inputs are multiples of 1/4, so float32 (what LinearProbe takes) and float64 hold them exactly.
"""
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.multiclass import OneVsRestClassifier
from scipy.optimize import minimize

np.set_printoptions(precision=17)


def show(name, values):
    flat = np.asarray(values, dtype=np.float64).ravel()
    print(f"{name} = {{" + ", ".join(repr(float(v)) for v in flat) + "}")


print("scikit-learn", sklearn.__version__)

# --- 1. probes --------------------------------------------------------------------------------
# Each problem twice: with scikit-learn's defaults (tol=1e-4), and with tol=1e-10, where both
# liblinear builds have converged. scikit-learn bundles its own modified liblinear; hubbench links
# Debian's LIBLINEAR 2.30, whose trust-region Newton solver (preconditioned since 2.20) takes other
# steps, so at tol=1e-4 the two stop at slightly different points (decision values ~4e-6 apart), while
# the converged solutions agree to ~1e-8 and with a BFGS solve of the same objective.
TOLS = (1e-4, 1e-10)

# Two classes, overlapping (points 2 and 4 sit on the other side).
X2 = np.array([[0.5, 1.0], [1.5, 2.0], [2.0, 0.5], [3.0, 1.5], [1.0, 3.0], [2.5, 2.5], [3.5, 3.0], [0.0, 2.0]])
y2 = np.array([0, 0, 1, 1, 0, 1, 1, 0])
Q2 = np.array([[1.0, 1.0], [3.0, 3.0], [2.0, 2.0], [0.0, 0.0]])
for tol in TOLS:
    # C=1.0, intercept_scaling=1 (defaults)
    m2 = LogisticRegression(solver="liblinear", tol=tol).fit(X2, y2)
    show(f"binary tol={tol} decision (sklearn's one score: > 0 is class 1) on Q2", m2.decision_function(Q2))
    show(f"binary tol={tol} predict Q2", m2.predict(Q2))

# The objective liblinear minimises, min_w 1/2 |w|^2 + C sum log(1 + exp(-s_i w.[x_i, 1])), the
# intercept regularised like the weights, solved by BFGS as a check on both.
Z = np.hstack([X2, np.ones((len(X2), 1))])
s = 2 * y2 - 1
exact = minimize(lambda w: 0.5 * w @ w + np.sum(np.logaddexp(0, -s * (Z @ w))), np.zeros(3),
                 jac=lambda w: w - Z.T @ (s / (1 + np.exp(s * (Z @ w)))), method="BFGS",
                 options=dict(gtol=1e-14)).x
show("binary exact optimum decision on Q2", np.hstack([Q2, np.ones((len(Q2), 1))]) @ exact)

# Three classes around (0.5, 0.5), (3, 0.5) and (1.5, 2.75); point 5 belongs to class 0.
X3 = np.array([[0.0, 0.0], [0.5, 1.0], [1.0, 0.25], [3.0, 0.0], [3.5, 1.0], [2.5, 0.5], [1.5, 3.0], [2.0, 2.5],
               [1.0, 2.75]])
y3 = np.array([0, 0, 0, 1, 1, 0, 2, 2, 2])
Q3 = np.array([[0.5, 0.5], [3.0, 0.5], [1.5, 2.5], [2.0, 1.0]])
for tol in TOLS:
    m3 = OneVsRestClassifier(LogisticRegression(solver="liblinear", tol=tol)).fit(X3, y3)
    show(f"3-class tol={tol} decision (rows: queries, columns: classes) on Q3", m3.decision_function(Q3))
    show(f"3-class tol={tol} predict Q3", m3.predict(Q3))

# --- 2. metrics -------------------------------------------------------------------------------
gold = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3]
pred = [0, 0, 1, 1, 2, 2, 2, 0, 2, 0]
print("accuracy", repr(accuracy_score(gold, pred)))
print("macro f1", repr(f1_score(gold, pred, average="macro")))
# Above, class 3 occurs only in gold: it counts, with F1 0. Below, a class that occurs in neither list
# is not counted (the test passes classes = 5 with only 0 and 1 present).
print("macro f1 of [0,1,1,0] vs [0,1,0,0]", repr(f1_score([0, 1, 1, 0], [0, 1, 0, 0], average="macro")))

# --- 3. mt19937_64 and the fold assignment ------------------------------------------------------
class MT19937_64:
    W, N, M, R = 64, 312, 156, 31
    A = 0xB5026F5AA96619E9
    U, D = 29, 0x5555555555555555
    S, B = 17, 0x71D67FFFEDA60000
    T, C = 37, 0xFFF7EEE000000000
    L, F = 43, 6364136223846793005
    MASK = (1 << 64) - 1

    def __init__(self, seed=5489):
        self.mt = [seed & self.MASK]
        for i in range(1, self.N):
            prev = self.mt[-1]
            self.mt.append((self.F * (prev ^ (prev >> (self.W - 2))) + i) & self.MASK)
        self.index = self.N

    def __call__(self):
        if self.index >= self.N:
            lower = (1 << self.R) - 1
            upper = ~lower & self.MASK
            for i in range(self.N):
                x = (self.mt[i] & upper) | (self.mt[(i + 1) % self.N] & lower)
                xa = x >> 1
                if x & 1:
                    xa ^= self.A
                self.mt[i] = self.mt[(i + self.M) % self.N] ^ xa
            self.index = 0
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> self.U) & self.D
        y ^= (y << self.S) & self.B
        y ^= (y << self.T) & self.C
        y ^= y >> self.L
        return y & self.MASK


g = MT19937_64()
for _ in range(9999):
    g()
assert g() == 9981545732273789042, "not the standard's mt19937_64"


def stratified_folds(labels, folds, seed):
    gen = MT19937_64(seed)
    fold = [None] * len(labels)
    nxt = 0
    for label in sorted(set(labels)):   # byte order; the labels here are ASCII
        items = [i for i, l in enumerate(labels) if l == label]
        for i in range(len(items) - 1, 0, -1):
            j = gen() % (i + 1)
            items[i], items[j] = items[j], items[i]
        for item in items:
            fold[item] = nxt
            nxt = (nxt + 1) % folds
    return fold


labels = ["pos", "neg", "neg", "pos", "neu", "pos", "neg", "neu", "pos", "neg", "neu"]
# The draws the shuffles use, in order (neg: i = 3, 2, 1; neu: i = 2, 1; pos: i = 3, 2, 1), so the
# test can show the assignment step by step.
g = MT19937_64(7)
print("j = gen() % (i + 1):", [g() % (i + 1) for i in (3, 2, 1, 2, 1, 3, 2, 1)])
print("folds(labels, 3, seed 7) =", stratified_folds(labels, 3, 7))
