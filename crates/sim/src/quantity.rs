//! Resource quantities (`500m`, `128Mi`, `1.5G`, `2e3`) parsed as Kubernetes parses them,
//! into exact milli-units.

/// Parses a quantity into thousandths of a unit (`"500m"` → 500, `"1"` → 1000,
/// `"1Ki"` → 1_024_000). `None` for text Kubernetes would reject.
pub fn parse(s: &str) -> Option<i128> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let (mul_num, mul_den): (i128, i128) = match suffix {
        "" => (1, 1),
        "n" => (1, 1_000_000_000),
        "u" => (1, 1_000_000),
        "m" => (1, 1000),
        "k" => (1_000, 1),
        "M" => (1_000_000, 1),
        "G" => (1_000_000_000, 1),
        "T" => (1_000_000_000_000, 1),
        "P" => (1_000_000_000_000_000, 1),
        "E" => (1_000_000_000_000_000_000, 1),
        "Ki" => (1 << 10, 1),
        "Mi" => (1 << 20, 1),
        "Gi" => (1 << 30, 1),
        "Ti" => (1 << 40, 1),
        "Pi" => (1 << 50, 1),
        "Ei" => (1 << 60, 1),
        other => {
            let exp = other.strip_prefix('e').or_else(|| other.strip_prefix('E'))?;
            let e: u32 = exp.parse().ok().filter(|e| *e <= 18)?;
            (10i128.pow(e), 1)
        }
    };
    let (neg, num) = match num.strip_prefix('-') {
        Some(n) => (true, n),
        None => (false, num.strip_prefix('+').unwrap_or(num)),
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|c| c.is_ascii_digit()) || !frac.bytes().all(|c| c.is_ascii_digit()) || frac.len() > 18 {
        return None;
    }
    let int_v: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_v: i128 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    let frac_den = 10i128.pow(frac.len() as u32);
    // value = (int + frac/frac_den) * mul_num / mul_den, in milli-units, rounded up as
    // Kubernetes rounds quantities up to its smallest scale.
    let numer = (int_v * frac_den + frac_v).checked_mul(mul_num)?.checked_mul(1000)?;
    let denom = frac_den * mul_den;
    let v = (numer + denom - 1) / denom;
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_kubernetes_forms() {
        assert_eq!(parse("500m"), Some(500));
        assert_eq!(parse("1"), Some(1000));
        assert_eq!(parse("0.5"), Some(500));
        assert_eq!(parse("1Ki"), Some(1_024_000));
        assert_eq!(parse("128Mi"), Some(128 * 1024 * 1024 * 1000));
        assert_eq!(parse("1G"), Some(1_000_000_000_000));
        assert_eq!(parse("2e3"), Some(2_000_000));
        assert_eq!(parse("1x"), None);
        assert_eq!(parse(""), None);
    }
}
