//! The records cache: per (connection, model) rows ordered by `(updated_at, internal uuid)`, each
//! carrying its JSON pre-rendered once per version so a page is a concatenation of byte slices.

use crate::model::timefmt::{self, Micros};
use base64::Engine;
use bytes::Bytes;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;
use uuid::Uuid;

/// A UUID v4-shaped id whose leading bytes count up, so rows written in one batch (sharing a
/// timestamp) keep their insertion order instead of a random one; the tail stays random.
fn ordered_uid() -> Uuid {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut bytes = *Uuid::new_v4().as_bytes();
    bytes[..6].copy_from_slice(&n.to_be_bytes()[2..]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Sort key of a row: last modification time, then the internal uuid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct RowKey {
    pub(crate) ts: Micros,
    pub(crate) uid: Uuid,
}

impl RowKey {
    pub(crate) fn cursor(&self) -> String {
        let raw = format!("{}||{}", timefmt::pg(self.ts), self.uid);
        base64::engine::general_purpose::STANDARD.encode(raw)
    }

    /// Decodes a cursor: base64 of `<offset-bearing datetime>||<uuid>`; anything else is rejected.
    pub(crate) fn from_cursor(cursor: &str) -> Option<Self> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(cursor.as_bytes())
            .ok()?;
        let text = String::from_utf8(raw).ok()?;
        let mut parts = text.split("||");
        let (time, id) = (parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            ts: timefmt::parse_rfc3339(time)?,
            uid: Uuid::parse_str(id).ok()?,
        })
    }
}

/// One stored record version.
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) key: RowKey,
    pub(crate) external_id: String,
    pub(crate) payload: Arc<Value>,
    /// Provider-side version the row was synced from (how a sync detects updates).
    pub(crate) version: u64,
    pub(crate) first_seen: Micros,
    pub(crate) deleted_at: Option<Micros>,
    pub(crate) pruned_at: Option<Micros>,
    /// The record exactly as `/records` returns it.
    pub(crate) json: Bytes,
}

impl Row {
    pub(crate) fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    fn is_added(&self) -> bool {
        !self.is_deleted() && self.first_seen == self.key.ts
    }

    fn last_action(&self) -> &'static str {
        if self.is_deleted() {
            "DELETED"
        } else if self.is_added() {
            "ADDED"
        } else {
            "UPDATED"
        }
    }

    fn build(
        key: RowKey,
        external_id: String,
        payload: Arc<Value>,
        version: u64,
        first_seen: Micros,
        deleted_at: Option<Micros>,
        pruned_at: Option<Micros>,
    ) -> Arc<Self> {
        let mut row = Self {
            key,
            external_id,
            payload,
            version,
            first_seen,
            deleted_at,
            pruned_at,
            json: Bytes::new(),
        };
        row.json = row.render();
        Arc::new(row)
    }

    /// Writes the record once: the payload's fields (unless pruned) with `id` forced to the external
    /// id string, then `_nango_metadata`. Payload bytes are streamed straight from the stored value
    /// (no map copies) whenever its own `id` already is that string, which is the common case.
    fn render(&self) -> Bytes {
        let mut out: Vec<u8> = Vec::with_capacity(256);
        let fields = match (self.pruned_at, self.payload.as_ref()) {
            (None, Value::Object(fields)) => Some(fields),
            _ => None,
        };
        let id_matches = fields
            .and_then(|f| f.get("id"))
            .is_some_and(|v| v.as_str() == Some(self.external_id.as_str()));
        match fields {
            Some(f) if id_matches => {
                if serde_json::to_writer(&mut out, f).is_err() {
                    out.clear();
                    out.extend_from_slice(b"{}");
                }
                out.pop();
            }
            Some(f) => {
                let mut copy = f.clone();
                copy.insert("id".into(), Value::String(self.external_id.clone()));
                if serde_json::to_writer(&mut out, &copy).is_err() {
                    out.clear();
                    out.extend_from_slice(b"{}");
                }
                out.pop();
            }
            None => {
                out.extend_from_slice(b"{\"id\":");
                push_json_str(&mut out, &self.external_id);
            }
        }
        if out.len() > 1 {
            out.push(b',');
        }
        let ts = |out: &mut Vec<u8>, t: Option<Micros>| match t {
            Some(t) => {
                out.push(b'"');
                out.extend_from_slice(timefmt::pg(t).as_bytes());
                out.push(b'"');
            }
            None => out.extend_from_slice(b"null"),
        };
        out.extend_from_slice(b"\"_nango_metadata\":{\"first_seen_at\":");
        ts(&mut out, Some(self.first_seen));
        out.extend_from_slice(b",\"last_modified_at\":");
        ts(&mut out, Some(self.key.ts));
        out.extend_from_slice(b",\"last_action\":\"");
        out.extend_from_slice(self.last_action().as_bytes());
        out.extend_from_slice(b"\",\"deleted_at\":");
        ts(&mut out, self.deleted_at);
        out.extend_from_slice(b",\"pruned_at\":");
        ts(&mut out, self.pruned_at);
        out.extend_from_slice(b",\"cursor\":\"");
        out.extend_from_slice(self.key.cursor().as_bytes());
        out.extend_from_slice(b"\"}}");
        Bytes::from(out)
    }
}

fn push_json_str(out: &mut Vec<u8>, s: &str) {
    if serde_json::to_writer(&mut *out, s).is_err() {
        out.extend_from_slice(b"\"\"");
    }
}

/// `filter=` values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Filter {
    pub(crate) added: bool,
    pub(crate) updated: bool,
    pub(crate) deleted: bool,
}

impl Filter {
    fn any(&self) -> bool {
        self.added || self.updated || self.deleted
    }

    /// Union of the selected kinds (Nango's combined filters have quirks; see the README).
    fn accepts(&self, row: &Row) -> bool {
        if !self.any() {
            return true;
        }
        (self.added && row.is_added())
            || (self.updated && !row.is_deleted() && !row.is_added())
            || (self.deleted && row.is_deleted())
    }
}

/// A page request.
#[derive(Debug, Default)]
pub(crate) struct PageQuery {
    pub(crate) after: Option<RowKey>,
    pub(crate) modified_after: Option<Micros>,
    pub(crate) limit: usize,
    pub(crate) filter: Filter,
    pub(crate) ids: Option<Vec<String>>,
    /// Byte budget of the records' JSON in one page.
    pub(crate) max_bytes: Option<usize>,
}

/// A page being filled: stops at `limit` rows, or before the row that would take the records'
/// JSON (with the commas between them) past `max_bytes`; the first row always fits.
struct PageFill<'q> {
    q: &'q PageQuery,
    rows: Vec<Arc<Row>>,
    bytes: usize,
    /// A matching row was left out: the page gets a `next_cursor`.
    more: bool,
}

impl<'q> PageFill<'q> {
    fn new(q: &'q PageQuery) -> Self {
        Self {
            q,
            rows: Vec::with_capacity(q.limit.min(1024)),
            bytes: 0,
            more: false,
        }
    }

    /// Takes `row` if it matches and fits; false once the page is full.
    fn offer(&mut self, row: &Arc<Row>) -> bool {
        if !self.q.filter.accepts(row) {
            return true;
        }
        let size = row.json.len() + usize::from(!self.rows.is_empty());
        let over_budget = self
            .q
            .max_bytes
            .is_some_and(|max| !self.rows.is_empty() && self.bytes + size > max);
        if self.rows.len() >= self.q.limit || over_budget {
            self.more = true;
            return false;
        }
        self.bytes += size;
        self.rows.push(row.clone());
        true
    }
}

/// Counts of one sync run for one model.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Changes {
    pub(crate) added: u64,
    pub(crate) updated: u64,
    pub(crate) deleted: u64,
}

/// The provider-side view of one item at sync time.
#[derive(Debug, Clone)]
pub(crate) struct SourceItem {
    pub(crate) id: String,
    pub(crate) version: u64,
    pub(crate) payload: Arc<Value>,
}

/// All rows of one (connection, model).
#[derive(Debug, Default)]
pub(crate) struct ModelRecords {
    by_id: HashMap<String, RowKey>,
    rows: BTreeMap<RowKey, Arc<Row>>,
}

impl ModelRecords {
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    pub(crate) fn live_count(&self) -> usize {
        self.rows.values().filter(|r| !r.is_deleted()).count()
    }

    fn replace(&mut self, old: Option<RowKey>, row: Arc<Row>) {
        if let Some(old) = old {
            self.rows.remove(&old);
        }
        self.by_id.insert(row.external_id.clone(), row.key);
        self.rows.insert(row.key, row);
    }

    /// Reconciles the stored rows with the provider's full item list, all writes sharing one new
    /// timestamp `ts` (one transaction). Returns the change counts.
    pub(crate) fn apply_full_sync(&mut self, items: &[SourceItem], ts: Micros) -> Changes {
        let mut changes = Changes::default();
        let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
        for item in items {
            seen.insert(item.id.as_str());
            let existing = self
                .by_id
                .get(&item.id)
                .and_then(|k| self.rows.get(k))
                .cloned();
            match existing {
                None => {
                    let key = RowKey {
                        ts,
                        uid: ordered_uid(),
                    };
                    let row = Row::build(
                        key,
                        item.id.clone(),
                        item.payload.clone(),
                        item.version,
                        ts,
                        None,
                        None,
                    );
                    self.replace(None, row);
                    changes.added += 1;
                }
                Some(old) if old.is_deleted() || old.version != item.version => {
                    let key = RowKey {
                        ts,
                        uid: old.key.uid,
                    };
                    let row = Row::build(
                        key,
                        item.id.clone(),
                        item.payload.clone(),
                        item.version,
                        old.first_seen,
                        None,
                        None,
                    );
                    // Re-added after a deletion: live again, and counted as added.
                    if old.is_deleted() {
                        changes.added += 1;
                    } else {
                        changes.updated += 1;
                    }
                    self.replace(Some(old.key), row);
                }
                Some(_) => {}
            }
        }
        let gone: Vec<Arc<Row>> = self
            .rows
            .values()
            .filter(|r| !r.is_deleted() && !seen.contains(r.external_id.as_str()))
            .cloned()
            .collect();
        for old in gone {
            let key = RowKey {
                ts,
                uid: old.key.uid,
            };
            let row = Row::build(
                key,
                old.external_id.clone(),
                old.payload.clone(),
                old.version,
                old.first_seen,
                Some(ts),
                old.pruned_at,
            );
            self.replace(Some(old.key), row);
            changes.deleted += 1;
        }
        changes
    }

    /// Rows strictly after `after`, modified at/after `modified_after`, matching filter and ids;
    /// returns up to `limit` rows (fewer when `max_bytes` runs out first) and whether more exist.
    pub(crate) fn page(&self, q: &PageQuery) -> (Vec<Arc<Row>>, bool) {
        let lower_ma = q.modified_after.map(|t| RowKey {
            ts: t,
            uid: Uuid::nil(),
        });
        let in_bounds =
            |k: &RowKey| q.after.is_none_or(|a| *k > a) && lower_ma.is_none_or(|m| *k >= m);
        let mut page = PageFill::new(q);
        if let Some(ids) = &q.ids {
            let mut keys: Vec<RowKey> = ids
                .iter()
                .filter_map(|id| self.by_id.get(id).copied())
                .filter(|k| in_bounds(k))
                .collect();
            keys.sort();
            keys.dedup();
            for row in keys.iter().filter_map(|k| self.rows.get(k)) {
                if !page.offer(row) {
                    break;
                }
            }
        } else {
            let start = match (q.after, lower_ma) {
                (Some(a), Some(m)) if m > a => Bound::Included(m),
                (Some(a), _) => Bound::Excluded(a),
                (None, Some(m)) => Bound::Included(m),
                (None, None) => Bound::Unbounded,
            };
            for row in self.rows.range((start, Bound::Unbounded)).map(|(_, r)| r) {
                if !page.offer(row) {
                    break;
                }
            }
        }
        (page.rows, page.more)
    }

    /// Empties payloads of rows up to and including `until` (not yet pruned), at most `limit`.
    /// Returns `(count, has_more)`; `has_more` is optimistic when the cursor's row no longer exists.
    pub(crate) fn prune(&mut self, until: RowKey, limit: usize, now: Micros) -> (u64, bool) {
        let candidates: Vec<Arc<Row>> = self
            .rows
            .range(..=until)
            .map(|(_, r)| r)
            .filter(|r| r.pruned_at.is_none())
            .take(limit + 1)
            .cloned()
            .collect();
        let more = candidates.len() > limit;
        let mut count = 0;
        for old in candidates.into_iter().take(limit) {
            let row = Row::build(
                old.key,
                old.external_id.clone(),
                Arc::new(Value::Object(Map::new())),
                old.version,
                old.first_seen,
                old.deleted_at,
                Some(now),
            );
            self.replace(Some(old.key), row);
            count += 1;
        }
        let cursor_exists = self.rows.contains_key(&until);
        (count, more || !cursor_exists)
    }
}

/// Key of one records collection: internal connection id and model (`Model` or `Model::variant`).
pub(crate) type CollectionKey = (u64, String);

/// All collections.
#[derive(Debug, Default)]
pub(crate) struct RecordStore {
    pub(crate) collections: HashMap<CollectionKey, ModelRecords>,
}

impl RecordStore {
    pub(crate) fn collection(&self, conn: u64, model: &str) -> Option<&ModelRecords> {
        self.collections.get(&(conn, model.to_owned()))
    }

    pub(crate) fn collection_mut(&mut self, conn: u64, model: &str) -> &mut ModelRecords {
        self.collections
            .entry((conn, model.to_owned()))
            .or_default()
    }

    pub(crate) fn drop_connection(&mut self, conn: u64) {
        self.collections.retain(|(c, _), _| *c != conn);
    }
}

/// Renders a page body: `{"next_cursor":…,"records":[…]}` by concatenating pre-rendered rows.
pub(crate) fn render_page(rows: &[Arc<Row>], has_more: bool) -> Bytes {
    let next = if has_more {
        rows.last().map(|r| r.key.cursor())
    } else {
        None
    };
    let total: usize = rows.iter().map(|r| r.json.len() + 1).sum();
    let mut out = Vec::with_capacity(total + 128);
    out.extend_from_slice(b"{\"next_cursor\":");
    match next {
        Some(c) => {
            out.push(b'"');
            out.extend_from_slice(c.as_bytes());
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"records\":[");
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&r.json);
    }
    out.extend_from_slice(b"]}");
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(id: &str, version: u64) -> SourceItem {
        SourceItem {
            id: id.into(),
            version,
            payload: Arc::new(json!({"id": id, "title": format!("t{id}")})),
        }
    }

    #[test]
    fn cursor_round_trip_and_protocol_example() {
        let c = "MjAyNC0wMi0yNlQwMzowMDozOS42MjMzODgtMDU6MDB8fGVlMDYwM2E1LTEwNDktNDA4Zi05YTEwLTJjNzVmNDkwODNjYQ==";
        let k = RowKey::from_cursor(c).unwrap();
        assert_eq!(k.uid.to_string(), "ee0603a5-1049-408f-9a10-2c75f49083ca");
        assert_eq!(RowKey::from_cursor(&k.cursor()), Some(k));
        assert!(RowKey::from_cursor("bm9wZQ==").is_none());
        assert!(RowKey::from_cursor("%%%").is_none());
    }

    #[test]
    fn sync_diff_and_paging() {
        let mut m = ModelRecords::default();
        let items: Vec<_> = (1..=5).map(|i| item(&i.to_string(), 1)).collect();
        assert_eq!(
            m.apply_full_sync(&items, 100),
            Changes {
                added: 5,
                updated: 0,
                deleted: 0
            }
        );
        let mut items2 = items.clone();
        items2[0].version = 2;
        items2.remove(4);
        items2.push(item("6", 1));
        assert_eq!(
            m.apply_full_sync(&items2, 200),
            Changes {
                added: 1,
                updated: 1,
                deleted: 1
            }
        );
        assert_eq!(m.len(), 6);
        let (p1, more) = m.page(&PageQuery {
            limit: 4,
            ..Default::default()
        });
        assert!(more);
        assert_eq!(p1.len(), 4);
        let (p2, more) = m.page(&PageQuery {
            limit: 4,
            after: Some(p1[3].key),
            ..Default::default()
        });
        assert!(!more);
        assert_eq!(p2.len(), 2);
        let (del, _) = m.page(&PageQuery {
            limit: 10,
            filter: Filter {
                deleted: true,
                ..Default::default()
            },
            ..Default::default()
        });
        assert_eq!(del.len(), 1);
        assert_eq!(del[0].external_id, "5");
        let text = String::from_utf8(del[0].json.to_vec()).unwrap();
        assert!(text.contains("\"last_action\":\"DELETED\""), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["id"], "5");
        assert_eq!(v["title"], "t5");
        let (since, _) = m.page(&PageQuery {
            limit: 10,
            modified_after: Some(200),
            ..Default::default()
        });
        assert_eq!(since.len(), 3);
    }

    #[test]
    fn a_byte_budget_cuts_pages_short_but_never_empty() {
        let mut m = ModelRecords::default();
        let items: Vec<_> = (1..=10).map(|i| item(&format!("{i:02}"), 1)).collect();
        m.apply_full_sync(&items, 100);
        let (all, _) = m.page(&PageQuery {
            limit: 100,
            ..Default::default()
        });
        let row = all[0].json.len();
        assert!(all.iter().all(|r| r.json.len() == row));
        // Room for three records and their two commas, not a fourth.
        let budget = 3 * row + 2;
        let mut walked = Vec::new();
        let mut after = None;
        loop {
            let (rows, more) = m.page(&PageQuery {
                limit: 100,
                after,
                max_bytes: Some(budget),
                ..Default::default()
            });
            assert!(rows.len() <= 3, "{}", rows.len());
            walked.extend(rows.iter().map(|r| r.external_id.clone()));
            if !more {
                break;
            }
            after = rows.last().map(|r| r.key);
        }
        let expected: Vec<String> = (1..=10).map(|i| format!("{i:02}")).collect();
        assert_eq!(walked, expected);
        // `limit` still bounds a page within the budget.
        let (rows, more) = m.page(&PageQuery {
            limit: 2,
            max_bytes: Some(budget),
            ..Default::default()
        });
        assert_eq!((rows.len(), more), (2, true));
        // A record larger than the whole budget still comes, alone.
        let (rows, more) = m.page(&PageQuery {
            limit: 100,
            max_bytes: Some(1),
            ..Default::default()
        });
        assert_eq!((rows.len(), more), (1, true));
        // The last page: short, and no cursor.
        let (rows, more) = m.page(&PageQuery {
            limit: 100,
            after: Some(all[8].key),
            max_bytes: Some(budget),
            ..Default::default()
        });
        assert_eq!((rows.len(), more), (1, false));
    }

    #[test]
    fn rendering_forces_a_string_id_and_handles_odd_payloads() {
        let numeric = SourceItem {
            id: "7".into(),
            version: 1,
            payload: Arc::new(json!({"id": 7, "a": "x"})),
        };
        let empty = SourceItem {
            id: "8".into(),
            version: 1,
            payload: Arc::new(json!({})),
        };
        let not_object = SourceItem {
            id: "9".into(),
            version: 1,
            payload: Arc::new(json!([1, 2])),
        };
        let mut m = ModelRecords::default();
        m.apply_full_sync(&[numeric, empty, not_object], 100);
        let (rows, _) = m.page(&PageQuery {
            limit: 10,
            ..Default::default()
        });
        let parsed: Vec<Value> = rows
            .iter()
            .map(|r| serde_json::from_slice(&r.json).unwrap())
            .collect();
        assert_eq!(parsed[0]["id"], "7");
        assert_eq!(parsed[0]["a"], "x");
        assert_eq!(parsed[1]["id"], "8");
        assert_eq!(parsed[2]["id"], "9");
        for p in &parsed {
            assert_eq!(p["_nango_metadata"]["last_action"], "ADDED");
            assert!(p["_nango_metadata"]["deleted_at"].is_null());
        }
    }

    #[test]
    fn prune_empties_payload() {
        let mut m = ModelRecords::default();
        let items: Vec<_> = (1..=3).map(|i| item(&i.to_string(), 1)).collect();
        m.apply_full_sync(&items, 100);
        let (rows, _) = m.page(&PageQuery {
            limit: 10,
            ..Default::default()
        });
        let (count, more) = m.prune(rows[1].key, 10, 300);
        assert_eq!((count, more), (2, false));
        let (rows, _) = m.page(&PageQuery {
            limit: 10,
            ..Default::default()
        });
        let first = String::from_utf8(rows[0].json.to_vec()).unwrap();
        assert!(!first.contains("title"));
        assert!(first.contains("\"pruned_at\":\"1970"));
        let body = String::from_utf8(render_page(&rows, false).to_vec()).unwrap();
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["records"].as_array().unwrap().len(), 3);
        assert!(v["next_cursor"].is_null());
    }
}
