//! The work-order state machine as one pure table: status × action → the next status, or the
//! reason it is refused. No database here; the service adds the checks that need data (an active
//! routing to release, nothing reported to cancel, a reason to hold) on top of it, and the tests
//! walk it cell by cell.
//!
//! ```text
//!              release   start       complete   close   hold     resume      cancel     reopen
//! draft        released  ·           ·          ·       ·        ·           cancelled  ·
//! released     ·         in_progress ·          ·       on_hold  ·           cancelled  ·
//! in_progress  ·         ·           completed  ·       on_hold  ·           ·          ·
//! on_hold      ·         ·           ·          ·       ·        held_from   cancelled  ·
//! completed    ·         ·           ·          closed  ·        ·           ·          in_progress
//! closed       ·         ·           ·          ·       ·        ·           ·          ·
//! cancelled    ·         ·           ·          ·       ·        ·           ·          ·
//! ```

use mes_api_types::work_orders::{WorkOrderAction, WorkOrderStatus};

use crate::{error::Text, text};

use WorkOrderAction as A;
use WorkOrderStatus as S;

/// Where an allowed transition leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    To(WorkOrderStatus),
    /// `resume`: back to the status the order was held from.
    HeldFrom,
}

/// The table. `Err` says, in both languages, the current status and why the action is refused.
pub fn transition(from: WorkOrderStatus, action: WorkOrderAction) -> Result<Target, Text> {
    let target = match (from, action) {
        (S::Draft, A::Release) => Target::To(S::Released),
        (S::Released, A::Start) => Target::To(S::InProgress),
        (S::InProgress, A::Complete) => Target::To(S::Completed),
        (S::Completed, A::Close) => Target::To(S::Closed),
        (S::Released | S::InProgress, A::Hold) => Target::To(S::OnHold),
        (S::OnHold, A::Resume) => Target::HeldFrom,
        (S::Draft | S::Released | S::OnHold, A::Cancel) => Target::To(S::Cancelled),
        (S::Completed, A::Reopen) => Target::To(S::InProgress),
        _ => return Err(refusal(from, action)),
    };
    Ok(target)
}

/// What the status allows next (the detail page's buttons).
pub fn allowed_actions(from: WorkOrderStatus) -> Vec<WorkOrderAction> {
    WorkOrderAction::ALL
        .into_iter()
        .filter(|a| transition(from, *a).is_ok())
        .collect()
}

/// Where `resume` leads for an order held from `held_from` (released when unknown).
pub fn resume_target(held_from: Option<WorkOrderStatus>) -> WorkOrderStatus {
    match held_from {
        Some(s @ (S::Released | S::InProgress)) => s,
        _ => S::Released,
    }
}

pub fn status_zh(s: WorkOrderStatus) -> &'static str {
    match s {
        S::Draft => "草稿",
        S::Released => "已下达",
        S::InProgress => "生产中",
        S::OnHold => "已暂停",
        S::Completed => "已完工",
        S::Closed => "已关闭",
        S::Cancelled => "已取消",
    }
}

pub fn status_en(s: WorkOrderStatus) -> &'static str {
    match s {
        S::Draft => "draft",
        S::Released => "released",
        S::InProgress => "in progress",
        S::OnHold => "on hold",
        S::Completed => "completed",
        S::Closed => "closed",
        S::Cancelled => "cancelled",
    }
}

pub fn action_zh(a: WorkOrderAction) -> &'static str {
    match a {
        A::Release => "下达",
        A::Start => "开工",
        A::Complete => "完工",
        A::Close => "关闭",
        A::Hold => "暂停",
        A::Resume => "恢复",
        A::Cancel => "取消",
        A::Reopen => "重新打开",
    }
}

pub fn action_en(a: WorkOrderAction) -> &'static str {
    match a {
        A::Release => "release",
        A::Start => "start",
        A::Complete => "complete",
        A::Close => "close",
        A::Hold => "hold",
        A::Resume => "resume",
        A::Cancel => "cancel",
        A::Reopen => "reopen",
    }
}

/// "Cannot <action>: the order is <status>. <rule> <hint>"
fn refusal(from: WorkOrderStatus, action: WorkOrderAction) -> Text {
    let (s_zh, s_en) = (status_zh(from), status_en(from));
    let (a_zh, a_en) = (action_zh(action), action_en(action));
    let (rule_zh, rule_en) = match from {
        S::Closed => (
            "已关闭的工单不能再变更。",
            "A closed order can no longer change.",
        ),
        S::Cancelled => (
            "已取消的工单不能再变更。",
            "A cancelled order can no longer change.",
        ),
        _ => match action {
            A::Release => (
                "只有草稿工单可以下达。",
                "Only draft orders can be released.",
            ),
            A::Start => (
                "只有已下达的工单可以开工。",
                "Only released orders can be started.",
            ),
            A::Complete => (
                "只有生产中的工单可以完工。",
                "Only orders in progress can be completed.",
            ),
            A::Close => (
                "只有已完工的工单可以关闭。",
                "Only completed orders can be closed.",
            ),
            A::Hold => (
                "只有已下达或生产中的工单可以暂停。",
                "Only released or in-progress orders can be put on hold.",
            ),
            A::Resume => (
                "只有已暂停的工单可以恢复。",
                "Only orders on hold can be resumed.",
            ),
            A::Cancel => (
                "只有草稿、已下达或已暂停的工单可以取消。",
                "Only draft, released or on-hold orders can be cancelled.",
            ),
            A::Reopen => (
                "只有已完工的工单可以重新打开。",
                "Only completed orders can be reopened.",
            ),
        },
    };
    let (hint_zh, hint_en) = match (from, action) {
        (S::Draft, A::Start | A::Complete | A::Hold) => (" 请先下达。", " Release it first."),
        (S::Released, A::Complete) => (" 请先开工。", " Start it first."),
        (S::OnHold, _) => (" 请先恢复。", " Resume it first."),
        (S::InProgress, A::Cancel) => (
            " 已开始生产：请带原因短完工。",
            " Work has started: complete it short, with a reason, instead.",
        ),
        (S::Completed, A::Start | A::Hold | A::Cancel) => (" 请先重新打开。", " Reopen it first."),
        (S::Released | S::InProgress, A::Release) | (S::InProgress, A::Start) => {
            (" 无需重复操作。", " Nothing to do.")
        }
        _ => ("", ""),
    };
    text!(
        "无法{a_zh}：工单当前状态为「{s_zh}」。{rule_zh}{hint_zh}",
        "Cannot {a_en}: the order is {s_en}. {rule_en}{hint_en}"
    )
}

#[cfg(test)]
mod tests {
    use mes_api_types::Lang;

    use super::*;

    /// The table written out independently: `Some(next)` allowed, `None` refused.
    fn expected(from: WorkOrderStatus, action: WorkOrderAction) -> Option<Target> {
        use Target::*;
        let row: [Option<Target>; 8] = match from {
            // release, start, complete, close, hold, resume, cancel, reopen
            S::Draft => [
                Some(To(S::Released)),
                None,
                None,
                None,
                None,
                None,
                Some(To(S::Cancelled)),
                None,
            ],
            S::Released => [
                None,
                Some(To(S::InProgress)),
                None,
                None,
                Some(To(S::OnHold)),
                None,
                Some(To(S::Cancelled)),
                None,
            ],
            S::InProgress => [
                None,
                None,
                Some(To(S::Completed)),
                None,
                Some(To(S::OnHold)),
                None,
                None,
                None,
            ],
            S::OnHold => [
                None,
                None,
                None,
                None,
                None,
                Some(HeldFrom),
                Some(To(S::Cancelled)),
                None,
            ],
            S::Completed => [
                None,
                None,
                None,
                Some(To(S::Closed)),
                None,
                None,
                None,
                Some(To(S::InProgress)),
            ],
            S::Closed | S::Cancelled => [None; 8],
        };
        let i = WorkOrderAction::ALL
            .iter()
            .position(|a| *a == action)
            .expect("every action is in ALL");
        row[i]
    }

    #[test]
    fn every_cell_of_the_table() {
        for from in WorkOrderStatus::ALL {
            for action in WorkOrderAction::ALL {
                match (transition(from, action), expected(from, action)) {
                    (Ok(got), Some(want)) => assert_eq!(got, want, "{from:?} × {action:?}"),
                    (Err(why), None) => {
                        let en = why.get(Lang::En);
                        assert!(en.contains(status_en(from)), "{from:?} × {action:?}: {en}");
                        assert!(en.starts_with("Cannot "), "{en}");
                        assert!(why.get(Lang::ZhCn).contains(status_zh(from)));
                    }
                    (got, want) => panic!("{from:?} × {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn allowed_actions_follow_the_table() {
        assert_eq!(
            allowed_actions(S::Draft),
            vec![A::Release, A::Cancel],
            "draft"
        );
        assert_eq!(allowed_actions(S::OnHold), vec![A::Resume, A::Cancel]);
        assert!(allowed_actions(S::Closed).is_empty());
        assert!(allowed_actions(S::Cancelled).is_empty());
    }

    #[test]
    fn resume_returns_where_it_was_held_from() {
        assert_eq!(resume_target(Some(S::InProgress)), S::InProgress);
        assert_eq!(resume_target(Some(S::Released)), S::Released);
        assert_eq!(resume_target(None), S::Released);
        assert_eq!(resume_target(Some(S::Closed)), S::Released);
    }
}
