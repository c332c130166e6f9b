//! Records: one page (`list_records`), pruning, and the iterators `records()` returns.
//!
//! The iterators run core's raw pager (`RawPageStream`) in a task on the shared runtime, which
//! fetches and checks the next page while Python works through the current one, without the GIL.
//! A page stays the server's JSON text with each record located in it (no copy per record); pages
//! cross to Python through a one-slot channel, and each record becomes a `dict` when it is handed
//! out. `.cursor` is the checkpoint: the cursor of the last record handed out.

use std::sync::{Arc, Mutex};

use nango::{ListRecordsParams, RawPageStream, RawRecordsPage};
use pyo3::exceptions::{PyStopAsyncIteration, PyStopIteration, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::types::{PyDict, PyList, PyString};
use tokio::sync::{mpsc, oneshot};

use crate::client::{Call, call};
use crate::errors;
use crate::json;
use crate::runtime;

/// `model=`: the model's name, or a record class `python -m nango models` wrote, whose class
/// attribute (core's `MODEL_ATTRIBUTE`, `__nango_model__`) holds the name. A pydantic class's
/// `model_validate` is kept: each record is handed out through it.
pub(crate) struct ModelArg {
    pub(crate) name: String,
    pub(crate) validate: Option<Validate>,
}

/// A pydantic class's `model_validate`, applied to each record `dict`.
pub(crate) type Validate = Arc<Py<PyAny>>;

impl<'py> FromPyObject<'_, 'py> for ModelArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(text) = obj.cast::<PyString>() {
            return Ok(ModelArg {
                name: text.to_cow()?.into_owned(),
                validate: None,
            });
        }
        let named = obj
            .getattr(nango::models::python::MODEL_ATTRIBUTE)
            .ok()
            .and_then(|name| {
                name.cast::<PyString>()
                    .ok()
                    .map(|n| n.to_cow().map(|n| n.into_owned()))
            });
        match named {
            Some(name) => Ok(ModelArg {
                name: name?,
                validate: obj
                    .getattr("model_validate")
                    .ok()
                    .map(|validate| Arc::new(validate.unbind())),
            }),
            None => Err(PyTypeError::new_err(format!(
                "model must be the model's name (a str) or a record class written by \
                 `python -m nango models`, not {}",
                obj.get_type().name()?
            ))),
        }
    }
}

/// A record `dict`, through the model's `model_validate` when it has one.
fn validated<'py>(
    py: Python<'py>,
    validate: Option<&Validate>,
    record: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    match validate {
        Some(validate) => validate.bind(py).call1((record,)),
        None => Ok(record),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn params(
    provider_config_key: String,
    connection_id: String,
    model: String,
    variant: Option<String>,
    modified_after: Option<String>,
    limit: Option<u32>,
    filter: Option<String>,
    cursor: Option<String>,
    ids: Option<Vec<String>>,
) -> ListRecordsParams {
    let mut params = ListRecordsParams::new(provider_config_key, connection_id, model);
    params.variant = variant;
    params.modified_after = modified_after;
    params.limit = limit;
    params.filter = filter;
    params.cursor = cursor;
    params.ids = ids.unwrap_or_default();
    params
}

pub(crate) fn list_records(
    nango: &nango::Nango,
    params: ListRecordsParams,
    validate: Option<Validate>,
) -> Call {
    let nango = nango.clone();
    call(
        async move { nango.list_records_raw(&params).await },
        move |py, page| page_to_py(py, page, validate.as_ref()),
    )
}

/// `{"records": [...], "next_cursor": ...}`, the records decoded like the iterators' ones.
fn page_to_py(
    py: Python<'_>,
    page: RawRecordsPage,
    validate: Option<&Validate>,
) -> PyResult<Py<PyAny>> {
    let records = PyList::empty(py);
    let mut reader = json::Reader::default();
    let mut index = 0;
    while let Some(record) = page.record_json(index) {
        records.append(validated(py, validate, reader.read(py, record)?)?)?;
        index += 1;
    }
    let dict = PyDict::new(py);
    dict.set_item("records", records)?;
    dict.set_item("next_cursor", page.next_cursor())?;
    Ok(dict.into_any().unbind())
}

/// What the feeding task sends: a page (with the pager's checkpoint after it), the end, or an
/// error together with the pager, which keeps its position so that iterating again retries the
/// same page (no record skipped or repeated).
enum Message {
    Page(RawRecordsPage),
    Failed(nango::Error, Box<RawPageStream>),
}

/// One page's records and how far the caller has got. A record's text becomes a `dict` when it
/// is handed out, read by the feed's [`json::Reader`] (kept for the whole walk).
#[derive(Default)]
struct Page {
    records: Option<RawRecordsPage>,
    next: usize,
}

impl Page {
    fn record_json(&self, index: usize) -> Option<&str> {
        self.records.as_ref()?.record_json(index)
    }
}

/// State shared by the sync and async iterators.
struct Feed {
    receiver: Arc<tokio::sync::Mutex<mpsc::Receiver<Message>>>,
    task: Option<tokio::task::JoinHandle<()>>,
    page: Page,
    /// Checkpoint before the current page's first record.
    page_start: Option<String>,
    /// The pager handed back after an error, restarted on the next call.
    resume: Option<Box<RawPageStream>>,
    done: bool,
    reader: json::Reader,
    /// The model class's `model_validate` (pydantic), if `model=` was one.
    validate: Option<Validate>,
}

impl Feed {
    fn start(
        nango: &nango::Nango,
        params: ListRecordsParams,
        validate: Option<Validate>,
    ) -> PyResult<Feed> {
        let page_start = params.cursor.clone();
        let pages = Box::new(nango.raw_record_pages(params));
        let (sender, receiver) = mpsc::channel(1);
        let mut feed = Feed {
            receiver: Arc::new(tokio::sync::Mutex::new(receiver)),
            task: None,
            page: Page::default(),
            page_start,
            resume: None,
            done: false,
            reader: json::Reader::default(),
            validate,
        };
        feed.spawn(pages, sender)?;
        Ok(feed)
    }

    fn spawn(
        &mut self,
        mut pages: Box<RawPageStream>,
        sender: mpsc::Sender<Message>,
    ) -> PyResult<()> {
        let rt = runtime::runtime()?;
        self.task = Some(rt.spawn(async move {
            while let Some(result) = pages.next_page().await {
                let message = match result {
                    Ok(page) => Message::Page(page),
                    Err(err) => {
                        let _ = sender.send(Message::Failed(err, pages)).await;
                        return;
                    }
                };
                if sender.send(message).await.is_err() {
                    // The iterator was dropped or closed.
                    return;
                }
            }
        }));
        Ok(())
    }

    /// Restarts the pager after an error, on a fresh channel.
    fn restart_if_failed(&mut self) -> PyResult<()> {
        if let Some(pages) = self.resume.take() {
            let (sender, receiver) = mpsc::channel(1);
            self.receiver = Arc::new(tokio::sync::Mutex::new(receiver));
            self.spawn(pages, sender)?;
        }
        Ok(())
    }

    /// The next record of the current page as a dict, if any is left.
    fn next_buffered<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.page.record_json(self.page.next) {
            Some(record) => {
                let obj = self.reader.read(py, record)?;
                self.page.next += 1;
                // After the step: a record the model refuses raises, and the walk goes on
                // after it.
                Ok(Some(validated(py, self.validate.as_ref(), obj)?))
            }
            None => Ok(None),
        }
    }

    /// Takes in what the feeding task sent: `Ok(true)` if a page arrived, `Ok(false)` at the end.
    /// Errors stay core errors here: this may run on a runtime thread, without the GIL.
    fn accept(&mut self, message: Option<Message>) -> Result<bool, nango::Error> {
        self.page_start = self.checkpoint();
        self.page = Page::default();
        match message {
            Some(Message::Page(records)) => {
                self.page.records = Some(records);
                Ok(true)
            }
            Some(Message::Failed(err, pages)) => {
                self.resume = Some(pages);
                Err(err)
            }
            None => {
                self.done = true;
                Ok(false)
            }
        }
    }

    /// Cursor of the last record handed out (or where the walk started).
    fn checkpoint(&self) -> Option<String> {
        if let (Some(records), Some(last)) = (&self.page.records, self.page.next.checked_sub(1))
            && let Some(cursor) = records.record_cursor(last)
        {
            return Some(cursor);
        }
        self.page_start.clone()
    }

    fn close(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        self.resume = None;
        self.done = true;
        self.page = Page::default();
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Locks the iterator state from a thread attached to Python. Waiting releases the GIL: the
/// thread holding the lock may be blocked on a page and need the GIL back to finish.
fn lock<'a>(py: Python<'_>, feed: &'a Mutex<Feed>) -> PyResult<std::sync::MutexGuard<'a, Feed>> {
    feed.lock_py_attached(py)
        .map_err(|_| errors::internal("record iterator state poisoned".to_owned()))
}

/// `for record in client.records(...)`: each record is a `dict`; `.cursor` is the checkpoint.
#[pyclass(name = "RecordIterator", module = "nango._nango", frozen)]
pub(crate) struct PyRecordIterator {
    feed: Mutex<Feed>,
}

impl PyRecordIterator {
    pub(crate) fn start(
        nango: &nango::Nango,
        params: ListRecordsParams,
        validate: Option<Validate>,
    ) -> PyResult<Self> {
        Ok(PyRecordIterator {
            feed: Mutex::new(Feed::start(nango, params, validate)?),
        })
    }
}

#[pymethods]
impl PyRecordIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut feed = lock(py, &self.feed)?;
        loop {
            if let Some(record) = feed.next_buffered(py)? {
                return Ok(record);
            }
            if feed.done {
                return Err(PyStopIteration::new_err(()));
            }
            feed.restart_if_failed()?;
            let receiver = feed.receiver.clone();
            let message = runtime::block_on(py, async move { receiver.lock().await.recv().await })?;
            if !feed.accept(message).map_err(errors::to_py_err)? {
                return Err(PyStopIteration::new_err(()));
            }
        }
    }

    /// Cursor of the last record handed out (or the starting cursor): persist it and pass it as
    /// `cursor=` later to get only newer changes. The same meaning and name as in Rust and Node.
    #[getter]
    fn checkpoint(&self, py: Python<'_>) -> PyResult<Option<String>> {
        Ok(lock(py, &self.feed)?.checkpoint())
    }

    /// The same as `checkpoint` (the name this package used first).
    #[getter]
    fn cursor(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.checkpoint(py)
    }

    /// Stops reading ahead and ends the iteration.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        lock(py, &self.feed)?.close();
        Ok(())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(
        &self,
        py: Python<'_>,
        _exc_type: Option<&Bound<'_, PyAny>>,
        _exc: Option<&Bound<'_, PyAny>>,
        _tb: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }
}

/// `async for record in client.records(...)`: each record is a `dict`; `.cursor` is the
/// checkpoint. Cancelling the consuming task leaves the iterator usable.
///
/// Overlapping `__anext__` calls (`asyncio.gather(it.__anext__(), it.__anext__())`) get
/// successive records, exactly once and in call order. Each call takes a turn when it is made
/// (synchronously, so turns follow call order, not the order the runtime polls the waiting
/// tasks) and keeps it until its record is handed out. A call whose predecessor still holds its
/// turn waits for it instead of taking a buffered record out of order or fetching a page over
/// one that still has records.
#[pyclass(name = "AsyncRecordIterator", module = "nango._nango", frozen)]
pub(crate) struct PyAsyncRecordIterator {
    feed: Arc<Mutex<Feed>>,
    /// Resolves when the latest call's turn ends (its sender is dropped).
    last_turn: Mutex<Option<oneshot::Receiver<()>>>,
}

impl PyAsyncRecordIterator {
    pub(crate) fn start(
        nango: &nango::Nango,
        params: ListRecordsParams,
        validate: Option<Validate>,
    ) -> PyResult<Self> {
        Ok(PyAsyncRecordIterator {
            feed: Arc::new(Mutex::new(Feed::start(nango, params, validate)?)),
            last_turn: Mutex::new(None),
        })
    }
}

/// The rest of an `__anext__` that had to wait: hands out the next record with the GIL, or ends
/// the iteration, or raises the error. Holds the call's turn until then; if the awaitable is
/// cancelled first, the turn is released and the record stays buffered for the next call.
struct NextAfterWait {
    feed: Arc<Mutex<Feed>>,
    outcome: Result<bool, nango::Error>,
    _turn: Turn,
}

/// Held for as long as a call's turn lasts; dropping it lets the next call go.
type Turn = oneshot::Sender<()>;

impl<'py> IntoPyObject<'py> for NextAfterWait {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.outcome {
            Err(err) => Err(errors::to_py_err(err)),
            Ok(false) => Err(PyStopAsyncIteration::new_err(())),
            Ok(true) => match lock(py, &self.feed)?.next_buffered(py)? {
                Some(record) => Ok(record),
                None => Err(errors::internal("a page arrived empty".to_owned())),
            },
        }
    }
}

/// Waits, holding `turn`, until the feed has a record to hand out, has ended or has failed.
/// Runs on the runtime, without the GIL. A page is only taken from the channel once the current
/// one is used up, so no record is ever replaced unseen.
async fn wait_for_record(shared: Arc<Mutex<Feed>>, turn: Turn) -> PyResult<NextAfterWait> {
    let poisoned = || errors::internal("record iterator state poisoned".to_owned());
    let outcome = loop {
        let receiver = {
            let mut feed = shared.lock().map_err(|_| poisoned())?;
            if feed.page.record_json(feed.page.next).is_some() {
                break Ok(true);
            }
            if feed.done {
                break Ok(false);
            }
            feed.restart_if_failed()?;
            feed.receiver.clone()
        };
        // Cancelling the awaitable drops this future; the receiver's lock goes with it and any
        // page stays in the channel for the next `__anext__`.
        let message = receiver.lock().await.recv().await;
        let mut feed = shared.lock().map_err(|_| poisoned())?;
        if let Err(err) = feed.accept(message) {
            break Err(err);
        }
        // Loop: hands out the page's first record, ends, or skips a page that came back empty
        // but is not the last (a size-capped server).
    };
    Ok(NextAfterWait {
        feed: shared,
        outcome,
        _turn: turn,
    })
}

#[pymethods]
impl PyAsyncRecordIterator {
    fn __aiter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (turn, turn_ended) = oneshot::channel();
        let previous = self
            .last_turn
            .lock()
            .map_err(|_| errors::internal("record iterator state poisoned".to_owned()))?
            .replace(turn_ended);
        if let Some(mut previous) = previous
            && matches!(
                previous.try_recv(),
                Err(oneshot::error::TryRecvError::Empty)
            )
        {
            // An earlier call is still waiting or handing out its record: go after it.
            let shared = self.feed.clone();
            return runtime::awaitable(py, async move {
                let _ = previous.await;
                wait_for_record(shared, turn).await
            });
        }
        let mut feed = lock(py, &self.feed)?;
        if let Some(record) = feed.next_buffered(py)? {
            // No page to wait for: an awaitable that is already done, no event-loop round trip.
            return Ok(Bound::new(
                py,
                Ready {
                    value: Mutex::new(Some(record.unbind())),
                },
            )?
            .into_any());
        }
        if feed.done {
            return Err(PyStopAsyncIteration::new_err(()));
        }
        drop(feed);
        runtime::awaitable(py, wait_for_record(self.feed.clone(), turn))
    }

    /// See `RecordIterator.checkpoint`.
    #[getter]
    fn checkpoint(&self, py: Python<'_>) -> PyResult<Option<String>> {
        Ok(lock(py, &self.feed)?.checkpoint())
    }

    /// The same as `checkpoint`.
    #[getter]
    fn cursor(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.checkpoint(py)
    }

    fn aclose<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        lock(py, &self.feed)?.close();
        Ok(Bound::new(
            py,
            Ready {
                value: Mutex::new(Some(py.None())),
            },
        )?
        .into_any())
    }

    fn close(&self, py: Python<'_>) -> PyResult<()> {
        lock(py, &self.feed)?.close();
        Ok(())
    }
}

/// An awaitable whose value is already known.
#[pyclass(name = "_Ready", module = "nango._nango", frozen)]
pub(crate) struct Ready {
    value: Mutex<Option<Py<PyAny>>>,
}

#[pymethods]
impl Ready {
    fn __await__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self) -> PyResult<Py<PyAny>> {
        let value = self
            .value
            .lock()
            .map_err(|_| errors::internal("awaitable state poisoned".to_owned()))?
            .take();
        match value {
            Some(value) => Err(PyStopIteration::new_err((value,))),
            None => Err(PyStopIteration::new_err(())),
        }
    }
}
