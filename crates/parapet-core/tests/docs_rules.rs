//! `docs/rules.md`, the rule catalogue's reference page, is generated from the catalogue. This
//! test fails when the page is stale; `UPDATE_DOCS=1 cargo test -p parapet-core --test docs_rules`
//! rewrites the generated part (between the markers) and leaves the rest of the page alone.

use parapet_core::{Level, CATALOGUE};

const BEGIN: &str = "<!-- rules:begin (generated from the rule catalogue by crates/parapet-core/tests/docs_rules.rs) -->";
const END: &str = "<!-- rules:end -->";

fn level(l: Level) -> &'static str {
    match l {
        Level::Off => "—",
        l => l.as_str(),
    }
}

fn generated() -> String {
    let mut out =
        String::from("\n| id | fires when | sandbox / controlled / production |\n|---|---|---|\n");
    for r in CATALOGUE {
        let anchor = r.id.replace('/', "");
        out.push_str(&format!(
            "| [`{}`](#{anchor}) | {} | {} / {} / {} |\n",
            r.id,
            r.summary,
            level(r.defaults[0]),
            level(r.defaults[1]),
            level(r.defaults[2])
        ));
    }
    for r in CATALOGUE {
        out.push_str(&format!("\n## {}\n\n", r.id));
        out.push_str(&format!("**Fires when:** {}.\n\n", r.summary));
        out.push_str("| sandbox | controlled | production |\n|---|---|---|\n");
        out.push_str(&format!(
            "| {} | {} | {} |\n\n",
            level(r.defaults[0]),
            level(r.defaults[1]),
            level(r.defaults[2])
        ));
        let rationale: Vec<&str> = r.rationale.lines().map(str::trim).collect();
        let rationale = rationale.join("\n");
        let rationale = rationale.trim();
        if !rationale.is_empty() {
            out.push_str(rationale);
            out.push_str("\n\n");
        }
        out.push_str(&format!("**What to do.** {}\n", r.help));
    }
    out
}

#[test]
fn docs_rules_page_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
    let page = std::fs::read_to_string(path).expect("docs/rules.md");
    let (Some(b), Some(e)) = (page.find(BEGIN), page.find(END)) else {
        panic!("docs/rules.md lacks the rules markers");
    };
    let current = &page[b + BEGIN.len()..e];
    let want = generated();
    if current != want {
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let updated = format!("{}{BEGIN}{want}{}", &page[..b], &page[e..]);
            std::fs::write(path, updated).expect("write docs/rules.md");
        } else {
            panic!("docs/rules.md is stale: run UPDATE_DOCS=1 cargo test -p parapet-core --test docs_rules");
        }
    }
}
