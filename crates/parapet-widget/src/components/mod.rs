//! The widget's parts. `FindingItem` is a function component (memoised on its props, so an
//! unchanged finding is not re-rendered); the header, live region, groups and approval panel
//! are view functions called by the root component `Guard`, which owns the hooks. Fewer
//! component types keep the wasm small: each one costs its own copy of yew's machinery.

pub mod approval_panel;
pub mod finding_group;
pub mod finding_item;
pub mod live_region;
pub mod verdict_header;
