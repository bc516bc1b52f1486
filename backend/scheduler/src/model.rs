//! The product model: machines with calendars, jobs (work orders) made of operations.
//!
//! Time is a plain `i64` in whatever unit the caller picks (the product uses seconds or minutes
//! since a plan origin; benchmarks use the instance's unit). Intervals are half-open `[start, end)`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in time or a duration, in caller-chosen integer units.
pub type Time = i64;

/// Half-open time interval `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Interval {
    pub start: Time,
    pub end: Time,
}

impl Interval {
    pub fn new(start: Time, end: Time) -> Self {
        Interval { start, end }
    }

    pub fn len(&self) -> Time {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// When a machine can work. Blocked intervals ([`Machine::blocked`]) are subtracted from it.
///
/// Work is resumable across non-working time: an operation that does not fit before a break
/// continues after it, so its elapsed end is its start plus its duration counted in working time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Calendar {
    /// Always available (benchmarks, or machines that run around the clock).
    #[default]
    Always,
    /// Explicit working intervals (any order, may overlap). The machine is off between them and
    /// before the first; after the last one ends it is treated as available again, so a plan never
    /// fails for lack of horizon: give intervals that cover the planning horizon.
    Intervals(Vec<Interval>),
    /// A pattern repeated forever: `working` holds offsets within `[0, period)` (e.g. a week of
    /// shifts with `period = 7 * 24 * 60`), repeated every `period` starting at `origin`.
    Periodic {
        origin: Time,
        period: Time,
        working: Vec<Interval>,
    },
}

impl Calendar {
    /// A weekly two-shift style pattern helper: the same daily `shifts` (offsets within a day) on
    /// the first `workdays` days of every `7 * day` period starting at `origin`.
    pub fn weekly(origin: Time, day: Time, workdays: u32, shifts: &[Interval]) -> Calendar {
        let mut working = Vec::new();
        for d in 0..workdays.min(7) as Time {
            for s in shifts {
                working.push(Interval::new(d * day + s.start, d * day + s.end));
            }
        }
        Calendar::Periodic {
            origin,
            period: 7 * day,
            working,
        }
    }
}

/// A machine (resource with capacity one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// Caller's identifier (e.g. the database id); the solver only copies it into results.
    pub id: u64,
    pub calendar: Calendar,
    /// Maintenance, breakdowns, holidays: non-working time on top of the calendar.
    pub blocked: Vec<Interval>,
}

impl Machine {
    pub fn new(id: u64) -> Self {
        Machine {
            id,
            ..Default::default()
        }
    }

    pub fn with_calendar(mut self, calendar: Calendar) -> Self {
        self.calendar = calendar;
        self
    }

    /// Working time available in `[from, to)`: calendar minus blocked intervals (for load
    /// views: planned hours against available hours per day or week).
    pub fn working_time(&self, from: Time, to: Time) -> Time {
        if to <= from {
            return 0;
        }
        let working = crate::calendar::working_intervals(&self.calendar, from, to)
            .unwrap_or_else(|| vec![Interval::new(from, to)]);
        let blocked = crate::calendar::normalise(self.blocked.clone());
        let mut total = 0;
        for w in crate::calendar::normalise(working) {
            let (a, b) = (w.start.max(from), w.end.min(to));
            if a >= b {
                continue;
            }
            let mut len = b - a;
            for x in &blocked {
                len -= (x.end.min(b) - x.start.max(a)).max(0);
            }
            total += len;
        }
        total
    }
}

/// One eligible machine for an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    /// Index into [`Problem::machines`].
    pub machine: usize,
    /// Processing time on this machine (working time). An operation of zero total duration
    /// is an instant: it occupies no machine time.
    pub processing: Time,
    /// Setup time on this machine, done right before processing and occupying the machine
    /// (sequence-independent).
    pub setup: Time,
}

impl Alternative {
    pub fn new(machine: usize, processing: Time) -> Self {
        Alternative {
            machine,
            processing,
            setup: 0,
        }
    }

    /// Working time the machine is occupied: setup plus processing.
    pub fn duration(&self) -> Time {
        self.setup + self.processing
    }
}

/// A fixed placement: the operation has started, has been reported, or the planner pinned it.
/// The solver never moves it; other operations on the machine are scheduled around it and never
/// overlap it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frozen {
    /// Index into [`Problem::machines`].
    pub machine: usize,
    pub start: Time,
    /// Known or expected end; `None` means computed from the machine's calendar and the
    /// operation's duration on that machine (the machine must then be eligible).
    pub end: Option<Time>,
}

/// One step of a job's routing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// Eligible machines, each with its own times. At least one.
    pub alternatives: Vec<Alternative>,
    /// Minimum elapsed time between the end of the previous operation of the job and the start
    /// of this one (transfer, queue, cooling). Counted in calendar time, not working time.
    pub min_lag: Time,
    /// Jobs (indices into [`Problem::jobs`]) that must be complete before this operation starts,
    /// e.g. a remake order feeding back into this step.
    pub after_jobs: Vec<usize>,
    pub frozen: Option<Frozen>,
}

impl Operation {
    /// An operation with a single eligible machine and no setup.
    pub fn on(machine: usize, processing: Time) -> Self {
        Operation {
            alternatives: vec![Alternative::new(machine, processing)],
            ..Default::default()
        }
    }

    pub fn with_alternatives(alternatives: Vec<Alternative>) -> Self {
        Operation {
            alternatives,
            ..Default::default()
        }
    }
}

/// A work order: a chain of operations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// Caller's identifier; also how [`crate::replan`] matches jobs between plan versions.
    pub id: u64,
    /// Material available from: no operation starts earlier.
    pub release: Time,
    /// Due date of the last operation's end; `None` = no due date (never tardy).
    pub due: Option<Time>,
    /// Priority weight for weighted tardiness (>= 0).
    pub weight: i64,
    /// Jobs (indices into [`Problem::jobs`]) that must complete before this job's first
    /// operation starts (component orders of an assembly order).
    pub predecessors: Vec<usize>,
    pub operations: Vec<Operation>,
}

impl Job {
    pub fn new(id: u64, operations: Vec<Operation>) -> Self {
        Job {
            id,
            release: 0,
            due: None,
            weight: 1,
            predecessors: Vec::new(),
            operations,
        }
    }
}

/// A complete scheduling problem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub machines: Vec<Machine>,
    pub jobs: Vec<Job>,
}

/// Refers to one operation: `(job index, operation index within the job)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OpRef {
    pub job: usize,
    pub op: usize,
}

/// Why a problem cannot be scheduled as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    NoOperations {
        job: usize,
    },
    NoAlternatives(OpRef),
    UnknownMachine {
        op: OpRef,
        machine: usize,
    },
    NegativeTime {
        what: String,
    },
    UnknownJob {
        what: String,
        job: usize,
    },
    /// Frozen on a machine that is not eligible and without an explicit end.
    FrozenNeedsEnd(OpRef),
    /// Job predecessors form a cycle: no plan exists.
    PrecedenceCycle {
        job: usize,
    },
    BadCalendar {
        machine: usize,
        reason: String,
    },
    BadEvent {
        index: usize,
        reason: String,
    },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NoOperations { job } => write!(f, "job {job} has no operations"),
            ModelError::NoAlternatives(r) => {
                write!(
                    f,
                    "operation {} of job {} has no eligible machine",
                    r.op, r.job
                )
            }
            ModelError::UnknownMachine { op, machine } => write!(
                f,
                "operation {} of job {} refers to unknown machine {machine}",
                op.op, op.job
            ),
            ModelError::NegativeTime { what } => write!(f, "negative time: {what}"),
            ModelError::UnknownJob { what, job } => write!(f, "{what} refers to unknown job {job}"),
            ModelError::FrozenNeedsEnd(r) => write!(
                f,
                "operation {} of job {} is frozen on a machine that is not eligible: give its end",
                r.op, r.job
            ),
            ModelError::PrecedenceCycle { job } => {
                write!(f, "job precedences form a cycle through job {job}")
            }
            ModelError::BadCalendar { machine, reason } => {
                write!(f, "calendar of machine {machine}: {reason}")
            }
            ModelError::BadEvent { index, reason } => write!(f, "event {index}: {reason}"),
        }
    }
}

impl std::error::Error for ModelError {}
