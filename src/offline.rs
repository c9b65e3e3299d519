//! Offline commands over JSON lines, for pipelines that do not go through
//! the server: `ragwall sign` stamps points, `ragwall verify` checks them.
//!
//! Both read one point per line, `{"id", "payload", "vector"?}` (the shape
//! `/v1/sign` takes and Qdrant's scroll returns), and use the same key file
//! and collection policies as the server, so what one signs the other
//! verifies.

use std::io::{BufRead, Write};

use serde_json::{json, Value};

use crate::config::{CollectionPolicy, Config, Tenancy};
use crate::error::{Error, Result};
use crate::pipeline::{verify_chunk, SignPoint, Signer};
use crate::provenance::{KeyRing, Origin};

/// What the commands need besides the lines: the policy and the ring.
pub struct Context {
    pub ring: KeyRing,
    pub field: String,
    pub collection: String,
    pub policy: CollectionPolicy,
    /// Forces the tenant; else (payload tenancy) each point's tenant field.
    pub tenant: Option<String>,
}

impl Context {
    /// Loads the ring named by the configuration (never creates one).
    pub fn load(config: &Config, collection: &str, tenant: Option<String>) -> Result<Self> {
        let policy = config.collections.get(collection).cloned().ok_or_else(|| {
            Error::NotFound(format!(
                "collection `{collection}` has no policy in the configuration"
            ))
        })?;
        let ring = crate::signing_keys::ring_for(config, false)
            .map_err(|e| Error::BadInput(e.to_string()))?;
        Ok(Context {
            ring,
            field: config.provenance.field.clone(),
            collection: collection.to_owned(),
            policy,
            tenant,
        })
    }

    fn tenant_of(&self, point: &SignPoint) -> Result<String> {
        if let Some(t) = &self.tenant {
            return Ok(t.clone());
        }
        let from_payload = (self.policy.tenancy == Tenancy::Payload)
            .then_some(point.payload.as_ref())
            .flatten()
            .and_then(|p| p.0.get(&self.policy.tenant_field))
            .and_then(Value::as_str);
        from_payload.map(str::to_owned).ok_or_else(|| {
            Error::BadInput(format!(
                "point {}: no tenant (give --tenant, or set `{}` in its payload)",
                point.id, self.policy.tenant_field
            ))
        })
    }
}

fn parse(line: &str, number: usize) -> Result<SignPoint> {
    serde_json::from_str(line).map_err(|e| Error::BadInput(format!("line {number}: {e}")))
}

fn io(e: std::io::Error) -> Error {
    Error::Internal(e.to_string())
}

/// Stamps every point; `cosine` names the vectors stored normalised (`""`
/// for the unnamed one) when the collection signs vectors. Returns the count.
pub fn sign(
    ctx: &Context,
    cosine: Vec<String>,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<usize> {
    let mut n = 0;
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let mut point = parse(&line, i + 1)?;
        let tenant = ctx.tenant_of(&point)?;
        let signer = Signer::new(
            &ctx.ring,
            &ctx.field,
            &ctx.policy,
            &ctx.collection,
            &tenant,
            cosine.clone(),
        );
        signer
            .stamp(&mut point)
            .map_err(|e| Error::BadInput(format!("line {}: {e}", i + 1)))?;
        serde_json::to_writer(&mut output, &point).map_err(|e| Error::Internal(e.to_string()))?;
        output.write_all(b"\n").map_err(io)?;
        n += 1;
    }
    Ok(n)
}

/// Verifies every point, writing `{"id", "verified", "reason"?}` per line.
/// Returns (verified, failed).
pub fn verify(
    ctx: &Context,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<(usize, usize)> {
    let signed: Vec<String> = ctx.policy.signed_fields().cloned().collect();
    let (mut good, mut bad) = (0, 0);
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let point = parse(&line, i + 1)?;
        let tenant = ctx.tenant_of(&point)?;
        let origin = Origin {
            collection: &ctx.collection,
            tenant: &tenant,
            id: point.id,
        };
        let outcome = verify_chunk(
            &ctx.ring,
            &ctx.field,
            &ctx.policy,
            &signed,
            origin,
            point.payload.as_ref().map(|p| &p.0),
            point.vector.as_ref(),
        );
        let record = match outcome {
            Ok(_) => {
                good += 1;
                json!({"id": point.id, "verified": true})
            }
            Err(reason) => {
                bad += 1;
                json!({"id": point.id, "verified": false, "reason": reason})
            }
        };
        writeln!(output, "{record}").map_err(io)?;
    }
    Ok((good, bad))
}

/// One labelled line of an evaluation corpus.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Labelled {
    pub text: String,
    pub label: String,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub id: Option<Value>,
}

/// Every `*.jsonl` under the given files and directories, in name order.
pub fn jsonl_files(paths: &[std::path::PathBuf]) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inner: Vec<_> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            inner.sort();
            out.extend(jsonl_files(&inner)?);
        } else if p.extension().is_some_and(|x| x == "jsonl") {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Reads labelled lines from files and directories.
pub fn read_labelled(paths: &[std::path::PathBuf]) -> Result<Vec<Labelled>> {
    let mut out = Vec::new();
    for file in jsonl_files(paths).map_err(io)? {
        let text = std::fs::read_to_string(&file).map_err(io)?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let item: Labelled = serde_json::from_str(line)
                .map_err(|e| Error::BadInput(format!("{}:{}: {e}", file.display(), i + 1)))?;
            if item.label != "injection" && item.label != "benign" {
                return Err(Error::BadInput(format!(
                    "{}:{}: label must be `injection` or `benign`",
                    file.display(),
                    i + 1
                )));
            }
            out.push(item);
        }
    }
    Ok(out)
}

/// Detection counts of one family (or overall).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Tally {
    pub injection: bool,
    pub total: usize,
    pub flagged: usize,
}

impl Tally {
    /// Recall for injection families, false-positive rate for benign ones.
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.flagged as f64 / self.total as f64
        }
    }
}

/// The evaluation: per family, and overall recall / false-positive rate.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Evaluation {
    pub families: std::collections::BTreeMap<String, Tally>,
    pub injections: Tally,
    pub benign: Tally,
}

impl Evaluation {
    /// The quality gates: recall ≥ 0.97, false-positive rate ≤ 0.01, no
    /// injection family below 0.85, no benign family above 0.02.
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.injections.rate() < 0.97 {
            out.push(format!("recall {:.3} < 0.97", self.injections.rate()));
        }
        if self.benign.rate() > 0.01 {
            out.push(format!(
                "false-positive rate {:.3} > 0.01",
                self.benign.rate()
            ));
        }
        for (name, t) in &self.families {
            if t.injection && t.rate() < 0.85 {
                out.push(format!("family {name}: recall {:.3} < 0.85", t.rate()));
            }
            if !t.injection && t.rate() > 0.02 {
                out.push(format!(
                    "family {name}: false-positive rate {:.3} > 0.02",
                    t.rate()
                ));
            }
        }
        out
    }

    /// A plain-text table.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:<48} {:>6} {:>8} {:>8}\n",
            "family", "n", "flagged", "rate"
        );
        for (name, t) in &self.families {
            let kind = if t.injection { "recall" } else { "fpr" };
            s.push_str(&format!(
                "{:<48} {:>6} {:>8} {:>8.3} {kind}\n",
                name,
                t.total,
                t.flagged,
                t.rate()
            ));
        }
        s.push_str(&format!(
            "{:<48} {:>6} {:>8} {:>8.3} recall\n{:<48} {:>6} {:>8} {:>8.3} fpr\n",
            "OVERALL injections",
            self.injections.total,
            self.injections.flagged,
            self.injections.rate(),
            "OVERALL benign",
            self.benign.total,
            self.benign.flagged,
            self.benign.rate()
        ));
        s
    }
}

/// Scans every labelled text and tallies detections.
pub fn evaluate(scanner: &crate::scan::Scanner, items: &[Labelled], threshold: f32) -> Evaluation {
    let flags: Vec<bool> = items
        .iter()
        .map(|it| scanner.scan(&it.text).is_injection(threshold))
        .collect();
    tally_flags(items, &flags)
}

/// `ragwall scan`: a verdict per JSON line (`id`, `text`); input that is not
/// JSON lines is scanned as one plain text.
pub fn scan(
    scanner: &crate::scan::Scanner,
    threshold: f32,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<()> {
    let mut emit = |id: Value, text: &str| -> Result<()> {
        let v = scanner.scan(text);
        let record = json!({
            "id": id,
            "verdict": if v.is_injection(threshold) { "injection" } else { "clean" },
            "score": v.score,
            "categories": v.categories,
            "spans": v.spans,
        });
        writeln!(output, "{record}").map_err(io)
    };
    let mut plain = String::new();
    for line in input.lines() {
        let line = line.map_err(io)?;
        match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(record)) if record.get("text").is_some_and(Value::is_string) => {
                let text = record["text"].as_str().unwrap_or_default();
                emit(record.get("id").cloned().unwrap_or(Value::Null), text)?;
            }
            _ => {
                plain.push_str(&line);
                plain.push('\n');
            }
        }
    }
    if !plain.trim().is_empty() {
        emit(Value::Null, &plain)?;
    }
    Ok(())
}

/// Fits the learned tier. Benign texts give negative segments. An
/// injection text of one segment is a positive. A longer injection text is
/// a bag of segments of which one or a few are the instruction and the rest
/// carrier: segments that also occur in benign texts are carrier and are
/// dropped; of the rest, a first model trained without any bag (clear
/// positives and all negatives, so it has not learned carrier text as
/// attack) picks the most suspicious one to stand for the text
/// (multiple-instance learning, one refinement round).
fn fit(items: &[&Labelled]) -> crate::scan::model::Model {
    use crate::scan::model::{examples_of, train, Example, Training};
    use std::collections::HashSet;
    let mut examples: Vec<Example> = Vec::new();
    let mut seen_benign: HashSet<String> = HashSet::new();
    let mut bags: Vec<Vec<(String, Example)>> = Vec::new();
    for item in items {
        let mut segments = examples_of(&item.text, item.label == "injection");
        if item.label == "injection" && segments.len() == 1 {
            examples.extend(segments.pop().map(|(_, e)| e));
        } else if item.label == "injection" {
            bags.push(segments);
        } else {
            for (words, example) in segments {
                seen_benign.insert(words);
                examples.push(example);
            }
        }
    }
    let bags: Vec<Vec<Example>> = bags
        .into_iter()
        .map(|bag| {
            bag.into_iter()
                .filter(|(words, _)| !seen_benign.contains(words))
                .map(|(_, e)| e)
                .collect::<Vec<_>>()
        })
        .filter(|bag| !bag.is_empty())
        .collect();
    let clear: Vec<&Example> = examples.iter().collect();
    let first = train(&clear, Training::default());
    for bag in bags {
        if let Some(best) = bag.into_iter().max_by(|a, b| {
            first
                .probability_of_features(&a.x)
                .total_cmp(&first.probability_of_features(&b.x))
        }) {
            examples.push(best);
        }
    }
    let refs: Vec<&Example> = examples.iter().collect();
    train(&refs, Training::default())
}

/// `ragwall train`: k-fold cross-validation (each text scored by a model
/// that never saw it), the model's threshold calibrated on those held-out
/// scores (the lowest at which the model adds at most 0.8 points of false
/// positives overall and 2 points in any benign family of 20 or more texts
/// to those of the phrase tier), the figures printed, then the model
/// trained on everything and written to `out`.
pub fn train(
    items: &[Labelled],
    out: &std::path::Path,
    folds: usize,
    policies: &std::path::Path,
    threshold: f32,
) -> Result<()> {
    let packs =
        crate::scan::patterns::load_dir(&policies.join("patterns")).map_err(Error::BadInput)?;
    let phrases = crate::scan::Scanner::new(&packs, None).map_err(Error::BadInput)?;
    let by_pattern: Vec<bool> = items
        .iter()
        .map(|it| phrases.scan(&it.text).is_injection(threshold))
        .collect();
    let mut calibrated = 0.5;
    if folds >= 2 {
        let mut held_out = vec![0f32; items.len()];
        let mut held_segments: Vec<Vec<f32>> = vec![Vec::new(); items.len()];
        for fold in 0..folds {
            let train_set: Vec<&Labelled> = items
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds != fold)
                .map(|(_, it)| it)
                .collect();
            let model = fit(&train_set);
            for (i, item) in items.iter().enumerate().filter(|(i, _)| i % folds == fold) {
                held_out[i] = model.probability_of(&item.text);
                held_segments[i] = model.segment_probabilities(&crate::scan::normalize::normalize(
                    &crate::scan::model::prose(&item.text),
                ));
            }
        }
        if let Ok(path) = std::env::var("TRAIN_SCORES") {
            // Held-out scores, for looking at errors: one JSON line per text.
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                out.push_str(&format!(
                    "{}\n",
                    json!({"i": i, "family": item.family, "label": item.label,
                           "p": held_out[i], "phrases": by_pattern[i], "ps": held_segments[i]})
                ));
            }
            std::fs::write(path, out).map_err(io)?;
        }
        let tally = |t: f32| {
            let flags: Vec<bool> = (0..items.len())
                .map(|i| by_pattern[i] || held_out[i] >= t)
                .collect();
            tally_flags(items, &flags)
        };
        // The phrase tier's own false positives are not the model's.
        let baseline = tally(f32::INFINITY);
        let acceptable = |e: &Evaluation| {
            e.benign.rate() <= baseline.benign.rate() + 0.008
                && e.families.iter().all(|(name, f)| {
                    let own = baseline.families.get(name).map_or(0.0, Tally::rate);
                    f.injection || f.total < 20 || f.rate() <= own + 0.02
                })
        };
        for t in [0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995] {
            let e = tally(t);
            println!(
                "  threshold {t:.3}: recall {:.3}, false positives {:.4}",
                e.injections.rate(),
                e.benign.rate()
            );
        }
        calibrated = (500..1000)
            .map(|k| k as f32 / 1000.0)
            .find(|t| acceptable(&tally(*t)))
            .unwrap_or(0.999);
        println!("{folds}-fold cross-validation, model threshold calibrated to {calibrated:.3}:");
        print!("{}", tally(calibrated).table());
    }
    let all: Vec<&Labelled> = items.iter().collect();
    let mut model = fit(&all);
    model.threshold = calibrated;
    model.save(out).map_err(io)?;
    println!("wrote {}", out.display());
    Ok(())
}

/// Per-family counts of given decisions.
fn tally_flags(items: &[Labelled], flags: &[bool]) -> Evaluation {
    let mut e = Evaluation::default();
    for (item, flagged) in items.iter().zip(flags) {
        let injection = item.label == "injection";
        let family = item
            .family
            .clone()
            .unwrap_or_else(|| format!("({})", item.label));
        for t in [
            e.families.entry(family).or_default(),
            if injection {
                &mut e.injections
            } else {
                &mut e.benign
            },
        ] {
            t.injection = injection;
            t.total += 1;
            t.flagged += usize::from(*flagged);
        }
    }
    e
}
