//! The scanner's measured quality must not regress: the built-in packs and
//! model over the project's corpora and the public development set beside
//! the repository (`../shared/corpora`, present in CI).
//!
//! With both present this is the scanner issue's gate, as `ragwall eval`
//! reports it (`Evaluation::failures`): recall ≥ 0.97 and false positives
//! ≤ 0.01 overall, no injection family below 0.85 recall, no benign family
//! above 0.02. The own corpus alone keeps a floor just below its last
//! measured figures (see `docs/scanner.md`).

use std::path::PathBuf;

use ragwall::offline::{evaluate, read_labelled};
use ragwall::scan::{Scanner, THRESHOLD};

#[test]
fn detection_quality_does_not_regress() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("corpora")];
    let shared = root.join("../shared/corpora");
    if shared.exists() {
        paths.push(shared);
    }
    let items = read_labelled(&paths).unwrap();
    let e = evaluate(&Scanner::builtin().unwrap(), &items, THRESHOLD);
    println!("{}", e.table());
    assert!(e.injections.total >= 350 && e.benign.total >= 500);
    let (recall, fpr) = (e.injections.rate(), e.benign.rate());
    if paths.len() == 2 {
        let failures = e.failures();
        assert!(failures.is_empty(), "quality gate: {failures:?}");
    } else {
        assert!(recall >= 0.97, "recall regressed to {recall:.3}");
        assert!(fpr <= 0.004, "false-positive rate regressed to {fpr:.3}");
    }
}
