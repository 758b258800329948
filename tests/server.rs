//! The service's API through its router (no network): every endpoint answers its roles and
//! refuses the others, the answers agree with the register, and errors are JSON.

mod support;

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use strata::register::Surveyed;
use strata::register::act::ActBody;
use strata::register::record::PlotRecord;
use strata::register::{Settings, SqliteRegister};
use strata::server::auth::token_hash;
use strata::server::{OPENAPI, Service, Users, router};
use support::register::*;
use tower::ServiceExt;

const ROLES: [&str; 5] = ["public", "planner", "surveyor", "officer", "admin"];

fn users() -> Users {
    let list: Vec<Value> = ROLES[1..]
        .iter()
        .map(|r| json!({"name": format!("{r}-user"), "role": r, "token_sha256": token_hash(&format!("{r}-token"))}))
        .collect();
    Users::parse(&json!({ "users": list }).to_string()).unwrap()
}

fn service(dir: &Path) -> Arc<Service> {
    let path = dir.join("r.gpkg");
    let mut reg = SqliteRegister::create(&path, Settings::default()).unwrap();
    registered(&mut reg);
    drop(reg);
    let seal = strata::export::certificate::seal::Ed25519Seal::from_secret([42; 32]);
    let rules = strata::checks::planning::Rules::parse(
        "[green_underground]\nmax_share = 0.30\nmin_soil_m = 2.0\n",
    )
    .unwrap();
    Arc::new(
        Service::new(path.to_str().unwrap(), users())
            .unwrap()
            .with_seal(seal)
            .with_rules(rules)
            .with_pending(dir.join("pending")),
    )
}

/// A request as `role` (with its token; none for the public): the status, the content type
/// and the body.
async fn call_raw(
    svc: &Arc<Service>,
    role: &str,
    method: Method,
    uri: &str,
    body: Option<Body>,
) -> (StatusCode, String, Vec<u8>) {
    let mut req = Request::builder().method(method).uri(uri);
    if role != "public" {
        req = req.header("authorization", format!("Bearer {role}-token"));
    }
    let resp = router(svc.clone())
        .oneshot(req.body(body.unwrap_or_else(Body::empty)).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let kind = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, kind, bytes)
}

/// A request with a JSON body (or none); the answer as JSON, or for a document its content
/// type and size.
async fn call(
    svc: &Arc<Service>,
    role: &str,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let body = body.map(|b| Body::from(b.to_string()));
    let (status, kind, bytes) = call_raw(svc, role, method, uri, body).await;
    if status == StatusCode::OK && !kind.starts_with("application/json") {
        return (status, json!({"document": kind, "bytes": bytes.len()}));
    }
    let v = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        panic!(
            "{uri}: the answer is not JSON: {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    (status, v)
}

fn units_uri() -> &'static str {
    "/api/units?bbox=-10,-10,200,200"
}

fn query_body() -> Value {
    json!({"volume": "box:40,40,15,60,60,25"})
}

/// A mortgage-free, harmless act for the write endpoint: a plot.
fn plot_act(number: &str) -> Value {
    let mut a = serde_json::to_value(act(number, ActBody::Plot { plot: plot(number) })).unwrap();
    a["officer"] = json!("");
    a
}

#[tokio::test]
async fn every_role_gets_what_it_may_and_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let code1 = code(1);
    // (endpoint, who may)
    let cases: Vec<(Method, String, Option<Value>, &[&str])> = vec![
        (Method::GET, "/api/health".into(), None, &ROLES),
        (Method::GET, "/api/openapi.json".into(), None, &ROLES),
        (Method::GET, "/api/verify?qr=x".into(), None, &ROLES),
        (
            Method::POST,
            "/api/rules".into(),
            Some(json!({"plot": "P"})),
            &["planner", "officer", "admin"],
        ),
        (
            Method::GET,
            units_uri().into(),
            None,
            &["planner", "surveyor", "officer", "admin"],
        ),
        (
            Method::GET,
            format!("/api/units/{code1}"),
            None,
            &["planner", "surveyor", "officer", "admin"],
        ),
        (
            Method::POST,
            "/api/query".into(),
            Some(query_body()),
            &["planner", "officer", "admin"],
        ),
        (
            Method::GET,
            "/api/register".into(),
            None,
            &["planner", "surveyor", "officer", "admin"],
        ),
        (
            Method::GET,
            format!("/api/units/{code1}/map.svg"),
            None,
            &["planner", "surveyor", "officer", "admin"],
        ),
        (
            Method::GET,
            format!("/api/units/{code1}/page.pdf"),
            None,
            &["planner", "surveyor", "officer", "admin"],
        ),
        (
            Method::GET,
            format!("/api/units/{code1}/certificate.pdf"),
            None,
            &["officer", "admin"],
        ),
        (
            Method::GET,
            "/api/submissions".into(),
            None,
            &["surveyor", "officer", "admin"],
        ),
    ];
    for (m, uri, body, allowed) in &cases {
        for role in ROLES {
            let (status, v) = call(&svc, role, m.clone(), uri, body.clone()).await;
            if allowed.contains(&role) {
                assert_eq!(status, StatusCode::OK, "{role} {m} {uri}: {v}");
            } else {
                let want = if role == "public" {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(status, want, "{role} {m} {uri}: {v}");
                assert!(v["error"].is_string() && v["message"].is_string(), "{v}");
            }
        }
    }
    // Writes: each refused role leaves the journal as it was; each allowed one adds its act.
    for (i, role) in ROLES.iter().enumerate() {
        let number = format!("W{i}");
        let (status, v) = call(
            &svc,
            role,
            Method::POST,
            "/api/acts",
            Some(plot_act(&number)),
        )
        .await;
        if ["officer", "admin"].contains(role) {
            assert_eq!(status, StatusCode::OK, "{role}: {v}");
            assert_eq!(v["recorded"][0]["number"], json!(number));
            assert_eq!(v["recorded"][0]["officer"], json!(format!("{role}-user")));
            assert_eq!(v["recorded"][0]["hash"].as_str().unwrap().len(), 64);
        } else {
            assert!(
                matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                "{role}: {v}"
            );
        }
    }
    let reg = SqliteRegister::open_read_only(&dir.path().join("r.gpkg")).unwrap();
    // 4 acts of the scenario, then the officer's and the admin's.
    assert_eq!(reg.len().unwrap(), 6);
}

#[tokio::test]
async fn an_unknown_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let (status, v) = call(&svc, "nobody", Method::GET, units_uri(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{v}");
    assert_eq!(v["message"], json!("unknown token"));
}

#[tokio::test]
async fn units_pages_and_query_agree_with_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let (_, v) = call(&svc, "planner", Method::GET, units_uri(), None).await;
    assert_eq!(v["total"], json!(1));
    assert_eq!(v["units"][0]["code"], json!(code(1)));
    assert_eq!(v["units"][0]["z_range"], json!([10.0, 19.0]));
    assert_eq!(v["units"][0]["volume_m3"], json!(50.0 * 50.0 * 9.0));
    // A box beside the unit, and a height range above it, find nothing.
    let (_, v) = call(
        &svc,
        "planner",
        Method::GET,
        "/api/units?bbox=60,60,90,90",
        None,
    )
    .await;
    assert_eq!(v["total"], json!(0));
    let (_, v) = call(
        &svc,
        "planner",
        Method::GET,
        "/api/units?bbox=0,0,90,90&z=19.5,30",
        None,
    )
    .await;
    assert_eq!(v["total"], json!(0));
    // By plot: every live unit of its column, the pre-coded ones too; paged in code order.
    let (_, v) = call(
        &svc,
        "planner",
        Method::GET,
        "/api/units?plot=P&stratum=under&limit=2&offset=1",
        None,
    )
    .await;
    assert_eq!(v["total"], json!(3), "{v}");
    assert_eq!(v["units"][0]["code"], json!(code(2)), "{v}");
    assert_eq!(v["units"][0]["status"], json!("pre_coded"), "{v}");
    assert_eq!(v["units"].as_array().unwrap().len(), 2, "{v}");
    let (_, v) = call(
        &svc,
        "planner",
        Method::GET,
        "/api/units?plot=P&stratum=above",
        None,
    )
    .await;
    assert_eq!(v["total"], json!(0), "{v}");
    // The page.
    let (status, v) = call(
        &svc,
        "planner",
        Method::GET,
        &format!("/api/units/{}", code(1)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Pre-coded, supplied, first registered.
    let acts: Vec<&str> = v["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["act"].as_str().unwrap())
        .collect();
    assert_eq!(acts, ["pre_code", "supply", "first_registration"], "{v}");
    assert_eq!(v["unit"]["status"], json!("registered"));
    let (status, _) = call(
        &svc,
        "planner",
        Method::GET,
        &format!("/api/units/{}?as_of=2000-01-01", code(1)),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The shared volume of the box 40..60 × 40..60 × 15..25 with 0..50 × 0..50 × 10..19:
    // 10 × 10 × 4 = 400 m³, by hand.
    let (_, v) = call(
        &svc,
        "planner",
        Method::POST,
        "/api/query",
        Some(query_body()),
    )
    .await;
    assert_eq!(v["met"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["met"][0]["unit"], json!(code(1)));
    assert_eq!(v["met"][0]["overlap_volume_m3"], json!(400.0));
    assert_eq!(v["met"][0]["holders"], json!([COMPANY]));
    // Touching is not meeting: a box on the unit's top face.
    let touching = json!({"volume": "box:0,0,19,50,50,25"});
    let (_, v) = call(&svc, "planner", Method::POST, "/api/query", Some(touching)).await;
    assert_eq!(v["met"], json!([]), "{v}");
}

#[tokio::test]
async fn bad_requests_are_json_errors_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let cases = [
        (Method::GET, "/api/units".to_string(), None, "`bbox`"),
        (Method::GET, "/api/units?bbox=1,2,3".into(), None, "`bbox`"),
        (
            Method::GET,
            "/api/units?bbox=0,0,1,1&stratum=sky".into(),
            None,
            "`stratum`",
        ),
        (
            Method::GET,
            format!("/api/units/{}?as_of=yesterday", code(1)),
            None,
            "`as_of`",
        ),
        (
            Method::POST,
            "/api/query".into(),
            Some(json!({"volume": "box:1,2,3"})),
            "`volume`",
        ),
        (
            Method::POST,
            "/api/query".into(),
            Some(json!({"shape": 1})),
            "the request body",
        ),
        (
            Method::GET,
            "/api/units?bbox=0,0,1,1&limit=many".into(),
            None,
            "limit",
        ),
        (
            Method::GET,
            "/api/units?bbox=0,0,1,1&colour=red".into(),
            None,
            "colour",
        ),
        (Method::GET, "/api/verify".into(), None, "qr"),
    ];
    for (m, uri, body, says) in cases {
        // The public is refused before anything of the request is read.
        if uri != "/api/verify" {
            let (status, v) = call(&svc, "public", m.clone(), &uri, body.clone()).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}: {v}");
        }
        let (status, v) = call(&svc, "admin", m, &uri, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert!(v["message"].as_str().unwrap().contains(says), "{uri}: {v}");
    }
    let (status, v) = call(&svc, "admin", Method::GET, "/api/nothing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
}

#[tokio::test]
async fn a_refused_act_says_why_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    // A second unit overlapping GX00001 (pre-coded as GX00002, supplied, then registered).
    let mut supply = serde_json::to_value(act(
        "B1",
        ActBody::Supply {
            unit: code(2),
            terms: allocation(10.0, 20.0),
        },
    ))
    .unwrap();
    supply["officer"] = json!("officer-user");
    let mut first = serde_json::to_value(act(
        "B2",
        ActBody::FirstRegistration {
            unit: code(2),
            surveyed: surveyed(boxed(40.0, 40.0, 10.0, 90.0, 90.0, 19.0)),
            supply: None,
        },
    ))
    .unwrap();
    first["officer"] = json!("officer-user");
    let (status, v) = call(
        &svc,
        "officer",
        Method::POST,
        "/api/acts",
        Some(json!([supply, first])),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"], json!("refused"));
    assert_eq!(v["detail"]["index"], json!(2));
    assert!(v["message"].as_str().unwrap().contains(&code(1)), "{v}");
    // All or nothing: the supply before it is not recorded either.
    let reg = SqliteRegister::open_read_only(&dir.path().join("r.gpkg")).unwrap();
    assert_eq!(reg.len().unwrap(), 4);
    // An officer cannot record in another's name.
    let mut other = plot_act("C1");
    other["officer"] = json!("someone-else");
    let (status, v) = call(&svc, "officer", Method::POST, "/api/acts", Some(other)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let huge = "x".repeat(strata::server::MAX_BODY_BYTES + 1);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/query")
        .header("authorization", "Bearer planner-token")
        .body(Body::from(huge))
        .unwrap();
    let resp = router(svc.clone()).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["error"], json!("too_large"), "{v}");
    // The framework's own refusals are JSON too.
    let (status, v) = call(&svc, "planner", Method::GET, "/api/query", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{v}");
    assert_eq!(v["error"], json!("method_not_allowed"), "{v}");
}

#[test]
fn the_openapi_description_names_every_route() {
    let doc: Value = serde_json::from_str(OPENAPI).unwrap();
    assert_eq!(doc["openapi"], json!("3.1.0"));
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let src = include_str!("../src/server/api/mod.rs");
    let routes: Vec<&str> = src
        .match_indices(".route(")
        .map(|(i, _)| {
            let rest = &src[i + 7..];
            let rest = &rest[rest.find('"').unwrap() + 1..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert!(!routes.is_empty());
    let (mut a, mut b) = (paths.clone(), routes.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b, "the description and the router name other paths");
}

/// `strata serve` on a real socket: answers, then stops on SIGTERM with status 0.
#[cfg(unix)]
#[test]
fn the_command_serves_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.gpkg");
    let mut reg = SqliteRegister::create(&path, Settings::default()).unwrap();
    registered(&mut reg);
    drop(reg);
    let mut child = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args([
            "serve",
            "--register",
            path.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#"{"status":"ok"}"#), "{answer}");
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn a_tunnel_meets_rights_and_the_clearance_finds_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    // A second registered unit east of GX00001, 60..90 × 0..50 × 10..19, through the API.
    let mut supply = serde_json::to_value(act(
        "B1",
        ActBody::Supply {
            unit: code(2),
            terms: allocation(10.0, 20.0),
        },
    ))
    .unwrap();
    supply["officer"] = json!("");
    let mut first = serde_json::to_value(act(
        "B2",
        ActBody::FirstRegistration {
            unit: code(2),
            surveyed: surveyed(boxed(60.0, 0.0, 10.0, 90.0, 50.0, 19.0)),
            supply: None,
        },
    ))
    .unwrap();
    first["officer"] = json!("");
    let (status, v) = call(
        &svc,
        "officer",
        Method::POST,
        "/api/acts",
        Some(json!([supply, first])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // A 4 m × 2 m passage at 15 m along y = 25, from x = -20 to x = 45: it cuts 45 m of
    // GX00001 (4 × 2 × 45 = 360 m³, by hand) and stops 15 m short of GX00002.
    let tunnel = |clearance: f64| {
        json!({"tunnel": {"centreline": [[-20.0, 25.0, 15.0], [45.0, 25.0, 15.0]],
               "section": {"rectangle": {"width": 4.0, "height": 2.0}}, "clearance": clearance}})
    };
    let (status, v) = call(
        &svc,
        "planner",
        Method::POST,
        "/api/query",
        Some(tunnel(0.0)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["met"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["met"][0]["unit"], json!(code(1)));
    assert_eq!(v["met"][0]["overlap_volume_m3"], json!(360.0));
    // The shared volume lies 14–16 m; the plot's ground is at 20 m: 4 m below it.
    assert_eq!(v["met"][0]["shared_z_range"], json!([14.0, 16.0]));
    assert_eq!(v["met"][0]["depth_below_ground_m"], json!(4.0));
    assert_eq!(v["volume_m3"], json!(4.0 * 2.0 * 65.0));
    assert!(v.get("within_clearance").is_none());
    // 10 m of clearance does not reach it; 20 m does (the envelope ends 20 m past x = 45).
    let (_, v) = call(
        &svc,
        "planner",
        Method::POST,
        "/api/query",
        Some(tunnel(10.0)),
    )
    .await;
    assert_eq!(v["within_clearance"], json!([]), "{v}");
    let (_, v) = call(
        &svc,
        "planner",
        Method::POST,
        "/api/query",
        Some(tunnel(20.0)),
    )
    .await;
    assert_eq!(v["within_clearance"][0]["unit"], json!(code(2)), "{v}");
    assert_eq!(v["met"].as_array().unwrap().len(), 1, "{v}");
    // A round tunnel, turning, through both.
    let round = json!({"tunnel": {"centreline": [[-10.0, 10.0, 14.0], [45.0, 10.0, 14.0], [100.0, 40.0, 14.0]],
                      "section": {"circle": {"radius": 1.5}}}});
    let (status, v) = call(&svc, "planner", Method::POST, "/api/query", Some(round)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let units: Vec<&str> = v["met"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["unit"].as_str().unwrap())
        .collect();
    assert_eq!(units.len(), 2, "{v}");
    // Bad tunnels are refused naming the field.
    for bad in [
        json!({"tunnel": {"centreline": [[0.0, 0.0, 0.0]], "section": {"circle": {"radius": 1.0}}}}),
        json!({"tunnel": {"centreline": [[0.0, 0.0, 0.0], [9.0, 0.0, 0.0], [0.0, 1.0, 0.0]], "section": {"circle": {"radius": 1.0}}}}),
        json!({"tunnel": {"centreline": [[0.0, 0.0, 0.0], [9.0, 0.0, 0.0]], "section": {"circle": {"radius": 0.0}}}}),
        json!({"tunnel": {"centreline": [[0.0, 0.0, 0.0], [9.0, 0.0, 0.0]], "section": {"circle": {"radius": 1.0}}, "clearance": -1.0}}),
        json!({"volume": "box:0,0,0,1,1,1", "tunnel": {"centreline": [], "section": {"circle": {"radius": 1.0}}}}),
    ] {
        let (status, v) = call(
            &svc,
            "planner",
            Method::POST,
            "/api/query",
            Some(bad.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
        let m = v["message"].as_str().unwrap();
        assert!(m.contains("`tunnel") || m.contains("one of"), "{bad}: {v}");
    }
}

#[tokio::test]
async fn anyone_verifies_a_certificate_by_its_qr_code() {
    use strata::export::certificate::record;
    use strata::export::certificate::seal::Ed25519Seal;
    use strata::export::sheet::ParcelMap;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.gpkg");
    let mut reg = SqliteRegister::create(&path, Settings::default()).unwrap();
    registered(&mut reg);
    let seal = Ed25519Seal::from_secret([42; 32]);
    let map = ParcelMap::read(&reg, &code(1), &[]).unwrap();
    let qr = record::read(&reg, &map, "测试区不动产登记中心")
        .unwrap()
        .short_form(&seal, "https://example.org/verify");
    drop(reg);
    let plain = Arc::new(Service::new(path.to_str().unwrap(), users()).unwrap());
    let svc = Arc::new(
        Service::new(path.to_str().unwrap(), users())
            .unwrap()
            .with_verifier(seal.public()),
    );
    let uri = |qr: &str| {
        let enc: String = qr
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        format!("/api/verify?qr={enc}")
    };
    let (status, v) = call(&svc, "public", Method::GET, &uri(&qr), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], json!(true), "{v}");
    assert_eq!(v["unit"], json!(code(1)));
    // One character of the seal changed: not genuine.
    let mut forged = qr.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let (status, v) = call(&svc, "public", Method::GET, &uri(&forged), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], json!(false), "{v}");
    assert!(v["reason"].is_string());
    // A service without the key says so.
    let (status, v) = call(&plain, "public", Method::GET, &uri(&qr), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{v}");
}

/// Two officers registering overlapping layers at the same moment on the PostgreSQL
/// register: exactly one succeeds, the other is refused with the conflict.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officers_at_once_on_postgres_one_wins() {
    let svc = tokio::task::spawn_blocking(|| {
        let (mut reg, schema) = postgres_register("serve");
        registered(&mut reg);
        // GX00002 and GX00003 supplied, not yet registered.
        rec(
            &mut reg,
            vec![
                act(
                    "S2",
                    ActBody::Supply {
                        unit: code(2),
                        terms: allocation(10.0, 20.0),
                    },
                ),
                act(
                    "S3",
                    ActBody::Supply {
                        unit: code(3),
                        terms: allocation(10.0, 20.0),
                    },
                ),
            ],
        )
        .unwrap();
        drop(reg);
        let location = format!("{}#{schema}", postgres_url());
        Arc::new(Service::new(&location, users()).unwrap())
    })
    .await
    .unwrap();
    let first = |n: u32, x0: f64, who: &str| {
        let mut a = serde_json::to_value(act(
            &format!("R{n}"),
            ActBody::FirstRegistration {
                unit: code(n),
                surveyed: surveyed(boxed(x0, 0.0, 10.0, x0 + 30.0, 50.0, 19.0)),
                supply: None,
            },
        ))
        .unwrap();
        a["officer"] = json!(who);
        a
    };
    // 60..90 and 65..95: 25 m × 50 m × 9 m shared.
    let (a, b) = tokio::join!(
        call(
            &svc,
            "officer",
            Method::POST,
            "/api/acts",
            Some(first(2, 60.0, "officer-user"))
        ),
        call(
            &svc,
            "admin",
            Method::POST,
            "/api/acts",
            Some(first(3, 65.0, "admin-user"))
        ),
    );
    let statuses = [a.0, b.0];
    assert!(statuses.contains(&StatusCode::OK), "{a:?} {b:?}");
    assert!(statuses.contains(&StatusCode::CONFLICT), "{a:?} {b:?}");
    let refused = if a.0 == StatusCode::CONFLICT {
        &a.1
    } else {
        &b.1
    };
    let winner = if a.0 == StatusCode::OK {
        code(2)
    } else {
        code(3)
    };
    assert!(
        refused["message"].as_str().unwrap().contains(&winner),
        "{refused}"
    );
    // Listing on PostgreSQL: by plot every live unit (the pre-coded one too), by box the
    // registered ones, counted before they are loaded.
    let (_, v) = call(&svc, "planner", Method::GET, "/api/units?plot=P", None).await;
    assert_eq!(v["total"], json!(3), "{v}");
    let (_, v) = call(&svc, "planner", Method::GET, units_uri(), None).await;
    assert_eq!(v["total"], json!(2), "{v}");
}

#[tokio::test]
async fn planning_rules_on_a_plot_of_the_register_with_a_proposed_layer() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    // A green plot G over the same 100 m × 100 m, ground at 20 m: GX00001 (0..50 × 0..50,
    // top 19 m) covers 25 % of it under 1 m of soil.
    let mut g = plot("G");
    g.green_space = true;
    let mut a = serde_json::to_value(act("G1", ActBody::Plot { plot: g })).unwrap();
    a["officer"] = json!("");
    let (status, v) = call(&svc, "officer", Method::POST, "/api/acts", Some(a)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = call(
        &svc,
        "planner",
        Method::POST,
        "/api/rules",
        Some(json!({"plot": "G"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let find = |v: &Value, rule: &str| -> Value {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        find(&v, "green_underground.max_share")["figure"],
        json!(0.25)
    );
    assert_eq!(
        find(&v, "green_underground.min_soil_m")["figure"],
        json!(1.0)
    );
    assert_eq!(v["broken"], json!(1));
    // A car park proposed at 50..60 × 0..100, 5–15 m: 35 % developed, over 30 %.
    let body =
        json!({"plot": "G", "proposal": {"volume": "box:50,0,5,60,100,15", "stratum": "under"}});
    let (_, v) = call(&svc, "planner", Method::POST, "/api/rules", Some(body)).await;
    assert_eq!(
        find(&v, "green_underground.max_share")["figure"],
        json!(0.35)
    );
    assert_eq!(v["broken"], json!(2), "{v}");
    let (status, _) = call(
        &svc,
        "planner",
        Method::POST,
        "/api/rules",
        Some(json!({"plot": "Z"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The unit's documents: its map as SVG naming the unit, its map and register page as PDF,
/// and its certificate, sealed, for officers.
#[tokio::test]
async fn a_unit_has_its_map_page_and_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let c = code(1);
    let (status, kind, svg) = call_raw(
        &svc,
        "planner",
        Method::GET,
        &format!("/api/units/{c}/map.svg"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "image/svg+xml");
    let svg = String::from_utf8(svg).unwrap();
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{}",
        &svg[..80]
    );
    assert!(svg.contains("三维宗地图"), "the sheet is titled");
    for doc in ["map.pdf", "page.pdf", "page.pdf?as_of=2100-01-01"] {
        let (status, kind, pdf) = call_raw(
            &svc,
            "planner",
            Method::GET,
            &format!("/api/units/{c}/{doc}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{doc}");
        assert_eq!(kind, "application/pdf", "{doc}");
        assert!(pdf.starts_with(b"%PDF-"), "{doc}");
    }
    let (status, _, cert) = call_raw(
        &svc,
        "officer",
        Method::GET,
        &format!("/api/units/{c}/certificate.pdf"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(cert.starts_with(b"%PDF-"));
    // A pre-coded unit has neither map nor certificate.
    for doc in ["map.svg", "certificate.pdf"] {
        let (status, v) = call(
            &svc,
            "officer",
            Method::GET,
            &format!("/api/units/{}/{doc}", code(2)),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{doc}: {v}");
    }
    // The unit's page links them, with the 六至 declared and computed (open on every side:
    // its limits are its own box).
    let (_, v) = call(
        &svc,
        "planner",
        Method::GET,
        &format!("/api/units/{c}"),
        None,
    )
    .await;
    assert_eq!(
        v["links"]["map_svg"],
        json!(format!("/api/units/{c}/map.svg"))
    );
    let limits: Vec<(String, f64)> = v["sixto_computed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["direction"].as_str().unwrap().to_string(),
                r["limit"].as_f64().unwrap(),
            )
        })
        .collect();
    assert!(limits.contains(&("up".into(), 19.0)), "{limits:?}");
    assert!(limits.contains(&("east".into(), 50.0)), "{limits:?}");
}

/// Listing and the planners' question as of a date: a unit registered later is not there
/// yet, and a unit cancelled since still is.
#[tokio::test]
async fn the_register_as_it_stood_on_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.gpkg");
    let mut reg = SqliteRegister::create(&path, Settings::default()).unwrap();
    registered(&mut reg);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let between = jiff::Timestamp::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    rec(
        &mut reg,
        vec![
            act(
                "B1",
                ActBody::Supply {
                    unit: code(2),
                    terms: allocation(0.0, 10.0),
                },
            ),
            act(
                "B2",
                ActBody::FirstRegistration {
                    unit: code(2),
                    surveyed: surveyed(boxed(0.0, 0.0, 1.0, 50.0, 50.0, 9.0)),
                    supply: None,
                },
            ),
            act("B3", ActBody::Cancellation { unit: code(1) }),
        ],
    )
    .unwrap();
    drop(reg);
    let svc = Arc::new(Service::new(path.to_str().unwrap(), users()).unwrap());
    let list = |at: Option<String>| {
        let svc = svc.clone();
        async move {
            let uri = match at {
                Some(t) => format!("/api/units?bbox=-10,-10,200,200&as_of={t}"),
                None => "/api/units?bbox=-10,-10,200,200".into(),
            };
            let (status, v) = call(&svc, "planner", Method::GET, &uri, None).await;
            assert_eq!(status, StatusCode::OK, "{v}");
            let codes: Vec<String> = v["units"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["code"].as_str().unwrap().to_string())
                .collect();
            codes
        }
    };
    assert_eq!(list(None).await, [code(2)]);
    assert_eq!(list(Some(between.to_string())).await, [code(1)]);
    assert_eq!(list(Some("2000-01-01".into())).await, Vec::<String>::new());
    // A box through both layers meets the one standing at each moment.
    let body = |at: Option<String>| {
        let mut b = json!({"volume": "box:10,10,5,20,20,15"});
        if let Some(t) = at {
            b["as_of"] = json!(t);
        }
        b
    };
    let (_, now) = call(
        &svc,
        "planner",
        Method::POST,
        "/api/query",
        Some(body(None)),
    )
    .await;
    let (_, then) = call(
        &svc,
        "planner",
        Method::POST,
        "/api/query",
        Some(body(Some(between.to_string()))),
    )
    .await;
    assert_eq!(now["met"][0]["unit"], json!(code(2)), "{now}");
    // 10 × 10 × (9 − 5) and 10 × 10 × (15 − 10), by hand.
    assert_eq!(now["met"][0]["overlap_volume_m3"], json!(400.0));
    assert_eq!(then["met"][0]["unit"], json!(code(1)), "{then}");
    assert_eq!(then["met"][0]["overlap_volume_m3"], json!(500.0));
    assert_eq!(then["met"].as_array().unwrap().len(), 1, "{then}");
}

/// The same prism given as a spec, a GeoJSON feature and a CityJSON solid gets the same
/// answer.
#[tokio::test]
async fn a_proposal_as_geojson_or_cityjson_is_answered_as_its_spec() {
    // A unit in projected coordinates (EPSG:4548): the readers refuse degrees as metres.
    let (x, y) = (500_000.0, 4_400_000.0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.gpkg");
    let mut reg = SqliteRegister::create(&path, Settings::default()).unwrap();
    rec(
        &mut reg,
        vec![
            act(
                "A1",
                ActBody::Plot {
                    plot: PlotRecord {
                        footprint: vec![vec![vec![
                            [x, y],
                            [x + 100.0, y],
                            [x + 100.0, y + 100.0],
                            [x, y + 100.0],
                        ]]],
                        ..plot("P")
                    },
                },
            ),
            act(
                "A2",
                ActBody::FirstRegistration {
                    unit: code(1),
                    surveyed: Surveyed {
                        plot: Some("P".into()),
                        ..surveyed(boxed(x, y, 10.0, x + 50.0, y + 50.0, 19.0))
                    },
                    supply: Some(allocation(10.0, 20.0)),
                },
            ),
        ],
    )
    .unwrap();
    drop(reg);
    let svc = Arc::new(Service::new(path.to_str().unwrap(), users()).unwrap());
    // The test register names no CRS, so the document does.
    let crs = json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4548"}});
    let geojson = json!({"geojson": {"type": "FeatureCollection", "crs": crs, "features": [
        {"type": "Feature", "properties": {"z_bottom": 15, "z_top": 25},
         "geometry": {"type": "Polygon", "coordinates": [[[500040, 4400040], [500060, 4400040], [500060, 4400060], [500040, 4400060], [500040, 4400040]]]}}]}});
    let cube = [
        [40, 40, 15],
        [60, 40, 15],
        [60, 60, 15],
        [40, 60, 15],
        [40, 40, 25],
        [60, 40, 25],
        [60, 60, 25],
        [40, 60, 25],
    ];
    let cityjson = json!({"cityjson": {
        "type": "CityJSON", "version": "2.0",
        "transform": {"scale": [1.0, 1.0, 1.0], "translate": [500000.0, 4400000.0, 0.0]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/4548"},
        "CityObjects": {"tunnel-1": {"type": "Tunnel", "geometry": [{"type": "Solid", "lod": "2",
            "boundaries": [[[[0, 3, 2, 1]], [[4, 5, 6, 7]], [[0, 1, 5, 4]], [[1, 2, 6, 5]],
                            [[2, 3, 7, 6]], [[3, 0, 4, 7]]]]}]}},
        "vertices": cube}});
    let spec = json!({"volume": "box:500040,4400040,15,500060,4400060,25"});
    for body in [spec, geojson, cityjson] {
        let (status, v) = call(
            &svc,
            "planner",
            Method::POST,
            "/api/query",
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}: {v}");
        assert_eq!(
            v["met"][0]["overlap_volume_m3"],
            json!(400.0),
            "{body}: {v}"
        );
        assert_eq!(v["volume_m3"], json!(4000.0), "{body}: {v}");
    }
    // A bad feature is named.
    let bad = json!({"geojson": {"type": "FeatureCollection", "crs": crs, "features": [
        {"type": "Feature", "properties": {"z_bottom": 15},
         "geometry": {"type": "Polygon", "coordinates": [[[500040, 4400040], [500060, 4400040], [500060, 4400060], [500040, 4400040]]]}}]}});
    let (status, v) = call(&svc, "planner", Method::POST, "/api/query", Some(bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap().contains("z_top"), "{v}");
    let two = json!({"volume": "box:0,0,0,1,1,1", "geojson": {}});
    let (status, _) = call(&svc, "planner", Method::POST, "/api/query", Some(two)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// A surveyor submits the Dazhongsi survey; an invalid file is refused naming the feature
/// and nothing is kept; an officer registers the valid one once; other surveyors do not see
/// it.
#[tokio::test]
async fn a_surveyor_submits_and_an_officer_registers() {
    let dir = tempfile::tempdir().unwrap();
    let svc = service(dir.path());
    let survey = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/dazhongsi/dazhongsi.geojson"
    ))
    .unwrap();
    let submit = |role: &'static str, name: &'static str, bytes: Vec<u8>| {
        let svc = svc.clone();
        async move {
            let (status, _, body) = call_raw(
                &svc,
                role,
                Method::POST,
                &format!("/api/submissions?name={name}"),
                Some(Body::from(bytes)),
            )
            .await;
            (status, serde_json::from_slice::<Value>(&body).unwrap())
        }
    };
    // Invalid: a unit whose top is below its bottom.
    let mut broken: Value = serde_json::from_slice(&survey).unwrap();
    let feature = broken["features"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f["properties"]["z_top"].is_number())
        .unwrap();
    feature["properties"]["z_top"] = json!(-100.0);
    let (status, v) = submit(
        "surveyor",
        "broken.geojson",
        broken.to_string().into_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["message"].is_string(), "{v}");
    assert!(!v["message"].as_str().unwrap().contains("/tmp"), "{v}");
    let (status, v) = submit("planner", "w.geojson", survey.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    let (status, v) = submit("surveyor", "../w.sh", survey.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let (_, list) = call(&svc, "officer", Method::GET, "/api/submissions", None).await;
    assert_eq!(
        list["submissions"],
        json!([]),
        "nothing kept of the refused files"
    );

    let (status, s) = submit("surveyor", "wengcheng.geojson", survey.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    assert_eq!(s["status"], json!("pending"));
    assert_eq!(s["surveyor"], json!("surveyor-user"));
    let id = s["id"].as_str().unwrap().to_string();
    let units = s["units"].as_u64().unwrap();
    assert!(units >= 4, "{s}");
    // Pending: not in the register yet.
    let in_plot = "/api/units?bbox=1000,1000,1e7,1e7";
    let (status, v) = call(&svc, "planner", Method::GET, in_plot, None).await;
    assert_eq!((status, &v["total"]), (StatusCode::OK, &json!(0)), "{v}");
    // A surveyor may not register it.
    let register = format!("/api/submissions/{id}/register");
    let (status, _) = call(&svc, "surveyor", Method::POST, &register, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, v) = call(&svc, "officer", Method::POST, &register, None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["submission"]["status"], json!("registered"));
    assert_eq!(
        v["submission"]["registered"]["officer"],
        json!("officer-user")
    );
    let first = v["recorded"].as_array().unwrap();
    assert!(first.iter().all(|r| r["officer"] == json!("officer-user")));
    let (_, v) = call(&svc, "planner", Method::GET, in_plot, None).await;
    assert_eq!(v["total"], json!(units), "{v}");
    // Once only.
    let (status, v) = call(&svc, "officer", Method::POST, &register, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    // Its surveyor and officers see it; the public does not.
    let (status, _) = call(
        &svc,
        "surveyor",
        Method::GET,
        &format!("/api/submissions/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &svc,
        "public",
        Method::GET,
        &format!("/api/submissions/{id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
