//! Kubernetes resource quantities (`500m`, `1.5`, `4Gi`, `1e3`), as
//! `k8s.io/apimachinery/pkg/api/resource` reads them.

/// A quantity in thousandths of its unit (millicores, millibytes), rounded up
/// the way `Quantity.MilliValue()` rounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Milli(pub i128);

impl Milli {
    /// The whole value, rounded up (`Quantity.Value()`): bytes, pods.
    #[must_use]
    pub fn ceil_units(self) -> i128 {
        let (q, r) = (self.0 / 1000, self.0 % 1000);
        if r > 0 { q + 1 } else { q }
    }
}

/// Binary and decimal suffixes with their factor as (base, exponent).
const SUFFIXES: &[(&str, u32, u32)] = &[
    ("Ki", 2, 10),
    ("Mi", 2, 20),
    ("Gi", 2, 30),
    ("Ti", 2, 40),
    ("Pi", 2, 50),
    ("Ei", 2, 60),
    ("k", 10, 3),
    ("M", 10, 6),
    ("G", 10, 9),
    ("T", 10, 12),
    ("P", 10, 15),
    ("E", 10, 18),
];

/// Parse a quantity; `None` when the text is not one (the API server would
/// reject it). Written as in `resource.ParseQuantity`: an optional sign, a
/// decimal number, then a binary suffix (`Ki`…`Ei`), a decimal suffix (`n`,
/// `u`, `m`, `k`, `M`…`E`) or a decimal exponent (`e3`, `E-2`).
#[must_use]
pub fn parse_quantity(text: &str) -> Option<Milli> {
    let text = text.trim();
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let number_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(number_len);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return None;
    }
    // Digits as an integer scaled by 10^-fraction_len; cap the length so the
    // arithmetic below cannot overflow.
    if whole.len() + fraction.len() > 30 {
        return None;
    }
    let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    let mut scale_ten: i32 = -i32::try_from(fraction.len()).ok()?;
    let mut binary_shift: u32 = 0;
    match suffix {
        "" => {}
        "n" => scale_ten -= 9,
        "u" => scale_ten -= 6,
        "m" => scale_ten -= 3,
        s if s.starts_with(['e', 'E']) && s.len() > 1 => {
            let exponent: i32 = s.get(1..)?.parse().ok()?;
            if exponent.abs() > 30 {
                return None;
            }
            scale_ten += exponent;
        }
        s => {
            let (_, base, exponent) = SUFFIXES.iter().find(|(name, _, _)| *name == s)?;
            if *base == 2 {
                binary_shift = *exponent;
            } else {
                scale_ten += i32::try_from(*exponent).ok()?;
            }
        }
    }
    // Value in milli-units: digits * 2^shift * 10^(scale_ten + 3), rounded up.
    let mut value = digits.checked_mul(1i128.checked_shl(binary_shift)?)?;
    let exponent = scale_ten + 3;
    if exponent >= 0 {
        value = value.checked_mul(10i128.checked_pow(u32::try_from(exponent).ok()?)?)?;
    } else {
        let divisor = 10i128.checked_pow(u32::try_from(-exponent).ok()?)?;
        let rounded_up = value % divisor != 0;
        value = value / divisor + i128::from(rounded_up);
    }
    Some(Milli(if negative { -value } else { value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn milli(text: &str) -> Option<i128> {
        parse_quantity(text).map(|m| m.0)
    }

    #[test]
    fn cpu_forms() {
        assert_eq!(milli("500m"), Some(500));
        assert_eq!(milli("2"), Some(2000));
        assert_eq!(milli("1.5"), Some(1500));
        assert_eq!(milli("0.1"), Some(100));
        assert_eq!(milli("100u"), Some(1), "rounded up like MilliValue");
        assert_eq!(milli("1e3"), Some(1_000_000));
        assert_eq!(milli("+3"), Some(3000));
    }

    #[test]
    fn memory_forms() {
        assert_eq!(parse_quantity("1Ki").map(Milli::ceil_units), Some(1024));
        assert_eq!(
            parse_quantity("4Gi").map(Milli::ceil_units),
            Some(4 * 1024 * 1024 * 1024)
        );
        assert_eq!(
            parse_quantity("128M").map(Milli::ceil_units),
            Some(128_000_000)
        );
        assert_eq!(
            parse_quantity("1.5Gi").map(Milli::ceil_units),
            Some(1_610_612_736)
        );
    }

    #[test]
    fn rejects_what_the_api_server_rejects() {
        for bad in [
            "", "m", "1.2.3", "12 Gi", "1GB", "1gi", "e3", "abc", "1e", "--1",
        ] {
            assert_eq!(parse_quantity(bad), None, "{bad}");
        }
        assert_eq!(parse_quantity(&"9".repeat(40)), None, "too long");
    }
}
