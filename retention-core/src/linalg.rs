//! Small dense symmetric linear algebra (p × p, p small), row-major storage.
//!
//! Cholesky factorisation `A = L Lᵀ` of a symmetric positive definite
//! matrix, solves and inverse through it, and a quadratic form `zᵀ A⁻ z`
//! with a generalized inverse for positive semi-definite matrices (the
//! log-rank covariance matrix is singular when a group contributes nothing).

/// Relative size below which a pivot counts as zero.
const PIVOT_TOL: f64 = 1e-12;

/// Lower-triangular Cholesky factor of the symmetric matrix `a` (only the
/// lower triangle is read). `Err(k)` names the first pivot that is not
/// safely positive: at most `1e-12` times the larger of `a`'s largest
/// diagonal entry and `reference_scale`.
pub(crate) fn cholesky(a: &[f64], p: usize, reference_scale: f64) -> Result<Vec<f64>, usize> {
    let scale = (0..p)
        .map(|i| a[i * p + i].abs())
        .fold(0.0_f64, f64::max)
        .max(reference_scale)
        .max(f64::MIN_POSITIVE);
    let mut l = vec![0.0; p * p];
    for j in 0..p {
        let mut diag = a[j * p + j];
        for k in 0..j {
            diag -= l[j * p + k] * l[j * p + k];
        }
        if !diag.is_finite() || diag <= PIVOT_TOL * scale {
            return Err(j);
        }
        let ljj = diag.sqrt();
        l[j * p + j] = ljj;
        for i in (j + 1)..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            l[i * p + j] = s / ljj;
        }
    }
    Ok(l)
}

/// Pivot tolerance of [`cholesky_own_scale`]: `ε^{3/4}` with `ε` the
/// machine epsilon, R survival's `coxph.control(toler.chol)`.
pub(crate) const TOLER_CHOL: f64 = 1.818_989_403_545_856_5e-12;

/// Lower-triangular Cholesky factor of the symmetric matrix `a` (lower
/// triangle read), judging each pivot against its own column: `Err(k)` for
/// the first `k` whose diagonal `a[k][k]` is not finite and `> 0`, or whose
/// pivot (what is left of `a[k][k]` once the earlier columns are
/// eliminated) is not finite or at most [`TOLER_CHOL`]` · a[k][k]`.
///
/// The pivot over the diagonal is `1 − R²` of column `k` regressed on the
/// earlier ones in the metric of `a`, so the test flags (numerically)
/// collinear columns whatever their scale, and accepts a matrix whose
/// entries are all tiny but well conditioned — as the information of a
/// partial likelihood is far out along a direction of separation, where
/// LAPACK's `dpotrf` also succeeds.
pub(crate) fn cholesky_own_scale(a: &[f64], p: usize) -> Result<Vec<f64>, usize> {
    let mut l = vec![0.0; p * p];
    for j in 0..p {
        let own = a[j * p + j];
        let mut diag = own;
        for k in 0..j {
            diag -= l[j * p + k] * l[j * p + k];
        }
        if !(own.is_finite() && own > 0.0 && diag.is_finite() && diag > TOLER_CHOL * own) {
            return Err(j);
        }
        let ljj = diag.sqrt();
        l[j * p + j] = ljj;
        for i in (j + 1)..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            l[i * p + j] = s / ljj;
        }
    }
    Ok(l)
}

/// Solves `L Lᵀ x = b` given the Cholesky factor `l`.
pub(crate) fn cholesky_solve(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
    let mut y = b.to_vec();
    for i in 0..p {
        let mut s = y[i];
        for k in 0..i {
            s -= l[i * p + k] * y[k];
        }
        y[i] = s / l[i * p + i];
    }
    for i in (0..p).rev() {
        let mut s = y[i];
        for k in (i + 1)..p {
            s -= l[k * p + i] * y[k];
        }
        y[i] = s / l[i * p + i];
    }
    y
}

/// Inverse of `L Lᵀ` given the Cholesky factor `l` (full symmetric matrix).
pub(crate) fn cholesky_inverse(l: &[f64], p: usize) -> Vec<f64> {
    let mut inv = vec![0.0; p * p];
    let mut e = vec![0.0; p];
    for j in 0..p {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        let col = cholesky_solve(l, p, &e);
        for i in 0..p {
            inv[i * p + j] = col[i];
        }
    }
    // Symmetrise away rounding.
    for i in 0..p {
        for j in (i + 1)..p {
            let m = 0.5 * (inv[i * p + j] + inv[j * p + i]);
            inv[i * p + j] = m;
            inv[j * p + i] = m;
        }
    }
    inv
}

/// `zᵀ A⁻ z` for a symmetric positive semi-definite `a`, using an
/// `L D Lᵀ` factorisation that drops (numerically) zero pivots. When `z`
/// lies in the column space of `A` this equals `zᵀ A⁺ z` with the
/// Moore–Penrose inverse `A⁺`.
pub(crate) fn psd_quadratic_form(a: &[f64], p: usize, z: &[f64]) -> f64 {
    let scale = (0..p).map(|i| a[i * p + i].abs()).fold(0.0_f64, f64::max);
    if scale == 0.0 || !scale.is_finite() {
        return 0.0;
    }
    let mut l = vec![0.0; p * p];
    let mut d = vec![0.0; p];
    for j in 0..p {
        let mut dj = a[j * p + j];
        for k in 0..j {
            dj -= l[j * p + k] * l[j * p + k] * d[k];
        }
        l[j * p + j] = 1.0;
        if dj <= PIVOT_TOL * scale {
            d[j] = 0.0;
            continue;
        }
        d[j] = dj;
        for i in (j + 1)..p {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k] * d[k];
            }
            l[i * p + j] = s / dj;
        }
    }
    let mut y = z.to_vec();
    for i in 0..p {
        let mut s = y[i];
        for k in 0..i {
            s -= l[i * p + k] * y[k];
        }
        y[i] = s;
    }
    let q: f64 = y
        .iter()
        .zip(&d)
        .filter(|(_, &dk)| dk > 0.0)
        .map(|(yk, dk)| yk * yk / dk)
        .sum();
    q.max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solve_and_inverse() {
        let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let l = cholesky(&a, 3, 0.0).unwrap();
        let x = cholesky_solve(&l, 3, &[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|k| a[i * 3 + k] * x[k]).sum();
            assert!((ax - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
        let inv = cholesky_inverse(&l, 3);
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| a[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((v - f64::from(u8::from(i == j))).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn singular_matrix_is_reported() {
        let a = [1.0, 2.0, 2.0, 4.0];
        assert_eq!(cholesky(&a, 2, 0.0), Err(1));
        assert_eq!(cholesky(&[0.0], 1, 0.0), Err(0));
        assert_eq!(cholesky(&[f64::NAN], 1, 0.0), Err(0));
        // Tiny relative to the reference scale.
        assert_eq!(cholesky(&[1e-20], 1, 1.0), Err(0));
    }

    #[test]
    fn generalized_quadratic_form() {
        // diag(2, 0, 4): the zero direction is ignored.
        let a = [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0];
        let q = psd_quadratic_form(&a, 3, &[2.0, 0.0, 2.0]);
        assert!((q - 3.0).abs() < 1e-14);
        assert_eq!(psd_quadratic_form(&[0.0], 1, &[0.0]), 0.0);
    }
}
