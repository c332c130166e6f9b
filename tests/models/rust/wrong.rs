//! A deliberately wrong use of the generated struct: `cargo check` must refuse it (E0308), or
//! the check of main.rs proves nothing.

#[path = "src/models.rs"]
mod models;

fn main() {
    let ticket: Option<models::Ticket> = None;
    if let Some(ticket) = ticket {
        let revision: String = ticket.revision;
        println!("{revision}");
    }
}
