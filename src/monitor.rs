//! Monitoring many portals: audits split over CI jobs ([`shard`]), their reports joined
//! ([`merge`]), and one page of what changed everywhere from the audit history ([`digest`]).

pub mod digest;
pub mod merge;
pub mod shard;
pub mod since;
