//! The 3D page of `strata serve` in a real browser: the real binary serves the demo's Wengcheng
//! register, and `tests/browser/page.mjs` drives the distribution's headless Chromium through
//! Playwright (Node.js) as an officer would: sign in, click a unit, post a tunnel, go back in
//! time, and look at the screenshots. `tools/test.sh` installs Chromium, Node.js and the npm
//! package (`npm ci` in tests/browser); without them this test fails, it never skips.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use strata::server::auth::token_hash;

const CHROMIUM: &str = "/usr/bin/chromium";
/// An officer's token: officers read, query and fetch certificates.
const TOKEN: &str = "officer-1-browser-token";
/// The metro transfer station (B2), under the other two underground units and the park.
const UNIT: &str = "110112003005GX00003W00000000";
/// What the tunnel of `tests/browser/tunnel-wengcheng.json` (a line along the station, 6 m
/// section, 5 m clearance) meets, and what lies within its clearance only.
const MET: &str = "110112003005GX00003W00000000";
const WITHIN_CLEARANCE: &str = "110112003005GX00001W00000000,110112003005GX00002W00000000";
/// Before the station's first registration (2025-03-20) the register held two units.
const PAST_DATE: &str = "2025-03-10";
const PAST_COUNT: &str = "2";
/// The planning rules (`data/rules/beijing-toolbox.toml`) on the park's plot: its registered
/// units pass every rule; a layer proposed under the park with 1 m of soil above it breaks the
/// rule of at least 2 m of planting soil.
const RULES_PLOT: &str = "VIII-09";
const RULES_PROPOSAL: &str = "box:474300,4419000,10,474320,4419020,19";
const RULES_STRATUM: &str = "under";
const RULES_BROKEN: &str = "green_underground.min_soil_m";
const RUN_LIMIT: Duration = Duration::from_secs(300);

/// The server, killed when the test ends, passed or not.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn require(present: bool, what: &str) {
    assert!(
        present,
        "{what} is missing: run the tests with `bash tools/test.sh`, which installs it"
    );
}

/// Starts `strata serve` on a free port and returns it with the base URL it prints.
fn serve(register: &Path, users: &Path, key: &Path, rules: &Path, log: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .arg("serve")
        .arg("--register")
        .arg(register)
        .args(["--addr", "127.0.0.1:0", "--users"])
        .arg(users)
        .arg("--seal-key")
        .arg(key)
        .arg("--rules")
        .arg(rules)
        .env_remove("STRATA_PAGE_DIR")
        .stdout(Stdio::piped())
        .stderr(File::create(log).unwrap())
        .spawn()
        .expect("strata serve starts");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    // Read its output on a thread, to the end, so that the pipe never fills.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx.recv_timeout(left).unwrap_or_else(|_| {
            panic!(
                "strata serve did not say where it listens: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            )
        });
        // serving REGISTER on http://127.0.0.1:PORT/api/ …
        if let Some(api) = line
            .split_whitespace()
            .find(|w| w.starts_with("http://") && w.ends_with("/api/"))
        {
            return (server, api.trim_end_matches("/api/").to_string());
        }
    }
}

#[test]
fn the_page_shows_the_register_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser = root.join("tests/browser");
    require(
        Path::new(CHROMIUM).is_file(),
        "Chromium (/usr/bin/chromium)",
    );
    require(
        Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "Node.js (node)",
    );
    require(
        browser.join("node_modules/playwright-core").is_dir(),
        "tests/browser/node_modules (playwright-core)",
    );

    let dir = tempfile::tempdir().unwrap();
    let demo = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["demo", "--data"])
        .arg(root.join("data"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "strata demo failed: {}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let users = dir.path().join("users.json");
    let list = serde_json::json!({"users": [
        {"name": "officer-1", "role": "officer", "token_sha256": token_hash(TOKEN)}
    ]});
    std::fs::write(&users, list.to_string()).unwrap();
    // The office's key: the service then issues certificates, and the page links them.
    let key = dir.path().join("office.key");
    let keygen = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["cert", "keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(keygen.status.success(), "strata cert keygen failed");
    let log = dir.path().join("serve.log");
    let (server, url) = serve(
        &dir.path().join("register-tongzhou.gpkg"),
        &users,
        &key,
        &root.join("data/rules/beijing-toolbox.toml"),
        &log,
    );

    // The screenshots stay where they can be looked at after the run.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let mut node = Command::new("node")
        .arg(browser.join("page.mjs"))
        .args(["--url", &url, "--token", TOKEN, "--unit", UNIT, "--tunnel"])
        .arg(browser.join("tunnel-wengcheng.json"))
        .args(["--expect", MET, "--expect-clearance", WITHIN_CLEARANCE])
        .args(["--past-date", PAST_DATE, "--past-count", PAST_COUNT])
        .args(["--rules-plot", RULES_PLOT, "--rules-stratum", RULES_STRATUM])
        .args(["--rules-proposal", RULES_PROPOSAL])
        .args(["--rules-broken", RULES_BROKEN])
        .arg("--chromium")
        .arg(CHROMIUM)
        .arg("--out")
        .arg(&shots)
        .stdout(File::create(dir.path().join("page.out")).unwrap())
        .stderr(File::create(dir.path().join("page.err")).unwrap())
        .spawn()
        .expect("node runs tests/browser/page.mjs");
    let deadline = Instant::now() + RUN_LIMIT;
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = node.kill();
            let _ = node.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(server);
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    let report = format!(
        "{}{}\n-- strata serve:\n{}\n-- screenshots in {}",
        read("page.out"),
        read("page.err"),
        read("serve.log"),
        shots.display()
    );
    let status = status.unwrap_or_else(|| panic!("page.mjs ran over {RUN_LIMIT:?}:\n{report}"));
    assert!(status.success(), "the page's checks failed:\n{report}");
    println!("{report}");
    for shot in ["page.png", "tunnel.png"] {
        assert!(shots.join(shot).is_file(), "no {shot}:\n{report}");
    }
}
