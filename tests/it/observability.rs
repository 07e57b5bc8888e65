//! The observability gate end to end on real git repositories.

use crate::common::{TestRepo, gate, rules};

fn repo(policy: &str, files: &[(&str, &str)]) -> TestRepo {
    crate::common::base_repo(policy, files)
}

fn located(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    crate::common::located(report, "observability")
}

#[test]
fn presets_require_instrumentation_in_new_handlers() {
    let policy =
        "version = 1\n[observability]\npresets = [\"axum\", \"fastapi\", \"express\", \"go-http\", \"spring\"]\n";
    let r = repo(policy, &[("src/api.rs", "use axum::Json;\n")]);
    r.write(
        "src/api.rs",
        r#"use axum::Json;

#[tracing::instrument(skip(body))]
pub async fn create(Json(body): Json<Order>) -> Json<Id> {
    Json(save(body))
}

pub async fn delete(Path(id): Path<u64>) -> StatusCode {
    remove(id);
    StatusCode::NO_CONTENT
}
"#,
    );
    r.write(
        "app/routes.py",
        "@router.get('/orders')\nasync def list_orders():\n    logger.info('listing orders')\n    return []\n\n@router.post('/orders')\nasync def create_order(o):\n    return save(o)\n",
    );
    r.write(
        "web/server.ts",
        "app.get('/health', (req, res) => {\n  res.send('ok');\n});\napp.post('/orders', async (req, res) => {\n  logger.info({ order: req.body.id }, 'order created');\n  res.sendStatus(201);\n});\n",
    );
    r.write(
        "svc/handler.go",
        "package svc\n\nfunc Orders(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(200)\n}\n",
    );
    r.write(
        "src/main/java/a/OrderController.java",
        "class OrderController {\n  @Timed\n  @GetMapping(\"/orders\")\n  public List<Order> list() {\n    return repo.all();\n  }\n  @PostMapping(\"/orders\")\n  public Order create(Order o) {\n    return repo.save(o);\n  }\n}\n",
    );
    r.commit("handlers");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        located(&report),
        vec![
            ("observability.instrument-fastapi".into(), "app/routes.py".into(), 6),
            ("observability.instrument-axum".into(), "src/api.rs".into(), 8),
            ("observability.instrument-spring".into(), "src/main/java/a/OrderController.java".into(), 7),
            ("observability.instrument-go-http".into(), "svc/handler.go".into(), 3),
            ("observability.instrument-express".into(), "web/server.ts".into(), 1),
        ]
    );
}

#[test]
fn stray_prints_and_sensitive_fields_in_log_calls() {
    let policy = "version = 1\n[observability]\n[[observability.forbid]]\nid = \"no-eprintln\"\npattern = 'eprintln!'\nkeywords = [\"eprintln\"]\nseverity = \"warning\"\n";
    let r = repo(policy, &[("src/lib.rs", "pub fn a() {}\n")]);
    r.write(
        "src/lib.rs",
        "pub fn a() {\n    println!(\"debug {}\", 1);\n    tracing::info!(user = %u, password = %p, \"login\");\n    tracing::info!(token = %redact(t), \"ok\");\n    eprintln!(\"x\");\n}\n",
    );
    r.write("tests/it.rs", "fn t() { println!(\"fine in tests\"); }\n");
    r.write("app/views.py", "def v(req):\n    print(req)\n    logger.debug('card_number=%s', req.card)\n");
    r.commit("prints");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        located(&report),
        vec![
            ("observability.stray-print-python".into(), "app/views.py".into(), 2),
            ("observability.sensitive-log".into(), "app/views.py".into(), 3),
            ("observability.stray-print-rust".into(), "src/lib.rs".into(), 2),
            ("observability.sensitive-log".into(), "src/lib.rs".into(), 3),
            ("observability.no-eprintln".into(), "src/lib.rs".into(), 5),
            ("observability.stray-print-rust".into(), "src/lib.rs".into(), 5),
        ]
    );
}

const SPEC: &str = "# Orders\n\n## REQ-ORD-1 Create\nOrders are created.\nTelemetry: `orders.created`\n";

#[test]
fn telemetry_signals_must_be_emitted() {
    let policy = "version = 1\n[observability]\nbuiltin_forbid = false\ntelemetry = { specs = [\"specs/**/*.md\"], code = [\"src/**\"] }\n";
    let r = repo(
        policy,
        &[("specs/orders.md", SPEC), ("src/orders.rs", "fn c() { counter!(\"orders.created\").increment(1); }\n")],
    );
    // a new requirement with an unemitted signal, and one without any signal
    r.write("specs/orders.md", format!("{SPEC}\n## REQ-ORD-2 Cancel\nTelemetry: `orders.cancelled`\n\n## REQ-ORD-3 Archive\nOld orders are archived.\n"));
    r.commit("spec");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        located(&report),
        vec![
            ("observability.telemetry-not-emitted".into(), "specs/orders.md".into(), 8),
            ("observability.telemetry-missing".into(), "specs/orders.md".into(), 10),
        ]
    );
    let matrix = &gate(&report, "observability")["details"]["telemetry"];
    assert_eq!(matrix[0]["signals"][0]["emitted_in"], "src/orders.rs");
    assert!(&crate::common::summary(gate(&report, "observability")).contains("**not emitted**"));

    // removing the only emission is reported at the code file, though the spec is untouched
    let r = repo(
        policy,
        &[("specs/orders.md", SPEC), ("src/orders.rs", "fn c() { counter!(\"orders.created\").increment(1); }\n")],
    );
    r.write("src/orders.rs", "fn c() {}\n");
    r.commit("drop metric");
    let (code, report) = r.json_report(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(rules(&report), vec!["observability.telemetry-not-emitted".to_string()]);
    assert_eq!(located(&report)[0].1, "src/orders.rs");
}

#[test]
fn unknown_preset_is_a_policy_error() {
    let r = repo("version = 1\n[observability]\npresets = [\"axum\", \"django\"]\n", &[]);
    let out = r.cmd().args(["validate"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("observability.presets[1]") && err.contains("unknown preset `django`"), "{err}");
}
