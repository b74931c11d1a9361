//! `resource.Quantity` syntax, as `k8s.io/apimachinery` `ParseQuantity` reads it.
//!
//! ```text
//! quantity ::= [+-]? number suffix
//! number   ::= digits | digits "." digits? | "." digits
//! suffix   ::= "" | n | u | m | k | M | G | T | P | E
//!            | Ki | Mi | Gi | Ti | Pi | Ei | (e|E) [+-]? digits
//! ```

/// Whether `text` is a valid quantity string (`500m`, `1Gi`, `1e3`, `0.5`).
#[must_use]
pub fn is_quantity(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let number_end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (number, suffix) = body.split_at(number_end);
    let digits = number.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || number.matches('.').count() > 1 {
        return false;
    }
    match suffix {
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti"
        | "Pi" | "Ei" => true,
        _ => suffix
            .strip_prefix(['e', 'E'])
            .map(|e| e.strip_prefix(['+', '-']).unwrap_or(e))
            .is_some_and(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())),
    }
}

#[cfg(test)]
mod tests {
    use super::is_quantity;

    #[test]
    fn quantities() {
        for ok in [
            "500m", "1Gi", "1e3", "1E-3", "0.5", ".5", "5.", "+1", "-1k", "128Mi", "2", "1.5Gi",
            "100n", "3u", "1e+3",
        ] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in [
            "", "m", "1.2.3", "1GB", "1gi", "1 Gi", " 1", "1e", "1e+", "one", "1Gii", "..", "1ki",
        ] {
            assert!(!is_quantity(bad), "{bad}");
        }
    }
}
