//! The integrations as the administration API sees them: seeded from the configuration, then
//! created, renamed, changed and deleted through `/integrations…`, each with the functions (syncs
//! and actions) deployed to it. Lives behind its own mutex (`AppState::catalog`).

use crate::model::config::{AuthMode, Config, IntegrationConfig};
use serde_json::{Map, Value};
use std::sync::Arc;

/// When the configured integrations were "created" (a fixed date keeps answers reproducible).
pub(crate) const SEEDED_AT: &str = "2026-01-01T00:00:00.000Z";

/// The kinds of functions the emulator runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FunctionKind {
    Sync,
    Action,
}

impl FunctionKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FunctionKind::Sync => "sync",
            FunctionKind::Action => "action",
        }
    }
}

/// A function deployed to an integration.
#[derive(Debug, Clone)]
pub(crate) struct DeployedFunction {
    pub(crate) id: u64,
    pub(crate) kind: FunctionKind,
    pub(crate) name: String,
    pub(crate) returns: Vec<String>,
    /// Syncs: schedule and auto start.
    pub(crate) runs: Option<String>,
    pub(crate) auto_start: bool,
}

/// One integration of the catalog.
#[derive(Clone)]
pub(crate) struct IntegrationEntry {
    pub(crate) unique_key: String,
    pub(crate) provider: String,
    pub(crate) display_name: String,
    pub(crate) forward_webhooks: bool,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    /// The developer app as given (`type` plus its fields); never logged.
    pub(crate) credentials: Option<Value>,
    pub(crate) integration_config: Map<String, Value>,
    pub(crate) custom: Map<String, Value>,
    pub(crate) functions: Vec<DeployedFunction>,
    /// What the connection, OAuth, connect-session, sync and action routes run on: see
    /// [`IntegrationEntry::refresh`].
    pub(crate) config: Arc<IntegrationConfig>,
}

impl IntegrationEntry {
    /// Rebuilds `config` after the key or the deployed functions changed: the configured
    /// integration of this key (or, for one created through the API, the template of its
    /// provider under this key), keeping only the syncs and actions still deployed.
    pub(crate) fn refresh(&mut self, cfg: &Config) {
        let base = cfg
            .integration(&self.unique_key)
            .filter(|i| i.provider == self.provider)
            .or_else(|| known_provider(cfg, &self.provider).map(|p| p.template));
        let Some(base) = base else {
            return;
        };
        let deployed = |kind, name: &str| {
            self.functions
                .iter()
                .any(|f| f.kind == kind && f.name == name)
        };
        let mut config = base.clone();
        config.unique_key.clone_from(&self.unique_key);
        config
            .syncs
            .retain(|s| deployed(FunctionKind::Sync, &s.name));
        config
            .actions
            .retain(|a| deployed(FunctionKind::Action, &a.name));
        self.config = Arc::new(config);
    }
}

impl std::fmt::Debug for IntegrationEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntegrationEntry")
            .field("unique_key", &self.unique_key)
            .field("provider", &self.provider)
            .field("functions", &self.functions.len())
            .finish_non_exhaustive()
    }
}

/// A provider the emulator knows: the first configured integration of it is its template.
#[derive(Debug, Clone)]
pub(crate) struct KnownProvider<'a> {
    pub(crate) template: &'a IntegrationConfig,
}

impl KnownProvider<'_> {
    pub(crate) fn auth_mode(&self) -> AuthMode {
        self.template.auth_mode
    }

    pub(crate) fn display_name(&self) -> String {
        self.template
            .display_name
            .clone()
            .unwrap_or_else(|| self.template.provider.clone())
    }

    /// Providers for which a developer app is needed (the ones quickstart is for).
    pub(crate) fn needs_developer_app(&self) -> bool {
        matches!(self.template.auth_mode, AuthMode::OAuth2)
    }
}

/// The catalog of integrations.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub(crate) entries: Vec<IntegrationEntry>,
    next_function_id: u64,
}

/// The functions a configured integration starts with: its syncs, then its actions.
fn configured_functions(i: &IntegrationConfig, next_id: &mut u64) -> Vec<DeployedFunction> {
    let mut id = || {
        *next_id += 1;
        *next_id
    };
    let syncs = i.syncs.iter().map(|s| DeployedFunction {
        id: id(),
        kind: FunctionKind::Sync,
        name: s.name.clone(),
        returns: s.models.clone(),
        runs: Some(s.frequency.clone()),
        auto_start: s.auto_start,
    });
    let syncs: Vec<DeployedFunction> = syncs.collect();
    let actions: Vec<DeployedFunction> = i
        .actions
        .iter()
        .map(|a| DeployedFunction {
            id: id(),
            kind: FunctionKind::Action,
            name: a.name.clone(),
            returns: a.model.clone().into_iter().collect(),
            runs: None,
            auto_start: false,
        })
        .collect();
    syncs.into_iter().chain(actions).collect()
}

/// Template functions of a provider: those of every configured integration of it (actions first,
/// then syncs, each name once per kind), without deployment data.
pub(crate) fn provider_templates(cfg: &Config, provider: &str) -> Vec<DeployedFunction> {
    let mut next_id = 0;
    let mut out: Vec<DeployedFunction> = Vec::new();
    for i in cfg.integrations.iter().filter(|i| i.provider == provider) {
        for f in configured_functions(i, &mut next_id) {
            if !out.iter().any(|o| o.kind == f.kind && o.name == f.name) {
                out.push(f);
            }
        }
    }
    out.sort_by_key(|f| f.kind == FunctionKind::Sync);
    out
}

/// The provider of that name, if the configuration has an integration of it.
pub(crate) fn known_provider<'a>(cfg: &'a Config, provider: &str) -> Option<KnownProvider<'a>> {
    cfg.integrations
        .iter()
        .find(|i| i.provider == provider)
        .map(|template| KnownProvider { template })
}

impl Catalog {
    /// The configured integrations, with their syncs and actions deployed.
    pub(crate) fn seeded(cfg: &Config) -> Self {
        let mut catalog = Catalog::default();
        for i in &cfg.integrations {
            let functions = configured_functions(i, &mut catalog.next_function_id);
            catalog.entries.push(IntegrationEntry {
                unique_key: i.unique_key.clone(),
                provider: i.provider.clone(),
                display_name: i
                    .display_name
                    .clone()
                    .unwrap_or_else(|| i.unique_key.clone()),
                forward_webhooks: false,
                created_at: SEEDED_AT.to_owned(),
                updated_at: SEEDED_AT.to_owned(),
                credentials: None,
                integration_config: Map::new(),
                custom: Map::new(),
                functions,
                config: Arc::new(i.clone()),
            });
        }
        catalog
    }

    pub(crate) fn get(&self, key: &str) -> Option<&IntegrationEntry> {
        self.entries.iter().find(|e| e.unique_key == key)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut IntegrationEntry> {
        self.entries.iter_mut().find(|e| e.unique_key == key)
    }

    pub(crate) fn insert(&mut self, entry: IntegrationEntry) {
        self.entries.push(entry);
    }

    /// Removes an integration; false when there was none.
    pub(crate) fn remove(&mut self, key: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.unique_key != key);
        self.entries.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_catalog_deploys_the_configured_functions_with_distinct_ids() {
        let cfg = Config::default();
        let catalog = Catalog::seeded(&cfg);
        assert_eq!(catalog.entries.len(), cfg.integrations.len());
        let zendesk = catalog.get("zendesk").unwrap();
        let names: Vec<_> = zendesk
            .functions
            .iter()
            .map(|f| (f.kind.as_str(), f.name.as_str()))
            .collect();
        assert_eq!(names[0], ("sync", "tickets"));
        assert!(names.contains(&("action", "create-ticket")));
        let mut ids: Vec<u64> = catalog
            .entries
            .iter()
            .flat_map(|e| e.functions.iter().map(|f| f.id))
            .collect();
        let total = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), total);
    }

    #[test]
    fn templates_list_actions_then_syncs_and_nothing_for_unknown_providers() {
        let cfg = Config::default();
        let kinds: Vec<_> = provider_templates(&cfg, "zendesk")
            .iter()
            .map(|f| f.kind)
            .collect();
        assert!(kinds.first() == Some(&FunctionKind::Action));
        assert!(kinds.last() == Some(&FunctionKind::Sync));
        assert!(provider_templates(&cfg, "nope").is_empty());
    }
}
