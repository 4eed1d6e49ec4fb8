// The console's shared part: calls to the admin API with the session's anti-forgery token, safe DOM building
// (text only, never HTML from data), formatting, and the page registry the page scripts add to.
'use strict';

const Console = (() => {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : '';
  const pages = {};

  class ApiFailure extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  function failureOf(status, data, text) {
    const error = data && (data.error || data);
    const code = (error && (error.code || error.title)) || 'http_' + status;
    const message = (error && (error.message || error.detail)) || text || 'HTTP ' + status;
    return new ApiFailure(status, code, message);
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    let payload = body;
    if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData)) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
    if (response.status === 401) {
      window.location.assign('/console/signin');
      throw new ApiFailure(401, 'invalid_session', 'The session has ended.');
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!response.ok) throw failureOf(response.status, data, text);
    return data;
  }

  // Uploads with progress (fetch cannot report upload progress): resolves with the parsed answer.
  function upload(method, path, body, contentType, onProgress) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open(method, path);
      request.setRequestHeader('X-CSRF-Token', csrf);
      if (contentType) request.setRequestHeader('Content-Type', contentType);
      request.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
      request.addEventListener('load', () => {
        let data = null;
        try { data = JSON.parse(request.responseText); } catch { data = null; }
        if (request.status >= 200 && request.status < 300) resolve(data);
        else reject(failureOf(request.status, data, request.responseText));
      });
      request.addEventListener('error', () => reject(new ApiFailure(0, 'network_error', 'The upload did not reach the daemon.')));
      request.send(body);
    });
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function rows(table, items, cells) {
    const body = document.querySelector(table + ' tbody');
    const columns = document.querySelectorAll(table + ' thead th').length;
    body.replaceChildren(...(items.length
      ? items.map((item) => el('tr', {}, cells(item).map((cell) => el('td', {}, cell))))
      : [el('tr', {}, el('td', { colspan: columns, class: 'hint' }, 'None.'))]));
  }

  function notice(message) {
    const box = document.querySelector('main .notice');
    if (!box) return;
    box.textContent = message || '';
    box.hidden = !message;
  }

  function failed(error) {
    notice(error instanceof ApiFailure ? `${error.code}: ${error.message}` : String(error));
  }

  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  function bytes(value) {
    let n = Number(value || 0);
    let unit = 0;
    while (n >= 1024 && unit < units.length - 1) { n /= 1024; unit++; }
    return (unit ? n.toFixed(1) : n) + ' ' + units[unit];
  }

  function time(value) {
    if (value === undefined || value === null || value === '') return '—';
    const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
    return date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  function duration(seconds) {
    const s = Math.floor(seconds);
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
  }

  function button(label, action, options) {
    return el('button', { type: 'button', class: (options && options.secondary) ? 'secondary' : undefined, 'aria-label': options && options.name, onclick: async (event) => {
      const target = event.currentTarget;
      target.disabled = true;
      try { notice(''); await action(); } catch (error) { failed(error); } finally { target.disabled = false; }
    } }, label);
  }

  function every(ms, refresh) {
    const run = async () => {
      try { await refresh(); } catch (error) { failed(error); }
    };
    run();
    return window.setInterval(run, ms);
  }

  document.addEventListener('DOMContentLoaded', () => {
    const page = pages[document.body.dataset.page];
    if (page) page().catch(failed);
  });

  return { api, upload, el, rows, notice, failed, bytes, time, duration, button, every, pages, ApiFailure };
})();
