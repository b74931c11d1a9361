//! Did-you-mean suggestions for misspelt names.

/// The candidate closest to `name`, when close enough to be a typo.
#[must_use]
pub fn closest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(name.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_only_close_candidates() {
        let names = ["imagePullPolicy", "image", "YAML002", "duplicate-key"];
        assert_eq!(
            closest("imagePullPolicyy", names.into_iter()),
            Some("imagePullPolicy")
        );
        assert_eq!(closest("yaml02", names.into_iter()), Some("YAML002"));
        assert_eq!(
            closest("duplicate-kye", names.into_iter()),
            Some("duplicate-key")
        );
        assert_eq!(closest("zzzzzzzzzz", names.into_iter()), None);
    }
}
