//! Integer sort keys of durations.
//!
//! A finite `f64` maps to a `u64` that orders like the value (the usual
//! IEEE-754 trick: flip every bit of a negative number, set the sign bit of
//! a non-negative one), so equal times compare equal and sorting integers
//! sorts the times. (An LSD radix sort of the keys was tried and measured no
//! faster than `sort_unstable` on a million continuous durations.)

/// Order-preserving sort key of a finite duration (`-0.0` is folded onto
/// `+0.0`).
#[inline]
pub(crate) fn duration_key(d: f64) -> u64 {
    let bits = (d + 0.0).to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The duration of a [`duration_key`].
#[inline]
pub(crate) fn key_duration(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// Row indices ordered by ascending `keys` (ties in unspecified order).
///
/// Sorting `(key, index)` pairs keeps the comparisons in cache, unlike
/// sorting indices through a lookup.
pub(crate) fn order_by_keys(keys: impl Iterator<Item = u64>) -> Vec<usize> {
    let mut pairs: Vec<(u64, usize)> = keys.zip(0..).collect();
    pairs.sort_unstable();
    pairs.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_like_values_and_round_trip() {
        let values = [
            f64::MIN,
            -3.5,
            -1e-300,
            -0.0,
            0.0,
            1e-300,
            2.0,
            2.5,
            f64::MAX,
        ];
        for w in values.windows(2) {
            assert!(duration_key(w[0]) <= duration_key(w[1]), "{w:?}");
        }
        assert_eq!(duration_key(-0.0), duration_key(0.0));
        for &v in &values {
            assert_eq!(key_duration(duration_key(v)), v + 0.0);
        }
    }
}
