//! `waitForConnection`: after sending an end user to authorise, poll until their connection to an
//! integration exists.
//!
//! The policy mirrors the official SDK's: ask at once, then after [`WAIT_FIRST_DELAY`] (time
//! for the user to finish the auth flow), then every [`WAIT_INTERVAL`], until
//! [`WAIT_DEADLINE`] has passed since the start (which gives the same 30 polls). Each poll is
//! `GET /connections?endUserId=…`; the first connection of the integration wins. Past the
//! deadline the wait fails with [`Error::Timeout`] (code `timeout`); a poll's own error (a bad
//! key, the server down after retries) ends it at once. Dropping the future cancels the wait and
//! any poll in flight.

use std::time::Duration;

use crate::client::{MAX_DURATION, Nango};
use crate::connections::{
    ConnectionList, ConnectionSummary, ListConnectionsParams, list_connections_request,
};
use crate::error::{Error, Result};
use crate::request::{Request, require};

/// Pause after the first poll finds nothing: the end user is usually still in the auth flow.
pub const WAIT_FIRST_DELAY: Duration = Duration::from_secs(10);

/// Pause between the later polls.
pub const WAIT_INTERVAL: Duration = Duration::from_secs(2);

/// How long [`Nango::wait_for_connection`] waits by default: the first delay plus 29 intervals,
/// i.e. 30 polls as the official SDK makes.
pub const WAIT_DEADLINE: Duration = Duration::from_secs(68);

/// Arguments of `waitForConnection`, with the timing policy (defaults above).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitForConnectionParams {
    /// Integration id the connection must belong to.
    pub integration_key: String,
    /// End-user id given when the connect session was created.
    pub user_id: String,
    /// Pause after the first poll.
    pub first_delay: Duration,
    /// Pause between later polls.
    pub interval: Duration,
    /// Overall limit, counted from the call.
    pub deadline: Duration,
}

impl WaitForConnectionParams {
    /// Waits for `user_id`'s connection to `integration_key` with the default policy.
    pub fn new(integration_key: impl Into<String>, user_id: impl Into<String>) -> Self {
        WaitForConnectionParams {
            integration_key: integration_key.into(),
            user_id: user_id.into(),
            first_delay: WAIT_FIRST_DELAY,
            interval: WAIT_INTERVAL,
            deadline: WAIT_DEADLINE,
        }
    }

    /// Sets the pause after the first poll.
    pub fn first_delay(mut self, delay: Duration) -> Self {
        self.first_delay = delay;
        self
    }

    /// Sets the pause between later polls (must not be zero).
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Sets the overall limit.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The pause after poll number `poll` (from 0) found nothing.
    pub fn delay_after(&self, poll: u32) -> Duration {
        if poll == 0 {
            self.first_delay
        } else {
            self.interval
        }
    }

    fn validate(&self) -> Result<()> {
        require("integration_key", &self.integration_key)?;
        require("user_id", &self.user_id)?;
        if self.interval.is_zero() {
            return Err(Error::invalid_argument(
                "interval",
                "must be more than zero",
            ));
        }
        for (field, value) in [
            ("first_delay", self.first_delay),
            ("interval", self.interval),
            ("deadline", self.deadline),
        ] {
            if value > MAX_DURATION {
                return Err(Error::invalid_argument(field, "must be at most 24 hours"));
            }
        }
        Ok(())
    }
}

/// One poll of `waitForConnection`: `GET /connections?endUserId=…` (what the official SDK sends).
pub fn wait_for_connection_request(params: &WaitForConnectionParams) -> Result<Request> {
    params.validate()?;
    list_connections_request(&ListConnectionsParams {
        user_id: Some(params.user_id.clone()),
        ..Default::default()
    })
}

/// The connection a poll's answer settles the wait with: the first one of `integration_key`.
pub fn find_connection(list: ConnectionList, integration_key: &str) -> Option<ConnectionSummary> {
    list.connections
        .into_iter()
        .find(|connection| connection.provider_config_key == integration_key)
}

impl Nango {
    /// Waits until the end user `params.user_id` has a connection to `params.integration_key`
    /// and returns it (`waitForConnection`). See the [module](crate::connection_wait) for the
    /// policy. Fails with code `timeout` once `params.deadline` has passed; drop the future to
    /// cancel.
    ///
    /// ```no_run
    /// # async fn demo(nango: &nango::Nango) -> nango::Result<()> {
    /// use std::time::Duration;
    /// use nango::WaitForConnectionParams;
    /// let params = WaitForConnectionParams::new("github", "user-42").deadline(Duration::from_secs(300));
    /// let connection = nango.wait_for_connection(&params).await?;
    /// println!("connected: {}", connection.connection_id);
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_connection(
        &self,
        params: &WaitForConnectionParams,
    ) -> Result<ConnectionSummary> {
        let request = wait_for_connection_request(params)?;
        let polls = async {
            let mut poll = 0u32;
            loop {
                let list: ConnectionList = self.send_json(&request).await?;
                if let Some(found) = find_connection(list, &params.integration_key) {
                    return Ok(found);
                }
                crate::transport::sleep(params.delay_after(poll)).await;
                poll = poll.saturating_add(1);
            }
        };
        crate::transport::with_timeout(params.deadline, polls)
            .await
            .unwrap_or(Err(Error::Timeout(params.deadline)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_makes_thirty_polls() {
        let params = WaitForConnectionParams::new("github", "u1");
        // Poll k starts after the sum of the delays before it; count those inside the deadline.
        let mut start = Duration::ZERO;
        let mut polls = 0;
        while start < params.deadline {
            polls += 1;
            start += params.delay_after(polls - 1);
        }
        assert_eq!(polls, 30);
        assert_eq!(params.delay_after(0), WAIT_FIRST_DELAY);
        assert_eq!(params.delay_after(7), WAIT_INTERVAL);
    }

    #[test]
    fn bad_arguments_are_rejected_before_sending() {
        let codes = |p: WaitForConnectionParams| {
            wait_for_connection_request(&p)
                .err()
                .map(|e| e.code().to_owned())
        };
        assert_eq!(
            codes(WaitForConnectionParams::new("", "u")).as_deref(),
            Some("invalid_argument")
        );
        assert_eq!(
            codes(WaitForConnectionParams::new("g", "")).as_deref(),
            Some("invalid_argument")
        );
        assert_eq!(
            codes(WaitForConnectionParams::new("g", "u").interval(Duration::ZERO)).as_deref(),
            Some("invalid_argument")
        );
        assert_eq!(codes(WaitForConnectionParams::new("g", "u")), None);
    }

    #[test]
    fn the_first_connection_of_the_integration_wins() {
        let list: ConnectionList = serde_json::from_value(serde_json::json!({"connections": [
            {"connection_id": "a", "provider_config_key": "slack"},
            {"connection_id": "b", "provider_config_key": "github"},
            {"connection_id": "c", "provider_config_key": "github"}
        ]}))
        .unwrap();
        assert_eq!(
            find_connection(list.clone(), "github")
                .unwrap()
                .connection_id,
            "b"
        );
        assert!(find_connection(list, "jira").is_none());
    }
}
