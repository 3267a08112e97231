#!/usr/bin/env python3
"""Golden BG/NBD, Pareto/NBD and Gamma-Gamma results for the CDNOW sample, made with scipy.

Reads ../../data/cdnow/CDNOW_sample.txt and writes these files next to this script:

- cdnow_summary.csv: per-customer calibration summary (x, t_x, T, m_x) and holdout
  counts and spend
- cdnow_predictions.csv: per-customer P(alive), conditional expected purchases, expected
  average spend and a discounted 52-week CLV, all at FIXED published parameters
- cdnow_population.csv: P(X(t) = n) and E[X(t)] for a random customer, fixed parameters
- cdnow_fits.csv: scipy's own maximum-likelihood fits of the three models

Run with a Python 3 that has numpy, pandas and scipy (tested with Debian python3-numpy
1.24.2, python3-pandas 1.5.3, python3-scipy 1.10.1):

    python3 tests/golden/cdnow_lifetimes.py

Takes no arguments. The output is deterministic.

The formulas are written from the papers' mathematics:

- BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers" the easy way,
  Marketing Science 24(2), equations (6), (8), (9) and (10), and P(alive).
- Pareto/NBD: Fader & Hardie (2005), A note on deriving the Pareto/NBD model and
  related expressions (likelihood, P(alive), conditional expectation), and Fader &
  Hardie (2006), Deriving an expression for P(X(t) = x) under the Pareto/NBD model.
- Gamma-Gamma: Fader & Hardie (2013), The Gamma-Gamma model of monetary value.

Special functions come from scipy.special (gammaln, betaln, hyp2f1). Every hyp2f1
value used for the fixed-parameter outputs is checked against a direct Gauss series
summed with math.fsum, and the closed forms are checked against numerical integration
(scipy.integrate.quad) of the models' individual-level assumptions.

All times are in weeks: elapsed calendar days / 7 as a double, never rounded.
"""

import datetime as dt
import decimal
import math
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
from scipy import integrate, optimize, special

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "data" / "cdnow" / "CDNOW_sample.txt"

CAL_END = dt.date(1997, 9, 30)        # calibration: first purchase .. 1997-09-30 inclusive
HOLD_START = dt.date(1997, 10, 1)     # holdout: 1997-10-01 .. 1998-06-30 inclusive
HOLD_END = dt.date(1998, 6, 30)

# Fixed (published) parameters at which the predictions and population files are evaluated.
BG = dict(r=0.243, alpha=4.414, a=0.793, b=2.426)
PN = dict(r=0.553, alpha=10.578, s=0.606, beta=11.669)
GG = dict(p=6.25, q=3.74, gamma=15.44)

HORIZON_WEEKS = 52
ANNUAL_DISCOUNT = 1.10
DAYS_PER_YEAR = 365.2425
POP_TIMES = (39, 78)
POP_MAX_N = 15

SUMMARY_FILE = "cdnow_summary.csv"
PREDICTIONS_FILE = "cdnow_predictions.csv"
POPULATION_FILE = "cdnow_population.csv"
FITS_FILE = "cdnow_fits.csv"

M_X_PLACES = Decimal("1e-12")


def fmt(v):
    """Python repr of a double: shortest text that round-trips (up to 17 digits)."""
    v = float(v)
    assert math.isfinite(v), v
    return repr(v)


def weeks(d0, d1):
    """Elapsed days from d0 to d1 divided by 7, as the correctly rounded double."""
    return (d1 - d0).days / 7


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------

def read_transactions():
    # Whitespace-separated, CRLF, no header. Everything is read as text so the master id
    # keeps its zero padding and the dollar value can be parsed exactly as a Decimal.
    df = pd.read_csv(DATA, sep=r"\s+", header=None, dtype=str,
                     names=["customer_id", "sample_id", "date", "cds", "dollars"])
    assert df.notna().all().all()
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d").dt.date
    df["dollars"] = df["dollars"].map(Decimal)
    assert (df["dollars"] >= 0).all()
    return df


def summarise(df):
    """Per customer calibration/holdout summary. Money is summed exactly in Decimal."""
    with decimal.localcontext() as ctx:
        ctx.traps[decimal.Inexact] = True     # a rounded sum would raise
        return _summarise(df)


def _summarise(df):
    # Merge same-day purchases: one purchase day with the summed dollar value.
    days = {}
    for cid, d, v in zip(df["customer_id"], df["date"], df["dollars"]):
        days.setdefault(cid, {})
        days[cid][d] = days[cid].get(d, Decimal(0)) + v
    rows = []
    for cid in sorted(days):          # ordinal string order of the zero-padded ids
        per_day = sorted(days[cid].items())
        first = per_day[0][0]
        assert first <= CAL_END, cid
        cal = [(d, v) for d, v in per_day if d <= CAL_END]
        hold = [(d, v) for d, v in per_day if HOLD_START <= d <= HOLD_END]
        assert len(cal) + len(hold) == len(per_day), cid
        x = len(cal) - 1
        t_x = weeks(first, cal[-1][0])
        T = weeks(first, CAL_END)
        if x > 0:
            repeat_total = sum((v for _, v in cal[1:]), Decimal(0))
            # Exact quotient to 40 significant digits (so float() of it is the double
            # nearest the true mean); the CSV gets it rounded half-even to 12 places.
            q40 = decimal.Context(prec=40, rounding=decimal.ROUND_HALF_EVEN).divide(
                repeat_total, Decimal(x))
            m_x_text = str(q40.quantize(M_X_PLACES, rounding=decimal.ROUND_HALF_EVEN,
                                        context=decimal.Context(prec=60)))
            m_x = float(q40)
        else:
            m_x_text, m_x = "", 0.0
        holdout_spend = sum((v for _, v in hold), Decimal(0))
        rows.append(dict(customer_id=cid, x=x, t_x=t_x, T=T, m_x=m_x, m_x_text=m_x_text,
                         holdout_x=len(hold), holdout_spend=holdout_spend))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Reference hypergeometric series (independent check of scipy.special.hyp2f1)
# --------------------------------------------------------------------------------------

def hyp2f1_series(a, b, c, z):
    """Gauss series sum_k (a)_k (b)_k / ((c)_k k!) z^k for 0 <= z < 1, positive a, b, c.

    All terms are positive, so fsum of them is accurate to a few ulps.
    """
    assert a > 0 and b > 0 and c > 0 and 0 <= z < 1
    terms = [1.0]
    term = 1.0
    k = 0
    while True:
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        terms.append(term)
        k += 1
        if k > 20 and term < 1e-20 * terms[0]:
            # The ratio of successive terms tends to z from above, so the rest is
            # below term * z / (1 - z) once the ratio has settled.
            ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            if ratio < 1 and term * ratio / (1 - ratio) < 1e-19:
                break
        assert k < 100000
    return math.fsum(terms)


HYP_CHECK = {"count": 0, "max_rel": 0.0}


def hyp2f1_checked(a, b, c, z):
    """scipy.special.hyp2f1 on arrays, each value compared with the series above."""
    out = special.hyp2f1(a, b, c, z)
    aa, bb, cc, zz, oo = np.broadcast_arrays(a, b, c, z, out)
    for ai, bi, ci, zi, oi in zip(aa.ravel(), bb.ravel(), cc.ravel(), zz.ravel(), oo.ravel()):
        ref = hyp2f1_series(float(ai), float(bi), float(ci), float(zi))
        rel = abs(oi - ref) / abs(ref)
        HYP_CHECK["count"] += 1
        HYP_CHECK["max_rel"] = max(HYP_CHECK["max_rel"], rel)
        assert rel < 1e-12, (ai, bi, ci, zi, oi, ref)
    return out


# --------------------------------------------------------------------------------------
# BG/NBD (Fader, Hardie & Lee 2005)
# --------------------------------------------------------------------------------------

def bgnbd_loglik(r, alpha, a, b, x, t_x, T):
    """Per-customer log of eq. (6):
    L = B(a, b+x)/B(a, b) * Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
      + δ(x>0) B(a+1, b+x-1)/B(a, b) * Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
    """
    x = np.asarray(x, dtype=float)
    common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    l1 = special.betaln(a, b + x) - special.betaln(a, b) - (r + x) * np.log(alpha + T)
    xs = np.where(x > 0, x, 1.0)      # keep betaln finite where the term is unused
    l2 = special.betaln(a + 1, b + xs - 1) - special.betaln(a, b) - (r + x) * np.log(alpha + t_x)
    return common + np.where(x > 0, np.logaddexp(l1, l2), l1)


def bgnbd_p_alive(r, alpha, a, b, x, t_x, T):
    """P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x))."""
    x = np.asarray(x, dtype=float)
    xs = np.where(x > 0, x, 1.0)
    log_odds = np.log(a) - np.log(b + xs - 1) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return np.where(x > 0, 1.0 / (1.0 + np.exp(log_odds)), 1.0)


def bgnbd_conditional_expected(r, alpha, a, b, x, t_x, T, t, hyp=hyp2f1_checked):
    """Eq. (10): E[Y(t) | x, t_x, T] =
    (a+b+x-1)/(a-1) * [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))]
    / [1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)]
    The denominator is 1/P(alive). 1 - exp(y) is evaluated as -expm1(y).
    """
    x = np.asarray(x, dtype=float)
    z = t / (alpha + T + t)
    f = hyp(r + x, b + x, a + b + x - 1, z)
    y = (r + x) * np.log((alpha + T) / (alpha + T + t)) + np.log(f)
    return (a + b + x - 1) / (a - 1) * -np.expm1(y) * bgnbd_p_alive(r, alpha, a, b, x, t_x, T)


def bgnbd_expected(r, alpha, a, b, t):
    """Eq. (9): E[X(t)] = (a+b-1)/(a-1) [1 - (α/(α+t))^r 2F1(r, b; a+b-1; t/(α+t))]."""
    f = hyp2f1_checked(r, b, a + b - 1, t / (alpha + t))
    y = r * np.log(alpha / (alpha + t)) + np.log(f)
    return float((a + b - 1) / (a - 1) * -np.expm1(y))


def nbd_pmf(r, alpha, t, n):
    """Γ(r+n)/(Γ(r) n!) (α/(α+t))^r (t/(α+t))^n."""
    n = np.asarray(n, dtype=float)
    return np.exp(special.gammaln(r + n) - special.gammaln(r) - special.gammaln(n + 1)
                  + r * np.log(alpha / (alpha + t)) + n * np.log(t / (alpha + t)))


def bgnbd_pmf(r, alpha, a, b, t, n_max):
    """Eq. (8): P(X(t) = x) =
    B(a, b+x)/B(a, b) NBD(x)
    + δ(x>0) B(a+1, b+x-1)/B(a, b) [1 - Σ_{j=0}^{x-1} NBD(j)]
    """
    n = np.arange(n_max + 1)
    nb = nbd_pmf(r, alpha, t, n)
    out = []
    for x in n:
        p = math.exp(special.betaln(a, b + x) - special.betaln(a, b)) * nb[x]
        if x > 0:
            tail = 1.0 - math.fsum(nb[:x])
            p += math.exp(special.betaln(a + 1, b + x - 1) - special.betaln(a, b)) * tail
        out.append(p)
    return np.array(out)


# --------------------------------------------------------------------------------------
# Pareto/NBD (Fader & Hardie 2005 note; 2006 note for P(X(t) = x))
# --------------------------------------------------------------------------------------

def pnbd_parts(r, alpha, s, beta, x, t_x, T, hyp=special.hyp2f1):
    """Log-likelihood and P(alive) of the Pareto/NBD.

    L = Γ(r+x) α^r β^s / Γ(r) * { 1/((α+T)^(r+x) (β+T)^s) + s/(r+s+x) A0 }
    α >= β: A0 = F(r+s+x, s+1; r+s+x+1; (α-β)/(α+t_x)) / (α+t_x)^(r+s+x)
               - F(r+s+x, s+1; r+s+x+1; (α-β)/(α+T)) / (α+T)^(r+s+x)
    α <  β: A0 = F(r+s+x, r+x; r+s+x+1; (β-α)/(β+t_x)) / (β+t_x)^(r+s+x)
               - F(r+s+x, r+x; r+s+x+1; (β-α)/(β+T)) / (β+T)^(r+s+x)
    P(alive) = 1 / (1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0).
    The braces are summed after factoring out the largest exponential.
    """
    x = np.asarray(x, dtype=float)
    rsx = r + s + x
    if alpha >= beta:
        big, b2 = alpha, s + 1
        dz = alpha - beta
    else:
        big, b2 = beta, r + x
        dz = beta - alpha
    f1 = hyp(rsx, b2, rsx + 1, dz / (big + t_x))
    f2 = hyp(rsx, b2, rsx + 1, dz / (big + T))
    e_t = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    e1 = -rsx * np.log(big + t_x)
    e2 = -rsx * np.log(big + T)
    m = np.maximum(e_t, e1)
    first = np.exp(e_t - m)
    braces = first + s / rsx * (f1 * np.exp(e1 - m) - f2 * np.exp(e2 - m))
    common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    ll = common + m + np.log(braces)
    p_alive = first / braces
    return ll, p_alive


def pnbd_loglik(r, alpha, s, beta, x, t_x, T):
    return pnbd_parts(r, alpha, s, beta, x, t_x, T)[0]


def pnbd_conditional_expected(r, alpha, s, beta, x, t_x, T, t, p_alive):
    """E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s-1)) [1 - ((β+T)/(β+T+t))^(s-1)] P(alive)."""
    x = np.asarray(x, dtype=float)
    y = (s - 1) * np.log((beta + T) / (beta + T + t))
    return (r + x) * (beta + T) / ((alpha + T) * (s - 1)) * -np.expm1(y) * p_alive


def pnbd_expected(r, alpha, s, beta, t):
    """E[X(t)] = r β / (α (s-1)) [1 - (β/(β+t))^(s-1)]."""
    return float(r * beta / (alpha * (s - 1)) * -math.expm1((s - 1) * math.log(beta / (beta + t))))


def pnbd_pmf(r, alpha, s, beta, t, n_max):
    """2006 note: P(X(t) = x) =
    Γ(r+x)/(Γ(r) x!) (α/(α+t))^r (t/(α+t))^x (β/(β+t))^s
    + α^r β^s B(r+x, s+1)/B(r, s) [B1 - Σ_{i=0}^{x} Γ(r+s+i)/(Γ(r+s) i!) t^i B2(i)]
    α >= β: B1 = F(r+s, s+1; r+s+x+1; (α-β)/α) / α^(r+s)
            B2(i) = F(r+s+i, s+1; r+s+x+1; (α-β)/(α+t)) / (α+t)^(r+s+i)
    α <  β: B1 = F(r+s, r+x; r+s+x+1; (β-α)/β) / β^(r+s)
            B2(i) = F(r+s+i, r+x; r+s+x+1; (β-α)/(β+t)) / (β+t)^(r+s+i)
    """
    if alpha >= beta:
        big, dz = alpha, alpha - beta
    else:
        big, dz = beta, beta - alpha
    out = []
    for x in range(n_max + 1):
        b2 = s + 1 if alpha >= beta else r + x
        c = r + s + x + 1
        first = math.exp(special.gammaln(r + x) - special.gammaln(r) - special.gammaln(x + 1)
                         + r * math.log(alpha / (alpha + t)) + x * math.log(t / (alpha + t))
                         + s * math.log(beta / (beta + t)))
        # Scale the bracket by big^(r+s) so its two parts are O(1).
        b1 = float(hyp2f1_checked(r + s, b2, c, dz / big))
        terms = []
        for i in range(x + 1):
            f = float(hyp2f1_checked(r + s + i, b2, c, dz / (big + t)))
            log_w = (special.gammaln(r + s + i) - special.gammaln(r + s) - special.gammaln(i + 1)
                     + i * math.log(t) - (r + s + i) * math.log(big + t) + (r + s) * math.log(big))
            terms.append(f * math.exp(log_w))
        bracket = b1 - math.fsum(terms)
        log_pre = (r * math.log(alpha) + s * math.log(beta) - (r + s) * math.log(big)
                   + special.betaln(r + x, s + 1) - special.betaln(r, s))
        out.append(first + math.exp(log_pre) * bracket)
    return np.array(out)


# --------------------------------------------------------------------------------------
# Gamma-Gamma (Fader & Hardie 2013)
# --------------------------------------------------------------------------------------

def gg_loglik(p, q, gamma, x, m_x):
    """Log density of the observed mean m_x of x transactions:
    f(m_x | p, q, γ, x) = Γ(px+q)/(Γ(px)Γ(q)) γ^q m_x^(px-1) x^(px) / (γ + m_x x)^(px+q)
    """
    x = np.asarray(x, dtype=float)
    px = p * x
    return (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q)
            + q * np.log(gamma) + (px - 1) * np.log(m_x) + px * np.log(x)
            - (px + q) * np.log(gamma + m_x * x))


def gg_expected_spend(p, q, gamma, x, m_x):
    """E(M | p, q, γ, m_x, x) = p (γ + x m_x) / (p x + q - 1); x = 0 gives p γ / (q - 1)."""
    x = np.asarray(x, dtype=float)
    return p * (gamma + x * m_x) / (p * x + q - 1)


# --------------------------------------------------------------------------------------
# Maximum likelihood
# --------------------------------------------------------------------------------------

def num_grad(f, w, h=1e-3):
    """Central differences with one Richardson step (error O(h^4) plus rounding)."""
    g = []
    for e in np.eye(len(w)):
        d = lambda hh: (f(w + hh * e) - f(w - hh * e)) / (2 * hh)
        g.append((4 * d(h / 2) - d(h)) / 3)
    return np.array(g)


def num_hess(f, w, h=1e-3):
    n = len(w)
    H = np.array([(num_grad(f, w + h * e) - num_grad(f, w - h * e)) / (2 * h) for e in np.eye(n)])
    return (H + H.T) / 2


def fit(neg_ll, start):
    """Minimise on log-parameters: Nelder-Mead, then BFGS with central differences, then
    a few Newton steps with a Richardson-extrapolated numerical gradient and Hessian.
    The objective is summed with math.fsum, so it is smooth to about 1e-13."""
    f = lambda w: neg_ll(np.exp(w))
    w0 = np.log(np.asarray(start, dtype=float))
    nm = optimize.minimize(f, w0, method="Nelder-Mead",
                           options=dict(xatol=1e-10, fatol=1e-12, maxiter=40000, maxfev=40000,
                                        adaptive=True))
    bf = optimize.minimize(f, nm.x, method="BFGS", jac="3-point",
                           options=dict(gtol=1e-9, maxiter=10000))
    assert abs(nm.fun - bf.fun) < 1e-6, (nm.fun, bf.fun)
    w = bf.x if bf.fun <= nm.fun else nm.x
    for _ in range(3):
        H = num_hess(f, w)
        assert np.all(np.linalg.eigvalsh(H) > 0), H
        step = np.linalg.solve(H, num_grad(f, w))
        assert np.abs(step).max() < 1e-5, step
        w = w - step
    assert np.abs(step).max() < 1e-8, step
    assert np.abs(num_grad(f, w)).max() < 1e-7
    return np.exp(w), -f(w)


# --------------------------------------------------------------------------------------
# Independent numerical checks of the closed forms (individual-level integrals)
# --------------------------------------------------------------------------------------

def quad(f, lo, hi):
    v, err = integrate.quad(f, lo, hi, epsabs=0, epsrel=1e-12, limit=500)
    return v


def check_pnbd_likelihood(r, alpha, s, beta, x, t_x, T):
    """L = E[λ^x e^-(λ+μ)T] + ∫_{t_x}^{T} E[λ^x e^-λτ] E[μ e^-μτ] dτ (death at τ).

    Returns (L, P(alive)), P(alive) being the first (alive at T) part over L."""
    lam = lambda u: math.exp(special.gammaln(r + x) - special.gammaln(r) + r * math.log(alpha)
                             - (r + x) * math.log(alpha + u))       # E[λ^x e^-λu]
    surv = lambda u: (beta / (beta + u)) ** s                       # E[e^-μu]
    dens = lambda u: s * beta ** s / (beta + u) ** (s + 1)          # E[μ e^-μu]
    alive = lam(T) * surv(T)
    lik = alive + quad(lambda u: lam(u) * dens(u), t_x, T)
    return lik, alive / lik


def check_bgnbd_conditional(r, alpha, a, b, x, t_x, T, t):
    """E[Y(t)|data] = E_post[alive at T and (1/p)(1 - e^-λpt)], integrated over p."""
    def lam_part(u):   # E_λ[λ^x e^-λu]
        return math.exp(special.gammaln(r + x) - special.gammaln(r) + r * math.log(alpha)
                        - (r + x) * math.log(alpha + u))
    beta_dens = lambda p: math.exp((a - 1) * math.log(p) + (b - 1) * math.log1p(-p)
                                   - special.betaln(a, b))
    num = quad(lambda p: (1 - p) ** x / p * (lam_part(T) - lam_part(T + p * t)) * beta_dens(p), 0, 1)
    lik = math.exp(bgnbd_loglik(r, alpha, a, b, np.array([x]), t_x, T)[0])
    return num / lik


def check_pnbd_pmf(r, alpha, s, beta, t, n):
    """P(X(t)=n) = NBD_n(t) E[e^-μt] + ∫_0^t NBD_n(τ) E[μ e^-μτ] dτ."""
    nb = lambda u: float(nbd_pmf(r, alpha, u, n)) if u > 0 else (1.0 if n == 0 else 0.0)
    dens = lambda u: s * beta ** s / (beta + u) ** (s + 1)
    return nb(t) * (beta / (beta + t)) ** s + quad(lambda u: nb(u) * dens(u), 0, t)


# --------------------------------------------------------------------------------------

def main():
    started = time.perf_counter()
    df = read_transactions()
    summ = summarise(df)
    n_cust = len(summ)
    assert n_cust == 2357, n_cust
    x = summ["x"].to_numpy(dtype=float)
    t_x = summ["t_x"].to_numpy()
    T = summ["T"].to_numpy()
    m_x = summ["m_x"].to_numpy()
    rep = x > 0
    assert np.all(t_x <= T) and np.all((x == 0) == (t_x == 0))
    assert np.all(m_x[rep] > 0)
    assert summ["customer_id"].is_unique and summ["customer_id"].is_monotonic_increasing

    # ---- summary file
    with open(HERE / SUMMARY_FILE, "w", newline="\n", encoding="utf-8") as fh:
        fh.write("customer_id,x,t_x,T,m_x,holdout_x,holdout_spend\n")
        for row in summ.itertuples(index=False):
            fh.write(f"{row.customer_id},{row.x},{fmt(row.t_x)},{fmt(row.T)},{row.m_x_text},"
                     f"{row.holdout_x},{row.holdout_spend}\n")

    # ---- predictions at fixed parameters
    bg_alive = bgnbd_p_alive(**BG, x=x, t_x=t_x, T=T)
    pn_ll, pn_alive = pnbd_parts(**PN, x=x, t_x=t_x, T=T, hyp=hyp2f1_checked)
    weeks_k = np.arange(HORIZON_WEEKS + 1, dtype=float)
    # E(k) for k = 0..52 on a (customers x weeks) grid; the BG/NBD hyp2f1 values of the
    # whole grid are checked against the series (k = 0 gives z = 0 and E(0) = 0).
    bg_E = bgnbd_conditional_expected(**BG, x=x[:, None], t_x=t_x[:, None], T=T[:, None],
                                      t=weeks_k[None, :])
    pn_E = pnbd_conditional_expected(**PN, x=x[:, None], t_x=t_x[:, None], T=T[:, None],
                                     t=weeks_k[None, :], p_alive=pn_alive[:, None])
    assert np.all(bg_E[:, 0] == 0) and np.all(pn_E[:, 0] == 0)
    assert np.all(np.diff(bg_E, axis=1) > 0) and np.all(np.diff(pn_E, axis=1) > 0)
    bg_39 = bgnbd_conditional_expected(**BG, x=x, t_x=t_x, T=T, t=39.0)
    bg_52 = bgnbd_conditional_expected(**BG, x=x, t_x=t_x, T=T, t=52.0)
    pn_39 = pnbd_conditional_expected(**PN, x=x, t_x=t_x, T=T, t=39.0, p_alive=pn_alive)
    pn_52 = pnbd_conditional_expected(**PN, x=x, t_x=t_x, T=T, t=52.0, p_alive=pn_alive)
    assert np.array_equal(bg_52, bg_E[:, 52]) and np.array_equal(pn_52, pn_E[:, 52])
    spend = gg_expected_spend(**GG, x=x, m_x=m_x)
    assert np.allclose(spend[~rep], GG["p"] * GG["gamma"] / (GG["q"] - 1), rtol=1e-15, atol=0)
    disc = np.array([ANNUAL_DISCOUNT ** (-(k * 7 / DAYS_PER_YEAR)) for k in range(1, HORIZON_WEEKS + 1)])
    bg_clv = spend * (np.diff(bg_E, axis=1) @ disc)
    pn_clv = spend * (np.diff(pn_E, axis=1) @ disc)

    with open(HERE / PREDICTIONS_FILE, "w", newline="\n", encoding="utf-8") as fh:
        fh.write("customer_id,bgnbd_p_alive,bgnbd_expected_39,bgnbd_expected_52,pnbd_p_alive,"
                 "pnbd_expected_39,pnbd_expected_52,gg_expected_spend,bgnbd_clv_52,pnbd_clv_52\n")
        for i, cid in enumerate(summ["customer_id"]):
            vals = [bg_alive[i], bg_39[i], bg_52[i], pn_alive[i], pn_39[i], pn_52[i],
                    spend[i], bg_clv[i], pn_clv[i]]
            fh.write(cid + "," + ",".join(fmt(v) for v in vals) + "\n")

    # ---- population P(X(t) = n) and E[X(t)]
    pop_rows = []
    for model in ("bgnbd", "pnbd"):
        for t in POP_TIMES:
            if model == "bgnbd":
                ex = bgnbd_expected(**BG, t=float(t))
                big = bgnbd_pmf(**BG, t=float(t), n_max=400)
            else:
                ex = pnbd_expected(**PN, t=float(t))
                big = pnbd_pmf(**PN, t=float(t), n_max=400)
            assert np.all(big >= 0), (model, t)
            total = math.fsum(big)
            mean = math.fsum(big * np.arange(len(big)))
            assert abs(total - 1) < 1e-9, (model, t, total)
            assert abs(mean - ex) < 1e-7 * ex, (model, t, mean, ex)
            pop_rows.append((model, t, -1, ex))
            pop_rows.extend((model, t, n, big[n]) for n in range(POP_MAX_N + 1))
            if model == "pnbd":
                for n in (0, 1, 2, 5, 15):
                    ref = check_pnbd_pmf(**PN, t=float(t), n=n)
                    assert abs(big[n] - ref) < 1e-10 * max(ref, 1e-3), (t, n, big[n], ref)
            else:
                # The NBD tail written with the regularised incomplete beta function.
                for n in (1, 2, 5, 15):
                    tail = 1 - math.fsum(nbd_pmf(BG["r"], BG["alpha"], float(t), np.arange(n)))
                    ref = special.betainc(n, BG["r"], t / (BG["alpha"] + t))
                    assert abs(tail - ref) < 1e-13, (n, tail, ref)
    with open(HERE / POPULATION_FILE, "w", newline="\n", encoding="utf-8") as fh:
        fh.write("model,t,n,probability\n")
        for model, t, n, v in pop_rows:
            fh.write(f"{model},{t},{n},{fmt(v)}\n")

    # ---- independent checks of the closed forms for a few customers
    check_ids = list(range(0, n_cust, 157)) + [int(np.argmax(x)),
                                                 int(np.argmax(np.where(x > 0, T - t_x, -1.0)))]
    for i in check_ids:
        ref, ref_alive = check_pnbd_likelihood(**PN, x=int(x[i]), t_x=t_x[i], T=T[i])
        assert abs(math.exp(pn_ll[i]) / ref - 1) < 1e-9, (i, math.exp(pn_ll[i]), ref)
        assert abs(pn_alive[i] / ref_alive - 1) < 1e-9, (i, pn_alive[i], ref_alive)
        # The other branch of A0 (α > β), with α and β swapped.
        swapped = dict(PN, alpha=PN["beta"], beta=PN["alpha"])
        ll_sw, alive_sw = pnbd_parts(**swapped, x=x[i:i + 1], t_x=t_x[i], T=T[i], hyp=hyp2f1_checked)
        ref, ref_alive = check_pnbd_likelihood(**swapped, x=int(x[i]), t_x=t_x[i], T=T[i])
        assert abs(math.exp(ll_sw[0]) / ref - 1) < 1e-9, (i, math.exp(ll_sw[0]), ref)
        assert abs(alive_sw[0] / ref_alive - 1) < 1e-9, (i, alive_sw[0], ref_alive)
        ref = check_bgnbd_conditional(**BG, x=int(x[i]), t_x=t_x[i], T=T[i], t=39.0)
        assert abs(bg_39[i] / ref - 1) < 1e-9, (i, bg_39[i], ref)

    # ---- maximum-likelihood fits (scipy's own)
    bg_hat, bg_ll = fit(lambda w: -math.fsum(bgnbd_loglik(*w, x, t_x, T)), [1, 1, 1, 1])
    pn_hat, pn_llmax = fit(lambda w: -math.fsum(pnbd_loglik(*w, x, t_x, T)), [1, 1, 1, 1])
    gg_hat, gg_ll = fit(lambda w: -math.fsum(gg_loglik(*w, x[rep], m_x[rep])), [1, 1, 1])
    fits = [("bgnbd", dict(zip(["r", "alpha", "a", "b"], bg_hat)), bg_ll),
            ("pnbd", dict(zip(["r", "alpha", "s", "beta"], pn_hat)), pn_llmax),
            ("gg", dict(zip(["p", "q", "gamma"], gg_hat)), gg_ll)]
    with open(HERE / FITS_FILE, "w", newline="\n", encoding="utf-8") as fh:
        fh.write("model,parameter,value\n")
        for model, params, ll in fits:
            for k, v in params.items():
                fh.write(f"{model},{k},{fmt(v)}\n")
            fh.write(f"{model},ll,{fmt(ll)}\n")

    # Published estimates (FHL 2005; FH 2005 note; FH 2013 note).
    assert [round(v, 3) for v in bg_hat] == [0.243, 4.414, 0.793, 2.426], bg_hat
    assert round(bg_ll, 1) == -9582.4, bg_ll
    assert [round(v, 3) for v in pn_hat] == [0.553, 10.578, 0.606, 11.669], pn_hat
    assert round(pn_llmax, 1) == -9595.0, pn_llmax
    assert [round(v, 2) for v in gg_hat] == [6.25, 3.74, 15.44], gg_hat
    # The paper's worked example: x = 2, t_x = 30.43, T = 38.86 gives E[Y(39)] ≈ 1.226.
    ex_i = np.flatnonzero((x == 2) & (np.round(t_x, 2) == 30.43) & (np.round(T, 2) == 38.86))
    assert len(ex_i) >= 1
    assert all(round(float(bg_39[i]), 3) == 1.226 for i in ex_i), bg_39[ex_i]
    # The published-parameter likelihoods are close to the maxima.
    assert abs(np.sum(bgnbd_loglik(**BG, x=x, t_x=t_x, T=T)) - bg_ll) < 0.05
    assert abs(np.sum(pn_ll) - pn_llmax) < 0.05

    elapsed = time.perf_counter() - started
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"scipy {scipy.__version__}")
    print(f"transactions read:          {len(df)}")
    print(f"customers:                  {n_cust}")
    print(f"repeat customers (x > 0):   {int(rep.sum())}")
    print(f"calibration repeat days:    {int(x.sum())}")
    print(f"holdout purchase days:      {int(summ['holdout_x'].sum())}")
    print(f"holdout spend:              {sum(summ['holdout_spend'], Decimal(0))}")
    for model, params, ll in fits:
        print(f"fit {model:6s} " + ", ".join(f"{k}={v!r}" for k, v in params.items()) + f", ll={ll!r}")
    for i in ex_i:
        print(f"example customer {summ['customer_id'][i]}: x=2, t_x={t_x[i]!r}, T={T[i]!r}, "
              f"bgnbd_expected_39={bg_39[i]!r}, pnbd_expected_39={pn_39[i]!r}")
    print(f"E[X(39)]: bgnbd {pop_rows[0][3]!r}, pnbd {pop_rows[2 * (POP_MAX_N + 2)][3]!r}")
    print(f"sum of expected_39 over customers: bgnbd {math.fsum(bg_39)!r}, pnbd {math.fsum(pn_39)!r}")
    print(f"hyp2f1 values checked against the series: {HYP_CHECK['count']}, "
          f"largest relative difference {HYP_CHECK['max_rel']:.3g}")
    print(f"elapsed: {elapsed:.1f} s")


if __name__ == "__main__":
    main()
