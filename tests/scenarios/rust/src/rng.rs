//! The seeded random source and the fault plan, identical in every language (the Node and Python
//! suites implement the same mulberry32 and the same plan), so one seed means one fault sequence.

use serde_json::{Value, json};

/// mulberry32: tiny, 32-bit, easy to reproduce bit-for-bit in JS and Python.
#[derive(Debug, Clone)]
pub struct Mulberry32(u32);

impl Mulberry32 {
    /// A generator from a seed.
    pub fn new(seed: u32) -> Self {
        Mulberry32(seed)
    }

    /// The next 32-bit value.
    pub fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x6D2B_79F5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        t ^ (t >> 14)
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: u32) -> u32 {
        self.next_u32() % n.max(1)
    }
}

/// One planned request slot: a label and the fault rule the emulator gets.
#[derive(Debug, Clone)]
pub struct Slot {
    /// `pass`, `429`, `503`, `drop`, `truncate` or `slow`.
    pub label: &'static str,
    /// The rule, for `POST /_emulator/faults`.
    pub rule: Value,
}

impl Slot {
    /// Whether this slot injects anything.
    pub fn is_fault(&self) -> bool {
        self.label != "pass"
    }
}

/// The fault plan for the next `slots` requests to `method path`: 4% 429 with `Retry-After`,
/// 8% bursts of one to three 503s, 6% dropped connections, 6% truncated bodies, 8% slow pages,
/// the rest pass (a zero-delay rule, so that rules line up with requests one to one).
pub fn fault_plan(
    seed: u32,
    slots: usize,
    method: &str,
    path: &str,
    slow_ms: u64,
    retry_after: u64,
) -> Vec<Slot> {
    let mut rng = Mulberry32::new(seed);
    let base = |kind: Value| {
        let mut rule = json!({"method": method, "path": path, "count": 1});
        if let (Some(rule), Value::Object(kind)) = (rule.as_object_mut(), kind) {
            rule.extend(kind);
        }
        rule
    };
    let mut plan = Vec::with_capacity(slots);
    while plan.len() < slots {
        let roll = rng.below(100);
        if roll < 4 {
            plan.push(Slot {
                label: "429",
                rule: base(json!({"kind": "status", "status": 429, "retry_after": retry_after})),
            });
        } else if roll < 12 {
            let burst = 1 + rng.below(3);
            for _ in 0..burst {
                plan.push(Slot {
                    label: "503",
                    rule: base(json!({"kind": "status", "status": 503})),
                });
            }
        } else if roll < 18 {
            plan.push(Slot {
                label: "drop",
                rule: base(json!({"kind": "drop"})),
            });
        } else if roll < 24 {
            plan.push(Slot {
                label: "truncate",
                rule: base(json!({"kind": "truncate"})),
            });
        } else if roll < 32 {
            plan.push(Slot {
                label: "slow",
                rule: base(json!({"kind": "delay", "ms": slow_ms})),
            });
        } else {
            plan.push(Slot {
                label: "pass",
                rule: base(json!({"kind": "delay", "ms": 0})),
            });
        }
    }
    plan.truncate(slots);
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mulberry32_reference_values() {
        // The Node and Python suites assert the same three values for the same seed.
        let mut rng = Mulberry32::new(20261128);
        let first: Vec<u32> = (0..3).map(|_| rng.next_u32()).collect();
        assert_eq!(first, vec![4134877445, 809051511, 1505209704]);
    }
}
