//! Recording acts: each is sealed into the journal with its time, decided by the rules, and
//! applied with its changes; a batch is recorded whole or not at all.

use jiff::Timestamp;

use super::act::Act;
use super::backend::Backend;
use super::error::{Reason, Refusal, RegisterError};
use super::journal::{Entry, Hash};
use super::rules::{self, Denied, Options};

/// The time an act is recorded at (登记时间).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The moment it is confirmed: the time of the commit.
    Now,
    /// A given time, for entering acts confirmed on paper before the register existed
    /// (补录) and for the demo: not before the last act recorded, not in the future.
    At(Timestamp),
}

fn refused(index: usize, act: &Act, refusal: Refusal) -> RegisterError {
    RegisterError::Refused {
        index,
        number: act.number.clone(),
        unit: act.body.unit().map(str::to_string),
        refusal: Box::new(refusal),
    }
}

/// Records `acts` in `b` as one batch: all of them, or none when one is refused or the
/// storage fails. Returns their journal entries.
pub fn record<B: Backend + ?Sized>(
    b: &mut B,
    acts: &[Act],
    clock: Clock,
    opts: &Options,
) -> Result<Vec<Entry>, RegisterError> {
    b.begin()?;
    match record_all(b, acts, clock, opts) {
        Ok(entries) => match b.commit() {
            Ok(()) => Ok(entries),
            Err(e) => {
                let _ = b.rollback();
                Err(e)
            }
        },
        Err(e) => {
            let _ = b.rollback();
            Err(e)
        }
    }
}

fn record_all<B: Backend + ?Sized>(
    b: &mut B,
    acts: &[Act],
    clock: Clock,
    opts: &Options,
) -> Result<Vec<Entry>, RegisterError> {
    let mut out = Vec::with_capacity(acts.len());
    for (i, act) in acts.iter().enumerate() {
        let head = b.head()?;
        let (seq, prev) = head.map_or((1, Hash::GENESIS), |h| (h.seq + 1, h.hash));
        let last = head.map(|h| h.recorded_at);
        let now = Timestamp::now();
        let t = match clock {
            // A clock set back by the system never records an act before the last one.
            Clock::Now => last.map_or(now, |l| l.max(now)),
            Clock::At(t) => {
                if let Some(l) = last.filter(|l| t < *l) {
                    return Err(refused(
                        i + 1,
                        act,
                        Refusal::new(
                            Reason::ClockBackwards,
                            format!("recorded at {t}, before the last act's time {l}"),
                        ),
                    ));
                }
                if t > now {
                    return Err(refused(
                        i + 1,
                        act,
                        Refusal::new(
                            Reason::ClockBackwards,
                            format!("recorded at {t}, which is in the future"),
                        ),
                    ));
                }
                t
            }
        };
        let entry = Entry::seal(seq, t, act.clone(), prev);
        apply(b, &entry, opts).map_err(|e| match e {
            Denied::Refused(r) => refused(i + 1, act, r),
            Denied::Failed(e) => e,
        })?;
        out.push(entry);
    }
    Ok(out)
}

/// Decides an already sealed entry and applies it: recording, and replaying a journal.
pub(crate) fn apply<B: Backend + ?Sized>(
    b: &mut B,
    entry: &Entry,
    opts: &Options,
) -> Result<(), Denied> {
    let changes = rules::decide(&*b, entry, opts)?;
    b.append(entry, &changes)?;
    Ok(())
}

/// Applies a recorded entry as it stands (its number, time and hash) to `b`, inside a batch
/// the caller began: copying a register, or replaying its journal. Refused when the rules
/// refuse it there, or when it does not follow `b`'s last entry.
pub fn replay<B: Backend + ?Sized>(
    b: &mut B,
    entry: &Entry,
    opts: &Options,
) -> Result<(), RegisterError> {
    let head = b.head()?;
    let (seq, prev) = head.map_or((1, Hash::GENESIS), |h| (h.seq + 1, h.hash));
    if entry.seq != seq || entry.prev != prev {
        return Err(RegisterError::Damaged {
            path: String::new(),
            what: format!("journal entry {}", entry.seq),
            detail: format!(
                "does not follow entry {} of the register it is copied into",
                seq - 1
            ),
        });
    }
    apply(b, entry, opts).map_err(|e| match e {
        Denied::Refused(r) => refused(entry.seq as usize, &entry.act, r),
        Denied::Failed(e) => e,
    })
}
