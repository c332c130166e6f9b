//! The HTML the emulator serves: the demo provider's consent page, the OAuth callback page (posts to
//! `window.opener` and `BroadcastChannel("nango-oauth-callback")`), and a minimal Connect UI.

use serde_json::{Value, json};

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// JSON safe to embed inside `<script>` (no `</script>` breakout).
fn script_json(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

pub(crate) fn simple_page(title: &str, message: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body><h1>{t}</h1><p>{m}</p></body></html>",
        t = escape(title),
        m = escape(message)
    )
}

/// The consent page: one form, two submit buttons whose visible text is exactly `Allow` and `Deny`.
pub(crate) fn consent_page(app: &str, scope: &str, hidden: &[(&str, &str)]) -> String {
    let fields: String = hidden
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Authorize {app}</title></head><body>\
<h1>Demo provider</h1><p><strong>{app}</strong> wants access to your account (scopes: {scope}).</p>\
<form method=\"post\" action=\"/_provider/oauth/authorize\">{fields}\
<button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow\">Allow</button> \
<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\
</form></body></html>",
        app = escape(app),
        scope = escape(scope),
    )
}

/// The page `/oauth/callback` answers with (status 200 on success, 400 on error).
pub(crate) fn callback_page(error: Option<(&str, &str)>) -> String {
    let (msg, title, text) = match error {
        None => (
            json!({"type": "nango_oauth_callback_success"}),
            "Authorization successful",
            "You can close this window.".to_owned(),
        ),
        Some((error_type, message)) => (
            json!({"type": "nango_oauth_callback_error", "payload": {"message": message, "errorType": error_type}}),
            "Authorization failed",
            format!("{error_type}: {message}"),
        ),
    };
    let success = error.is_none();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><p id=\"message\">{text}</p>\
<script>(function(){{var msg={msg};\
try{{if(window.opener){{window.opener.postMessage(msg,'*');}}}}catch(e){{}}\
try{{var bc=new BroadcastChannel('nango-oauth-callback');bc.postMessage(msg);}}catch(e){{}}\
window.addEventListener('message',function(ev){{if(ev.data&&ev.data.type==='nango_oauth_callback_ack'){{window.close();}}}});\
if({success}){{setTimeout(function(){{window.close();}},500);}}\
}})();</script></body></html>",
        title = escape(title),
        text = escape(&text),
        msg = script_json(&msg),
    )
}

/// `GET /` when it is not a WebSocket upgrade.
pub(crate) fn landing(url: &str, integrations: &[String]) -> Value {
    json!({
        "name": "nango-emulator",
        "version": env!("CARGO_PKG_VERSION"),
        "url": url,
        "integrations": integrations,
        "admin": format!("{url}/_emulator"),
        "connect_ui": format!("{url}/_connect/"),
    })
}

/// A minimal Connect UI for the iframe protocol: posts `{type:"ready"}` to its parent, receives
/// `{type:"session_token"}`, lists the session's integrations, runs the popup flow (WebSocket + popup)
/// or the API-key form, and posts `connect` / `error` / `close` back.
pub(crate) fn connect_ui(ws_path: &str) -> String {
    let ws_path = script_json(&json!(ws_path));
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Connect</title>
<style>body{{font-family:sans-serif;background:rgba(0,0,0,.4);margin:0}}#box{{background:#fff;max-width:420px;margin:60px auto;padding:20px;border-radius:8px}}</style>
</head><body><div id="box"><h2>Connect an integration</h2><div id="list">Waiting for session…</div>
<p id="status"></p><button id="close" type="button">Close</button></div>
<script>(function(){{
var qs=new URLSearchParams(location.search);var api=(qs.get('apiURL')||location.origin).replace(/\/+$/,'');
var token=qs.get('session_token');var wsPath={ws_path};
function post(m){{if(window.parent&&window.parent!==window){{window.parent.postMessage(m,'*');}}}}
function status(t){{document.getElementById('status').textContent=t;}}
document.getElementById('close').onclick=function(){{post({{type:'close'}});}};
function done(key,id){{status('Connected '+key);post({{type:'connect',payload:{{providerConfigKey:key,connectionId:id,isPending:false}}}});}}
function fail(type,msg){{status('Error: '+msg);post({{type:'error',payload:{{errorType:type,errorMessage:msg}}}});}}
function oauth(key){{var popup=window.open('','_blank','width=500,height=600');if(!popup){{fail('blocked_by_browser','Popup blocked');return;}}
var u=new URL(wsPath,api);u.protocol=u.protocol==='https:'?'wss:':'ws:';var ws=new WebSocket(u.toString());
ws.onmessage=function(ev){{var d=JSON.parse(ev.data);
if(d.message_type==='connection_ack'){{popup.location.href=api+'/oauth/connect/'+encodeURIComponent(key)+'?connect_session_token='+encodeURIComponent(token)+'&ws_client_id='+d.ws_client_id;}}
else if(d.message_type==='success'){{ws.close();done(d.provider_config_key,d.connection_id);}}
else if(d.message_type==='error'){{ws.close();fail(d.error_type,d.error_desc);}}}};}}
function apiKey(key){{var k=window.prompt('API key');if(!k)return;
fetch(api+'/api-auth/api-key/'+encodeURIComponent(key)+'?connect_session_token='+encodeURIComponent(token),{{method:'POST',headers:{{'Content-Type':'application/json'}},body:JSON.stringify({{apiKey:k}})}})
.then(function(r){{return r.json().then(function(b){{if(r.ok){{done(b.providerConfigKey,b.connectionId);}}else{{fail(b.error.code,b.error.message);}}}});}});}}
function get(path){{return fetch(api+path,{{headers:{{Authorization:'Bearer '+token}}}}).then(function(r){{return r.json();}});}}
function load(){{Promise.all([get('/integrations'),get('/providers')]).then(function(res){{var modes={{}};(res[1].data||[]).forEach(function(p){{modes[p.name]=p.auth_mode;}});
var list=document.getElementById('list');list.textContent='';(res[0].data||[]).forEach(function(i){{var mode=modes[i.provider];var btn=document.createElement('button');btn.type='button';btn.textContent=i.display_name;
btn.onclick=function(){{if(mode==='OAUTH2'){{oauth(i.unique_key);}}else if(mode==='API_KEY'){{apiKey(i.unique_key);}}else{{fail('unsupported','Unsupported auth mode '+mode);}}}};
list.appendChild(btn);}});}});}}
window.addEventListener('message',function(ev){{if(ev.data&&ev.data.type==='session_token'){{token=ev.data.sessionToken;load();}}}});
if(token){{load();}}post({{type:'ready'}});
}})();</script></body></html>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_page_has_exact_button_texts() {
        let p = consent_page("Z", "read", &[("state", "\"><script>")]);
        assert!(p.contains(">Allow</button>"));
        assert!(p.contains(">Deny</button>"));
        assert!(!p.contains("\"><script>"));
    }

    #[test]
    fn callback_page_cannot_be_broken_out_of() {
        let p = callback_page(Some(("callback_err", "</script><b>x")));
        assert!(!p.contains("</script><b>"));
        assert!(p.contains("nango_oauth_callback_error"));
        assert!(callback_page(None).contains("nango-oauth-callback"));
    }
}
