//! Actions: `trigger_action`, `trigger_action_async`, `get_async_action_result`.

use nango::{AsyncActionRef, TriggerActionParams};
use pyo3::prelude::*;
use serde_json::Value;

use crate::client::{Call, call};
use crate::convert;

pub(crate) fn params(
    provider_config_key: String,
    connection_id: String,
    action_name: String,
    input: Option<&Bound<'_, PyAny>>,
) -> PyResult<TriggerActionParams> {
    let mut params = TriggerActionParams::new(provider_config_key, connection_id, action_name);
    if let Some(input) = input.filter(|input| !input.is_none()) {
        params.input = Some(convert::from_py(input, "input")?);
    }
    Ok(params)
}

pub(crate) fn trigger_action(nango: &nango::Nango, params: TriggerActionParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.trigger_action::<Value>(&params).await },
        |py, output| Ok(convert::to_py(py, &output)?.unbind()),
    )
}

pub(crate) fn trigger_action_async(nango: &nango::Nango, params: TriggerActionParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.trigger_action_async(&params).await },
        |py, handle| convert::serialize(py, &handle),
    )
}

pub(crate) fn get_async_action_result(
    nango: &nango::Nango,
    id: Option<String>,
    status_url: Option<String>,
) -> PyResult<Call> {
    let target = AsyncActionRef { id, status_url };
    let nango = nango.clone();
    Ok(call(
        async move { nango.get_async_action_result::<Value>(&target).await },
        |py, output| Ok(convert::to_py(py, &output)?.unbind()),
    ))
}
