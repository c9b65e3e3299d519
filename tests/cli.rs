//! The binary refuses a bad configuration at startup, naming the problem.

use std::process::Command;

#[test]
fn bad_config_stops_startup_with_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ragwall.toml");
    std::fs::write(
        &path,
        "data_dir = \"x\"\n\n[server]\nrest_adress = \"127.0.0.1:1\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ragwall"))
        .args(["serve", "--config"])
        .arg(&path)
        .env_clear()
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rest_adress"), "{stderr}");
    assert!(stderr.contains("line 4"), "{stderr}");
    assert!(stderr.contains("ragwall.toml"), "{stderr}");
}

#[test]
fn bad_environment_override_stops_startup() {
    let out = Command::new(env!("CARGO_BIN_EXE_ragwall"))
        .arg("serve")
        .env_clear()
        .env("RAGWALL_SERVER__REST_ADDR", "nowhere")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("RAGWALL_SERVER__REST_ADDR"), "{stderr}");
}
