// The app both bundlers build: a "Connect Zendesk" button that runs `auth()`, and a status line.
// The connect session token comes from the query string here; in your app, from your backend.
// Each bundler's entry imports @nango-rs/frontend from its own node_modules and passes it in.
export function mount ({ Nango, AuthError }) {
  const query = new URLSearchParams(location.search)
  const nango = new Nango({ host: query.get('host'), connectSessionToken: query.get('token') })
  const button = document.body.appendChild(document.createElement('button'))
  const status = document.body.appendChild(document.createElement('p'))
  button.id = 'connect'
  button.textContent = 'Connect Zendesk'
  status.id = 'status'
  button.addEventListener('click', async () => {
    try {
      const { providerConfigKey, connectionId } = await nango.auth('zendesk')
      status.textContent = `Connected ${providerConfigKey}: ${connectionId}`
    } catch (err) {
      status.textContent = err instanceof AuthError ? `Not connected (${err.type}).` : `Error: ${err}`
    }
  })
  status.textContent = 'Ready.'
}
