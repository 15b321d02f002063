//! `parapet policy default` and `parapet policy check FILE`.

use std::path::Path;

use parapet_core::{PolicyPack, DEFAULT_PACK_YAML};

use crate::check::{print_policy_errors, read_policy_text};
use crate::out::{self, Out};
use crate::render::plural;
use crate::Exit;

pub fn default() -> Exit {
    write(DEFAULT_PACK_YAML)
}

pub fn check(file: &Path) -> Exit {
    let shown = if file.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        file.display().to_string()
    };
    let text = match read_policy_text(file) {
        Ok(t) => t,
        Err(e) => {
            out::error(&format!("cannot read {shown}: {e}"));
            return Exit::Error;
        }
    };
    match PolicyPack::from_text(&text) {
        Ok(pack) => {
            let version = pack
                .version
                .as_deref()
                .map(|v| format!(" version {v}"))
                .unwrap_or_default();
            write(&format!(
                "{}: ok: policy pack `{}`{version}; {}, {}, {}, {}\n",
                crate::frame::printable(&shown),
                crate::frame::printable(&pack.name),
                plural(pack.rules.len(), "rule override", "rule overrides"),
                plural(pack.business.len(), "business service", "business services"),
                plural(pack.blocked.len(), "blocked service", "blocked services"),
                plural(pack.endpoints.len(), "endpoint rule", "endpoint rules"),
            ))
        }
        Err(errors) => {
            print_policy_errors(&shown, &errors);
            Exit::Error
        }
    }
}

fn write(text: &str) -> Exit {
    let mut stdout = Out::stdout();
    stdout.write(text);
    match stdout.finish() {
        Ok(()) => Exit::Ok,
        Err(e) => {
            out::error(&format!("cannot write the output: {e}"));
            Exit::Error
        }
    }
}
