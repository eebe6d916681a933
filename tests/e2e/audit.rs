//! What every screen and dialog must pass, checked in the real window: axe-core's
//! WCAG 2.1 A/AA rules (no serious or critical violation, contrast included), no
//! visible text that looks like an internal name, a visible focus ring on the
//! controls Tab reaches, and a screenshot kept as an artifact. Failures are collected, so one run lists them all.

use std::time::Duration;

use crate::harness::AppSession;

/// axe-core from the UI's npm packages (`ui/node_modules`, installed by setup.sh).
fn axe_source() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): run scripts/setup.sh --test",
            path.display()
        )
    })
}

/// The identifier-like words of the page's text, text node by text node (two
/// elements' texts never run into one word) and with Unicode word boundaries (an
/// accented letter is part of a word): camelCase, snake_case, dotted codes (the rule
/// of `ui/src/lib/i18n/identifiers.ts`). Not counted: what the operator
/// typed (input values are not text), file paths shown as such (`code`), and the
/// database's path in the status bar (a temporary folder's random name).
const IDENTIFIERS: &str = r#"
    const skip = "script, style, code, [data-testid=status-database]";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const words = /(?<![\p{L}\p{N}_])(?:[a-z]+[A-Z][A-Za-z]*|[a-z0-9]+_[a-z0-9_]+|[a-z]+(?:\.[a-z_]+){2,})(?![\p{L}\p{N}_])/gu;
    const found = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest(skip)) continue;
        found.push(...(node.textContent.match(words) ?? []));
    }
    return found;
"#;

/// Runs axe on the document and answers how many rules passed and its serious and
/// critical violations, one line each: the rule, its help, and up to five elements.
const AXE_RUN: &str = r#"
    const done = arguments[arguments.length - 1];
    axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    }).then((result) => done({
        passed: result.passes.length,
        violations: result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.help}): ` + v.nodes.slice(0, 5)
                .map((n) => n.target.join(" ") + (n.failureSummary ? " [" + n.failureSummary.replace(/\s+/g, " ").slice(0, 160) + "]" : ""))
                .join(" | ")),
    }))
      .catch((e) => done({ passed: 0, violations: ["axe could not run: " + e] }));
"#;

#[derive(serde::Deserialize)]
struct AxeOutcome {
    /// How many rules found elements to check and passed them: axe really ran.
    passed: usize,
    violations: Vec<String>,
}

/// What axe-core and the internal-name scan find in the window now.
pub async fn problems(app: &AppSession, name: &str) -> Vec<String> {
    // Let transitions and late loads settle before judging colours and names.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let loaded = app
        .client
        .execute("return typeof window.axe !== 'undefined';", vec![])
        .await
        .unwrap();
    if loaded != serde_json::Value::Bool(true) {
        app.client
            .execute(&format!("{};\nreturn true;", axe_source()), vec![])
            .await
            .expect("inject axe-core");
    }
    let outcome = app
        .client
        .execute_async(AXE_RUN, vec![])
        .await
        .expect("run axe-core");
    let outcome: AxeOutcome = serde_json::from_value(outcome).unwrap();
    assert!(outcome.passed > 0, "axe-core checked nothing on {name}");
    let mut problems: Vec<String> = outcome
        .violations
        .into_iter()
        .map(|v| format!("axe {v}"))
        .collect();
    let found = app.client.execute(IDENTIFIERS, vec![]).await.unwrap();
    let found: Vec<String> = serde_json::from_value(found).unwrap();
    if !found.is_empty() {
        problems.push(format!("internal names on screen: {found:?}"));
    }
    problems.extend(focus_without_ring(app).await);
    problems
}

/// What the focused element looks like: its name for the report, and whether it
/// draws a ring (an outline or a box shadow) the operator can see.
const FOCUSED: &str = r#"
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const style = getComputedStyle(e);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== "none";
    const name = e.dataset.testid || e.getAttribute("aria-label") || e.textContent.trim().slice(0, 30);
    return { ring, name: `${e.tagName.toLowerCase()} "${name}"` };
"#;

/// Moves the focus with Tab, as an operator at the keyboard does, through the first
/// controls of the view, and answers those that show no focus ring.
async fn focus_without_ring(app: &AppSession) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Focused {
        ring: bool,
        name: String,
    }
    // The walk scrolls what it focuses: the view is put back as it was afterwards, so
    // the test's next click lands where it would have.
    app.client
        .execute(
            r#"window.__sesameScrolls = [document.scrollingElement, ...document.querySelectorAll("*")]
                 .filter((e) => e && (e.scrollHeight > e.clientHeight || e.scrollWidth > e.clientWidth))
                 .map((e) => [e, e.scrollTop, e.scrollLeft]);
               window.__sesameFocus = document.activeElement;"#,
            vec![],
        )
        .await
        .unwrap();
    let tab = fantoccini::key::Key::Tab.to_string();
    let mut missing = Vec::new();
    for _ in 0..12 {
        let Ok(active) = app.client.active_element().await else {
            break;
        };
        if active.send_keys(&tab).await.is_err() {
            break;
        }
        let focused = app.client.execute(FOCUSED, vec![]).await.unwrap();
        let Ok(Some(focused)) = serde_json::from_value::<Option<Focused>>(focused) else {
            continue;
        };
        if !focused.ring && !missing.contains(&focused.name) {
            missing.push(focused.name);
        }
    }
    app.client
        .execute(
            r#"document.activeElement?.blur();
               window.__sesameFocus?.focus?.({ preventScroll: true });
               for (const [e, top, left] of window.__sesameScrolls ?? []) { e.scrollTop = top; e.scrollLeft = left; }"#,
            vec![],
        )
        .await
        .unwrap();
    if missing.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "focused without a visible ring: {}",
            missing.join(", ")
        )]
    }
}

pub struct Audit {
    language: &'static str,
    failures: Vec<String>,
    checked: usize,
}

impl Audit {
    pub fn new(language: &'static str) -> Audit {
        Audit {
            language,
            failures: Vec::new(),
            checked: 0,
        }
    }

    /// Checks the window as it is now under `name` (`tour-<language>-<name>.png`).
    pub async fn check(&mut self, app: &AppSession, name: &str) {
        let problems = problems(app, name).await;
        self.failures.extend(
            problems
                .into_iter()
                .map(|p| format!("[{}] {name}: {p}", self.language)),
        );
        app.screenshot(&format!("tour-{}-{name}", self.language))
            .await;
        self.checked += 1;
    }

    /// Fails with every problem found, or answers how many views were checked.
    pub fn finish(self) -> usize {
        assert!(
            self.failures.is_empty(),
            "{} problem(s) on the screens:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
        self.checked
    }
}
