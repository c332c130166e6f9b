"""The emulator in a pytest suite: ``pip install nango-emulator`` brings the ``nango_emulator`` fixture."""

import nango
from nango_emulator import Emulator


def test_my_code_sees_the_connection(nango_emulator: Emulator) -> None:
    nango_emulator.admin("POST", "/connections", {"provider_config_key": "zendesk", "connection_id": "user-1"})
    client = nango.Nango(nango_emulator.secret_key, host=nango_emulator.url)
    connection = client.get_connection("zendesk", "user-1")
    assert connection["connection_id"] == "user-1"
