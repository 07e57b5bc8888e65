//! Cases for the `observability` rules: the forbid pack, the instrumentation presets, telemetry.

use super::{Case, run_all};

const PRESETS: &str = "version = 1\n[observability]\nbuiltin_forbid = false\npresets = [\"axum\", \"actix\", \"express\", \"fastapi\", \"flask\", \"go-http\", \"spring\"]\n";

const CASES: &[Case] = &[
    Case {
        head: &[
            ("src/lib.rs", Some("pub fn total(x: u32) -> u32 {\n    println!(\"x = {x}\");\n    x\n}\n")),
            ("src/app.js", Some("export function pay(order) {\n  console.log(order.id);\n}\n")),
            ("app/billing.py", Some("def pay(order):\n    print(order)\n")),
            ("pkg/pay/pay.go", Some("package pay\n\nimport \"fmt\"\n\nfunc Pay() {\n\tfmt.Println(\"paid\")\n}\n")),
            (
                "src/main/java/pay/Pay.java",
                Some("class Pay {\n  void pay() {\n    System.out.println(\"paid\");\n  }\n}\n"),
            ),
            (
                "src/auth.rs",
                Some(
                    "pub fn login(user: &str, password: &str) {\n    tracing::info!(\"login {user} with {password}\");\n}\n",
                ),
            ),
        ],
        ..Case::new(
            &[
                "observability.stray-print-rust",
                "observability.stray-print-js",
                "observability.stray-print-python",
                "observability.stray-print-go",
                "observability.stray-print-jvm",
                "observability.sensitive-log",
            ],
            "version = 1\n[observability]\n",
        )
    },
    Case {
        head: &[
            (
                "src/routes.rs",
                Some(
                    "pub async fn create(Json(order): Json<Order>) -> StatusCode {\n    save(order);\n    StatusCode::CREATED\n}\n",
                ),
            ),
            (
                "src/web.rs",
                Some("#[post(\"/orders\")]\nasync fn create() -> impl Responder {\n    HttpResponse::Created()\n}\n"),
            ),
            ("server/routes.js", Some("app.post('/orders', (req, res) => {\n  res.status(201).end();\n});\n")),
            ("api/orders.py", Some("@app.post(\"/orders\")\ndef create(order: Order):\n    return save(order)\n")),
            (
                "web/views.py",
                Some("@bp.route(\"/orders\", methods=[\"POST\"])\ndef create():\n    return save(request.json)\n"),
            ),
            (
                "handlers/orders.go",
                Some(
                    "package handlers\n\nfunc Create(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(201)\n}\n",
                ),
            ),
            (
                "src/main/java/shop/OrderController.java",
                Some(
                    "class OrderController {\n  @PostMapping(\"/orders\")\n  public Order create(Order o) {\n    return repo.save(o);\n  }\n}\n",
                ),
            ),
        ],
        ..Case::new(
            &[
                "observability.instrument-axum",
                "observability.instrument-actix",
                "observability.instrument-express",
                "observability.instrument-fastapi",
                "observability.instrument-flask",
                "observability.instrument-go-http",
                "observability.instrument-spring",
            ],
            PRESETS,
        )
    },
    Case {
        base: &[("src/orders.rs", EMITS_OTHER)],
        head: &[(
            "specs/orders.md",
            Some(
                "# Orders\n\n## REQ-ORD-1 Create order\nTelemetry: `orders.created`\n\n## REQ-ORD-2 Cancel order\nThe customer cancels.\n",
            ),
        )],
        ..Case::new(
            &["observability.telemetry-not-emitted", "observability.telemetry-missing"],
            "version = 1\n[observability]\nbuiltin_forbid = false\ntelemetry = { specs = [\"specs/**\"] }\n",
        )
    },
];

/// Code that emits a signal other than the one the spec declares.
const EMITS_OTHER: &str = "pub fn create() {\n    metrics::counter!(\"orders.placed\").increment(1);\n}\n";

#[test]
fn observability() {
    run_all("observability", CASES);
}
