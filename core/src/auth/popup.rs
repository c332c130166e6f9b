//! The popup window's size and position (docs/protocol.md §4.1).

use super::text::{concat, decimal};

/// Default popup width in CSS pixels.
pub const DEFAULT_POPUP_WIDTH: u32 = 500;
/// Default popup height in CSS pixels.
pub const DEFAULT_POPUP_HEIGHT: u32 = 600;

/// The screen the popup is centred on (`window.screen.width` / `height`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenSize {
    /// Screen width in CSS pixels.
    pub width: u32,
    /// Screen height in CSS pixels.
    pub height: u32,
}

impl ScreenSize {
    /// A screen of `width` × `height`.
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }
}

/// The `window.open` features string: the popup clamped to the screen and centred on it, plus
/// the fixed chrome flags of the official SDK.
///
/// A zero-sized screen (unknown, e.g. a native host) leaves the size unclamped at `0,0`.
pub fn popup_features(width: u32, height: u32, screen: ScreenSize) -> String {
    let clamp = |size: u32, available: u32| {
        if available == 0 {
            size
        } else {
            size.min(available)
        }
    };
    let width = clamp(width, screen.width);
    let height = clamp(height, screen.height);
    let left = screen.width.saturating_sub(width) / 2;
    let top = screen.height.saturating_sub(height) / 2;
    concat(&[
        "left=",
        &decimal(left),
        ",top=",
        &decimal(top),
        ",width=",
        &decimal(width),
        ",height=",
        &decimal(height),
        ",scrollbars=yes,resizable=yes,status=no,toolbar=no,location=no,copyhistory=no,\
         menubar=no,directories=no",
    ])
}
