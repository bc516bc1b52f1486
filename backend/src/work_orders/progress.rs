//! How an order's progress rolls up from its operations. Pure arithmetic, no database.
//!
//! Material flows through the operations in `seq` order. Scrap at one operation lowers what can
//! reach the later ones, so an operation's *target* is the order quantity minus the scrap of the
//! operations before it; it is finished when good + scrap reach the target. The order's good
//! quantity is what the last operation passed as good; its scrap is the scrap of all operations.
//! Rework is neither: those units come back to be worked again.

/// The quantities of one operation that the roll-up needs, in `seq` order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OpQuantities {
    pub setup_minutes: f64,
    pub run_minutes_per_unit: f64,
    pub qty_good: f64,
    pub qty_scrap: f64,
}

/// Per operation: what the previous one has passed on and this one has not finished yet, and
/// what is still to do to reach its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpProgress {
    pub qty_available: f64,
    pub qty_remaining: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub qty_good: f64,
    pub qty_scrap: f64,
    pub qty_remaining: f64,
    /// 0–1: the finished share of the order's work (setup + run time at the order quantity).
    pub progress: f64,
    pub operations: Vec<OpProgress>,
}

/// Rounds away float noise (0.1 + 0.2) so that "nothing remaining" is exactly 0.
fn clean(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r <= 0.0 { 0.0 } else { r }
}

pub fn compute(quantity: f64, ops: &[OpQuantities]) -> Progress {
    if ops.is_empty() {
        // Not released yet: nothing made, everything to make.
        return Progress {
            qty_good: 0.0,
            qty_scrap: 0.0,
            qty_remaining: clean(quantity),
            progress: 0.0,
            operations: Vec::new(),
        };
    }
    let mut operations = Vec::with_capacity(ops.len());
    let mut scrap_before = 0.0;
    let mut passed_on = quantity;
    let mut weighted_done = 0.0;
    let mut total_weight = 0.0;
    let all_weightless = ops
        .iter()
        .all(|o| o.setup_minutes + o.run_minutes_per_unit * quantity <= 0.0);
    for op in ops {
        let finished = op.qty_good + op.qty_scrap;
        let target = quantity - scrap_before;
        let remaining = clean(target - finished);
        operations.push(OpProgress {
            qty_available: clean(passed_on - finished),
            qty_remaining: remaining,
        });
        let weight = if all_weightless {
            1.0
        } else {
            op.setup_minutes + op.run_minutes_per_unit * quantity
        };
        let share = if target <= 0.0 {
            1.0
        } else {
            (finished / target).clamp(0.0, 1.0)
        };
        weighted_done += weight * share;
        total_weight += weight;
        scrap_before += op.qty_scrap;
        passed_on = op.qty_good;
    }
    let qty_good = ops.last().map(|o| o.qty_good).unwrap_or(0.0);
    let qty_scrap: f64 = ops.iter().map(|o| o.qty_scrap).sum();
    let progress = if total_weight > 0.0 {
        (weighted_done / total_weight).clamp(0.0, 1.0)
    } else {
        0.0
    };
    Progress {
        qty_good: clean(qty_good),
        qty_scrap: clean(qty_scrap),
        qty_remaining: clean(quantity - qty_scrap - qty_good),
        progress: (progress * 1e4).round() / 1e4,
        operations,
    }
}

/// What the first operation has not started yet: the part of the order that can still be split
/// off without touching work in progress.
pub fn unstarted(quantity: f64, ops: &[OpQuantities]) -> f64 {
    match ops.first() {
        Some(first) => clean(quantity - first.qty_good - first.qty_scrap),
        None => clean(quantity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(setup: f64, run: f64, good: f64, scrap: f64) -> OpQuantities {
        OpQuantities {
            setup_minutes: setup,
            run_minutes_per_unit: run,
            qty_good: good,
            qty_scrap: scrap,
        }
    }

    #[test]
    fn unreleased_orders_have_everything_left() {
        let p = compute(10.0, &[]);
        assert_eq!((p.qty_good, p.qty_remaining, p.progress), (0.0, 10.0, 0.0));
    }

    #[test]
    fn scrap_lowers_what_later_operations_must_make() {
        // 100 ordered; op 1 made 90 good + 10 scrap; op 2 made 60 good + 5 scrap so far.
        let p = compute(100.0, &[op(0.0, 1.0, 90.0, 10.0), op(0.0, 1.0, 60.0, 5.0)]);
        assert_eq!(p.operations[0].qty_remaining, 0.0);
        assert_eq!(p.operations[0].qty_available, 0.0);
        assert_eq!(p.operations[1].qty_available, 25.0);
        assert_eq!(p.operations[1].qty_remaining, 25.0);
        assert_eq!(p.qty_good, 60.0);
        assert_eq!(p.qty_scrap, 15.0);
        assert_eq!(p.qty_remaining, 25.0);
        // op 1 done (weight 100), op 2 at 65/90 (weight 100).
        assert!((p.progress - (1.0 + 65.0 / 90.0) / 2.0).abs() < 1e-4);
    }

    #[test]
    fn work_weights_the_share() {
        // A long first operation done, a short second not started.
        let p = compute(10.0, &[op(30.0, 9.0, 10.0, 0.0), op(0.0, 1.0, 0.0, 0.0)]);
        assert!((p.progress - 120.0 / 130.0).abs() < 1e-4);
        let done = compute(10.0, &[op(0.0, 0.0, 10.0, 0.0), op(0.0, 0.0, 10.0, 0.0)]);
        assert_eq!(done.progress, 1.0);
        assert_eq!(done.qty_remaining, 0.0);
    }

    #[test]
    fn float_noise_is_not_remaining_work() {
        let p = compute(0.3, &[op(0.0, 1.0, 0.1 + 0.2, 0.0)]);
        assert_eq!(p.qty_remaining, 0.0);
        assert_eq!(unstarted(0.3, &[op(0.0, 1.0, 0.1, 0.0)]), 0.2);
        assert_eq!(unstarted(5.0, &[]), 5.0);
    }
}
