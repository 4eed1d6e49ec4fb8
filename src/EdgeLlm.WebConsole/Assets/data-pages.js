// The pages that act on data: the playground (a streamed chat completion), collections with uploads and search,
// and API keys. Each action is one call of the public API, audited like a script's.
'use strict';

(() => {
  const { api, upload, el, rows, notice, bytes, time, button, every, pages } = Console;

  pages.playground = async () => {
    const status = await api('GET', '/admin/status');
    const select = document.getElementById('model');
    const chat = status.models.filter((m) => m.role === 'chat');
    select.replaceChildren(...chat.map((m) => el('option', { value: m.name }, `${m.name} (${m.state})`)));
    document.getElementById('playground').addEventListener('submit', async (event) => {
      event.preventDefault();
      const submit = event.submitter;
      const answer = document.getElementById('answer');
      const usage = document.getElementById('usage');
      answer.textContent = '';
      usage.textContent = '';
      notice('');
      submit.disabled = true;
      try {
        await stream({
          model: select.value,
          messages: [{ role: 'user', content: document.getElementById('prompt').value }],
          max_tokens: Number(document.getElementById('max-tokens').value),
          stream: true,
          stream_options: { include_usage: true },
        }, (text) => answer.append(text), (u) => {
          usage.textContent = `${u.prompt_tokens} prompt tokens, ${u.completion_tokens} completion tokens`;
        });
      } catch (error) {
        Console.failed(error);
      } finally {
        submit.disabled = false;
      }
    });
  };

  // Reads a chat completion's server-sent events: each data line is a chunk; [DONE] ends it.
  async function stream(body, onText, onUsage) {
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    const response = await fetch('/v1/chat/completions', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      let data = null;
      try { data = await response.json(); } catch { data = null; }
      const error = (data && data.error) || {};
      throw new Console.ApiFailure(response.status, error.code || 'http_' + response.status, error.message || 'The request was refused.');
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 1);
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') return;
        const chunk = JSON.parse(data);
        if (chunk.error) throw new Console.ApiFailure(500, chunk.error.code, chunk.error.message);
        for (const choice of chunk.choices || []) {
          if (choice.delta && choice.delta.content) onText(choice.delta.content);
        }
        if (chunk.usage) onUsage(chunk.usage);
      }
    }
  }

  pages.collections = async () => {
    const refresh = async () => {
      const list = await api('GET', '/v1/collections');
      rows('#collections', list.data, (c) => [
        el('a', { href: '/console/collections/' + encodeURIComponent(c.name) }, c.name), c.document_count, c.chunk_count, c.embedding_model, time(c.created_at),
      ]);
    };
    document.getElementById('create-collection').addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = document.getElementById('collection-name');
      try {
        await api('POST', '/v1/collections', { name: name.value });
        notice('');
        name.value = '';
      } catch (error) {
        Console.failed(error);
      }
      await refresh();
    });
    every(10000, refresh);
  };

  pages.collection = async () => {
    const collection = document.body.dataset.id;
    const base = '/v1/collections/' + encodeURIComponent(collection);
    let jobs = [];
    const refresh = async () => {
      const documents = await api('GET', base + '/documents?limit=100');
      jobs = await Promise.all(jobs.map((j) => (j.status === 'queued' || j.status === 'running') ? api('GET', `${base}/jobs/${j.id}`) : j));
      const pending = jobs.filter((j) => j.status !== 'succeeded');
      rows('#documents-table', [
        ...pending.map((j) => ({ name: j.document_id, status: j.status + (j.error ? ` (${j.error.code}: ${j.error.message})` : ''), chunks: `${j.done_chunks} of ${j.total_chunks}`, bytes: '—', type: '—' })),
        ...documents.data.map((d) => ({ name: d.title || d.source || d.id, status: 'ready', chunks: d.chunk_count, bytes: bytes(d.bytes), type: d.content_type })),
      ], (r) => [r.name, r.status, r.chunks, r.bytes, r.type]);
      const total = jobs.reduce((n, j) => n + Math.max(j.total_chunks, 1), 0);
      const done = jobs.reduce((n, j) => n + (j.status === 'queued' || j.status === 'running' ? j.done_chunks : Math.max(j.total_chunks, 1)), 0);
      if (jobs.length) {
        document.getElementById('ingest-progress').value = Math.round((done / total) * 100);
        const active = jobs.filter((j) => j.status === 'queued' || j.status === 'running').length;
        const failed = jobs.filter((j) => j.status === 'failed').length;
        document.getElementById('ingest-status').textContent = active ? `Ingesting: ${active} document(s) left` : `Ingested ${jobs.length - failed} of ${jobs.length}${failed ? `; ${failed} failed` : ''}.`;
      }
    };
    document.getElementById('upload-documents').addEventListener('submit', async (event) => {
      event.preventDefault();
      const files = document.getElementById('documents').files;
      const form = new FormData();
      for (const file of files) form.append('file', file, file.name);
      const progress = document.getElementById('ingest-progress');
      const status = document.getElementById('ingest-status');
      status.textContent = 'Uploading…';
      try {
        const accepted = await upload('POST', base + '/documents', form, null, (share) => { progress.value = Math.round(share * 50); });
        jobs = jobs.concat(accepted.data);
      } catch (error) {
        status.textContent = `Refused: ${error.code}: ${error.message}`;
      }
      await refresh();
    });
    document.getElementById('search').addEventListener('submit', async (event) => {
      event.preventDefault();
      const results = document.getElementById('results');
      try {
        const found = await api('POST', base + '/search', { query: document.getElementById('query').value, top_k: 5 });
        results.replaceChildren(...(found.data.length ? found.data.map((r) => el('li', {},
          el('p', { class: 'meta' }, `score ${r.score.toFixed(3)} · ${r.title || r.source || r.document_id}, chunk ${r.ordinal}${r.heading ? ' · ' + r.heading : ''}`),
          el('p', {}, r.text.length > 400 ? r.text.slice(0, 400) + '…' : r.text))) : [el('li', {}, 'No hits.')]));
      } catch (error) {
        Console.failed(error);
      }
    });
    every(1500, refresh);
  };

  pages.keys = async () => {
    const refresh = async () => {
      const keys = await api('GET', '/admin/keys');
      rows('#keys', keys.data, (k) => [
        k.name, k.id, k.tenant, k.scopes.join(', '), time(k.created_at), time(k.expires_at), time(k.last_used_at),
        k.revoked_at ? `revoked ${time(k.revoked_at)}` : 'live',
        k.revoked_at ? '—' : button('Revoke', async () => { await api('DELETE', '/admin/keys/' + encodeURIComponent(k.id)); await refresh(); }, { name: `Revoke ${k.name}`, secondary: true }),
      ]);
    };
    document.getElementById('create-key').addEventListener('submit', async (event) => {
      event.preventDefault();
      const form = event.target;
      const scopes = [...form.querySelectorAll('input[name="scope"]:checked')].map((c) => c.value);
      const expires = document.getElementById('key-expires').value;
      try {
        const created = await api('POST', '/admin/keys', {
          name: document.getElementById('key-name').value,
          tenant: document.getElementById('key-tenant').value,
          scopes,
          expires_at: expires ? new Date(expires).toISOString() : undefined,
        });
        document.getElementById('new-key-secret').textContent = created.key;
        document.getElementById('new-key').hidden = false;
        notice('');
        form.reset();
      } catch (error) {
        Console.failed(error);
      }
      await refresh();
    });
    await refresh();
  };
})();
