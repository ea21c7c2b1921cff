//! Putting validated rows into the log's order: by customer, then time, then
//! input row.
//!
//! Customer ids are first interned to dense indices `0..k` in id order, then
//! rows are grouped with a two-pass counting sort that keeps memory access
//! local:
//!
//! 1. **Stage.** Customers are cut into at most [`MAX_BUCKETS`] buckets of
//!    consecutive dense indices. Row counts per customer give each customer's
//!    final range (`offsets`, their prefix sums), hence each bucket's. One
//!    sequential pass over the input validates every row and appends it to
//!    its bucket's range of the output columns, so writes go to a bounded
//!    number of sequential streams.
//! 2. **Place.** Each bucket, small enough to stay in cache, is counting-sorted
//!    by customer into a scratch buffer (input order is kept within a
//!    customer); customers whose rows are then out of time order are sorted by
//!    `(time, input row)`; the bucket is written back in order.
//!
//! Both passes are linear in rows plus customers, apart from the
//! per-customer sorts. With `threads > 1` the input is cut into that many
//! contiguous row ranges: each range's rows get their own sub-range of every
//! bucket (in range order, so input order is kept), and buckets are then
//! placed in parallel. The result does not depend on the thread count.

use std::collections::HashMap;
use std::ops::Range;

use super::validation::Compact;
use super::{CustomerId, EventType};
use crate::error::Issues;
use crate::time::Micros;

/// Upper bound on buckets: few enough that the staging pass's write streams
/// stay in cache, many enough that a bucket's rows do too.
const MAX_BUCKETS: usize = 256;

/// Fewer rows than this are grouped on the calling thread whatever the
/// requested thread count.
const PARALLEL_MIN_ROWS: usize = 1 << 17;

/// Largest id range interned through a direct lookup table (4 bytes per
/// possible id): beyond it, and beyond four ids of range per row, ids are
/// interned by sorting.
const DENSE_ID_RANGE: u64 = 1 << 26;

/// Validation state of one thread: issues found and referred customers seen
/// (a referral's `aux` indexes into `referred`).
#[derive(Debug, Default)]
pub(super) struct Checked {
    pub issues: Issues,
    pub referred: Vec<CustomerId>,
}

/// Each input row's dense customer index.
pub(super) enum Keys<'a> {
    /// Stored per row.
    Dense(Vec<u32>),
    /// Looked up from integer ids through a table over their range, with
    /// the rows per customer already counted for each of
    /// [`row_ranges`]`(ids.len(), threads)`.
    Table {
        ids: &'a [i64],
        min: i64,
        rank: Vec<u32>,
        counts: Vec<Vec<u32>>,
    },
}

impl Keys<'_> {
    /// Each of the first `n` rows' index, stored.
    pub(super) fn into_dense(self, n: usize) -> Vec<u32> {
        match self {
            Keys::Dense(d) => d,
            table => (0..n).map(|row| table.get(row)).collect(),
        }
    }

    #[inline]
    fn get(&self, row: usize) -> u32 {
        match self {
            Keys::Dense(d) => d[row],
            Keys::Table { ids, min, rank, .. } => rank[ids[row].wrapping_sub(*min) as usize],
        }
    }
}

/// Distinct ids, sorted, and each row's index among them.
pub(super) fn intern_ids<'a>(
    ids: impl Iterator<Item = &'a CustomerId> + Clone,
) -> (Vec<CustomerId>, Keys<'static>) {
    let mut distinct: Vec<CustomerId> = ids.clone().cloned().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let dense = ids
        .map(|id| distinct.binary_search(id).unwrap_or(0) as u32)
        .collect();
    (distinct, Keys::Dense(dense))
}

/// Threads actually used for `n` rows when `threads` are asked for.
fn effective_threads(n: usize, threads: usize) -> usize {
    if n < PARALLEL_MIN_ROWS || cfg!(target_family = "wasm") {
        1
    } else {
        threads.clamp(1, 8)
    }
}

/// The contiguous row ranges that `threads` threads work on.
fn row_ranges(n: usize, threads: usize) -> Vec<Range<usize>> {
    let threads = effective_threads(n, threads);
    (0..threads)
        .map(|t| n * t / threads..n * (t + 1) / threads)
        .collect()
}

/// [`intern_ids`] for integer ids: through a lookup table when the ids span a
/// compact range (auto-increment style), by sorting otherwise. The table path
/// counts rows per id while it finds which ids occur (in parallel over
/// [`row_ranges`]), so grouping needs no second counting pass.
pub(super) fn intern_ints(ids: &[i64], threads: usize) -> (Vec<CustomerId>, Keys<'_>) {
    if ids.is_empty() {
        return (Vec::new(), Keys::Dense(Vec::new()));
    }
    let bounds = run_all(row_ranges(ids.len(), threads), |rows| {
        ids[rows]
            .iter()
            .fold((i64::MAX, i64::MIN), |(lo, hi), &id| {
                (lo.min(id), hi.max(id))
            })
    });
    let min = bounds.iter().map(|b| b.0).min().unwrap_or(0);
    let max = bounds.iter().map(|b| b.1).max().unwrap_or(0);
    // In i128: the span of i64::MIN..=i64::MAX does not fit an i64 or u64.
    let range = max as i128 - min as i128 + 1;
    if range <= i128::from(DENSE_ID_RANGE) && range <= 4 * ids.len() as i128 + 1024 {
        let range = range as usize;
        // One count table per thread: only while tables are no larger than the ids.
        let threads = if range <= ids.len() { threads } else { 1 };
        let by_id: Vec<Vec<u32>> = run_all(row_ranges(ids.len(), threads), |rows| {
            let mut c = vec![0u32; range];
            for &id in &ids[rows] {
                c[id.wrapping_sub(min) as usize] += 1;
            }
            c
        });
        let mut rank = vec![u32::MAX; range];
        let mut distinct = Vec::new();
        let mut counts: Vec<Vec<u32>> = vec![Vec::new(); by_id.len()];
        for (offset, r) in rank.iter_mut().enumerate() {
            if by_id.iter().any(|c| c[offset] > 0) {
                *r = distinct.len() as u32;
                distinct.push(CustomerId::Int(min + offset as i64));
                for (per_customer, per_id) in counts.iter_mut().zip(&by_id) {
                    per_customer.push(per_id[offset]);
                }
            }
        }
        let keys = Keys::Table {
            ids,
            min,
            rank,
            counts,
        };
        return (distinct, keys);
    }
    let mut distinct: Vec<i64> = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let dense = ids
        .iter()
        .map(|id| distinct.binary_search(id).unwrap_or(0) as u32)
        .collect();
    (
        distinct.into_iter().map(CustomerId::Int).collect(),
        Keys::Dense(dense),
    )
}

/// [`intern_ids`] for text ids, through a hash map of first occurrences.
pub(super) fn intern_strs(ids: &[&str]) -> (Vec<CustomerId>, Keys<'static>) {
    let mut first: HashMap<&str, u32> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    let provisional: Vec<u32> = ids
        .iter()
        .map(|&id| {
            *first.entry(id).or_insert_with(|| {
                order.push(id);
                (order.len() - 1) as u32
            })
        })
        .collect();
    let mut sorted: Vec<u32> = (0..order.len() as u32).collect();
    sorted.sort_unstable_by(|&a, &b| order[a as usize].cmp(order[b as usize]));
    let mut rank = vec![0u32; order.len()];
    for (r, &p) in sorted.iter().enumerate() {
        rank[p as usize] = r as u32;
    }
    let customers = sorted
        .iter()
        .map(|&p| CustomerId::Str(order[p as usize].to_owned()))
        .collect();
    let dense = provisional.iter().map(|&p| rank[p as usize]).collect();
    (customers, Keys::Dense(dense))
}

/// The log's event columns.
pub(super) struct Columns {
    pub time: Vec<Micros>,
    pub kind: Vec<EventType>,
    pub value: Vec<f64>,
    pub aux: Vec<u32>,
    pub row: Vec<u32>,
}

impl Columns {
    fn zeroed(n: usize) -> Self {
        Columns {
            time: vec![0; n],
            kind: vec![EventType::Order; n],
            value: vec![0.0; n],
            aux: vec![0; n],
            row: vec![0; n],
        }
    }
}

/// Mutable views of parts of the columns (and of the staging `local` column).
struct Parts<'a> {
    time: Vec<&'a mut [Micros]>,
    kind: Vec<&'a mut [EventType]>,
    value: Vec<&'a mut [f64]>,
    aux: Vec<&'a mut [u32]>,
    row: Vec<&'a mut [u32]>,
    local: Vec<&'a mut [u32]>,
}

/// Splits `v` into consecutive parts of the given `(owner, length)`, giving
/// each owner its parts in order.
fn carve<'a, T>(
    mut v: &'a mut [T],
    parts: &[(usize, usize)],
    owners: usize,
) -> Vec<Vec<&'a mut [T]>> {
    let mut out: Vec<Vec<&'a mut [T]>> = (0..owners).map(|_| Vec::new()).collect();
    for &(owner, len) in parts {
        let (head, tail) = std::mem::take(&mut v).split_at_mut(len);
        out[owner].push(head);
        v = tail;
    }
    out
}

/// Parts of all columns, per owner.
fn carve_all<'a>(
    cols: &'a mut Columns,
    local: &'a mut [u32],
    parts: &[(usize, usize)],
    owners: usize,
) -> Vec<Parts<'a>> {
    let mut time = carve(&mut cols.time, parts, owners).into_iter();
    let mut kind = carve(&mut cols.kind, parts, owners).into_iter();
    let mut value = carve(&mut cols.value, parts, owners).into_iter();
    let mut aux = carve(&mut cols.aux, parts, owners).into_iter();
    let mut row = carve(&mut cols.row, parts, owners).into_iter();
    let mut local = carve(local, parts, owners).into_iter();
    (0..owners)
        .map(|_| Parts {
            time: time.next().unwrap_or_default(),
            kind: kind.next().unwrap_or_default(),
            value: value.next().unwrap_or_default(),
            aux: aux.next().unwrap_or_default(),
            row: row.next().unwrap_or_default(),
            local: local.next().unwrap_or_default(),
        })
        .collect()
}

/// Runs `work` on each item, on scoped threads when there is more than one
/// (always in order on the calling thread for wasm).
fn run_all<I: Send, R: Send>(items: Vec<I>, work: impl Fn(I) -> R + Sync) -> Vec<R> {
    if items.len() <= 1 || cfg!(target_family = "wasm") {
        return items.into_iter().map(work).collect();
    }
    std::thread::scope(|s| {
        let work = &work;
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| s.spawn(move || work(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Rows per customer among `rows`.
fn count_rows(keys: &Keys<'_>, customers: usize, rows: Range<usize>) -> Vec<u32> {
    let mut c = vec![0u32; customers];
    for row in rows {
        c[keys.get(row) as usize] += 1;
    }
    c
}

/// Rows staged by [`stage`]: each bucket's rows in its final range of the
/// columns, in input order, with `local` their customer within the bucket.
pub(super) struct Staged {
    pub columns: Columns,
    pub offsets: Vec<usize>,
    pub checked: Checked,
    local: Vec<u32>,
    shift: u32,
    threads: usize,
}

/// Counts, validates (through `compact`) and stages every row; see the module
/// docs. `customers` is the number of dense customer indices in `keys`.
pub(super) fn stage<F>(
    keys: &Keys<'_>,
    customers: usize,
    times: &[Micros],
    threads: usize,
    compact: F,
) -> Staged
where
    F: Fn(usize, &mut Checked) -> Compact + Sync,
{
    let n = times.len();
    let ranges = row_ranges(n, threads);
    let threads = ranges.len();
    // Rows per customer, per range.
    let counted;
    let counts: &[Vec<u32>] = match keys {
        Keys::Table { counts, .. } if counts.len() == threads => counts,
        _ => {
            counted = run_all(ranges.clone(), |rows| count_rows(keys, customers, rows));
            &counted
        }
    };
    let mut offsets = vec![0usize; customers + 1];
    for c in 0..customers {
        let here: usize = counts.iter().map(|k| k[c] as usize).sum();
        offsets[c + 1] = offsets[c] + here;
    }
    let mut shift = 0;
    while (customers >> shift) >= MAX_BUCKETS {
        shift += 1;
    }
    let buckets = (customers >> shift) + 1;
    // Bucket b's range holds range 0's rows of the bucket, then range 1's, ...
    let mut parts = Vec::with_capacity(buckets * threads);
    for b in 0..buckets {
        let members = (b << shift).min(customers)..((b + 1) << shift).min(customers);
        for (t, k) in counts.iter().enumerate() {
            let rows: usize = k[members.clone()].iter().map(|&x| x as usize).sum();
            parts.push((t, rows));
        }
    }
    let mut columns = Columns::zeroed(n);
    let mut local = vec![0u32; n];
    let mask = (1u32 << shift) - 1;
    let views = carve_all(&mut columns, &mut local, &parts, threads);
    let compact = &compact;
    let ranges_of_rows = ranges.clone();
    let checks = run_all(ranges.into_iter().zip(views).collect(), |(rows, mut p)| {
        let mut checked = Checked::default();
        let mut next = vec![0usize; buckets];
        // Customer lookups are random reads: doing a block of them in a tight
        // loop first lets many be in flight at once.
        let mut block = [0u32; 256];
        for start in rows.clone().step_by(block.len()) {
            let end = (start + block.len()).min(rows.end);
            for (k, row) in block.iter_mut().zip(start..end) {
                *k = keys.get(row);
            }
            for (&c, row) in block.iter().zip(start..end) {
                let e = compact(row, &mut checked);
                let b = (c >> shift) as usize;
                let i = next[b];
                next[b] += 1;
                p.time[b][i] = times[row];
                p.kind[b][i] = e.kind;
                p.value[b][i] = e.value;
                p.aux[b][i] = e.aux;
                // The caller bounds the row count by u32.
                p.row[b][i] = row as u32;
                p.local[b][i] = c & mask;
            }
        }
        checked
    });
    // One list of referred customers: later ranges' indices move up.
    let mut checked = Checked::default();
    let mut shifts = Vec::with_capacity(checks.len());
    for c in checks {
        shifts.push(checked.referred.len() as u32);
        checked.issues.extend(c.issues);
        checked.referred.extend(c.referred);
    }
    if shifts.iter().any(|&s| s > 0) {
        for i in 0..n {
            if columns.kind[i] == EventType::Referral {
                let row = columns.row[i] as usize;
                let owner = ranges_of_rows.iter().position(|r| r.contains(&row));
                columns.aux[i] += shifts[owner.unwrap_or(0)];
            }
        }
    }
    Staged {
        columns,
        offsets,
        checked,
        local,
        shift,
        threads,
    }
}

/// One event while a bucket is being ordered.
#[derive(Debug, Clone, Copy)]
struct Event {
    time: Micros,
    value: f64,
    row: u32,
    aux: u32,
    kind: EventType,
}

const BLANK: Event = Event {
    time: 0,
    value: 0.0,
    row: 0,
    aux: 0,
    kind: EventType::Order,
};

/// Second pass: orders each bucket of `staged` (see the module docs); returns
/// the columns in log order and the customer offsets.
pub(super) fn place(staged: Staged) -> (Columns, Vec<usize>) {
    let Staged {
        mut columns,
        offsets,
        mut local,
        shift,
        threads,
        ..
    } = staged;
    let n = columns.time.len();
    let customers = offsets.len() - 1;
    let buckets = (customers >> shift) + 1;
    let first = |b: usize| (b << shift).min(customers);
    // Contiguous runs of buckets with about n / threads rows each.
    let mut groups: Vec<Range<usize>> = Vec::with_capacity(threads);
    let mut start = 0;
    for t in 1..=threads {
        let target = n * t / threads;
        let mut end = start;
        while end < buckets && (t == threads || offsets[first(end + 1)] <= target) {
            end += 1;
        }
        groups.push(start..end);
        start = end;
    }
    let parts: Vec<(usize, usize)> = groups
        .iter()
        .enumerate()
        .map(|(g, r)| (g, offsets[first(r.end)] - offsets[first(r.start)]))
        .collect();
    let views = carve_all(&mut columns, &mut local, &parts, threads);
    let offsets_ref = &offsets;
    run_all(groups.into_iter().zip(views).collect(), |(group, mut p)| {
        let base = offsets_ref[first(group.start)];
        let mut scratch: Vec<Event> = Vec::new();
        let mut cursor: Vec<usize> = Vec::new();
        let (Some(time), Some(kind), Some(value), Some(aux), Some(row), Some(local)) = (
            p.time.pop(),
            p.kind.pop(),
            p.value.pop(),
            p.aux.pop(),
            p.row.pop(),
            p.local.pop(),
        ) else {
            return;
        };
        for b in group {
            let members = first(b)..first(b + 1);
            let (lo, hi) = (
                offsets_ref[members.start] - base,
                offsets_ref[members.end] - base,
            );
            if hi - lo < 2 {
                continue;
            }
            let member_offsets = &offsets_ref[members.start..=members.end];
            cursor.clear();
            cursor.extend(
                member_offsets[..members.len()]
                    .iter()
                    .map(|&o| o - base - lo),
            );
            scratch.clear();
            scratch.resize(hi - lo, BLANK);
            for i in lo..hi {
                let slot = &mut cursor[local[i] as usize];
                scratch[*slot] = Event {
                    time: time[i],
                    value: value[i],
                    row: row[i],
                    aux: aux[i],
                    kind: kind[i],
                };
                *slot += 1;
            }
            for w in member_offsets.windows(2) {
                let segment = &mut scratch[w[0] - base - lo..w[1] - base - lo];
                if segment.windows(2).any(|e| e[0].time > e[1].time) {
                    segment.sort_unstable_by_key(|e| (e.time, e.row));
                }
            }
            for (i, e) in (lo..hi).zip(&scratch) {
                time[i] = e.time;
                kind[i] = e.kind;
                value[i] = e.value;
                aux[i] = e.aux;
                row[i] = e.row;
            }
        }
    });
    (columns, offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Input rows in log order, after checking that every payload travelled
    /// with its row.
    fn sort_order(
        keys: &Keys<'_>,
        customers: usize,
        times: &[Micros],
        threads: usize,
    ) -> Vec<usize> {
        let staged = stage(keys, customers, times, threads, |row, _| Compact {
            kind: EventType::Order,
            value: row as f64,
            aux: row as u32 * 3,
        });
        let (cols, offsets) = place(staged);
        assert_eq!(offsets.len(), customers + 1);
        for (i, &row) in cols.row.iter().enumerate() {
            assert_eq!(cols.value[i], f64::from(row));
            assert_eq!(cols.aux[i], row * 3);
            assert_eq!(cols.time[i], times[row as usize]);
        }
        cols.row.iter().map(|&r| r as usize).collect()
    }

    fn dense_of(keys: &Keys<'_>, n: usize) -> Vec<u32> {
        (0..n).map(|row| keys.get(row)).collect()
    }

    #[test]
    fn grouping_agrees_with_a_plain_sort_for_any_thread_count() {
        let mut state = 7_u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % m
        };
        for (n, id_range, sorted_times) in [
            (500, 40, true),
            (500, 40, false),
            (300, 1 << 40, false),
            (1, 1, true),
            // Several buckets of several customers each.
            (60_000, 20_000, false),
            // Enough rows for the parallel path, with a sparse-id variant.
            (200_000, 30_000, false),
            (200_000, 30_000, true),
            (150_000, 1 << 40, false),
        ] {
            let ids: Vec<i64> = (0..n).map(|_| next(id_range) as i64 - 7).collect();
            let mut times: Vec<Micros> = (0..n).map(|_| next(50) as i64).collect();
            if sorted_times {
                times.sort_unstable();
            }
            let (customers, keys) = intern_ints(&ids, 3);
            let dense = dense_of(&keys, ids.len());
            let mut expected_ids = ids.clone();
            expected_ids.sort_unstable();
            expected_ids.dedup();
            let expected_customers: Vec<CustomerId> =
                expected_ids.iter().map(|&i| CustomerId::Int(i)).collect();
            assert_eq!(customers, expected_customers);
            assert!(ids
                .iter()
                .zip(&dense)
                .all(|(&id, &d)| customers[d as usize] == CustomerId::Int(id)));
            let mut expected: Vec<usize> = (0..ids.len()).collect();
            expected.sort_by_key(|&i| (dense[i], times[i], i));
            for threads in [1, 2, 3] {
                assert_eq!(
                    sort_order(&keys, customers.len(), &times, threads),
                    expected
                );
            }
        }
    }

    #[test]
    fn extreme_ids_are_interned_by_sorting() {
        let ids = [i64::MAX, i64::MIN, 0, i64::MIN];
        let (customers, keys) = intern_ints(&ids, 1);
        let expected: Vec<CustomerId> = [i64::MIN, 0, i64::MAX].map(CustomerId::Int).to_vec();
        assert_eq!(customers, expected);
        assert_eq!(dense_of(&keys, ids.len()), vec![2, 0, 1, 0]);
    }

    #[test]
    fn order_is_customer_then_time_then_input_row() {
        let keys = Keys::Dense(vec![2, 0, 1, 0, 2, 0]);
        let times = [5, 9, 1, 9, 5, -3];
        assert_eq!(sort_order(&keys, 3, &times, 1), vec![5, 1, 3, 2, 0, 4]);
        assert!(sort_order(&Keys::Dense(Vec::new()), 0, &[], 1).is_empty());
    }

    #[test]
    fn referrals_keep_their_referred_customer_across_threads() {
        // Every row refers somebody; with several threads each range collects
        // its own list, and the merged indices must still point at the right one.
        let n = 150_000;
        let keys = Keys::Dense((0..n).map(|r| (r % 977) as u32).collect());
        let times: Vec<Micros> = (0..n as i64).map(|r| (r * 7919) % 1000).collect();
        for threads in [1, 2, 4] {
            let staged = stage(&keys, 977, &times, threads, |row, c| {
                c.referred.push(CustomerId::Int(row as i64 * 10));
                Compact {
                    kind: EventType::Referral,
                    value: 0.0,
                    aux: (c.referred.len() - 1) as u32,
                }
            });
            let referred = staged.checked.referred.clone();
            let (cols, _) = place(staged);
            for (i, &row) in cols.row.iter().enumerate() {
                assert_eq!(
                    referred[cols.aux[i] as usize],
                    CustomerId::Int(i64::from(row) * 10)
                );
            }
        }
    }
}
