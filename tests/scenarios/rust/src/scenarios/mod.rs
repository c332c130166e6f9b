//! One file per scenario, named like the Node (`*.test.mjs`) and Python (`test_*.py`) files.

pub mod action_not_duplicated;
pub mod bad_input;
pub mod concurrent_consumers;
pub mod load;
pub mod no_secret_leak;
pub mod paging_under_faults;
pub mod rate_limit_respected;
pub mod resume_from_checkpoint;
pub mod timeouts_and_cancel;
pub mod walk;
pub mod webhook_forgery;
