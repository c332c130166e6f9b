//! The emulator in a Rust test suite: `nango-emulator` as a dev-dependency, in the test's process
//! (the Rust counterpart of examples/emulator/node and examples/emulator/python).

#[tokio::test]
async fn my_code_sees_the_connection_a_user_made() -> Result<(), Box<dyn std::error::Error>> {
    let emu = nango_emulator::Emulator::builder().start().await?;
    emu.create_connection("zendesk", "user-1")?;
    let nango = nango::Nango::builder(emu.secret_key())
        .host(emu.url())
        .build()?;
    let params = nango::GetConnectionParams::new("zendesk", "user-1");
    assert_eq!(nango.get_connection(&params).await?.connection_id, "user-1");
    Ok(())
}
