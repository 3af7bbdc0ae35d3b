//! Go's `sort.Sort` (pattern-defeating quicksort) and `sort.SliceStable` (insertion-sorted
//! blocks merged by SymMerge), ported step for step from `sort/zsortfunc.go`.
//!
//! Flux picks "the latest" version by sorting with these and taking the first element, so
//! which of two equal-precedence versions (`1.0.0+a`, `1.0.0+b`) wins depends on the exact
//! sequence of comparisons and swaps, and on comparators that are not strict orders. Rust's
//! sorts would pick differently.

/// Go's `sort.Sort(data)` with `less` as `data.Less`: not stable.
pub(super) fn sort<T>(data: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = data.len();
    if n <= 1 {
        return;
    }
    let limit = bit_length(n);
    pdqsort(data, &mut less, 0, n, limit);
}

/// Go's `sort.SliceStable(data, less)`.
pub(super) fn sort_stable<T>(data: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = data.len();
    let mut block = 20;
    let (mut a, mut b) = (0, block);
    while b <= n {
        insertion_sort(data, &mut less, a, b);
        a = b;
        b += block;
    }
    insertion_sort(data, &mut less, a, n);
    while block < n {
        (a, b) = (0, 2 * block);
        while b <= n {
            sym_merge(data, &mut less, a, a + block, b);
            a = b;
            b += 2 * block;
        }
        let m = a + block;
        if m < n {
            sym_merge(data, &mut less, a, m, n);
        }
        block *= 2;
    }
}

/// Go's `bits.Len(uint(n))`.
fn bit_length(n: usize) -> usize {
    (usize::BITS - n.leading_zeros()) as usize
}

fn lt<T>(data: &[T], less: &mut impl FnMut(&T, &T) -> bool, i: usize, j: usize) -> bool {
    less(&data[i], &data[j])
}

fn insertion_sort<T>(data: &mut [T], less: &mut impl FnMut(&T, &T) -> bool, a: usize, b: usize) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && lt(data, less, j, j - 1) {
            data.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sift_down<T>(
    data: &mut [T],
    less: &mut impl FnMut(&T, &T) -> bool,
    lo: usize,
    hi: usize,
    first: usize,
) {
    let mut root = lo;
    loop {
        let mut child = 2 * root + 1;
        if child >= hi {
            return;
        }
        if child + 1 < hi && lt(data, less, first + child, first + child + 1) {
            child += 1;
        }
        if !lt(data, less, first + root, first + child) {
            return;
        }
        data.swap(first + root, first + child);
        root = child;
    }
}

fn heap_sort<T>(data: &mut [T], less: &mut impl FnMut(&T, &T) -> bool, a: usize, b: usize) {
    let first = a;
    let hi = b - a;
    for i in (0..=(hi - 1) / 2).rev() {
        sift_down(data, less, i, hi, first);
    }
    for i in (0..hi).rev() {
        data.swap(first, first + i);
        sift_down(data, less, 0, i, first);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Hint {
    Unknown,
    Increasing,
    Decreasing,
}

/// Go's `pdqsort_func`; `limit` bad pivots are allowed before falling back to heapsort.
fn pdqsort<T>(
    data: &mut [T],
    less: &mut impl FnMut(&T, &T) -> bool,
    mut a: usize,
    mut b: usize,
    mut limit: usize,
) {
    const MAX_INSERTION: usize = 12;
    let mut was_balanced = true;
    let mut was_partitioned = true;
    loop {
        let length = b - a;
        if length <= MAX_INSERTION {
            insertion_sort(data, less, a, b);
            return;
        }
        if limit == 0 {
            heap_sort(data, less, a, b);
            return;
        }
        if !was_balanced {
            break_patterns(data, a, b);
            limit -= 1;
        }
        let (mut pivot, mut hint) = choose_pivot(data, less, a, b);
        if hint == Hint::Decreasing {
            reverse_range(data, a, b);
            pivot = (b - 1) - (pivot - a);
            hint = Hint::Increasing;
        }
        if was_balanced
            && was_partitioned
            && hint == Hint::Increasing
            && partial_insertion_sort(data, less, a, b)
        {
            return;
        }
        if a > 0 && !lt(data, less, a - 1, pivot) {
            a = partition_equal(data, less, a, b, pivot);
            continue;
        }
        let (mid, already_partitioned) = partition(data, less, a, b, pivot);
        was_partitioned = already_partitioned;
        let (left_len, right_len) = (mid - a, b - mid);
        let balance_threshold = length / 8;
        if left_len < right_len {
            was_balanced = left_len >= balance_threshold;
            pdqsort(data, less, a, mid, limit);
            a = mid + 1;
        } else {
            was_balanced = right_len >= balance_threshold;
            pdqsort(data, less, mid + 1, b, limit);
            b = mid;
        }
    }
}

/// Go's `partition_func`. The cursors are signed as in Go; `j` never drops below `a`
/// (it only moves while `i <= j`, and `i > a`).
fn partition<T>(
    data: &mut [T],
    less: &mut impl FnMut(&T, &T) -> bool,
    a: usize,
    b: usize,
    pivot: usize,
) -> (usize, bool) {
    data.swap(a, pivot);
    let (mut i, mut j) = (a as isize + 1, b as isize - 1);
    while i <= j && lt(data, less, i as usize, a) {
        i += 1;
    }
    while i <= j && !lt(data, less, j as usize, a) {
        j -= 1;
    }
    if i > j {
        data.swap(j as usize, a);
        return (j as usize, true);
    }
    data.swap(i as usize, j as usize);
    i += 1;
    j -= 1;
    loop {
        while i <= j && lt(data, less, i as usize, a) {
            i += 1;
        }
        while i <= j && !lt(data, less, j as usize, a) {
            j -= 1;
        }
        if i > j {
            break;
        }
        data.swap(i as usize, j as usize);
        i += 1;
        j -= 1;
    }
    data.swap(j as usize, a);
    (j as usize, false)
}

/// Go's `partitionEqual_func`.
fn partition_equal<T>(
    data: &mut [T],
    less: &mut impl FnMut(&T, &T) -> bool,
    a: usize,
    b: usize,
    pivot: usize,
) -> usize {
    data.swap(a, pivot);
    let (mut i, mut j) = (a as isize + 1, b as isize - 1);
    loop {
        while i <= j && !lt(data, less, a, i as usize) {
            i += 1;
        }
        while i <= j && lt(data, less, a, j as usize) {
            j -= 1;
        }
        if i > j {
            break;
        }
        data.swap(i as usize, j as usize);
        i += 1;
        j -= 1;
    }
    i as usize
}

/// Go's `partialInsertionSort_func`: true when `data[a..b]` ends up sorted.
fn partial_insertion_sort<T>(
    data: &mut [T],
    less: &mut impl FnMut(&T, &T) -> bool,
    a: usize,
    b: usize,
) -> bool {
    const MAX_STEPS: usize = 5;
    const SHORTEST_SHIFTING: usize = 50;
    let mut i = a + 1;
    for _ in 0..MAX_STEPS {
        while i < b && !lt(data, less, i, i - 1) {
            i += 1;
        }
        if i == b {
            return true;
        }
        if b - a < SHORTEST_SHIFTING {
            return false;
        }
        data.swap(i, i - 1);
        if i - a >= 2 {
            let mut j = i - 1;
            while j >= 1 && lt(data, less, j, j - 1) {
                data.swap(j, j - 1);
                j -= 1;
            }
        }
        if b - i >= 2 {
            let mut j = i + 1;
            while j < b && lt(data, less, j, j - 1) {
                data.swap(j, j - 1);
                j += 1;
            }
        }
    }
    false
}

/// Go's `breakPatterns_func`, with its deterministic xorshift seeded by the length.
fn break_patterns<T>(data: &mut [T], a: usize, b: usize) {
    let length = b - a;
    if length >= 8 {
        let mut random = length as u64;
        let modulus = 1usize << bit_length(length);
        let middle = a + (length / 4) * 2;
        for idx in middle - 1..=middle + 1 {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let mut other = (random as usize) & (modulus - 1);
            if other >= length {
                other -= length;
            }
            data.swap(idx, a + other);
        }
    }
}

/// Go's `choosePivot_func`: median of three, or Tukey's ninther from 50 elements, and a
/// hint of the order the samples were found in.
fn choose_pivot<T>(
    data: &[T],
    less: &mut impl FnMut(&T, &T) -> bool,
    a: usize,
    b: usize,
) -> (usize, Hint) {
    const SHORTEST_NINTHER: usize = 50;
    const MAX_SWAPS: usize = 4 * 3;
    let l = b - a;
    let mut swaps = 0;
    let mut i = a + l / 4;
    let mut j = a + l / 4 * 2;
    let mut k = a + l / 4 * 3;
    if l >= 8 {
        if l >= SHORTEST_NINTHER {
            i = median(data, less, i - 1, i, i + 1, &mut swaps);
            j = median(data, less, j - 1, j, j + 1, &mut swaps);
            k = median(data, less, k - 1, k, k + 1, &mut swaps);
        }
        j = median(data, less, i, j, k, &mut swaps);
    }
    let hint = match swaps {
        0 => Hint::Increasing,
        MAX_SWAPS => Hint::Decreasing,
        _ => Hint::Unknown,
    };
    (j, hint)
}

/// Go's `order2_func`.
fn order2<T>(
    data: &[T],
    less: &mut impl FnMut(&T, &T) -> bool,
    a: usize,
    b: usize,
    swaps: &mut usize,
) -> (usize, usize) {
    if lt(data, less, b, a) {
        *swaps += 1;
        return (b, a);
    }
    (a, b)
}

/// Go's `median_func`.
fn median<T>(
    data: &[T],
    less: &mut impl FnMut(&T, &T) -> bool,
    a: usize,
    b: usize,
    c: usize,
    swaps: &mut usize,
) -> usize {
    let (a, b) = order2(data, less, a, b, swaps);
    let (b, _) = order2(data, less, b, c, swaps);
    let (_, b) = order2(data, less, a, b, swaps);
    b
}

fn reverse_range<T>(data: &mut [T], a: usize, b: usize) {
    data[a..b].reverse();
}

/// Go's `symMerge_func`: merges the sorted `data[a..m]` and `data[m..b]` in place.
fn sym_merge<T>(
    data: &mut [T],
    less: &mut impl FnMut(&T, &T) -> bool,
    a: usize,
    m: usize,
    b: usize,
) {
    if m - a == 1 {
        let (mut i, mut j) = (m, b);
        while i < j {
            let h = (i + j) / 2;
            if lt(data, less, h, a) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        for k in a..i - 1 {
            data.swap(k, k + 1);
        }
        return;
    }
    if b - m == 1 {
        let (mut i, mut j) = (a, m);
        while i < j {
            let h = (i + j) / 2;
            if !lt(data, less, m, h) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        for k in (i + 1..=m).rev() {
            data.swap(k, k - 1);
        }
        return;
    }
    let mid = (a + b) / 2;
    let n = mid + m;
    let (mut start, mut r) = if m > mid { (n - b, mid) } else { (a, m) };
    let p = n - 1;
    while start < r {
        let c = (start + r) / 2;
        if !lt(data, less, p - c, c) {
            start = c + 1;
        } else {
            r = c;
        }
    }
    let end = n - start;
    if start < m && m < end {
        rotate(data, start, m, end);
    }
    if a < start && start < mid {
        sym_merge(data, less, a, start, mid);
    }
    if mid < end && end < b {
        sym_merge(data, less, mid, end, b);
    }
}

/// Go's `rotate_func`: `x u v y` becomes `x v u y` for `u = data[a..m]`, `v = data[m..b]`,
/// by the same block swaps.
fn rotate<T>(data: &mut [T], a: usize, m: usize, b: usize) {
    let (mut i, mut j) = (m - a, b - m);
    while i != j {
        if i > j {
            swap_range(data, m - i, m, j);
            i -= j;
        } else {
            swap_range(data, m - i, m + j - i, i);
            j -= i;
        }
    }
    swap_range(data, m - i, m, i);
}

fn swap_range<T>(data: &mut [T], a: usize, b: usize, n: usize) {
    for k in 0..n {
        data.swap(a + k, b + k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random keys, many of them repeated.
    fn keys(n: usize, distinct: u64, seed: u64) -> Vec<u64> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state % distinct
            })
            .collect()
    }

    #[test]
    fn sort_orders_inputs_of_every_shape() {
        let mut inputs: Vec<Vec<u64>> = vec![
            vec![],
            vec![1],
            (0..300).collect(),
            (0..300).rev().collect(),
        ];
        for (n, distinct) in [
            (13, 5),
            (50, 3),
            (64, 64),
            (257, 2),
            (1000, 1000),
            (5000, 10),
        ] {
            inputs.push(keys(n, distinct, n as u64 * 7919 + distinct));
        }
        // Organ pipe and sawtooth shapes push pdqsort into its pattern breaking.
        inputs.push((0..500).map(|i: u64| i.min(499 - i)).collect());
        inputs.push((0..500).map(|i: u64| i % 17).collect());
        for input in inputs {
            let mut want = input.clone();
            want.sort_unstable();
            let mut got = input.clone();
            sort(&mut got, |a, b| a < b);
            assert_eq!(got, want, "sort of {} keys", input.len());
            let mut got = input.clone();
            sort_stable(&mut got, |a, b| a < b);
            assert_eq!(got, want, "stable sort of {} keys", input.len());
        }
    }

    #[test]
    fn sort_stable_keeps_equal_elements_in_input_order() {
        for n in [5, 20, 21, 40, 41, 100, 1000] {
            let tagged: Vec<(u64, usize)> = keys(n, 7, n as u64).into_iter().zip(0..).collect();
            let mut got = tagged.clone();
            sort_stable(&mut got, |a, b| a.0 < b.0);
            let mut want = tagged;
            want.sort_by_key(|&(key, _)| key);
            assert_eq!(got, want, "{n} elements");
        }
    }
}
