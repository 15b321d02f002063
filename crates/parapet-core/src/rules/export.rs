//! `export/*`: the app can be exported, and its export is kept in version control.

use super::{declare_rule, Context, RawFinding, Rule};
use crate::manifest::{Manifest, Origin};

declare_rule! {
    /// Apps that cannot be exported cannot be backed up, reviewed or moved off a platform.
    NOT_EXPORTABLE = "export/not-exportable" {
        title: "The app can't be exported",
        summary: "`export.exportable` is not true",
        defaults: [Info, Deny, Deny],
        severity: 2.0,
        precision: VeryHigh,
        help: "Make the app exportable (spec.export.exportable: true) and name the export format.",
        check: Some(not_exportable),
    }
    /// Exports belong in version control so changes can be reviewed and rolled back.
    NO_REPOSITORY = "export/no-repository" {
        title: "No place is named for the app's export",
        summary: "no `export.repository`",
        defaults: [Off, Warn, Deny],
        severity: 2.0,
        precision: VeryHigh,
        help: "Store the app's export in a repository and set spec.export.repository.",
        check: Some(no_repository),
    }
}

/// Where export findings point: `spec.export`, or `spec` when it is missing.
fn export_origin(m: &Manifest) -> Option<&Origin> {
    let spec = m.spec.as_ref()?;
    Some(m.export.as_ref().map_or(spec, |e| &e.origin))
}

fn not_exportable(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    let Some(origin) = export_origin(m) else {
        return;
    };
    match m.export.as_ref().and_then(|e| e.exportable.as_ref()) {
        Some(x) if x.value => {}
        Some(x) => out.push(RawFinding::at(
            Rule::ExportNotExportable,
            "the app is marked not exportable".into(),
            &x.origin,
        )),
        None => out.push(RawFinding::at(
            Rule::ExportNotExportable,
            "the app is not marked exportable (spec.export.exportable)".into(),
            origin,
        )),
    }
}

fn no_repository(cx: &Context<'_>, out: &mut Vec<RawFinding>) {
    let Some(m) = cx.manifest else { return };
    let Some(origin) = export_origin(m) else {
        return;
    };
    if m.export
        .as_ref()
        .and_then(|e| e.repository.as_ref())
        .is_none()
    {
        out.push(RawFinding::at(
            Rule::ExportNoRepository,
            "the app's export is not kept in a repository (spec.export.repository)".into(),
            origin,
        ));
    }
}
