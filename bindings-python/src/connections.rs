//! Connections, metadata and connect sessions.

use nango::{
    ConnectionIds, ConnectionRef, CreateConnectSessionParams, CreateReconnectSessionParams,
    EndUser, GetConnectionParams, ListConnectionsParams, MetadataParams, OrderedMap, Organization,
    PatchConnectionParams, Token,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{Call, call};
use crate::convert;
use crate::errors;

/// `str` or a list of `str` (connection ids, integration ids).
#[derive(FromPyObject)]
pub(crate) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// A `dict[str, str]` in the caller's order (tags reach the wire in order).
pub(crate) fn string_map(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<OrderedMap<String>> {
    let dict = obj
        .cast::<PyDict>()
        .map_err(|_| errors::invalid_argument(what, "must be a dict of str to str"))?;
    let mut map = OrderedMap::new();
    for (key, value) in dict.iter() {
        let key: String = key
            .extract()
            .map_err(|_| errors::invalid_argument(what, "keys must be str"))?;
        let value: String = value
            .extract()
            .map_err(|_| errors::invalid_argument(what, "values must be str"))?;
        map.insert(key, value);
    }
    Ok(map)
}

pub(crate) fn get_params(
    provider_config_key: String,
    connection_id: String,
    force_refresh: bool,
    refresh_token: bool,
    refresh_github_app_jwt_token: bool,
) -> GetConnectionParams {
    let mut params = token_params(
        provider_config_key,
        connection_id,
        force_refresh,
        refresh_github_app_jwt_token,
    );
    params.refresh_token = refresh_token;
    params
}

/// `get_token`'s arguments: it has no `refresh_token`, which core never asks for there.
pub(crate) fn token_params(
    provider_config_key: String,
    connection_id: String,
    force_refresh: bool,
    refresh_github_app_jwt_token: bool,
) -> GetConnectionParams {
    let mut params = GetConnectionParams::new(provider_config_key, connection_id);
    params.force_refresh = force_refresh;
    params.refresh_github_app_jwt_token = refresh_github_app_jwt_token;
    params
}

pub(crate) fn get_connection(nango: &nango::Nango, params: GetConnectionParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.get_connection(&params).await },
        |py, connection| convert::serialize(py, &connection),
    )
}

pub(crate) fn get_token(nango: &nango::Nango, params: GetConnectionParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.get_token(&params).await },
        |py, token| match token {
            // An OAuth2 access token is a plain `str`, as the official SDK returns it.
            Token::AccessToken(text) => Ok(text.into_pyobject(py)?.into_any().unbind()),
            other => convert::serialize(py, &other),
        },
    )
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn list_params(
    connection_id: Option<String>,
    search: Option<String>,
    user_id: Option<String>,
    end_user_organization_id: Option<String>,
    integration_id: Option<OneOrMany>,
    tags: Option<&Bound<'_, PyAny>>,
    limit: Option<u32>,
    page: Option<u32>,
) -> PyResult<ListConnectionsParams> {
    Ok(ListConnectionsParams {
        connection_id,
        search,
        user_id,
        end_user_organization_id,
        integration_id: integration_id.map(OneOrMany::into_vec).unwrap_or_default(),
        tags: match tags {
            Some(tags) if !tags.is_none() => string_map(tags, "tags")?,
            _ => OrderedMap::new(),
        },
        limit,
        page,
    })
}

pub(crate) fn list_connections(nango: &nango::Nango, params: ListConnectionsParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.list_connections(&params).await },
        |py, list| convert::serialize(py, &list),
    )
}

pub(crate) fn get_metadata(
    nango: &nango::Nango,
    provider_config_key: String,
    connection_id: String,
) -> Call {
    let target = ConnectionRef::new(provider_config_key, connection_id);
    let nango = nango.clone();
    call(
        async move { nango.get_metadata(&target).await },
        |py, metadata| Ok(convert::to_py(py, &metadata)?.unbind()),
    )
}

pub(crate) fn metadata_params(
    provider_config_key: String,
    connection_id: OneOrMany,
    metadata: &Bound<'_, PyAny>,
) -> PyResult<MetadataParams> {
    Ok(MetadataParams {
        provider_config_key,
        connection_id: match connection_id {
            OneOrMany::One(one) => ConnectionIds::One(one),
            OneOrMany::Many(many) => ConnectionIds::Many(many),
        },
        metadata: convert::from_py(metadata, "metadata")?,
    })
}

pub(crate) fn set_metadata(nango: &nango::Nango, params: MetadataParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.set_metadata(&params).await },
        |py, body| Ok(convert::to_py(py, &body)?.unbind()),
    )
}

pub(crate) fn update_metadata(nango: &nango::Nango, params: MetadataParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.update_metadata(&params).await },
        |py, body| Ok(convert::to_py(py, &body)?.unbind()),
    )
}

pub(crate) fn patch_params(
    provider_config_key: String,
    connection_id: String,
    body: &Bound<'_, PyAny>,
) -> PyResult<PatchConnectionParams> {
    Ok(PatchConnectionParams {
        provider_config_key,
        connection_id,
        body: convert::from_py(body, "body")?,
    })
}

pub(crate) fn patch_connection(nango: &nango::Nango, params: PatchConnectionParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.patch_connection(&params).await },
        |py, body| Ok(convert::to_py(py, &body)?.unbind()),
    )
}

pub(crate) fn delete_connection(
    nango: &nango::Nango,
    provider_config_key: String,
    connection_id: String,
) -> Call {
    let target = ConnectionRef::new(provider_config_key, connection_id);
    let nango = nango.clone();
    call(
        async move { nango.delete_connection(&target).await },
        |py, body| Ok(convert::to_py(py, &body)?.unbind()),
    )
}

fn optional<T: serde::de::DeserializeOwned>(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<T>> {
    match obj {
        Some(obj) if !obj.is_none() => Ok(Some(convert::deserialize(obj, what)?)),
        _ => Ok(None),
    }
}

fn optional_json(
    obj: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<serde_json::Value>> {
    match obj {
        Some(obj) if !obj.is_none() => Ok(Some(convert::from_py(obj, what)?)),
        _ => Ok(None),
    }
}

fn optional_tags(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<OrderedMap<String>>> {
    match obj {
        Some(obj) if !obj.is_none() => Ok(Some(string_map(obj, "tags")?)),
        _ => Ok(None),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn connect_session_params(
    end_user: Option<&Bound<'_, PyAny>>,
    organization: Option<&Bound<'_, PyAny>>,
    allowed_integrations: Option<Vec<String>>,
    integrations_config_defaults: Option<&Bound<'_, PyAny>>,
    overrides: Option<&Bound<'_, PyAny>>,
    webhook_url_override: Option<String>,
    tags: Option<&Bound<'_, PyAny>>,
) -> PyResult<CreateConnectSessionParams> {
    Ok(CreateConnectSessionParams {
        end_user: optional::<EndUser>(end_user, "end_user")?,
        organization: optional::<Organization>(organization, "organization")?,
        allowed_integrations,
        integrations_config_defaults: optional_json(
            integrations_config_defaults,
            "integrations_config_defaults",
        )?,
        overrides: optional_json(overrides, "overrides")?,
        webhook_url_override,
        tags: optional_tags(tags)?,
    })
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn reconnect_session_params(
    connection_id: String,
    integration_id: String,
    end_user: Option<&Bound<'_, PyAny>>,
    organization: Option<&Bound<'_, PyAny>>,
    integrations_config_defaults: Option<&Bound<'_, PyAny>>,
    overrides: Option<&Bound<'_, PyAny>>,
    webhook_url_override: Option<String>,
    tags: Option<&Bound<'_, PyAny>>,
) -> PyResult<CreateReconnectSessionParams> {
    Ok(CreateReconnectSessionParams {
        connection_id,
        integration_id,
        end_user: optional::<EndUser>(end_user, "end_user")?,
        organization: optional::<Organization>(organization, "organization")?,
        integrations_config_defaults: optional_json(
            integrations_config_defaults,
            "integrations_config_defaults",
        )?,
        overrides: optional_json(overrides, "overrides")?,
        webhook_url_override,
        tags: optional_tags(tags)?,
    })
}

pub(crate) fn create_connect_session(
    nango: &nango::Nango,
    params: CreateConnectSessionParams,
) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.create_connect_session(&params).await },
        |py, session| convert::serialize(py, &session),
    )
}

pub(crate) fn create_reconnect_session(
    nango: &nango::Nango,
    params: CreateReconnectSessionParams,
) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.create_reconnect_session(&params).await },
        |py, session| convert::serialize(py, &session),
    )
}
