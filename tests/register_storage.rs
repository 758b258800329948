//! The GeoPackage register under damage and misuse: tampered rows are found and named, a
//! file that is not a register, a newer schema, a read-only file and a full disk give clear
//! errors and lose nothing; two writers at once and kill -9 in the middle of a batch leave
//! every act wholly in or wholly out.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use rusqlite::Connection;
use strata::register::act::ActBody;
use strata::register::rules::Options;
use strata::register::{Act, Clock, RegisterError, Settings, SqliteRegister, View, record, verify};
use support::register::*;

fn new_register(dir: &Path) -> (PathBuf, SqliteRegister) {
    let path = dir.join("r.gpkg");
    let mut reg = SqliteRegister::create(&path, Settings::default()).unwrap();
    registered(&mut reg);
    (path, reg)
}

fn sql(path: &Path, statement: &str) {
    let c = Connection::open(path).unwrap();
    c.execute_batch(statement).unwrap();
}

fn problems(path: &Path) -> Vec<String> {
    let reg = SqliteRegister::open_read_only(path).unwrap();
    verify(&reg, &Options::default()).unwrap().problems
}

#[test]
fn a_tampered_version_is_found_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    drop(reg);
    assert!(problems(&path).is_empty());
    sql(
        &path,
        "UPDATE strata_version SET body = replace(body, '地下公共设施', '地下商业设施')
         WHERE kind = 'right'",
    );
    let p = problems(&path);
    assert!(
        p.iter()
            .any(|m| m.contains("right") && m.contains(&code(1)) && m.contains("replay")),
        "{p:?}"
    );
}

#[test]
fn a_tampered_journal_entry_is_found_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    drop(reg);
    sql(
        &path,
        "UPDATE strata_journal SET body = CAST(replace(CAST(body AS TEXT), '登簿人', '他人') AS BLOB)
         WHERE seq = 3",
    );
    let p = problems(&path);
    assert!(p.iter().any(|m| m.contains("journal entry 3")), "{p:?}");
    // A removed entry breaks the chain.
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    drop(reg);
    sql(&path, "DELETE FROM strata_journal WHERE seq = 2");
    let p = problems(&path);
    assert!(p.iter().any(|m| m.contains("entry 2")), "{p:?}");
    // A version's lifespan moved.
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    drop(reg);
    sql(
        &path,
        "UPDATE strata_version SET end_seq = end_seq + 1
         WHERE id = (SELECT min(id) FROM strata_version WHERE end_seq IS NOT NULL)",
    );
    let p = problems(&path);
    assert!(p.iter().any(|m| m.contains("ended")), "{p:?}");
}

#[test]
fn a_file_that_is_not_a_register_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.gpkg");
    std::fs::write(&junk, b"this is not a database, only text in a file.....").unwrap();
    let e = SqliteRegister::open(&junk).unwrap_err();
    assert!(matches!(e, RegisterError::NotARegister { .. }), "{e}");
    assert!(e.to_string().contains("junk.gpkg"));
    let plain = dir.path().join("plain.sqlite");
    sql(&plain, "CREATE TABLE t (x)");
    let e = SqliteRegister::open(&plain).unwrap_err();
    assert!(matches!(e, RegisterError::NotARegister { .. }), "{e}");
    let e = SqliteRegister::open(&dir.path().join("missing.gpkg")).unwrap_err();
    assert!(matches!(e, RegisterError::NotARegister { .. }), "{e}");
    // Creating over an existing file is refused and the file kept.
    let e = SqliteRegister::create(&junk, Settings::default()).unwrap_err();
    assert!(matches!(e, RegisterError::Exists { .. }));
    assert!(std::fs::read(&junk).unwrap().starts_with(b"this is not"));
}

#[test]
fn a_newer_schema_is_refused_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    drop(reg);
    sql(
        &path,
        "UPDATE strata_meta SET value = '99' WHERE key = 'schema_version'",
    );
    let e = SqliteRegister::open(&path).unwrap_err();
    assert!(
        matches!(e, RegisterError::NewerSchema { found: 99, .. }),
        "{e}"
    );
}

fn file_digest(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_read_only_file_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    drop(reg);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let before = file_digest(&path);
    let mut reg = SqliteRegister::open(&path).unwrap();
    let r = rec(&mut reg, vec![act("R1", precode_body(1))]);
    assert!(matches!(r, Err(RegisterError::ReadOnly { .. })), "{r:?}");
    drop(reg);
    assert_eq!(file_digest(&path), before);
    assert!(problems(&path).is_empty());
}

fn precode_body(count: u32) -> ActBody {
    ActBody::PreCode {
        prefix: PREFIX.into(),
        count,
        plot: None,
        names: vec![],
        predecessors: vec![],
    }
}

#[test]
fn a_full_disk_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    let pages: i64 = {
        let c = Connection::open(&path).unwrap();
        c.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap()
    };
    reg.limit_pages(pages as u64 + 2).unwrap();
    let mut reg = reg;
    let head = reg.head().unwrap();
    let batch: Vec<Act> = (0..2000)
        .map(|i| act(&format!("F{i}"), precode_body(1)))
        .collect();
    let r = record(&mut reg, &batch, Clock::Now, &Options::default());
    assert!(matches!(r, Err(RegisterError::Full { .. })), "{r:?}");
    assert_eq!(reg.head().unwrap(), head);
    drop(reg);
    assert!(problems(&path).is_empty());
}

fn strata() -> Command {
    Command::new(env!("CARGO_BIN_EXE_strata"))
}

/// A batch of `n` pre-coding acts numbered `<tag>-i`, as a JSON file.
fn batch_file(dir: &Path, tag: &str, n: usize) -> PathBuf {
    let acts: Vec<Act> = (0..n)
        .map(|i| act(&format!("{tag}-{i}"), precode_body(1)))
        .collect();
    let p = dir.join(format!("{tag}.json"));
    std::fs::write(&p, serde_json::to_vec(&acts).unwrap()).unwrap();
    p
}

fn acts_in(path: &Path) -> u64 {
    SqliteRegister::open_read_only(path)
        .unwrap()
        .head()
        .unwrap()
        .map_or(0, |h| h.seq)
}

#[test]
fn two_writers_at_once_wait_for_each_other_or_say_busy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    drop(reg);
    let a = batch_file(dir.path(), "a", 3000);
    let b = batch_file(dir.path(), "b", 3000);
    let spawn = |f: &Path| {
        strata()
            .args(["register", "act"])
            .arg(&path)
            .arg("--file")
            .arg(f)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (pa, pb) = (spawn(&a), spawn(&b));
    let (oa, ob) = (
        pa.wait_with_output().unwrap(),
        pb.wait_with_output().unwrap(),
    );
    let mut recorded = 4;
    for o in [&oa, &ob] {
        if o.status.success() {
            recorded += 3000;
        } else {
            let msg = String::from_utf8_lossy(&o.stderr);
            assert!(msg.contains("busy"), "{msg}");
        }
    }
    assert!(oa.status.success() || ob.status.success());
    assert_eq!(acts_in(&path), recorded);
    assert!(problems(&path).is_empty());
}

#[test]
fn kill_9_during_a_batch_leaves_it_wholly_in_or_wholly_out() {
    const TRIALS: usize = 100;
    const ACTS: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let (path, reg) = new_register(dir.path());
    drop(reg);
    let base = acts_in(&path);
    // How long one batch takes here, to kill at moments spread over it.
    let probe_dir = tempfile::tempdir().unwrap();
    let (probe, r) = new_register(probe_dir.path());
    drop(r);
    let file = batch_file(dir.path(), "k", ACTS);
    let t = Instant::now();
    let ok = strata()
        .args(["register", "act"])
        .arg(&probe)
        .arg("--file")
        .arg(&file)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let full = t.elapsed();
    let mut committed = 0;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for trial in 0..TRIALS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let at = full.mul_f64((seed % 1000) as f64 / 1000.0 * 1.2);
        let tag = format!("k{trial}");
        let f = batch_file(dir.path(), &tag, ACTS);
        let mut child = strata()
            .args(["register", "act"])
            .arg(&path)
            .arg("--file")
            .arg(&f)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let n = acts_in(&path);
        let expected_in = base + (committed + 1) * ACTS as u64;
        let expected_out = base + committed * ACTS as u64;
        assert!(
            n == expected_in || n == expected_out,
            "trial {trial}: {n} acts after kill at {at:?} ({status})"
        );
        if n == expected_in {
            committed += 1;
        }
        std::fs::remove_file(&f).unwrap();
        if trial % 10 == 9 || trial == TRIALS - 1 {
            let p = problems(&path);
            assert!(p.is_empty(), "trial {trial}: {p:?}");
        }
    }
    // Between the extremes, some batches were cut and some completed.
    assert!(
        committed < TRIALS as u64,
        "every batch finished before its kill"
    );
}
