//! The TypeScript block: one `export interface` per object, `export type` per alias (written by
//! core's emitter, `nango::models::typescript`).

use crate::{In, Language, Model};

/// The block between the markers of `header.d.ts`.
pub fn typescript(model: &Model) -> String {
    nango::models::typescript::declarations(
        &In(model, Language::TypeScript),
        model.written(Language::TypeScript),
    )
}
