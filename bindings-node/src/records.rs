//! Records: `listRecords` as the official SDK has it (`pruneRecords` is a table operation), and `RecordPager`,
//! the read-ahead page walker behind `nango.records()` (the async iterator of `nango.js`).
//!
//! Pages cross napi as JSON text: core's raw pager checks each page and locates its records
//! without decoding them (it needs `next_cursor` to fetch the next page ahead, and the last
//! record's cursor for the checkpoint); the worker splits the records into a few JSON array
//! texts under 128 KiB each (see [`CHUNK_BYTES`]), and V8's `JSON.parse` builds the objects.
//! A tokio task drives the pager, so the next page is fetched and checked while JS parses and
//! consumes this one.
//!
//! The texts are copied into V8 (`napi_create_string_latin1`). An external string (napi10's
//! `node_api_create_external_string_latin1`, no copy) saved ~0.6 ms of JS-thread time per
//! 1,000-record page but V8 keeps external strings in old space until a full GC, so peak RSS
//! of a 100,000-record walk went from ~113 MB to ~315 MB: not worth it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex as StdMutex};

use napi::Env;
use napi::bindgen_prelude::{PromiseRaw, Unknown};
use napi_derive::napi;
use tokio::sync::{Mutex, mpsc};

use crate::client::JsNango;
use crate::convert::{self, Cancel, JsOut};
use crate::errors::Failure;

#[napi]
impl JsNango {
    /// One page of records: `GET /records/` → `{ records, next_cursor }`.
    #[napi(
        ts_generic_types = "T extends Record<string, any> = Record<string, any>",
        ts_args_type = "config: ListRecordsRequestConfig, options?: CallOptions",
        ts_return_type = "Promise<ListRecordsResponse<NangoRecord<T>>>"
    )]
    pub fn list_records<'env>(
        &self,
        env: &'env Env,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        const METHOD: &str = "listRecords";
        let prepared = (|| {
            let cancel = Cancel::from_options(env, METHOD, options)?;
            let params: nango::ListRecordsParams = convert::from_js(env, METHOD, "config", config)?;
            // Core reads the next page ahead (unless `readAhead: false`) and answers from it.
            let core = self.core.clone();
            convert::spawn(env, cancel, async move {
                let response = core.list_records_response(&params).await?;
                if !response.is_success() {
                    let label = nango::records::list_records_request(&params)?.label();
                    return Err(Failure::answered(&label, response));
                }
                Ok(JsOut::Json(convert::json_text(response)?))
            })
        })();
        convert::rejecting(env, prepared)
    }

    /// The page walker behind `records()`: from `config.cursor` (or the start) to the end.
    #[napi(ts_args_type = "config: RecordsConfig, options?: CallOptions")]
    pub fn record_pages(
        &self,
        env: Env,
        config: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<RecordPager> {
        const METHOD: &str = "records";
        let cancel = Cancel::from_options(&env, METHOD, options)?;
        let params: nango::ListRecordsParams = convert::from_js(&env, METHOD, "config", config)?;
        // Checked here so a bad call fails at `records()`, not at the first `next()`.
        nango::records::list_records_request(&params)
            .map_err(|err| crate::errors::to_js_error(&env, err))?;
        let checkpoint = Arc::new(StdMutex::new(params.cursor.clone()));
        // The first page is requested right away, so it is on its way while the caller sets up
        // its loop. Without a runtime at hand (or with a signal already aborted) the first
        // `nextPage()` starts it instead.
        let state = if cancel.is_aborted() {
            None
        } else {
            napi::bindgen_prelude::within_runtime_if_available(|| {
                tokio::runtime::Handle::try_current().ok().map(|_| {
                    start_driver(self.core.clone(), params.clone(), cancel.clone_receiver())
                })
            })
        };
        let task = Arc::new(StdMutex::new(
            state.as_ref().map(|driver: &Driver| driver.task.clone()),
        ));
        let state = match state {
            Some(driver) => PagerState::Running(driver),
            None => PagerState::Idle {
                core: self.core.clone(),
                params: Box::new(params),
            },
        };
        Ok(RecordPager {
            state: Arc::new(Mutex::new(state)),
            cancel,
            checkpoint,
            task,
            closed: Arc::new(AtomicBool::new(false)),
        })
    }
}

/// The task that drives core's pager, and its output.
struct Driver {
    pages: mpsc::Receiver<nango::Result<Page>>,
    task: tokio::task::AbortHandle,
}

impl Drop for Driver {
    /// Stopping the walk (`close()`, or the pager being collected) also stops the read-ahead
    /// request: aborting the task drops it, which closes its connection.
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The largest JSON text handed to V8 in one string. V8 allocates every string over 128 KiB
/// (`kMaxRegularHeapObjectSize`) on a fresh large-object page, mapped and zero-filled for it and
/// unmapped after: for a 1.3 MB page that was ~21% of the JS thread's time (perf), more than the
/// copy itself. Texts below that go to the young generation's reused pages.
pub(crate) const CHUNK_BYTES: usize = 96 * 1024;

/// One page handed to JS (its records as a few JSON array texts), with the checkpoint after it.
struct Page {
    records_json: Vec<String>,
    checkpoint: Option<String>,
}

enum PagerState {
    /// Not started yet.
    Idle {
        core: nango::Nango,
        params: Box<nango::ListRecordsParams>,
    },
    /// The driver task feeds pages through this channel (capacity 1: at most one finished page
    /// waits while JS works on the current one).
    Running(Driver),
    /// The end was reached, or the pager was closed.
    Done,
}

/// Walks `/records` page by page with one page of read-ahead. Created by `nango.records()`;
/// `nango.js` wraps it in an async iterator.
#[napi]
pub struct RecordPager {
    state: Arc<Mutex<PagerState>>,
    cancel: Cancel,
    checkpoint: Arc<StdMutex<Option<String>>>,
    /// The driver task, reachable without the state lock (which a pending `nextPage()` holds),
    /// so that `close()` always stops it at once.
    task: Arc<StdMutex<Option<tokio::task::AbortHandle>>>,
    closed: Arc<AtomicBool>,
}

#[napi]
impl RecordPager {
    /// The next page as `{ records, checkpoint }`, or `null` after the last one. After an error,
    /// calling again retries the same cursor (nothing is skipped or repeated).
    #[napi(
        ts_generic_types = "T = NangoRecord",
        ts_return_type = "Promise<{ records: T[]; checkpoint: string | null } | null>"
    )]
    pub fn next_page<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, Unknown<'env>>> {
        let state = Arc::clone(&self.state);
        let checkpoint = Arc::clone(&self.checkpoint);
        let task = Arc::clone(&self.task);
        let closed = Arc::clone(&self.closed);
        let cancel = self.cancel.clone_receiver();
        let driver_cancel = self.cancel.clone_receiver();
        let signal = self.cancel.clone_receiver();
        convert::spawn(env, cancel, async move {
            let mut state = state.lock().await;
            if closed.load(Ordering::SeqCst) {
                *state = PagerState::Done;
            }
            if let PagerState::Idle { core, params } = &*state {
                let driver = start_driver(core.clone(), (**params).clone(), driver_cancel);
                if let Ok(mut slot) = task.lock() {
                    *slot = Some(driver.task.clone());
                }
                *state = PagerState::Running(driver);
            }
            let received = match &mut *state {
                PagerState::Running(driver) => driver.pages.recv().await,
                _ => None,
            };
            match received {
                Some(Ok(page)) => {
                    if let Ok(mut slot) = checkpoint.lock() {
                        slot.clone_from(&page.checkpoint);
                    }
                    Ok(JsOut::Page {
                        records_json: page.records_json,
                        checkpoint: page.checkpoint,
                    })
                }
                Some(Err(err)) => Err(err.into()),
                // The signal also stops the driver, which closes the channel: that is a cancelled
                // walk, never its end (the race between the two wakeups once made it look done).
                None if signal.is_aborted() => Err(nango::Error::Cancelled.into()),
                None => {
                    *state = PagerState::Done;
                    Ok(JsOut::Null)
                }
            }
        })
    }

    /// Cursor of the last record of the last page handed out (or the starting cursor): persist it
    /// and pass it as `cursor` later to get only newer changes.
    #[napi(getter)]
    pub fn checkpoint(&self) -> Option<String> {
        self.checkpoint.lock().ok().and_then(|slot| slot.clone())
    }

    /// Stops the walk and the read-ahead request (called by the iterator's `return()`).
    #[napi]
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if let Some(task) = self.task.lock().ok().and_then(|mut slot| slot.take()) {
            task.abort();
        }
        if let Ok(mut state) = self.state.try_lock() {
            *state = PagerState::Done;
        }
    }
}

/// Spawns the task that drives core's pager. It asks for the next page only when the channel has
/// room, so at most one finished page waits while JS consumes the current one and the request for
/// the one after is in flight. The task ends when the walk ends, the receiver is dropped or the
/// walk's `AbortSignal` fires (which drops the read-ahead request and closes its connection).
fn start_driver(core: nango::Nango, params: nango::ListRecordsParams, cancel: Cancel) -> Driver {
    let (sender, receiver) = mpsc::channel(1);
    let task = tokio::spawn(cancel.run(async move {
        let mut pages = core.raw_record_pages(params);
        loop {
            let Ok(permit) = sender.reserve().await else {
                return Ok::<(), nango::Error>(());
            };
            match pages.next_page().await {
                None => return Ok(()),
                Some(Ok(page)) => {
                    // Split here, on the worker, so the JS thread only copies and parses.
                    let records_json = page.records_json_chunks(CHUNK_BYTES);
                    permit.send(Ok(Page {
                        records_json,
                        checkpoint: pages.checkpoint().map(str::to_owned),
                    }));
                }
                // The pager keeps its position: the next `next_page` re-requests this cursor.
                Some(Err(err)) => permit.send(Err(err)),
            }
        }
    }));
    Driver {
        pages: receiver,
        task: task.abort_handle(),
    }
}
