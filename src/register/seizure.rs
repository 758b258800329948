//! The queue of seizures (查封 and 轮候查封) on one layer, and when each is in force.
//!
//! The first seizure in the queue is in force from its start to its end date. A seizure
//! recorded while another is in force waits (轮候); it takes effect the day after the one
//! before it lapses, or on the day that one is released, and then runs for its own term (the
//! days from its start to its end in the court's document). A seizure that passes its end
//! date without renewal (续封) lapses by itself: no act is needed.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use super::record::{Record, Seizure};

/// When a seizure is in force: from and until, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The first day in force.
    pub from: Date,
    /// The last day in force.
    pub until: Date,
}

/// Where a seizure stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Waiting in the queue (轮候), or not yet started.
    Waiting,
    /// In force.
    InForce,
    /// Past its window: lapsed.
    Lapsed,
}

impl Standing {
    /// 轮候, 查封中, 已失效.
    pub fn name_zh(self) -> &'static str {
        match self {
            Standing::Waiting => "轮候",
            Standing::InForce => "查封中",
            Standing::Lapsed => "已失效",
        }
    }
}

/// Seizures with their keys, in queue order.
pub type Queue = Vec<(String, Seizure)>;

/// The live seizures of a unit, keyed, in queue order.
pub fn queue(live: Vec<(String, Record)>) -> Queue {
    let mut q: Vec<(String, Seizure)> = live
        .into_iter()
        .filter_map(|(k, r)| match r {
            Record::Seizure(s) => Some((k, s)),
            _ => None,
        })
        .collect();
    q.sort_by_key(|(_, s)| s.queued);
    q
}

/// The windows of a queue, in order.
pub fn windows(queue: &[(String, Seizure)]) -> Vec<Window> {
    let mut out: Vec<Window> = Vec::with_capacity(queue.len());
    for (_, s) in queue {
        let own = s.from.map_or(s.start, |f| f.max(s.start));
        let from = match out.last() {
            Some(prev) => own.max(prev.until.checked_add(1.day()).unwrap_or(prev.until)),
            None => own,
        };
        let term = s
            .start
            .until(s.end)
            .map(|span| span.get_days())
            .unwrap_or(0);
        let until = from
            .checked_add(i64::from(term).days())
            .unwrap_or(jiff::civil::date(9999, 12, 31));
        out.push(Window { from, until });
    }
    out
}

/// Where a seizure with window `w` stands on `day`.
pub fn standing(w: Window, day: Date) -> Standing {
    if day < w.from {
        Standing::Waiting
    } else if day <= w.until {
        Standing::InForce
    } else {
        Standing::Lapsed
    }
}

/// The seizure in force on `day`, if any, with its window.
pub fn in_force(queue: &[(String, Seizure)], day: Date) -> Option<(String, Window)> {
    queue
        .iter()
        .zip(windows(queue))
        .find(|(_, w)| standing(*w, day) == Standing::InForce)
        .map(|((k, _), w)| (k.clone(), w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn s(start: Date, end: Date, queued: u64) -> (String, Seizure) {
        (
            format!("U:S{queued}"),
            Seizure {
                unit: "U".into(),
                court: "court".into(),
                document: "doc".into(),
                start,
                end,
                queued,
                from: None,
            },
        )
    }

    #[test]
    fn a_waiting_seizure_takes_effect_the_day_after_the_first_lapses_for_its_own_term() {
        let q = vec![
            s(date(2026, 1, 1), date(2028, 12, 31), 1),
            s(date(2026, 6, 1), date(2029, 5, 31), 2),
        ];
        let w = windows(&q);
        assert_eq!(w[0].until, date(2028, 12, 31));
        assert_eq!(w[1].from, date(2029, 1, 1));
        // Its own term: 2026-06-01 to 2029-05-31 is 1095 days after its start.
        assert_eq!(
            w[1].until,
            date(2029, 1, 1).checked_add(1095.days()).unwrap()
        );
        assert_eq!(standing(w[1], date(2028, 12, 31)), Standing::Waiting);
        assert_eq!(standing(w[0], date(2029, 1, 1)), Standing::Lapsed);
        assert_eq!(in_force(&q, date(2029, 1, 1)).unwrap().0, "U:S2");
        assert_eq!(in_force(&q, date(2025, 12, 31)), None);
    }

    #[test]
    fn a_seizure_moved_up_by_a_release_starts_on_the_release_day() {
        let mut q = vec![s(date(2026, 6, 1), date(2029, 5, 31), 2)];
        q[0].1.from = Some(date(2027, 3, 15));
        let w = windows(&q);
        assert_eq!(w[0].from, date(2027, 3, 15));
        assert_eq!(
            w[0].until,
            date(2027, 3, 15).checked_add(1095.days()).unwrap()
        );
    }
}
