// The "Connect Zendesk" button: a connect session token from your backend, then Nango's OAuth popup.
import Nango, { AuthError } from '@nango-rs/frontend'

const button = document.getElementById('connect')
const status = document.getElementById('status')

// Fetch the token before the click: the popup must open inside the click itself, or the browser
// blocks it. The backend (examples/node) answers `{ token, host }`; the token lasts 30 minutes.
const { token, host } = await fetch('/api/session', { method: 'POST' }).then((r) => r.json())
const nango = new Nango({ connectSessionToken: token, host: host ?? undefined })
button.disabled = false
status.textContent = 'Not connected.'

button.addEventListener('click', async () => {
  status.textContent = 'Waiting for you to allow access in the popup…'
  try {
    const { providerConfigKey, connectionId } = await nango.auth('zendesk')
    // Your backend hears of it too: Nango sends it an `auth` webhook, then the first `sync` one.
    status.textContent = `Connected ${providerConfigKey}: ${connectionId}`
  } catch (err) {
    status.textContent = err instanceof AuthError ? `Not connected (${err.type}).` : `Error: ${err}`
  }
})
