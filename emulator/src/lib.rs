//! nango-emulator
