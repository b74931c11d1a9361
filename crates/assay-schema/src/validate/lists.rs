//! Duplicate items of `uniqueItems` and `x-kubernetes-list-type` lists.

use super::paths::Seg;
use super::read::{canonical, effective_entries, shown_key};
use super::walker::Walker;
use crate::schema::{Constraints, ListType};
use assay_yaml::Value;
use std::collections::HashMap;

/// `uniqueItems`, `x-kubernetes-list-type: set` and `map`: a duplicate item
/// (or key) is reported at the later item.
pub(super) fn check_list(w: &mut Walker<'_, '_>, value: Value<'_>, c: &Constraints, path: u32) {
    let keys: Option<&[Box<str>]> = match &c.list_type {
        ListType::Map(keys) => Some(keys),
        ListType::Set => None,
        ListType::Atomic if c.unique_items => None,
        ListType::Atomic => return,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, item) in value.items().enumerate() {
        let id = match keys {
            None => (canonical(item, 0), String::new()),
            Some(keys) => {
                if !item.is_mapping() {
                    continue;
                }
                let entries = effective_entries(item);
                let parts: Vec<(String, String)> = keys
                    .iter()
                    .map(|k| {
                        let v = entries.iter().find(|(t, _, _)| *t == k.as_ref());
                        let (id, shown) = v.map_or_else(
                            || ("null".to_owned(), "null".to_owned()),
                            |(_, _, v)| (canonical(*v, 0), shown_key(*v)),
                        );
                        (id, format!("{k}={shown}"))
                    })
                    .collect();
                let ids: Vec<&str> = parts.iter().map(|(id, _)| id.as_str()).collect();
                let shown: Vec<&str> = parts.iter().map(|(_, s)| s.as_str()).collect();
                (ids.join("\u{1}"), shown.join(", "))
            }
        };
        let (id, shown) = id;
        match seen.get(&id) {
            Some(first) => {
                let at = w.paths.push(path, Seg::Index(i));
                let (message, fix) = match (keys, &c.list_type) {
                    (Some(_), _) => (
                        format!(
                            "expected unique keys (`x-kubernetes-list-type: map`), found {shown} again (also at [{first}])"
                        ),
                        "merge the two items or change a key",
                    ),
                    (None, ListType::Set) => (
                        format!(
                            "expected unique items (`x-kubernetes-list-type: set`), found a duplicate of [{first}]"
                        ),
                        "remove the duplicate",
                    ),
                    (None, _) => (
                        format!(
                            "expected unique items (`uniqueItems`), found a duplicate of [{first}]"
                        ),
                        "remove the duplicate",
                    ),
                };
                w.error(item.span(), at, message, Some(fix.to_owned()));
            }
            None => {
                seen.insert(id, i);
            }
        }
    }
}
