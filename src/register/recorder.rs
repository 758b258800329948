//! Recording acts: each is sealed into the journal with its time, decided by the rules, and
//! applied with its changes; a batch is recorded whole or not at all.

use jiff::Timestamp;

use super::act::Act;
use super::backend::{Backend, Decided, Head, View};
use super::error::{Reason, Refusal, RegisterError};
use super::journal::{Entry, Hash};
use super::memory::MemoryRegister;
use super::overlay::Overlay;
use super::record::Seq;
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

/// Below this many acts a batch is decided and written on one thread: a second reader costs
/// more to open than the overlap saves.
const PIPELINE_MIN_ACTS: usize = 64;

/// Decided acts the rules may run ahead of the storage: enough to keep both busy, few enough
/// that a refused act stops the batch soon.
const PIPELINE_DEPTH: usize = 1024;

/// Where the rules hand each decided act.
type Sink<'s> = dyn FnMut(Decided) -> Result<(), RegisterError> + 's;

/// The batch's acts so far over the storage's state, as the rules read it.
type Batch<'v> = Overlay<'v, dyn View + 'v>;

/// An act as recording it left it in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Its place in the journal.
    pub seq: Seq,
    /// Its business number (业务号).
    pub number: String,
    /// What act it is (首次登记, 抵押登记, …).
    pub name: &'static str,
    /// The unit it is about.
    pub unit: Option<String>,
    /// When it was recorded (登记时间).
    pub recorded_at: Timestamp,
    /// Its hash.
    pub hash: Hash,
}

impl Recorded {
    fn of(e: &Entry) -> Recorded {
        Recorded {
            seq: e.seq,
            number: e.act.number.clone(),
            name: e.act.body.name_zh(),
            unit: e.act.body.unit().map(str::to_string),
            recorded_at: e.recorded_at,
            hash: e.hash,
        }
    }
}

/// Records `acts` in `b` as one batch: all of them, or none when one is refused or the
/// storage fails. Returns where each was recorded.
///
/// The acts are decided one after the other over the state the acts before them leave (the
/// storage's state with the batch's acts so far held in memory), inside the storage's
/// transaction begun before the first decision: two officers' batches are decided and written
/// one after the other. A large batch is decided on a second thread, over a second reader of
/// the storage, while the storage writes the acts already decided.
pub fn record<B: Backend + ?Sized>(
    b: &mut B,
    acts: &[Act],
    clock: Clock,
    opts: &Options,
) -> Result<Vec<Recorded>, RegisterError> {
    in_batch(b, acts.len(), |o, sink| {
        decide_all(o, acts, clock, opts, sink)
    })
}

/// Runs `decide` over the storage's state inside a transaction, writes what it decides and
/// commits; forgets all of it on any error.
fn in_batch<B, F>(b: &mut B, acts: usize, decide: F) -> Result<Vec<Recorded>, RegisterError>
where
    B: Backend + ?Sized,
    F: FnOnce(&mut Batch, &mut Sink) -> Result<(), RegisterError> + Send,
{
    b.begin()?;
    let done = decide_and_write(b, acts, decide).and_then(|entries| {
        b.commit()?;
        Ok(entries)
    });
    if done.is_err() {
        let _ = b.rollback();
    }
    done
}

fn decide_and_write<B, F>(b: &mut B, acts: usize, decide: F) -> Result<Vec<Recorded>, RegisterError>
where
    B: Backend + ?Sized,
    F: FnOnce(&mut Batch, &mut Sink) -> Result<(), RegisterError> + Send,
{
    let reader = if acts >= PIPELINE_MIN_ACTS {
        b.reader()?
    } else {
        None
    };
    let layers = b.keeps_layers();
    let mut entries = Vec::with_capacity(acts);
    let Some(reader) = reader else {
        let mut decided = Vec::new();
        let view: &dyn View = &&*b;
        decide(&mut Overlay::new(view, acts, layers), &mut |d| {
            decided.push(d);
            Ok(())
        })?;
        for d in decided {
            b.write(&d)?;
            entries.push(Recorded::of(&d.entry));
        }
        return Ok(entries);
    };
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Decided>(PIPELINE_DEPTH);
        let rules = s.spawn(move || {
            decide(&mut Overlay::new(&*reader, acts, layers), &mut |d| {
                // The storage stopped on an error of its own, which is the one reported.
                tx.send(d).map_err(|_| RegisterError::Storage {
                    path: String::new(),
                    detail: "the storage stopped writing the batch".into(),
                })
            })
        });
        let mut written = Ok(());
        for d in rx.iter() {
            if let Err(e) = b.write(&d) {
                written = Err(e);
                break;
            }
            entries.push(Recorded::of(&d.entry));
        }
        drop(rx);
        let decided = rules
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        written.and(decided).map(|()| entries)
    })
}

/// The place and the previous hash of the act after `head`.
fn next(head: Option<Head>) -> (Seq, Hash) {
    head.map_or((1, Hash::GENESIS), |h| (h.seq + 1, h.hash))
}

fn decide_all(
    o: &mut Batch,
    acts: &[Act],
    clock: Clock,
    opts: &Options,
    sink: &mut Sink,
) -> Result<(), RegisterError> {
    for (i, act) in acts.iter().enumerate() {
        let head = o.head()?;
        let (seq, prev) = next(head);
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
        let changes = rules::decide(&*o, &entry, opts).map_err(|e| match e {
            Denied::Refused(r) => refused(i + 1, act, r),
            Denied::Failed(e) => e,
        })?;
        sink(o.apply(entry, changes)?)?;
    }
    Ok(())
}

/// Decides an already sealed entry and applies it to a register in memory: replaying a
/// journal to verify it.
pub(crate) fn apply(mem: &mut MemoryRegister, entry: &Entry, opts: &Options) -> Result<(), Denied> {
    let changes = rules::decide(&*mem, entry, opts)?;
    mem.take(entry, changes);
    Ok(())
}

/// Records `entries` as they stand (their numbers, times and hashes) in `b`, as one batch:
/// copying a register. Refused when the rules refuse one there, or when the first does not
/// follow `b`'s last entry.
pub fn replay<B: Backend + ?Sized>(
    b: &mut B,
    entries: &[Entry],
    opts: &Options,
) -> Result<(), RegisterError> {
    in_batch(b, entries.len(), |o, sink| {
        for entry in entries {
            let (seq, prev) = next(o.head()?);
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
            let changes = rules::decide(&*o, entry, opts).map_err(|e| match e {
                Denied::Refused(r) => refused(entry.seq as usize, &entry.act, r),
                Denied::Failed(e) => e,
            })?;
            sink(o.apply(entry.clone(), changes)?)?;
        }
        Ok(())
    })?;
    Ok(())
}
