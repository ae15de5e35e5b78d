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

/// The canonical form the API server stores and prints a quantity in (apimachinery's
/// `Quantity.String()`): `0.5` → `500m`, `1000m` → `1`, `1.5Gi` → `1536Mi`, `1024Mi` →
/// `1Gi`, `500000000` → `500M`. Binary quantities stay binary when they are whole bytes of
/// at least 1024; decimal ones take the largest SI suffix that keeps an integer. `None` for
/// text that is not a quantity.
pub fn canonical(s: &str) -> Option<String> {
    parse(s)?;
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let (neg, num) = match num.strip_prefix('-') {
        Some(n) => (true, n),
        None => (false, num.strip_prefix('+').unwrap_or(num)),
    };
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let digits = format!("{int}{frac}");
    let mut value: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    let mut exp: i32 = -(frac.len() as i32);
    #[derive(PartialEq)]
    enum Format {
        Binary,
        Decimal,
        Exponent,
    }
    let binary = |k: u32| (1i128 << (10 * k), Format::Binary);
    let (mul, format) = match suffix {
        "Ki" => binary(1),
        "Mi" => binary(2),
        "Gi" => binary(3),
        "Ti" => binary(4),
        "Pi" => binary(5),
        "Ei" => binary(6),
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => {
            exp += match suffix {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                "E" => 18,
                _ => 0,
            };
            (1, Format::Decimal)
        }
        other => {
            exp += other[1..].parse::<i32>().ok()?;
            (1, Format::Exponent)
        }
    };
    value = value.checked_mul(mul)?;
    // Kubernetes keeps nine decimal places, rounding up.
    if exp < -9 {
        let div = 10i128.checked_pow((-9 - exp) as u32)?;
        value = (value + div - 1) / div;
        exp = -9;
    }
    if value == 0 {
        return Some("0".into());
    }
    let sign = if neg { "-" } else { "" };
    // A whole number of bytes, at least 1024: stays binary.
    if format == Format::Binary {
        let whole = if exp >= 0 {
            value.checked_mul(10i128.checked_pow(exp as u32)?)
        } else {
            let d = 10i128.pow((-exp) as u32);
            (value % d == 0).then(|| value / d)
        };
        if let Some(mut n) = whole.filter(|n| *n >= 1024) {
            let mut k = 0;
            while n % 1024 == 0 && k < 6 {
                n /= 1024;
                k += 1;
            }
            return Some(format!("{sign}{n}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k]));
        }
    }
    while value % 10 == 0 {
        value /= 10;
        exp += 1;
    }
    let r = exp.rem_euclid(3);
    value *= 10i128.pow(r as u32);
    exp -= r;
    if format == Format::Exponent {
        return Some(if exp == 0 { format!("{sign}{value}") } else { format!("{sign}{value}e{exp}") });
    }
    let suffix = match exp {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        0 => "",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => return Some(format!("{sign}{value}e{exp}")),
    };
    Some(format!("{sign}{value}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::{canonical, parse};

    #[test]
    fn canonical_forms_match_the_api_server() {
        for (input, want) in [
            ("0.75", "750m"),
            ("1.5Gi", "1536Mi"),
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1024Mi", "1Gi"),
            ("500000000", "500M"),
            ("128Mi", "128Mi"),
            ("250m", "250m"),
            ("1", "1"),
            ("2", "2"),
            ("100", "100"),
            ("1500", "1500"),
            ("64Mi", "64Mi"),
            ("512Ki", "512Ki"),
            ("1G", "1G"),
            ("0", "0"),
            ("0.1", "100m"),
            ("1e3", "1e3"),
            ("100Ki", "100Ki"),
            ("1Ki", "1Ki"),
            ("0.5Ki", "512"),
            ("1.5", "1500m"),
            ("10Gi", "10Gi"),
        ] {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(canonical("1x"), None);
    }

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
