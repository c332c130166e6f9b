// Loaded before @nango-rs/frontend (a classic script, so it runs first): counts what the package
// holds while it is live — timers, intervals, WebSockets, window `message` listeners,
// BroadcastChannels and popup windows — so that a scenario can assert they are all released.
// The scenario's own helpers use the saved originals (window.__real) and are never counted.
(() => {
  const real = {
    setTimeout: window.setTimeout.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    setInterval: window.setInterval.bind(window),
    clearInterval: window.clearInterval.bind(window),
    open: window.open.bind(window),
  }
  window.__real = real
  const timeouts = new Set()
  const intervals = new Set()
  const sockets = new Set()
  const channels = new Set()
  const listeners = new Set()
  const popups = new Set()
  window.__created = { timeouts: 0, intervals: 0, sockets: 0, channels: 0, listeners: 0, popups: 0 }
  const created = window.__created

  window.setTimeout = function (fn, ms, ...args) {
    const id = real.setTimeout(function () {
      timeouts.delete(id)
      if (typeof fn === 'function') return fn.apply(this, args)
    }, ms)
    timeouts.add(id)
    created.timeouts++
    return id
  }
  window.clearTimeout = function (id) { timeouts.delete(id); real.clearTimeout(id) }
  window.setInterval = function (fn, ms, ...args) {
    const id = real.setInterval(fn, ms, ...args)
    intervals.add(id)
    created.intervals++
    return id
  }
  window.clearInterval = function (id) { intervals.delete(id); real.clearInterval(id) }

  const RealSocket = window.WebSocket
  window.WebSocket = class WebSocket extends RealSocket {
    constructor (...args) {
      super(...args)
      sockets.add(this)
      created.sockets++
      // Forget it once closed, so that the count holds nothing alive itself.
      this.addEventListener('close', () => sockets.delete(this))
    }
  }

  const RealChannel = window.BroadcastChannel
  window.BroadcastChannel = class BroadcastChannel extends RealChannel {
    constructor (...args) {
      super(...args)
      channels.add(this)
      created.channels++
    }

    close () { channels.delete(this); return super.close() }
  }

  const add = EventTarget.prototype.addEventListener
  const remove = EventTarget.prototype.removeEventListener
  EventTarget.prototype.addEventListener = function (type, fn, ...rest) {
    if (this === window && type === 'message' && fn && !listeners.has(fn)) { listeners.add(fn); created.listeners++ }
    return add.call(this, type, fn, ...rest)
  }
  EventTarget.prototype.removeEventListener = function (type, fn, ...rest) {
    if (this === window && type === 'message') listeners.delete(fn)
    return remove.call(this, type, fn, ...rest)
  }

  window.open = function (...args) {
    const w = real.open(...args)
    window.__openCalls = (window.__openCalls || 0) + 1
    if (w) { popups.add(w); created.popups++ }
    return w
  }

  // A socket counts until the client has called close() (CLOSING) or it is closed.
  window.__liveCounts = () => {
    for (const w of popups) if (w.closed) popups.delete(w)
    return counts()
  }
  const counts = () => ({
    timeouts: timeouts.size,
    intervals: intervals.size,
    sockets: [...sockets].filter((s) => s.readyState <= 1).length,
    channels: channels.size,
    listeners: listeners.size,
    popups: popups.size,
  })
})()
