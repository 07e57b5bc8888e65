//! Statistics for noisy benchmark samples: Welch's t-test and the confidence interval of the
//! difference of two means. Student's t distribution is computed from the regularized
//! incomplete beta function (continued fraction, Lentz's method), so no dependency is needed.

/// Mean and unbiased sample variance.
pub fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 { xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    (mean, var)
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; ~15 significant digits).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularized incomplete beta function I_x(a, b).
pub fn inc_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_cf(x, a, b) / a
    } else {
        1.0 - ln_front.exp() * beta_cf(1.0 - x, b, a) / b
    }
}

/// Continued fraction for the incomplete beta function (modified Lentz).
fn beta_cf(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-15;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=1000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// CDF of Student's t distribution with `df` degrees of freedom.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t > 0.0 { 1.0 } else { 0.0 };
    }
    let tail = 0.5 * inc_beta(df / (df + t * t), df / 2.0, 0.5);
    if t > 0.0 { 1.0 - tail } else { tail }
}

/// The `p` quantile of Student's t (inverse CDF), by bisection on [`t_cdf`].
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    let (mut lo, mut hi) = (-1.0, 1.0);
    while t_cdf(lo, df) > p {
        lo *= 2.0;
        if lo < -1e12 {
            return f64::NEG_INFINITY;
        }
    }
    while t_cdf(hi, df) < p {
        hi *= 2.0;
        if hi > 1e12 {
            return f64::INFINITY;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 * (1.0 + mid.abs()) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// Welch's two-sample t-test of `head` against `base`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    pub base_mean: f64,
    pub head_mean: f64,
    /// head − base.
    pub diff: f64,
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Confidence interval of `diff` at the requested level.
    pub ci: (f64, f64),
}

/// Welch's t-test; `None` with fewer than two samples on a side.
pub fn welch(base: &[f64], head: &[f64], confidence: f64) -> Option<Welch> {
    if base.len() < 2 || head.len() < 2 {
        return None;
    }
    let (m1, v1) = mean_var(base);
    let (m2, v2) = mean_var(head);
    let (n1, n2) = (base.len() as f64, head.len() as f64);
    let (s1, s2) = (v1 / n1, v2 / n2);
    let se2 = s1 + s2;
    let diff = m2 - m1;
    if !(se2.is_finite() && diff.is_finite()) {
        return None;
    }
    if se2 == 0.0 {
        // No variance at all: the difference is exact.
        let p = if diff == 0.0 { 1.0 } else { 0.0 };
        return Some(Welch { base_mean: m1, head_mean: m2, diff, t: f64::NAN, df: n1 + n2 - 2.0, p, ci: (diff, diff) });
    }
    let se = se2.sqrt();
    let t = diff / se;
    let df = se2 * se2 / (s1 * s1 / (n1 - 1.0) + s2 * s2 / (n2 - 1.0));
    let p = (2.0 * t_cdf(-t.abs(), df)).min(1.0);
    let q = t_quantile(0.5 + confidence / 2.0, df);
    Some(Welch { base_mean: m1, head_mean: m2, diff, t, df, p, ci: (diff - q * se, diff + q * se) })
}

/// Complementary error function (Numerical Recipes' Chebyshev fit; relative error < 1.2e-7).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Two-sided Mann-Whitney U test (normal approximation with tie and continuity corrections,
/// like `scipy.stats.mannwhitneyu(..., method="asymptotic")`). Returns (U of `head`, p);
/// `None` with fewer than two samples on a side.
pub fn mann_whitney(base: &[f64], head: &[f64]) -> Option<(f64, f64)> {
    if base.len() < 2 || head.len() < 2 || base.iter().chain(head).any(|v| v.is_nan()) {
        return None;
    }
    let (n1, n2) = (head.len() as f64, base.len() as f64);
    let mut all: Vec<(f64, bool)> = head.iter().map(|v| (*v, true)).chain(base.iter().map(|v| (*v, false))).collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = all.len();
    let (mut rank_sum, mut ties) = (0.0, 0.0);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        let t = (j - i + 1) as f64;
        ties += t * t * t - t;
        rank_sum += rank * all[i..=j].iter().filter(|(_, h)| *h).count() as f64;
        i = j + 1;
    }
    let u1 = rank_sum - n1 * (n1 + 1.0) / 2.0;
    let u = u1.max(n1 * n2 - u1);
    let nf = n as f64;
    let sigma = (n1 * n2 / 12.0 * ((nf + 1.0) - ties / (nf * (nf - 1.0)))).sqrt();
    if sigma == 0.0 {
        return Some((u1, 1.0));
    }
    let z = (u - n1 * n2 / 2.0 - 0.5) / sigma;
    let p = (erfc(z / std::f64::consts::SQRT_2)).min(1.0);
    Some((u1, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn ln_gamma_known_values() {
        assert!(ln_gamma(1.0).abs() < 1e-14);
        assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-13));
        assert!(close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-13));
        assert!(close(ln_gamma(100.5), 361.435_540_467_777_6, 1e-13)); // math.lgamma(100.5)
    }

    #[test]
    fn incomplete_beta_against_scipy() {
        // scipy.special.betainc(a, b, x)
        assert!(close(inc_beta(0.3, 2.0, 3.0), 0.348_299_999_999_999_94, 1e-12)); // betainc(2, 3, 0.3)
        assert!(close(inc_beta(0.9, 0.5, 0.5), 0.795_167_235_300_866_5, 1e-12)); // betainc(.5, .5, .9)
        assert!(close(inc_beta(0.01, 10.0, 0.5), 1.770_034_965_528_571e-21, 1e-9)); // betainc(10, .5, .01)
    }

    #[test]
    fn t_distribution_against_scipy() {
        // scipy.stats.t.cdf(t, df) and scipy.stats.t.ppf(q, df)
        assert!(close(t_cdf(2.0, 5.0), 0.949_030_260_585_070_8, 1e-12));
        assert!(close(t_cdf(-1.5, 3.3), 0.111_251_598_359_645_93, 1e-10));
        assert!(close(t_cdf(0.7, 120.0), 0.757_358_922_257_179_7, 1e-12));
        assert!(close(t_cdf(-8.0, 10.0), 5.887_471_394_833_083e-06, 1e-9));
        assert!(close(t_quantile(0.975, 10.0), 2.228_138_851_986_274, 1e-10));
        assert!(close(t_quantile(0.995, 3.0), 5.840_909_309_733_355, 1e-10));
        assert!(close(t_quantile(0.025, 57.4), -2.002_163_076_616_294, 1e-10));
    }

    #[test]
    fn welch_against_scipy() {
        let a = [10.1, 10.4, 9.8, 10.0, 10.3, 10.2, 9.9, 10.0];
        let b = [10.9, 11.2, 10.7, 11.0, 11.4, 10.8];
        let w = welch(&a, &b, 0.95).unwrap();
        // scipy.stats.ttest_ind(b, a, equal_var=False)
        assert!(close(w.t, 7.106_046_289_772_840_5, 1e-10), "{w:?}");
        assert!(close(w.df, 9.221_222_198_823_234, 1e-10), "{w:?}");
        assert!(close(w.p, 4.974_327_204_463_113_4e-05, 1e-8), "{w:?}");
        // ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
        assert!(close(w.ci.0, 0.623_071_243_139_595_7, 1e-9), "{w:?}");
        assert!(close(w.ci.1, 1.201_928_756_860_407_1, 1e-9), "{w:?}");
    }

    #[test]
    fn mann_whitney_against_scipy() {
        let a = [10.1, 10.4, 9.8, 10.0, 10.3, 10.2, 9.9, 10.0];
        let b = [10.9, 11.2, 10.7, 11.0, 11.4, 10.8, 10.2];
        // scipy.stats.mannwhitneyu(b, a, alternative="two-sided", method="asymptotic") (a tie at 10.2)
        let (u, p) = mann_whitney(&a, &b).unwrap();
        assert_eq!(u, 53.5);
        assert!(close(p, 0.003_751_100_529_268_601_4, 1e-6), "{p}");
        let c = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let d = [2.5, 3.5, 4.5, 1.5, 6.5, 5.5];
        // scipy.stats.mannwhitneyu(d, c, alternative="two-sided", method="asymptotic")
        let (u, p) = mann_whitney(&c, &d).unwrap();
        assert_eq!(u, 21.0);
        assert!(close(p, 0.688_920_555_804_460_7, 1e-6), "{p}");
        assert!(mann_whitney(&[1.0], &[1.0, 2.0]).is_none());
        assert_eq!(mann_whitney(&[2.0, 2.0], &[2.0, 2.0]).unwrap().1, 1.0);
    }

    #[test]
    fn erfc_against_scipy() {
        // scipy.special.erfc
        assert!(close(erfc(0.5), 0.479_500_122_186_953_5, 1.2e-7));
        assert!(close(erfc(-1.3), 1.934_007_944_940_652_4, 1.2e-7));
        assert!(close(erfc(3.0), 2.209_049_699_858_544_5e-05, 1.2e-7));
    }

    #[test]
    fn welch_edge_cases() {
        assert!(welch(&[1.0], &[1.0, 2.0], 0.95).is_none());
        let w = welch(&[2.0, 2.0], &[2.0, 2.0], 0.95).unwrap();
        assert_eq!((w.diff, w.p), (0.0, 1.0));
        let w = welch(&[2.0, 2.0], &[3.0, 3.0], 0.95).unwrap();
        assert_eq!((w.diff, w.p), (1.0, 0.0));
    }
}
