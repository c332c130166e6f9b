//! The Rust half of the models test (tests/models/check_rust.py builds it): walks the emulator's
//! tickets as the struct `nango-rs models --lang rust` wrote, with the crate's generic
//! `records::<T>()` and `list_records::<T>()`, and checks they arrive typed and complete.

mod models;

use futures_util::TryStreamExt;
use nango::{ListRecordsParams, Nango};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let expected: usize = std::env::var("MODELS_CHECK_TICKETS")?.parse()?;
    let nango = Nango::from_env()?;
    let params = ListRecordsParams::new("zendesk", "conn-1", models::Ticket::MODEL);
    let mut stream = nango.records::<models::Ticket>(params.clone());
    let mut tickets: Vec<models::Ticket> = Vec::new();
    while let Some(ticket) = stream.try_next().await? {
        tickets.push(ticket);
    }
    assert_eq!(tickets.len(), expected, "every ticket, decoded as models::Ticket");
    for ticket in &tickets {
        assert!(!ticket.id.is_empty());
        assert_eq!(ticket.title, format!("Ticket #{}", ticket.id));
        assert!(ticket.revision > 0);
        let status: models::TicketStatus = ticket.status;
        assert!(matches!(
            status,
            models::TicketStatus::Open | models::TicketStatus::Pending | models::TicketStatus::Solved
        ));
        // Optional in the schema (an action's record may lack them); the seeded ones have them.
        assert!(ticket.priority.is_some() && ticket.requester.is_some());
        assert!(!ticket.nango_metadata.cursor.is_empty());
    }
    assert_eq!(
        stream.checkpoint(),
        tickets.last().map(|t| t.nango_metadata.cursor.as_str())
    );
    let page = nango.list_records::<models::Ticket>(&params).await?;
    assert_eq!(page.records.first(), tickets.first());
    println!("models-check: {} tickets walked as models::Ticket", tickets.len());
    Ok(())
}
