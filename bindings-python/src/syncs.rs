//! Syncs: trigger, start, pause, status, frequency.
//!
//! A sync is named by a `str`, or by `{"name": ..., "variant": ...}`; wherever a list of syncs is
//! taken, a single one is accepted too.

use nango::{
    SyncControlParams, SyncMode, SyncRef, SyncSelection, SyncStatusParams, TriggerSyncOpts,
    TriggerSyncParams, UpdateFrequencyParams,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::client::{Call, call};
use crate::convert;

fn sync_refs(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<SyncRef>> {
    match obj {
        None => Ok(Vec::new()),
        Some(obj) if obj.is_none() => Ok(Vec::new()),
        Some(obj) if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyDict>() => {
            Ok(vec![convert::deserialize(obj, "syncs")?])
        }
        Some(obj) => convert::deserialize(obj, "syncs"),
    }
}

pub(crate) fn trigger_params(
    provider_config_key: String,
    syncs: Option<&Bound<'_, PyAny>>,
    connection_id: Option<String>,
    reset: Option<bool>,
    empty_cache: Option<bool>,
    sync_mode: Option<&Bound<'_, PyAny>>,
) -> PyResult<TriggerSyncParams> {
    let opts = (reset.is_some() || empty_cache.is_some())
        .then_some(TriggerSyncOpts { reset, empty_cache });
    let sync_mode = match sync_mode {
        Some(mode) if !mode.is_none() => Some(convert::deserialize::<SyncMode>(mode, "sync_mode")?),
        _ => None,
    };
    Ok(TriggerSyncParams {
        provider_config_key,
        syncs: sync_refs(syncs)?,
        connection_id,
        opts,
        sync_mode,
    })
}

pub(crate) fn control_params(
    provider_config_key: String,
    syncs: &Bound<'_, PyAny>,
    connection_id: Option<String>,
) -> PyResult<SyncControlParams> {
    Ok(SyncControlParams {
        provider_config_key,
        syncs: sync_refs(Some(syncs))?,
        connection_id,
    })
}

pub(crate) fn status_params(
    provider_config_key: String,
    syncs: Option<&Bound<'_, PyAny>>,
    connection_id: Option<String>,
) -> PyResult<SyncStatusParams> {
    let syncs = match syncs {
        // `"*"` (or nothing) selects every sync; core knows the wire form.
        Some(obj) if obj.is_instance_of::<PyString>() => {
            convert::deserialize::<SyncSelection>(obj, "syncs")?
        }
        Some(obj) if !obj.is_none() => SyncSelection::List(sync_refs(Some(obj))?),
        _ => SyncSelection::default(),
    };
    Ok(SyncStatusParams {
        provider_config_key,
        syncs,
        connection_id,
    })
}

pub(crate) fn frequency_params(
    provider_config_key: String,
    sync: &Bound<'_, PyAny>,
    connection_id: String,
    frequency: Option<String>,
) -> PyResult<UpdateFrequencyParams> {
    Ok(UpdateFrequencyParams {
        provider_config_key,
        sync: Some(convert::deserialize::<SyncRef>(sync, "sync")?),
        connection_id,
        frequency,
    })
}

pub(crate) fn trigger_sync(nango: &nango::Nango, params: TriggerSyncParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.trigger_sync(&params).await },
        |py, body| Ok(convert::to_py(py, &body)?.unbind()),
    )
}

pub(crate) fn start_sync(nango: &nango::Nango, params: SyncControlParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.start_sync(&params).await },
        |py, body| Ok(convert::to_py(py, &body)?.unbind()),
    )
}

pub(crate) fn pause_sync(nango: &nango::Nango, params: SyncControlParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.pause_sync(&params).await },
        |py, body| Ok(convert::to_py(py, &body)?.unbind()),
    )
}

pub(crate) fn sync_status(nango: &nango::Nango, params: SyncStatusParams) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.sync_status(&params).await },
        |py, status| convert::serialize(py, &status),
    )
}

pub(crate) fn update_sync_connection_frequency(
    nango: &nango::Nango,
    params: UpdateFrequencyParams,
) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.update_sync_connection_frequency(&params).await },
        |py, frequency| convert::serialize(py, &frequency),
    )
}
