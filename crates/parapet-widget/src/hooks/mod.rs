mod use_approval;

pub use use_approval::use_approval_state;
