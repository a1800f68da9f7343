// A small JSON-RPC 2.0 client over WebSocket for the workbook service, with reconnection.
// No dependencies: third-party front ends may copy this file as it is (see README.md).

/** An error reply from the server, or a local failure (`code: "disconnected"`). */
export class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

/**
 * Keeps one WebSocket open to `url`, reconnecting with backoff when it drops.
 * Callbacks: onOpen(isReconnect), onClose(), onNotification(method, params).
 */
export class RpcClient {
  constructor(url, { onOpen = () => {}, onClose = () => {}, onNotification = () => {} } = {}) {
    this.url = url;
    this.onOpen = onOpen;
    this.onClose = onClose;
    this.onNotification = onNotification;
    this.nextId = 1;
    this.pending = new Map();
    this.socket = null;
    this.opened = false;
    this.attempt = 0;
    this.timer = null;
  }

  /** True while the socket is open. */
  get connected() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Opens the connection (and keeps reopening it). */
  connect() {
    clearTimeout(this.timer);
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      const again = this.opened;
      this.opened = true;
      this.onOpen(again);
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const { reject } of this.pending.values()) {
        reject(new RpcError("disconnected", "The connection to the server was lost."));
      }
      this.pending.clear();
      this.onClose();
      // 0.5 s, 1 s, 2 s, ... at most 10 s between attempts.
      const delay = Math.min(10000, 500 * 2 ** this.attempt++);
      this.timer = setTimeout(() => this.connect(), delay);
    });
  }

  /** Tries to reconnect now instead of waiting for the next attempt. */
  retryNow() {
    if (!this.socket) this.connect();
  }

  /** Calls `method` with by-name `params`; resolves with the result or rejects with an RpcError. */
  call(method, params) {
    if (!this.connected) {
      return Promise.reject(new RpcError("disconnected", "Not connected to the server."));
    }
    const id = this.nextId++;
    const message = { jsonrpc: "2.0", id, method };
    if (params !== undefined) message.params = params;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify(message));
    });
  }

  receive(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    for (const item of Array.isArray(message) ? message : [message]) {
      if (item.method !== undefined && item.id === undefined) {
        this.onNotification(item.method, item.params);
        continue;
      }
      const waiter = this.pending.get(item.id);
      if (!waiter) continue;
      this.pending.delete(item.id);
      if (item.error) waiter.reject(new RpcError(item.error.code, item.error.message, item.error.data));
      else waiter.resolve(item.result);
    }
  }
}
