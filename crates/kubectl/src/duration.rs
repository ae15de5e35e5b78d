//! kubectl's AGE format: apimachinery `duration.HumanDuration`.

/// Formats a duration in milliseconds as kubectl's AGE column does.
pub fn human(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    if ms < -1000 {
        return "<invalid>".into();
    }
    if secs < 0 {
        return "0s".into();
    }
    if secs < 120 {
        return format!("{secs}s");
    }
    let mins = secs / 60;
    if mins < 10 {
        let s = secs % 60;
        return if s == 0 { format!("{mins}m") } else { format!("{mins}m{s}s") };
    }
    if mins < 180 {
        return format!("{mins}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        let m = mins % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 { format!("{days}d") } else { format!("{days}d{h}h") };
    }
    if days < 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if years < 8 {
        let d = days % 365;
        return if d == 0 { format!("{years}y") } else { format!("{years}y{d}d") };
    }
    format!("{years}y")
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn matches_human_duration() {
        let s = |x: i64| human(x * 1000);
        assert_eq!(s(0), "0s");
        assert_eq!(s(5), "5s");
        assert_eq!(s(90), "90s");
        assert_eq!(s(119), "119s");
        assert_eq!(s(120), "2m");
        assert_eq!(s(130), "2m10s");
        assert_eq!(s(45 * 60), "45m");
        assert_eq!(s(179 * 60), "179m");
        assert_eq!(s(3 * 3600), "3h");
        assert_eq!(s(5 * 3600 + 12 * 60), "5h12m");
        assert_eq!(s(26 * 3600), "26h");
        assert_eq!(s(2 * 86400), "2d");
        assert_eq!(s(3 * 86400 + 4 * 3600), "3d4h");
        assert_eq!(s(30 * 86400), "30d");
        assert_eq!(human(-5000), "<invalid>");
        assert_eq!(human(-500), "0s");
    }
}
