//! Read-ahead for the drop-in `list_records` loop: while the caller works on a page whose
//! `next_cursor` is `c`, the page at `c` is already on its way.
//!
//! The policy, in one place for every binding:
//! - **One page ahead, one per client.** When a `list_records` call gets a 2xx page with a
//!   `next_cursor` `c`, the same parameters with `cursor = c` are fetched in the background. Any
//!   later `list_records` call takes that slot: the call for exactly those parameters and `c` is
//!   answered from it; any other call (another model, connection, filter, limit, variant, ids,
//!   `modified_after` or cursor) drops it (aborting it if still in flight) and sends its own
//!   request. Two loops interleaved on one client therefore cancel each other's read-ahead.
//! - **Idle drop.** A read-ahead not asked for within [`READ_AHEAD_IDLE`] of its start is
//!   dropped, and the page it holds with it.
//! - **Reads only.** Nothing but `GET /records/` is ever read ahead: no action, no write.
//! - **Freshness.** The page is as the server had it when the background request was answered:
//!   what a sequential caller that asked at that moment would have got. Records are ordered by
//!   their last modification, so a record changed after that moment comes again, changed, on a
//!   later page, as it would for a sequential caller that had already passed it.
//! - **Errors.** The background request has the same retries and deadline as a call. Its final
//!   outcome, error included, is handed to the matching call, once: that call reports it as if
//!   it had sent the request itself, and the slot is then empty, so calling again retries afresh.
//!   An outcome nobody asks for is dropped unseen.
//! - **Off switch.** [`crate::NangoBuilder::read_ahead`]`(false)`: every call sends its own
//!   request and nothing runs in the background.
//!
//! It needs a tokio runtime to run the background request on (the one the call runs on); without
//! one, and in the browser, calls are sent one by one as if it were off.

use std::time::Duration;

use crate::client::Nango;
use crate::error::Result;
use crate::records::{ListRecordsParams, list_records_request};
use crate::response::RawResponse;

/// How long a read-ahead page waits for the call that asks for it: 5 s from the moment the
/// previous page was answered.
///
/// Read-ahead saves one round trip per page, tens to hundreds of milliseconds on a real link. A
/// caller that spends more than a few seconds on a page gains a few percent at most from it,
/// while the page held for it keeps its memory (up to a few MB at large limits) and ages. 5 s is
/// far above any round trip and the time a loop that just stores records takes per page, and
/// short enough that an abandoned loop frees its page (and its connection) soon.
pub const READ_AHEAD_IDLE: Duration = Duration::from_secs(5);

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::ListRecordsReadAhead;

/// In the browser nothing is read ahead: there is no runtime of ours to run it on.
#[cfg(target_arch = "wasm32")]
#[derive(Default)]
pub(crate) struct ListRecordsReadAhead;

#[cfg(target_arch = "wasm32")]
impl ListRecordsReadAhead {
    pub(crate) async fn fetch(
        &self,
        nango: &Nango,
        params: &ListRecordsParams,
        _enabled: bool,
    ) -> Result<RawResponse> {
        nango.send_any_status(&list_records_request(params)?).await
    }
}

/// The same walk: every parameter but the cursor is equal.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn same_walk(a: &ListRecordsParams, b: &ListRecordsParams) -> bool {
    let ListRecordsParams {
        provider_config_key,
        connection_id,
        model,
        variant,
        modified_after,
        delta,
        limit,
        filter,
        cursor: _,
        ids,
    } = a;
    *provider_config_key == b.provider_config_key
        && *connection_id == b.connection_id
        && *model == b.model
        && *variant == b.variant
        && *modified_after == b.modified_after
        && *delta == b.delta
        && *limit == b.limit
        && *filter == b.filter
        && *ids == b.ids
}

/// `next_cursor` of a records page body; `None` when it has none or is not a page.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
fn next_cursor_of(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Next {
        #[serde(default)]
        next_cursor: Option<String>,
    }
    serde_json::from_slice::<Next>(body)
        .ok()
        .and_then(|page| page.next_cursor)
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    use tokio::sync::oneshot;

    use super::*;

    /// The read-ahead slot of one client (see the module docs for the policy).
    #[derive(Default)]
    pub(crate) struct ListRecordsReadAhead {
        slot: Arc<Mutex<Option<Ahead>>>,
        next_id: AtomicU64,
    }

    /// One page being read ahead.
    struct Ahead {
        id: u64,
        /// The call whose answer started it; it reads the page after that answer.
        after: ListRecordsParams,
        started: Instant,
        /// The answer's `next_cursor`, once the background task has read it.
        cursor: oneshot::Receiver<Option<String>>,
        /// The background request's final outcome.
        outcome: oneshot::Receiver<Result<RawResponse>>,
        task: tokio::task::AbortHandle,
    }

    impl Drop for Ahead {
        /// A read-ahead that is dropped stops its request (which closes its connection).
        fn drop(&mut self) {
            self.task.abort();
        }
    }

    impl Ahead {
        /// The outcome for a call with `cursor`, if this read-ahead is for it.
        async fn claim(mut self, cursor: Option<&str>) -> Option<Result<RawResponse>> {
            let next = (&mut self.cursor).await.ok().flatten()?;
            if cursor != Some(next.as_str()) {
                return None;
            }
            (&mut self.outcome).await.ok()
        }
    }

    impl ListRecordsReadAhead {
        /// One `GET /records/` answer, any status, for `params`: from the read-ahead when it
        /// is for exactly these parameters, else sent now. A 2xx page with a `next_cursor`
        /// starts the read-ahead of the page after it when `enabled`.
        pub(crate) async fn fetch(
            &self,
            nango: &Nango,
            params: &ListRecordsParams,
            enabled: bool,
        ) -> Result<RawResponse> {
            let request = list_records_request(params)?;
            // Whatever is read ahead is for this call or for none: take it out either way.
            let taken = self.slot.lock().ok().and_then(|mut slot| slot.take());
            let claimed = match taken {
                Some(ahead)
                    if ahead.started.elapsed() <= READ_AHEAD_IDLE
                        && same_walk(&ahead.after, params) =>
                {
                    ahead.claim(params.cursor.as_deref()).await
                }
                _ => None,
            };
            let outcome = match claimed {
                Some(outcome) => outcome,
                None => nango.send_any_status(&request).await,
            };
            if enabled
                && let Ok(response) = &outcome
                && response.is_success()
            {
                self.start(nango, params, response.body.clone());
            }
            outcome
        }

        /// Starts reading ahead the page after `body` (the answer to `params`), if there is a
        /// runtime to run it on.
        fn start(&self, nango: &Nango, params: &ListRecordsParams, body: Vec<u8>) {
            let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                return;
            };
            let id = self.next_id.fetch_add(1, Ordering::Relaxed);
            let started = Instant::now();
            let (cursor_tx, cursor_rx) = oneshot::channel();
            let (outcome_tx, outcome_rx) = oneshot::channel();
            let slot = Arc::downgrade(&self.slot);
            let nango = nango.clone();
            let mut next = params.clone();
            let task = runtime.spawn(async move {
                // Read here, off the caller's path: the caller has its page already.
                let Some(cursor) = next_cursor_of(&body) else {
                    let _ = cursor_tx.send(None);
                    return;
                };
                drop(body);
                next.cursor = Some(cursor.clone());
                let _ = cursor_tx.send(Some(cursor));
                let outcome = match list_records_request(&next) {
                    Ok(request) => nango.send_any_status(&request).await,
                    Err(err) => Err(err),
                };
                drop(nango);
                if outcome_tx.send(outcome).is_err() {
                    return;
                }
                // Unclaimed after the idle time: drop it, and the page with it.
                tokio::time::sleep_until((started + READ_AHEAD_IDLE).into()).await;
                let Some(slot) = slot.upgrade() else { return };
                let stale = slot.lock().ok().and_then(|mut slot| {
                    if slot.as_ref().is_some_and(|ahead| ahead.id == id) {
                        slot.take()
                    } else {
                        None
                    }
                });
                // Dropping it aborts this task, which ends here anyway.
                drop(stale);
            });
            let ahead = Ahead {
                id,
                after: params.clone(),
                started,
                cursor: cursor_rx,
                outcome: outcome_rx,
                task: task.abort_handle(),
            };
            // A concurrent call may have filled the slot meanwhile: the later one wins.
            let replaced = self
                .slot
                .lock()
                .ok()
                .and_then(|mut slot| slot.replace(ahead));
            drop(replaced);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_is_every_parameter_but_the_cursor() {
        let base = ListRecordsParams::new("p", "c", "M").limit(10);
        assert!(same_walk(&base, &base.clone().cursor("x")));
        let changes: [fn(&mut ListRecordsParams); 9] = [
            |p| p.provider_config_key = "q".into(),
            |p| p.connection_id = "d".into(),
            |p| p.model = "N".into(),
            |p| p.variant = Some("v".into()),
            |p| p.modified_after = Some("2024-01-01T00:00:00Z".into()),
            |p| p.delta = Some("2024-01-01T00:00:00Z".into()),
            |p| p.limit = Some(11),
            |p| p.filter = Some("added".into()),
            |p| p.ids = vec!["1".into()],
        ];
        for change in changes {
            let mut other = base.clone();
            change(&mut other);
            assert!(!same_walk(&base, &other), "{other:?}");
        }
    }

    #[test]
    fn the_next_cursor_is_read_from_the_body() {
        assert_eq!(
            next_cursor_of(br#"{"records":[{"a":[1,{"next_cursor":"no"}]}],"next_cursor":"N"}"#),
            Some("N".to_owned())
        );
        assert_eq!(
            next_cursor_of(br#"{"records":[],"next_cursor":null}"#),
            None
        );
        assert_eq!(next_cursor_of(br#"{"records":[]}"#), None);
        assert_eq!(next_cursor_of(b"not json"), None);
    }
}
