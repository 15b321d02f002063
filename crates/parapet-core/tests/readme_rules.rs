//! The README's rule table is generated from the catalogue. This test fails when it is stale;
//! `UPDATE_README=1 cargo test -p parapet-core --test readme_rules` rewrites it.

use parapet_core::{Level, CATALOGUE};

const BEGIN: &str =
    "<!-- rules:begin (generated from the rule registry, crates/parapet-core/src/rules/) -->";
const END: &str = "<!-- rules:end -->";

fn level(l: Level) -> &'static str {
    match l {
        Level::Off => "—",
        l => l.as_str(),
    }
}

fn table() -> String {
    let mut out =
        String::from("| id | fires when | sandbox / controlled / production |\n|---|---|---|\n");
    for r in CATALOGUE {
        out.push_str(&format!(
            "| `{}` | {} | {} / {} / {} |\n",
            r.id,
            r.summary,
            level(r.defaults[0]),
            level(r.defaults[1]),
            level(r.defaults[2])
        ));
    }
    out
}

#[test]
fn readme_rule_table_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let (Some(b), Some(e)) = (readme.find(BEGIN), readme.find(END)) else {
        panic!("README.md lacks the rules markers");
    };
    let current = &readme[b + BEGIN.len()..e];
    let want = format!("\n{}", table());
    if current != want {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{BEGIN}{want}{}", &readme[..b], &readme[e..]);
            std::fs::write(path, updated).expect("write README.md");
        } else {
            panic!("README.md's rule table is stale: run UPDATE_README=1 cargo test -p parapet-core --test readme_rules");
        }
    }
}
