//! Time zones and instants. Every process has a time zone (an IANA name,
//! New York by default, where the General Assembly sits); instants are kept
//! in UTC milliseconds, as [`super::Event::at_ms`] is, and shown in the
//! process's zone with the zone named, because a delegate in Geneva reading
//! "18:00" must know whose 18:00 it is.
//!
//! The tz database is bundled into the binary (jiff's `tzdb-bundle-always`),
//! so the core reads no files and every machine reads a zone the same way.

use jiff::{civil::DateTime, tz::TimeZone, Timestamp};

/// The zone of a process that names none.
pub const DEFAULT_TIME_ZONE: &str = "America/New_York";

/// The time zone named `name`, or why not.
fn zone(name: &str) -> Result<TimeZone, String> {
    jiff::tz::db().get(name).map_err(|_| {
        format!("`{name}` is not a time zone of the tz database (write e.g. `America/New_York`)")
    })
}

/// Checks that `name` is an IANA time zone name.
pub fn check_time_zone(name: &str) -> Result<(), String> {
    if name.len() > 64 || name.trim() != name || name.is_empty() {
        return Err(format!("`{name}` is not a time zone name"));
    }
    zone(name).map(drop)
}

/// Reads an instant: RFC 3339 with an offset (`2026-12-10T18:00:00-05:00`,
/// `…Z`), or a civil date and time (`2026-12-10T18:00`, `2026-12-10 18:00`)
/// read in the zone `zone_name`. Returns milliseconds since the epoch.
pub fn parse_instant(text: &str, zone_name: &str) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    let civil = text.parse::<DateTime>().map_err(|_| {
        format!(
            "`{text}` is not a date and time: write `2026-12-10T18:00:00-05:00`, or `2026-12-10T18:00` \
             for the process's time zone ({zone_name})"
        )
    })?;
    let tz = zone(zone_name)?;
    civil.to_zoned(tz).map(|z| z.timestamp().as_millisecond()).map_err(|e| format!("`{text}`: {e}"))
}

fn zoned(ms: i64, zone_name: &str) -> Option<jiff::Zoned> {
    let ts = Timestamp::from_millisecond(ms).ok()?;
    Some(ts.to_zoned(zone(zone_name).ok()?))
}

/// An instant in the zone, RFC 3339 with its offset:
/// `2026-12-10T18:00:00-05:00` (UTC when the zone is unknown).
pub fn rfc3339_in(ms: i64, zone_name: &str) -> String {
    match zoned(ms, zone_name) {
        Some(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        None => super::rfc3339(ms),
    }
}

/// An instant as a delegate reads it, the zone named:
/// `Thursday 10 December 2026, 18:00 EST (America/New_York)`.
pub fn local_time(ms: i64, zone_name: &str) -> String {
    match zoned(ms, zone_name) {
        Some(z) => {
            // Seconds only when they matter (a break one second late).
            let format = if z.second() == 0 { "%A %-d %B %Y, %H:%M %Z" } else { "%A %-d %B %Y, %H:%M:%S %Z" };
            format!("{} ({zone_name})", z.strftime(format))
        }
        None => super::rfc3339(ms),
    }
}

/// The date of an instant in the zone, as a draft's date line writes it:
/// `10 December 2026`.
pub fn local_date(ms: i64, zone_name: &str) -> String {
    match zoned(ms, zone_name) {
        Some(z) => z.strftime("%-d %B %Y").to_string(),
        None => super::rfc3339(ms)[..10].to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NY: &str = DEFAULT_TIME_ZONE;

    #[test]
    fn offsets_and_civil_times_in_the_zone() {
        let with_offset = parse_instant("2026-12-10T18:00:00-05:00", NY).unwrap();
        assert_eq!(super::super::rfc3339(with_offset), "2026-12-10T23:00:00.000Z");
        assert_eq!(parse_instant("2026-12-10T18:00", NY), Ok(with_offset));
        assert_eq!(parse_instant("2026-12-10T23:00:00Z", "Europe/Zurich"), Ok(with_offset));
        // Summer time: New York is 4 hours behind UTC in June.
        let june = parse_instant("2026-06-04 18:00", NY).unwrap();
        assert_eq!(super::super::rfc3339(june), "2026-06-04T22:00:00.000Z");
        assert!(parse_instant("next Friday", NY).unwrap_err().contains("not a date and time"));
        assert!(parse_instant("2026-12-10T18:00", "Mars/Olympus").unwrap_err().contains("Mars/Olympus"));
    }

    #[test]
    fn shown_in_the_zone_with_its_name() {
        let ms = parse_instant("2026-12-04T18:00:00-05:00", NY).unwrap();
        assert_eq!(local_time(ms, NY), "Friday 4 December 2026, 18:00 EST (America/New_York)");
        assert_eq!(rfc3339_in(ms, NY), "2026-12-04T18:00:00-05:00");
        assert_eq!(local_date(ms, "Asia/Tokyo"), "5 December 2026");
        assert_eq!(local_time(ms + 1_000, NY), "Friday 4 December 2026, 18:00:01 EST (America/New_York)");
    }

    #[test]
    fn zone_names_are_checked() {
        assert!(check_time_zone("Europe/Zurich").is_ok());
        assert!(check_time_zone("Africa/Nairobi").is_ok());
        assert!(check_time_zone("New York").is_err());
        assert!(check_time_zone("").is_err());
    }
}
