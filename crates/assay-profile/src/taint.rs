//! Taints and tolerations, matched the way `Toleration.ToleratesTaint` in
//! `k8s.io/api/core/v1/toleration.go` matches them.

/// A taint effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl TaintEffect {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<TaintEffect> {
        match text {
            "NoSchedule" => Some(TaintEffect::NoSchedule),
            "PreferNoSchedule" => Some(TaintEffect::PreferNoSchedule),
            "NoExecute" => Some(TaintEffect::NoExecute),
            _ => None,
        }
    }

    /// Whether the scheduler's TaintToleration filter considers the taint
    /// (`PreferNoSchedule` only lowers a node's score).
    #[must_use]
    pub fn filters(self) -> bool {
        matches!(self, TaintEffect::NoSchedule | TaintEffect::NoExecute)
    }
}

/// A node taint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: TaintEffect,
}

impl std::fmt::Display for Taint {
    /// `key=value:Effect`, as `kubectl taint` writes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}:{}", self.key, self.effect.as_str())
        } else {
            write!(f, "{}={}:{}", self.key, self.value, self.effect.as_str())
        }
    }
}

/// A toleration operator; anything else never tolerates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TolerationOperator {
    Equal,
    Exists,
    /// An operator the API server rejects; matches nothing.
    Invalid,
}

/// A pod (or RuntimeClass) toleration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Toleration {
    /// Empty with `Exists`: every key.
    pub key: String,
    pub operator: TolerationOperator,
    pub value: String,
    /// `None`: every effect.
    pub effect: Option<TaintEffect>,
}

impl Toleration {
    /// Whether this toleration tolerates `taint`.
    #[must_use]
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if self.effect.is_some_and(|e| e != taint.effect) {
            return false;
        }
        if !self.key.is_empty() && self.key != taint.key {
            return false;
        }
        match self.operator {
            TolerationOperator::Equal => self.value == taint.value,
            TolerationOperator::Exists => true,
            TolerationOperator::Invalid => false,
        }
    }
}

/// The first taint that filters pods and that none of `tolerations`
/// tolerates (`FindMatchingUntoleratedTaint`).
#[must_use]
pub fn untolerated<'t>(taints: &'t [Taint], tolerations: &[Toleration]) -> Option<&'t Taint> {
    taints
        .iter()
        .filter(|t| t.effect.filters())
        .find(|t| !tolerations.iter().any(|tol| tol.tolerates(t)))
}

/// Read a toleration written in YAML (a pod's `tolerations[]` item or a
/// RuntimeClass's `scheduling.tolerations[]`). Tolerations the API server
/// rejects (`validateTolerations` in `pkg/apis/core/validation/validation.go`)
/// come back as an error at the offending node, with the toleration as the
/// scheduler would read it (it matches nothing when the operator is invalid).
#[must_use]
pub fn read_toleration(
    node: assay_yaml::Value<'_>,
) -> (Toleration, Option<(assay_span::Span, String)>) {
    let text = |key: &str| node.get(key).and_then(|v| v.as_str()).unwrap_or("");
    let key = text("key");
    let value = text("value");
    let mut problem = None;
    let operator = match text("operator") {
        "" | "Equal" => TolerationOperator::Equal,
        "Exists" => TolerationOperator::Exists,
        other => {
            problem = Some((
                node.get("operator").map_or(node.span(), |v| v.span()),
                format!(
                    "toleration operator `{other}` is not supported (Equal or Exists); the API server rejects it"
                ),
            ));
            TolerationOperator::Invalid
        }
    };
    if operator == TolerationOperator::Exists && !value.is_empty() {
        problem.get_or_insert((
            node.get("value").map_or(node.span(), |v| v.span()),
            "a toleration with operator `Exists` must not have a value; the API server rejects it"
                .to_owned(),
        ));
    }
    if key.is_empty() && operator == TolerationOperator::Equal {
        problem.get_or_insert((
            node.span(),
            "a toleration without a key must use operator `Exists`; the API server rejects it"
                .to_owned(),
        ));
    }
    let effect = match text("effect") {
        "" => None,
        other => match TaintEffect::parse(other) {
            Some(e) => Some(e),
            None => {
                problem.get_or_insert((
                    node.get("effect").map_or(node.span(), |v| v.span()),
                    format!("toleration effect `{other}` is not NoSchedule, PreferNoSchedule or NoExecute; the API server rejects it"),
                ));
                None
            }
        },
    };
    (
        Toleration {
            key: key.to_owned(),
            operator,
            value: value.to_owned(),
            effect,
        },
        problem,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: TaintEffect) -> Taint {
        Taint {
            key: key.into(),
            value: value.into(),
            effect,
        }
    }

    fn tol(
        key: &str,
        op: TolerationOperator,
        value: &str,
        effect: Option<TaintEffect>,
    ) -> Toleration {
        Toleration {
            key: key.into(),
            operator: op,
            value: value.into(),
            effect,
        }
    }

    #[test]
    fn matching_follows_the_api() {
        use TaintEffect::*;
        use TolerationOperator::*;
        let os = taint("os", "windows", NoSchedule);
        assert!(tol("os", Equal, "windows", Some(NoSchedule)).tolerates(&os));
        assert!(!tol("os", Equal, "linux", Some(NoSchedule)).tolerates(&os));
        assert!(
            tol("os", Exists, "", None).tolerates(&os),
            "Exists ignores the value"
        );
        assert!(
            tol("", Exists, "", None).tolerates(&os),
            "empty key with Exists tolerates all"
        );
        assert!(
            !tol("os", Equal, "windows", Some(NoExecute)).tolerates(&os),
            "effect must match"
        );
        assert!(
            tol("os", Equal, "windows", None).tolerates(&os),
            "empty effect matches all"
        );
        assert!(!tol("os", Invalid, "windows", None).tolerates(&os));
    }

    #[test]
    fn prefer_no_schedule_does_not_filter() {
        let taints = [
            taint("soft", "", TaintEffect::PreferNoSchedule),
            taint("hard", "x", TaintEffect::NoExecute),
        ];
        assert_eq!(
            untolerated(&taints, &[]).map(|t| t.key.as_str()),
            Some("hard")
        );
        assert_eq!(untolerated(&taints[..1], &[]), None);
    }
}
