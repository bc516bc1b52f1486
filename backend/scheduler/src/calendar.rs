//! Machine timelines: calendars minus blocked time, materialised as sorted working intervals
//! with prefix sums so "start at t, work w units" is two binary searches.

use crate::model::{Calendar, Interval, Time};

/// Stand-in for "unbounded" that leaves head-room for sums of a few of them.
pub(crate) const INF: Time = 1 << 58;

#[derive(Clone, Debug)]
pub(crate) struct Timeline {
    starts: Vec<Time>,
    ends: Vec<Time>,
    /// `cum_end[i]` = working time in intervals `0..=i`.
    cum_end: Vec<Time>,
    /// Frozen operations on this machine: also removed from working time, and in addition no
    /// operation may span across one (they are not interrupted around a running job).
    hard: Vec<Interval>,
    b_lo: Time,
    width: Time,
    bucket_first: Vec<u32>,
}

/// Sort and merge intervals, dropping empty ones.
pub(crate) fn normalise(mut v: Vec<Interval>) -> Vec<Interval> {
    v.retain(|i| !i.is_empty());
    v.sort_by_key(|i| (i.start, i.end));
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for i in v {
        match out.last_mut() {
            Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
            _ => out.push(i),
        }
    }
    out
}

/// `working` minus `blocked` (both normalised).
fn subtract(working: &[Interval], blocked: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::with_capacity(working.len() + blocked.len());
    let mut bi = 0;
    for w in working {
        let mut cur = w.start;
        while bi < blocked.len() && blocked[bi].end <= cur {
            bi += 1;
        }
        let mut k = bi;
        while k < blocked.len() && blocked[k].start < w.end {
            if blocked[k].start > cur {
                out.push(Interval::new(cur, blocked[k].start));
            }
            cur = cur.max(blocked[k].end);
            k += 1;
        }
        if cur < w.end {
            out.push(Interval::new(cur, w.end));
        }
    }
    out
}

/// Materialise a calendar's working intervals over `[from, to)`; `None` = always available.
pub(crate) fn working_intervals(cal: &Calendar, from: Time, to: Time) -> Option<Vec<Interval>> {
    match cal {
        Calendar::Always => None,
        Calendar::Intervals(v) => {
            let mut v = normalise(v.clone());
            // After the last listed interval the machine is available again (documented).
            let tail = v.last().map_or(-INF, |l| l.end);
            v.push(Interval::new(tail, INF));
            Some(normalise(v))
        }
        Calendar::Periodic {
            origin,
            period,
            working,
        } => {
            let pat = normalise(
                working
                    .iter()
                    .map(|i| Interval::new(i.start.max(0), i.end.min(*period)))
                    .collect(),
            );
            let mut out = Vec::new();
            // First period index whose window reaches `from`.
            let mut k = (from - origin).div_euclid(*period) - 1;
            loop {
                let base = origin + k * period;
                if base >= to {
                    break;
                }
                for i in &pat {
                    out.push(Interval::new(base + i.start, base + i.end));
                }
                k += 1;
            }
            // Beyond the materialised horizon treat the machine as available: the horizon is
            // computed generously so this is never reached by a sensible plan.
            out.push(Interval::new(to.max(from), INF));
            Some(normalise(out))
        }
    }
}

impl Timeline {
    /// `working = None` means always available.
    pub(crate) fn new(
        working: Option<Vec<Interval>>,
        blocked: &[Interval],
        hard: Vec<Interval>,
    ) -> Timeline {
        let working = working.unwrap_or_else(|| vec![Interval::new(-INF, INF)]);
        let mut all_blocked = blocked.to_vec();
        all_blocked.extend_from_slice(&hard);
        let iv = subtract(&working, &normalise(all_blocked));
        let mut starts = Vec::with_capacity(iv.len());
        let mut ends = Vec::with_capacity(iv.len());
        let mut cum_end = Vec::with_capacity(iv.len());
        let mut acc = 0;
        for i in &iv {
            starts.push(i.start);
            ends.push(i.end);
            acc += i.len();
            cum_end.push(acc);
        }
        // Bucket index over the finite part of the timeline: the first interval ending after
        // each bucket's start, so a lookup is a division and a short scan instead of a binary
        // search (the search loop calls `place` millions of times).
        let finite: Vec<Time> = starts
            .iter()
            .chain(ends.iter())
            .copied()
            .filter(|t| t.abs() < INF / 2)
            .collect();
        let (b_lo, b_hi) = match (finite.iter().min(), finite.iter().max()) {
            (Some(&a), Some(&b)) if b > a => (a, b),
            _ => (0, 0),
        };
        let width = ((b_hi - b_lo) / (starts.len() as Time).max(1)).max(1);
        let n_buckets = if b_hi > b_lo {
            ((b_hi - b_lo) / width + 1) as usize
        } else {
            0
        };
        let mut bucket_first = Vec::with_capacity(n_buckets);
        for b in 0..n_buckets {
            let t = b_lo + b as Time * width;
            bucket_first.push(ends.partition_point(|&e| e <= t) as u32);
        }
        Timeline {
            starts,
            ends,
            cum_end,
            hard: normalise(hard),
            b_lo,
            width,
            bucket_first,
        }
    }

    /// Index of the first interval ending after `t`.
    #[inline]
    fn first_after(&self, t: Time) -> usize {
        if t >= self.b_lo {
            let b = ((t - self.b_lo) / self.width) as usize;
            if let Some(&f) = self.bucket_first.get(b) {
                let mut i = f as usize;
                while i < self.ends.len() && self.ends[i] <= t {
                    i += 1;
                }
                return i;
            }
        }
        self.ends.partition_point(|&e| e <= t)
    }

    /// Earliest `(start, end)` for `work` units of working time starting no earlier than `t`.
    /// `start` is a working instant; work is resumed across non-working gaps but never spans a
    /// hard block (frozen operation).
    pub(crate) fn place(&self, mut t: Time, work: Time) -> (Time, Time) {
        loop {
            let (s, e) = self.fit(t, work);
            if self.hard.is_empty() {
                return (s, e);
            }
            // First hard block that ends after s.
            let h = self.hard.partition_point(|b| b.end <= s);
            match self.hard.get(h) {
                Some(b) if b.start < e || (work == 0 && b.start <= s) => t = b.end,
                _ => return (s, e),
            }
        }
    }

    fn fit(&self, t: Time, work: Time) -> (Time, Time) {
        let i = self.first_after(t);
        if i == self.ends.len() {
            return (t, t + work);
        }
        let s = t.max(self.starts[i]);
        if s + work <= self.ends[i] {
            return (s, s + work);
        }
        // Working position (prefix-sum coordinates) where the work ends.
        let before_i = self.cum_end[i] - (self.ends[i] - self.starts[i]);
        let target = before_i + (s - self.starts[i]) + work;
        // Usually the work ends a few intervals later: scan, then fall back to bisection.
        let mut j = i + 1;
        while j < self.cum_end.len() && j < i + 8 && self.cum_end[j] < target {
            j += 1;
        }
        if j < self.cum_end.len() && self.cum_end[j] < target {
            j = self.cum_end.partition_point(|&c| c < target);
        }
        if j == self.cum_end.len() {
            let last = self.cum_end.len() - 1;
            return (s, self.ends[last] + (target - self.cum_end[last]));
        }
        let before_j = self.cum_end[j] - (self.ends[j] - self.starts[j]);
        (s, self.starts[j] + (target - before_j))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: Time, b: Time) -> Interval {
        Interval::new(a, b)
    }

    #[test]
    fn resumes_across_breaks() {
        let tl = Timeline::new(Some(vec![iv(0, 10), iv(20, 30), iv(40, 50)]), &[], vec![]);
        assert_eq!(tl.place(0, 5), (0, 5));
        assert_eq!(tl.place(8, 5), (8, 23));
        assert_eq!(tl.place(10, 5), (20, 25));
        assert_eq!(tl.place(5, 20), (5, 45));
        assert_eq!(tl.place(5, 5), (5, 10));
        assert_eq!(tl.place(12, 0), (20, 20));
        // beyond the last interval: available
        assert_eq!(tl.place(60, 5), (60, 65));
        assert_eq!(tl.place(45, 10), (45, 55));
    }

    #[test]
    fn blocked_and_hard() {
        let tl = Timeline::new(None, &[iv(10, 20)], vec![iv(30, 40)]);
        assert_eq!(tl.place(5, 10), (5, 25));
        assert_eq!(tl.place(22, 10), (40, 50));
        assert_eq!(tl.place(22, 8), (22, 30));
        assert_eq!(tl.place(35, 0), (40, 40));
    }

    #[test]
    fn periodic_calendar() {
        let cal = Calendar::Periodic {
            origin: 0,
            period: 100,
            working: vec![iv(0, 50)],
        };
        let w = working_intervals(&cal, 0, 1000).unwrap();
        let tl = Timeline::new(Some(w), &[], vec![]);
        assert_eq!(tl.place(40, 20), (40, 110));
        assert_eq!(tl.place(60, 20), (100, 120));
        assert_eq!(tl.place(-30, 10), (0, 10));
    }
}
