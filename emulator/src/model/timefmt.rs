//! Timestamps: an in-process monotonic clock in microseconds, and the two renderings the protocol uses
//! (Postgres `timestamptz` JSON for records/cursors, JavaScript `toISOString()` for everything else).

use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Microseconds since the Unix epoch, UTC.
pub(crate) type Micros = i64;

pub(crate) fn now_micros() -> Micros {
    let now = OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000) as i64
}

/// Hands out strictly increasing timestamps, so that two writes never share a `updated_at` even when
/// they happen within one microsecond: a reader holding a cursor can then never miss a later write
/// that would sort before its cursor.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    last: AtomicI64,
}

impl Clock {
    pub(crate) fn tick(&self) -> Micros {
        let now = now_micros();
        let mut prev = self.last.load(Ordering::Relaxed);
        loop {
            let next = if now > prev { now } else { prev + 1 };
            match self
                .last
                .compare_exchange(prev, next, Ordering::SeqCst, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(actual) => prev = actual,
            }
        }
    }
}

fn to_datetime(micros: Micros) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Postgres' JSON rendering of a `timestamptz` in a UTC session: `2023-09-18T15:20:35.941305+00:00`.
pub(crate) fn pg(micros: Micros) -> String {
    let d = to_datetime(micros);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second(),
        d.microsecond()
    )
}

/// JavaScript's `Date.prototype.toISOString()`: millisecond precision and a `Z`.
pub(crate) fn iso(micros: Micros) -> String {
    let d = to_datetime(micros);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second(),
        d.millisecond()
    )
}

/// Parses an RFC 3339 timestamp with any offset into microseconds.
pub(crate) fn parse_rfc3339(s: &str) -> Option<Micros> {
    let d = OffsetDateTime::parse(s, &Rfc3339).ok()?;
    Some((d.unix_timestamp_nanos() / 1_000) as i64)
}

/// zod's `.datetime()` default: only the `Z` form is accepted (no numeric offset).
pub(crate) fn parse_zod_datetime(s: &str) -> Option<Micros> {
    if !s.ends_with('Z') {
        return None;
    }
    parse_rfc3339(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_postgres_and_iso() {
        let t = parse_rfc3339("2024-02-26T03:00:39.623388-05:00").unwrap();
        assert_eq!(pg(t), "2024-02-26T08:00:39.623388+00:00");
        assert_eq!(iso(t), "2024-02-26T08:00:39.623Z");
        assert_eq!(parse_rfc3339(&pg(t)), Some(t));
    }

    #[test]
    fn zod_datetime_needs_z() {
        assert!(parse_zod_datetime("2024-02-26T03:00:39.623Z").is_some());
        assert!(parse_zod_datetime("2024-02-26T03:00:39+02:00").is_none());
        assert!(parse_zod_datetime("yesterday").is_none());
    }

    #[test]
    fn clock_is_strictly_increasing() {
        let c = Clock::default();
        let mut prev = c.tick();
        for _ in 0..10_000 {
            let n = c.tick();
            assert!(n > prev);
            prev = n;
        }
    }
}
