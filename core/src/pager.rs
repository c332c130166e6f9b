//! Walking `/records` to the end (docs/protocol.md §7): page by page ([`PageStream`], or
//! [`RawPageStream`] with the records left as JSON text) or record by record ([`RecordStream`]),
//! with one page of read-ahead.
//!
//! Read-ahead without a runtime: the next page's request future is stored in the stream and
//! polled whenever the stream is polled, so it works on any executor (tokio, the browser's
//! event loop, a test's `block_on`) and never spawns. Natively, once the request is handed to
//! reqwest's connection it progresses on the connection task even between polls.
//!
//! Faults: the transport retries transient failures itself. When it gives up, the stream yields
//! the error and keeps its position: polling again re-requests the SAME cursor, so a caller that
//! continues after an error neither skips nor repeats a record.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::Nango;
use crate::error::Result;
use crate::raw_page::RawRecordsPage;
use crate::records::{ListRecordsParams, RecordCursor, RecordsPage, list_records_request};

/// The page size the walkers ([`Nango::records`], [`Nango::record_pages`],
/// [`Nango::raw_record_pages`]) ask for when the caller sets no `limit`; `list_records` sends none
/// and gets the server's default (100), as the official SDK does.
///
/// Why 1000: a walk pays one round trip per page (the next page is read ahead, but only one), so
/// on a link with round-trip time `rtt` it cannot beat `limit / rtt` records a second: 5,000/s
/// at limit 100 and 20 ms, 50,000/s at 1000. On loopback (release emulator, 20,000 records of
/// ~1 KB sent zstd-compressed, a busy 2-core machine, median of 7 walks of the raw pager) it read
/// 102k records/s at limit 100, 205k at 500, 222k at 1000 and 169k at 2000: past 1000 bigger
/// pages gained nothing there, while the memory a walk holds grows with them (two pages at a
/// time: the one being read and the one ahead, ~2 MB at 1 KB a record).
pub const WALK_PAGE_LIMIT: u32 = 1000;

#[cfg(not(target_arch = "wasm32"))]
type PageFuture<P> = Pin<Box<dyn Future<Output = Result<P>> + Send>>;
// reqwest's fetch futures are not `Send` in the browser (single-threaded anyway).
#[cfg(target_arch = "wasm32")]
type PageFuture<P> = Pin<Box<dyn Future<Output = Result<P>>>>;

/// What a record type needs to be walked: decodable, with a readable cursor.
#[cfg(not(target_arch = "wasm32"))]
pub trait PageItem: DeserializeOwned + RecordCursor + Send + 'static {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: DeserializeOwned + RecordCursor + Send + 'static> PageItem for T {}

/// What a record type needs to be walked: decodable, with a readable cursor.
#[cfg(target_arch = "wasm32")]
pub trait PageItem: DeserializeOwned + RecordCursor + 'static {}
#[cfg(target_arch = "wasm32")]
impl<T: DeserializeOwned + RecordCursor + 'static> PageItem for T {}

mod sealed {
    pub trait Sealed {}
}

/// A page the walker can fetch and step over: [`RecordsPage<T>`] (records decoded as `T`) or
/// [`RawRecordsPage`] (records kept as checked JSON text). Sealed: the paging rules stay here.
pub trait WalkPage: sealed::Sealed + Sized + 'static {
    #[doc(hidden)]
    fn fetch(nango: Nango, params: ListRecordsParams) -> PageFuture<Self>;
    /// Where the next page starts; `None` at the end.
    fn next_page_cursor(&self) -> Option<&str>;
    /// The last record's cursor, which becomes the checkpoint once the page is yielded.
    fn last_record_cursor(&self) -> Option<String>;
}

impl<T: PageItem> sealed::Sealed for RecordsPage<T> {}

impl<T: PageItem> WalkPage for RecordsPage<T> {
    fn fetch(nango: Nango, params: ListRecordsParams) -> PageFuture<Self> {
        // Straight to the server: the walk reads ahead itself, so `list_records`' read-ahead
        // (one slot per client) is left to drop-in loops.
        Box::pin(async move { nango.send_json(&list_records_request(&params)?).await })
    }

    fn next_page_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }

    fn last_record_cursor(&self) -> Option<String> {
        self.records.last().and_then(RecordCursor::record_cursor)
    }
}

impl sealed::Sealed for RawRecordsPage {}

impl WalkPage for RawRecordsPage {
    fn fetch(nango: Nango, params: ListRecordsParams) -> PageFuture<Self> {
        Box::pin(async move {
            RawRecordsPage::from_response(nango.send(&list_records_request(&params)?).await?)
        })
    }

    fn next_page_cursor(&self) -> Option<&str> {
        self.next_cursor()
    }

    fn last_record_cursor(&self) -> Option<String> {
        self.last_cursor().map(str::to_owned)
    }
}

/// A stream of pages until `next_cursor` is null, one read ahead. Named by what it yields:
/// [`PageStream<T>`] or [`RawPageStream`].
pub struct PageWalk<P: WalkPage> {
    nango: Nango,
    /// The request for the next page to fetch (its `cursor` is the position).
    params: ListRecordsParams,
    in_flight: Option<PageFuture<P>>,
    /// A read-ahead result that completed before the caller asked for it.
    prefetched: Option<Result<P>>,
    done: bool,
    checkpoint: Option<String>,
}

/// Pages with records decoded as `T`.
pub type PageStream<T = Value> = PageWalk<RecordsPage<T>>;

/// Pages with records kept as checked JSON text.
pub type RawPageStream = PageWalk<RawRecordsPage>;

impl<P: WalkPage> Unpin for PageWalk<P> {}

impl<P: WalkPage> PageWalk<P> {
    fn new(nango: Nango, mut params: ListRecordsParams) -> Self {
        params.limit.get_or_insert(WALK_PAGE_LIMIT);
        let checkpoint = params.cursor.clone();
        PageWalk {
            nango,
            params,
            in_flight: None,
            prefetched: None,
            done: false,
            checkpoint,
        }
    }

    /// Cursor of the last record of the last page yielded (or the starting cursor): persist it
    /// to resume later with only newer changes.
    pub fn checkpoint(&self) -> Option<&str> {
        self.checkpoint.as_deref()
    }

    /// True once the last page was yielded.
    pub fn is_done(&self) -> bool {
        self.done && self.in_flight.is_none() && self.prefetched.is_none()
    }

    /// The next page, for callers without `StreamExt`.
    pub async fn next_page(&mut self) -> Option<Result<P>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    fn start(&mut self) {
        self.in_flight = Some(P::fetch(self.nango.clone(), self.params.clone()));
    }

    /// Polls the read-ahead request without yielding it, so it progresses while the caller works
    /// through the current page.
    fn drive(&mut self, cx: &mut Context<'_>) {
        if self.prefetched.is_some() {
            return;
        }
        if let Some(future) = self.in_flight.as_mut()
            && let Poll::Ready(result) = future.as_mut().poll(cx)
        {
            self.in_flight = None;
            self.prefetched = Some(result);
        }
    }

    fn accept(&mut self, result: Result<P>, cx: &mut Context<'_>) -> Result<P> {
        let page = result?;
        if let Some(cursor) = page.last_record_cursor() {
            self.checkpoint = Some(cursor);
        }
        match page.next_page_cursor() {
            // A server answering the cursor it was given would loop forever; stop instead.
            Some(next) if Some(next) != self.params.cursor.as_deref() => {
                self.params.cursor = Some(next.to_owned());
                self.start();
                self.drive(cx);
            }
            _ => self.done = true,
        }
        Ok(page)
    }
}

impl<P: WalkPage> Stream for PageWalk<P> {
    type Item = Result<P>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(result) = this.prefetched.take() {
            return Poll::Ready(Some(this.accept(result, cx)));
        }
        if this.in_flight.is_none() {
            if this.done {
                return Poll::Ready(None);
            }
            this.start();
        }
        let Some(future) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        match future.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(result) => {
                this.in_flight = None;
                // On error `params.cursor` is unchanged: the next poll asks for the same page.
                Poll::Ready(Some(this.accept(result, cx)))
            }
        }
    }
}

/// A stream of single records, built on [`PageStream`].
pub struct RecordStream<T: PageItem = Value> {
    pages: PageStream<T>,
    buffer: VecDeque<T>,
    checkpoint: Option<String>,
}

impl<T: PageItem> Unpin for RecordStream<T> {}

impl<T: PageItem> RecordStream<T> {
    /// `_nango_metadata.cursor` of the last record yielded (or the starting cursor).
    pub fn checkpoint(&self) -> Option<&str> {
        self.checkpoint.as_deref()
    }

    /// The next record, for callers without `StreamExt`.
    pub async fn next_record(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T: PageItem> Stream for RecordStream<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(record) = this.buffer.pop_front() {
                this.pages.drive(cx);
                if let Some(cursor) = record.record_cursor() {
                    this.checkpoint = Some(cursor);
                }
                return Poll::Ready(Some(Ok(record)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page.records),
            }
        }
    }
}

impl Nango {
    /// Walks every record from `params.cursor` (or the start) to the end, reading the next page
    /// ahead, [`WALK_PAGE_LIMIT`] records a page unless `params.limit` says otherwise. A page may
    /// hold fewer records than asked (a server with a response-size budget cuts pages short);
    /// the walk goes on until `next_cursor` is null. `T` as in [`Nango::list_records`].
    pub fn records<T: PageItem>(&self, params: ListRecordsParams) -> RecordStream<T> {
        let checkpoint = params.cursor.clone();
        RecordStream {
            pages: PageWalk::new(self.clone(), params),
            buffer: VecDeque::new(),
            checkpoint,
        }
    }

    /// Walks the pages from `params.cursor` (or the start) to the end, reading one ahead; pages
    /// of [`WALK_PAGE_LIMIT`] records unless `params.limit` says otherwise (see [`Nango::records`]).
    pub fn record_pages<T: PageItem>(&self, params: ListRecordsParams) -> PageStream<T> {
        PageWalk::new(self.clone(), params)
    }

    /// Like [`Nango::record_pages`], with each page's records kept as checked JSON text
    /// ([`RawRecordsPage`]) instead of decoded.
    pub fn raw_record_pages(&self, params: ListRecordsParams) -> RawPageStream {
        PageWalk::new(self.clone(), params)
    }
}
