//! Random numbers: xoshiro256** seeded by SplitMix64, its samplers, and
//! platform-independent `ln` and `exp`.

/// SplitMix64 (Steele, Lea and Flood): used to seed xoshiro.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** 1.0 (Blackman and Vigna) with the samplers the model needs.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

/// Behaviour facets, each with its own stream per customer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Facet {
    Purchases = 0,
    Sessions = 1,
    Email = 2,
    Surveys = 3,
    Tickets = 4,
    Subscriptions = 5,
    Loyalty = 6,
    Refunds = 7,
    Referrals = 8,
    /// Customers simulated from a fitted model ([`crate::models::simulate`]).
    ModelSimulation = 9,
}

const TWO_POW_MINUS_53: f64 = 1.0 / 9_007_199_254_740_992.0;

impl Rng {
    /// The stream of `facet` for customer `customer` under `seed`.
    pub(crate) fn stream(seed: u64, customer: usize, facet: Facet) -> Rng {
        let mut state = seed;
        let a = splitmix64(&mut state);
        let mut state = a
            ^ (customer as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)
            ^ (facet as u64).wrapping_mul(0x8CB9_2BA7_2F3D_8DD7);
        let mut s = [0u64; 4];
        for word in &mut s {
            *word = splitmix64(&mut state);
        }
        if s == [0; 4] {
            s[0] = 1;
        }
        Rng { s }
    }

    /// A stream seeded by `seed` alone (for draws outside the sample
    /// generator, e.g. the parametric bootstrap of the models).
    pub(crate) fn seeded(seed: u64) -> Rng {
        Rng::stream(seed, 0, Facet::Purchases)
    }

    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * TWO_POW_MINUS_53
    }

    /// Uniform in `(0, 1)`.
    fn uniform_open(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * TWO_POW_MINUS_53
    }

    pub(crate) fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Exponential with the given mean.
    pub(crate) fn exponential(&mut self, mean: f64) -> f64 {
        -ln(self.uniform_open()) * mean
    }

    /// Standard normal (Marsaglia polar method).
    pub(crate) fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// Gamma with the given shape and unit rate (Marsaglia and Tsang).
    pub(crate) fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let g = self.gamma(shape + 1.0);
            return g * exp(ln(self.uniform_open()) / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform_open();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || ln(u) < 0.5 * x2 + d * (1.0 - v + ln(v)) {
                return d * v;
            }
        }
    }

    /// Beta with the given shapes.
    pub(crate) fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        if x + y > 0.0 {
            x / (x + y)
        } else {
            0.5
        }
    }

    /// Poisson count (Knuth below a mean of 30, rounded normal above).
    pub(super) fn poisson(&mut self, mean: f64) -> u32 {
        if mean.is_nan() || mean <= 0.0 {
            0
        } else if mean < 30.0 {
            let limit = exp(-mean);
            let mut k = 0;
            let mut p = self.uniform();
            while p > limit && k < 1_000 {
                k += 1;
                p *= self.uniform();
            }
            k
        } else {
            (mean + mean.sqrt() * self.normal()).round().clamp(0.0, 1e9) as u32
        }
    }

    /// A whole-number answer `round(mean + sd · Z)` clamped to `[lo, hi]`.
    pub(super) fn answer(&mut self, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
        (mean + sd * self.normal()).round().clamp(lo, hi)
    }
}

/// High part of ln 2 (fdlibm's split: its trailing bits are zero, so `k · LN2_HI` is exact).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// `ln 2 − LN2_HI`.
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// Natural logarithm from IEEE operations only (bit-identical everywhere).
///
/// `x = m · 2^e` with `m ∈ (√½, √2]`, `ln m = 2 atanh(s)`, `s = (m − 1)/(m + 1)`,
/// summed to `s²⁵` (|s| ≤ 0.172, truncation error below 10⁻¹⁸).
pub(crate) fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let (mut bits, mut e) = (x.to_bits(), 0i64);
    if bits >> 52 == 0 {
        // Subnormal: scale by 2^54 first.
        bits = (x * 18_014_398_509_481_984.0).to_bits();
        e = -54;
    }
    e += ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut sum = 0.0;
    for k in (0..=12).rev() {
        sum = 1.0 / f64::from(2 * k + 1) + s2 * sum;
    }
    let e = e as f64;
    e * LN2_HI + (e * LN2_LO + 2.0 * s * sum)
}

/// Exponential function from IEEE operations only (bit-identical everywhere).
///
/// `x = k ln 2 + r` with `|r| ≤ ½ ln 2`, `e^r` by its Taylor polynomial of
/// degree 13 (truncation error below 10⁻¹⁷), scaled by `2^k` through the
/// exponent bits. Returns 0 below −708 and +∞ above 709.
pub(super) fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -708.0 {
        return 0.0;
    }
    let k = (x * std::f64::consts::LOG2_E).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut p = 1.0;
    for i in (1..=13).rev() {
        p = 1.0 + r * p / f64::from(i);
    }
    let scale = f64::from_bits(((k as i64 + 1023) as u64) << 52);
    p * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ln_and_exp_match_std() {
        let mut x = 1e-300;
        while x < 1e300 {
            let rel = (ln(x) - x.ln()).abs() / x.ln().abs().max(1e-300);
            assert!(rel < 1e-14 || (ln(x) - x.ln()).abs() < 1e-15, "ln({x})");
            x *= 1.7;
        }
        assert_eq!(ln(1.0), 0.0);
        assert!((ln(5e-324) - (5e-324f64).ln()).abs() < 1e-12);
        let mut x = -700.0;
        while x < 700.0 {
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-14, "exp({x}): {} vs {}", exp(x), x.exp());
            x += 0.37;
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-1000.0), 0.0);
    }

    #[test]
    fn xoshiro_reference_stream() {
        // Reference: xoshiro256** seeded with s = [1, 2, 3, 4].
        let mut rng = Rng { s: [1, 2, 3, 4] };
        let got: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(got, vec![11520, 0, 1509978240]);
    }

    #[test]
    fn samplers_have_the_right_moments() {
        let mut rng = Rng::stream(1, 0, Facet::Purchases);
        let n = 200_000;
        let mean = |f: &mut dyn FnMut() -> f64| (0..n).map(|_| f()).sum::<f64>() / n as f64;
        assert!((mean(&mut || rng.gamma(0.6)) - 0.6).abs() < 0.01);
        assert!((mean(&mut || rng.gamma(6.0)) - 6.0).abs() < 0.03);
        assert!((mean(&mut || rng.beta(0.8, 2.5)) - 0.8 / 3.3).abs() < 0.005);
        assert!((mean(&mut || rng.exponential(2.0)) - 2.0).abs() < 0.02);
        assert!((mean(&mut || f64::from(rng.poisson(3.5))) - 3.5).abs() < 0.02);
        assert!(mean(&mut || rng.normal()).abs() < 0.01);
    }
}
