//! The caller's own record type: the fields of the demo provider's `Ticket` model that an app
//! cares about. Records arrive as [`nango::Record<Ticket>`]: these fields plus Nango's
//! `_nango_metadata` (cursor, last action, timestamps).

use serde::Deserialize;

/// A support ticket as the `tickets` sync stores it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ticket {
    /// The provider's id (always a string in Nango's records cache).
    pub id: String,
    /// Subject line.
    pub title: String,
    /// `open`, `pending`, `solved`, …
    pub status: String,
    /// `low`, `normal`, `high`, when set.
    #[serde(default)]
    pub priority: Option<String>,
}
