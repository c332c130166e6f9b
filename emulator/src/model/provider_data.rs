//! The demo provider's data set: synthetic records per integration and model, and the mutations that
//! admin calls and actions make (so the next sync reports adds, updates and deletes).

use crate::model::config::{Config, ModelConfig};
use crate::model::record_store::SourceItem;
use crate::model::state::{ProviderData, ProviderItem, World};
use serde_json::{Map, Value, json};
use std::sync::Arc;

const STATUSES: [&str; 3] = ["open", "pending", "solved"];
const PRIORITIES: [&str; 3] = ["low", "normal", "high"];

/// The JSON Schema of the records [`synthetic`] makes, as a sync's `json_schema.definitions` entry
/// of `GET /scripts/config` carries it (draft 7, as Nango's CLI writes them from the models).
/// Records made by a `create_record` action hold the action's input too, and only the keys it
/// always sets are required, so the object is open.
pub(crate) fn model_schema(model: &str) -> Value {
    json!({
        "type": "object",
        "description": format!("A {model} of the emulator's demo provider (synthetic data)."),
        "additionalProperties": {},
        "properties": {
            "id": {"type": "string", "description": "The provider's id of the record."},
            "title": {"type": "string"},
            "status": {"type": "string", "enum": STATUSES},
            "priority": {"anyOf": PRIORITIES.iter().map(|p| json!({"const": p})).collect::<Vec<_>>()},
            "requester": {"type": "string", "format": "email"},
            "revision": {"type": "integer", "description": "Grows with every change of the record."},
            "description": {"type": "string"},
        },
        "required": ["id", "title", "status", "revision"],
    })
}

/// A deterministic synthetic record of roughly `size` bytes.
fn synthetic(model: &str, n: u64, version: u64, size: usize) -> Value {
    let i = n as usize;
    let mut v = json!({
        "id": n.to_string(),
        "title": format!("{model} #{n}"),
        "status": STATUSES[i % 3],
        "priority": PRIORITIES[(i / 3) % 3],
        "requester": format!("user{}@example.com", i % 97),
        "revision": version,
    });
    let base = v.to_string().len() + "\"description\":\"\",".len();
    let pad = size.saturating_sub(base);
    let text: String = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
        .chars()
        .cycle()
        .take(pad)
        .collect();
    if let Value::Object(m) = &mut v {
        m.insert("description".into(), Value::String(text));
    }
    v
}

/// Fills every integration's models with their seed data.
pub(crate) fn seed(world: &mut World, cfg: &Config) {
    for integ in &cfg.integrations {
        let data = world.provider.entry(integ.unique_key.clone()).or_default();
        for m in &integ.models {
            seed_model(data, m);
        }
    }
}

fn seed_model(data: &mut ProviderData, m: &ModelConfig) {
    let items = data.models.entry(m.name.clone()).or_default();
    for n in 1..=m.seed_count as u64 {
        data.next_version += 1;
        let payload = synthetic(&m.name, n, data.next_version, m.record_size);
        items.insert(
            n.to_string(),
            ProviderItem {
                version: data.next_version,
                payload: Arc::new(payload),
            },
        );
    }
    data.next_id = data.next_id.max(m.seed_count as u64);
}

/// The provider's current items of a model, as a sync sees them.
pub(crate) fn snapshot(world: &World, integration: &str, model: &str) -> Vec<SourceItem> {
    world
        .provider
        .get(integration)
        .and_then(|d| d.models.get(model))
        .map(|items| {
            items
                .iter()
                .map(|(id, it)| SourceItem {
                    id: id.clone(),
                    version: it.version,
                    payload: it.payload.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn record_size(cfg: &Config, integration: &str, model: &str) -> usize {
    cfg.integration(integration)
        .and_then(|i| i.models.iter().find(|m| m.name == model))
        .map_or(256, |m| m.record_size)
}

/// Result of a mutation: the ids touched per kind.
#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct Mutation {
    pub(crate) added: Vec<String>,
    pub(crate) updated: Vec<String>,
    pub(crate) deleted: Vec<String>,
}

/// Adds `add` new items, updates the `update` oldest-id items (or the given ids), deletes `delete`
/// items from the end (or the given ids).
pub(crate) fn mutate(
    world: &mut World,
    cfg: &Config,
    integration: &str,
    model: &str,
    add: usize,
    update: Update,
    delete: Update,
) -> Mutation {
    let size = record_size(cfg, integration, model);
    let data = world.provider.entry(integration.to_owned()).or_default();
    let mut out = Mutation::default();
    let ids_to_delete: Vec<String> = {
        let items = data.models.entry(model.to_owned()).or_default();
        match delete {
            Update::Count(n) => items.keys().rev().take(n).cloned().collect(),
            Update::Ids(ids) => ids.into_iter().filter(|i| items.contains_key(i)).collect(),
        }
    };
    let ids_to_update: Vec<String> = {
        let items = data.models.entry(model.to_owned()).or_default();
        match update {
            Update::Count(n) => items
                .keys()
                .filter(|k| !ids_to_delete.contains(k))
                .take(n)
                .cloned()
                .collect(),
            Update::Ids(ids) => ids.into_iter().filter(|i| items.contains_key(i)).collect(),
        }
    };
    for id in ids_to_update {
        data.next_version += 1;
        let version = data.next_version;
        if let Some(items) = data.models.get_mut(model) {
            if let Some(item) = items.get_mut(&id) {
                let mut payload = item.payload.as_ref().clone();
                if let Value::Object(m) = &mut payload {
                    m.insert("revision".into(), json!(version));
                    m.insert("status".into(), json!("updated"));
                }
                item.payload = Arc::new(payload);
                item.version = version;
                out.updated.push(id);
            }
        }
    }
    if let Some(items) = data.models.get_mut(model) {
        for id in ids_to_delete {
            items.remove(&id);
            out.deleted.push(id);
        }
    }
    for _ in 0..add {
        data.next_id += 1;
        data.next_version += 1;
        let n = data.next_id;
        let payload = synthetic(model, n, data.next_version, size);
        data.models.entry(model.to_owned()).or_default().insert(
            n.to_string(),
            ProviderItem {
                version: data.next_version,
                payload: Arc::new(payload),
            },
        );
        out.added.push(n.to_string());
    }
    out
}

/// Which items a mutation targets.
#[derive(Debug, Clone)]
pub(crate) enum Update {
    Count(usize),
    Ids(Vec<String>),
}

/// Creates one item from caller-supplied fields (the `create_record` action); returns it.
pub(crate) fn create_from_input(
    world: &mut World,
    integration: &str,
    model: &str,
    input: &Value,
) -> Value {
    let data = world.provider.entry(integration.to_owned()).or_default();
    data.next_id += 1;
    data.next_version += 1;
    let n = data.next_id;
    let mut obj = Map::new();
    obj.insert("title".into(), json!(format!("{model} #{n}")));
    obj.insert("status".into(), json!("open"));
    if let Value::Object(fields) = input {
        for (k, v) in fields {
            obj.insert(k.clone(), v.clone());
        }
    }
    obj.insert("id".into(), json!(n.to_string()));
    obj.insert("revision".into(), json!(data.next_version));
    let payload = Value::Object(obj);
    data.models.entry(model.to_owned()).or_default().insert(
        n.to_string(),
        ProviderItem {
            version: data.next_version,
            payload: Arc::new(payload.clone()),
        },
    );
    payload
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_records_have_roughly_the_requested_size() {
        for size in [200usize, 256, 2048] {
            let len = synthetic("Ticket", 12345, 1, size).to_string().len();
            assert!(len >= size && len < size + 16, "size {size} → {len}");
        }
    }

    #[test]
    fn mutate_adds_updates_deletes() {
        let cfg = Config::default();
        let mut w = World::default();
        seed(&mut w, &cfg);
        let m = mutate(
            &mut w,
            &cfg,
            "zendesk",
            "Ticket",
            2,
            Update::Count(3),
            Update::Count(1),
        );
        assert_eq!((m.added.len(), m.updated.len(), m.deleted.len()), (2, 3, 1));
        assert_eq!(snapshot(&w, "zendesk", "Ticket").len(), 51);
    }
}
