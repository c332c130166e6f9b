//! Integrations: `list_integrations`, `get_integration`.

use nango::GetIntegrationParams;

use crate::client::{Call, call};
use crate::convert;

pub(crate) fn list_integrations(nango: &nango::Nango) -> Call {
    let nango = nango.clone();
    call(
        // The official SDK returns the legacy `{configs: [...]}` shape; so do we.
        async move { Ok(nango.list_integrations().await?.into_legacy()) },
        |py, list| convert::serialize(py, &list),
    )
}

pub(crate) fn get_integration(
    nango: &nango::Nango,
    unique_key: String,
    include: Option<Vec<String>>,
) -> Call {
    let params = GetIntegrationParams {
        unique_key,
        include: include.unwrap_or_default(),
    };
    let nango = nango.clone();
    call(
        async move { nango.get_integration(&params).await },
        |py, integration| Ok(convert::to_py(py, &integration)?.unbind()),
    )
}
