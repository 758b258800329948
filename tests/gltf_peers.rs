//! The glTF export as other tools read it: the Khronos glTF validator and three.js's
//! GLTFLoader, run by Node from `tools/gltf` (`tools/test.sh` installs Node and runs
//! `npm ci` there).

use std::path::Path;
use std::process::Command;

#[test]
fn the_khronos_validator_and_threejs_read_the_demo_registers_gltf() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let check = root.join("tools/gltf/check.mjs");
    assert!(
        root.join("tools/gltf/node_modules/three").is_dir(),
        "tools/gltf/node_modules is missing: run the tests with `bash tools/test.sh`, which runs `npm ci` there"
    );
    let dir = tempfile::tempdir().unwrap();
    let strata = || assert_cmd::Command::cargo_bin("strata").unwrap();
    strata()
        .args(["demo", "--data"])
        .arg(root.join("data"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    for (register, units) in [("register-tongzhou.gpkg", 4), ("register-haidian.gpkg", 2)] {
        let glb = dir.path().join(format!("{register}.glb"));
        strata()
            .args(["register", "export"])
            .arg(dir.path().join(register))
            .arg("--out")
            .arg(&glb)
            .assert()
            .success();
        let out = Command::new("node")
            .arg(&check)
            .arg(&glb)
            .output()
            .expect("node runs: tools/test.sh installs Node.js");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["errors"], 0, "{register}: {v}");
        assert_eq!(v["warnings"], 0, "{register}: {v}");
        assert_eq!(v["meshes"], units, "{register}: {v}");
        assert_eq!(v["extras"]["crs"], "EPSG:4548");
        assert!(
            v["extras"]["origin"][0]
                .as_f64()
                .is_some_and(|x| x > 400_000.0),
            "{v}"
        );
    }
}
