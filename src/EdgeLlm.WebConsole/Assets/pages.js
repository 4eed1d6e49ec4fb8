// The operator's read-mostly pages: overview, models, updates, audit trail and policies, all from /admin.
'use strict';

(() => {
  const { api, upload, el, rows, notice, bytes, time, duration, button, every, pages } = Console;
  const figure = (name, value) => { const node = document.querySelector(`[data-figure="${name}"]`); if (node) node.textContent = value; };
  const state = (value) => el('span', { class: 'state-' + value }, value);

  pages.overview = async () => {
    let last = null;
    every(2000, async () => {
      const status = await api('GET', '/admin/status');
      const now = Date.now();
      const sum = (field) => status.models.reduce((total, m) => total + (m[field] || 0), 0);
      const totals = { at: now, tokens: sum('generated_tokens'), requests: sum('completed') };
      figure('ready', status.ready ? 'ready' : 'not ready');
      figure('uptime', duration(status.uptime_seconds));
      figure('backend', status.backend ? `${status.backend.ggml}${status.backend.gpu_offload ? ' (GPU offload)' : ' (CPU)'}` : 'loading');
      figure('queue', sum('queued'));
      figure('active', sum('active_sequences'));
      if (last && now > last.at) {
        const seconds = (now - last.at) / 1000;
        figure('tokens', ((totals.tokens - last.tokens) / seconds).toFixed(1));
        figure('requests', ((totals.requests - last.requests) / seconds).toFixed(2));
      }
      last = totals;
      const uplink = status.uplink;
      figure('uplink', !uplink.broker ? 'not configured' : uplink.connected ? 'connected' : `offline${uplink.last_error ? ' (' + uplink.last_error + ')' : ''}`);
      const check = status.updates && status.updates.last_check;
      figure('update', check ? `${check.outcome} at ${time(check.at)}` : 'none yet');
      figure('version', `${status.versions.edgellm.replace(/\+([0-9a-f]{12})[0-9a-f]*$/, '+$1')} (.NET ${status.versions.dotnet})`);
      rows('#models', status.models, (m) => [m.name, state(m.state), m.role, m.load_policy, m.queued, m.active_sequences, bytes(m.footprint.total_bytes)]);
      rows('#devices', (status.backend && status.backend.devices) || [], (d) => [d.name, d.type, d.description, bytes(d.free_bytes), bytes(d.total_bytes)]);
    });
  };

  pages.models = async () => {
    const refresh = async () => {
      const [status, rollouts] = await Promise.all([api('GET', '/admin/status'), api('GET', '/admin/rollouts')]);
      rows('#models', status.models, (m) => [
        m.name, state(m.state), m.role, m.load_policy, bytes(m.footprint.total_bytes), time(m.last_used),
        m.reuse ? `prefix cache ${m.reuse.prefix_cache ? 'on' : 'off'}, ${m.reuse.kept_prefixes} kept` : '—',
        [
          m.load_policy === 'on-demand' && m.state !== 'loaded' ? button('Load', async () => { await api('POST', `/admin/models/${encodeURIComponent(m.name)}/load`); await refresh(); }, { name: `Load ${m.name}` }) : null,
          m.load_policy === 'on-demand' && m.state === 'loaded' ? button('Unload', async () => { await api('POST', `/admin/models/${encodeURIComponent(m.name)}/unload`); await refresh(); }, { name: `Unload ${m.name}` }) : null,
          button('Roll back', async () => { const done = await api('POST', `/admin/models/${encodeURIComponent(m.name)}/rollback`); notice(`Rolled ${done.model} back from ${done.from} to ${done.to}.`); await refresh(); }, { name: `Roll back ${m.name}`, secondary: true }),
        ],
      ]);
      rows('#rollouts', rollouts.rollouts, (r) => [
        r.name, r.kind, state(r.state), r.candidate_version, r.active_version, `${r.step + 1} of ${r.steps.length}`, r.weight + ' %',
        r.last_window ? `${r.last_window.verdict}: ${r.last_window.candidate.requests} requests, error rate ${r.last_window.candidate.error_rate}` : '—',
        r.state === 'running' || r.state === 'paused' ? [
          button('Promote', async () => { await api('POST', RolloutPath(r) + '/promote'); await refresh(); }, { name: `Promote ${r.name}` }),
          button('Abort', async () => { await api('POST', RolloutPath(r) + '/abort'); await refresh(); }, { name: `Abort ${r.name}`, secondary: true }),
        ] : '—',
      ]);
    };
    every(5000, refresh);
  };

  function RolloutPath(rollout) {
    return rollout.kind === 'policy' ? `/admin/policies/${encodeURIComponent(rollout.name)}/rollout` : `/admin/rollouts/${encodeURIComponent(rollout.name)}`;
  }

  pages.updates = async () => {
    const refresh = async () => {
      const status = await api('GET', '/admin/updates');
      figure('last-check', status.last_check ? `${status.last_check.code}: ${status.last_check.message} (${time(status.last_check.at)})` : 'none yet');
      figure('feed', status.feed ? `${status.feed.state}: ${status.feed.message}` : 'no feed configured');
      figure('last-error', status.last_error ? `${status.last_error.code}: ${status.last_error.message}` : 'none');
      rows('#installed', status.installed, (i) => [
        i.kind, i.name, i.active ? i.active.version : '—', i.previous ? i.previous.version : '—', i.active ? time(i.active.activated_at) : '—', i.confirmed ? 'yes' : 'not yet',
        i.kind === 'model' && i.previous ? button('Roll back', async () => { await api('POST', `/admin/models/${encodeURIComponent(i.name)}/rollback`); await refresh(); }, { name: `Roll back ${i.name}`, secondary: true }) : '—',
      ]);
      rows('#history', status.history.slice().reverse(), (e) => [time(e.at), e.event, e.bundle || '—', e.code || '—', e.message]);
    };
    document.getElementById('upload').addEventListener('submit', async (event) => {
      event.preventDefault();
      const file = document.getElementById('bundle').files[0];
      const progress = document.getElementById('upload-progress');
      const status = document.getElementById('upload-status');
      if (!file) return;
      progress.value = 0;
      status.textContent = `Uploading ${file.name}…`;
      try {
        const result = await upload('POST', '/admin/updates', file, 'application/x-tar', (share) => { progress.value = Math.round(share * 100); });
        progress.value = 100;
        status.textContent = `${result.bundle || file.name}: ${result.outcome}${result.items ? ' (' + result.items.join(', ') + ')' : ''}`;
      } catch (error) {
        status.textContent = `${file.name} refused: ${error.code}: ${error.message}`;
      }
      await refresh();
    });
    document.getElementById('check-now').addEventListener('click', async () => {
      const status = document.getElementById('check-status');
      status.textContent = 'Checking…';
      try {
        const result = await api('POST', '/admin/updates/check');
        status.textContent = `Check: ${result.outcome}`;
      } catch (error) {
        status.textContent = `Check failed: ${error.code}: ${error.message}`;
      }
      await refresh();
    });
    every(10000, refresh);
  };

  pages.audit = async () => {
    every(5000, async () => {
      const trail = await api('GET', '/admin/audit?limit=200');
      rows('#audit', trail.data, (e) => [time(e.at), e.kind, e.key_id || '—', e.tenant || '—', e.method, e.path, e.status, e.code || '—', e.remote_address || '—']);
    });
  };

  pages.policies = async () => {
    const refresh = async () => {
      const [status, rollouts] = await Promise.all([api('GET', '/admin/status'), api('GET', '/admin/rollouts')]);
      const g = status.guardrails;
      rows('#policies', [g], (p) => [p.policy_version, p.tenants.length ? p.tenants.join(', ') : 'none', p.candidate_version || 'none']);
      rows('#policy-rollouts', rollouts.rollouts.filter((r) => r.kind === 'policy'), (r) => [
        r.name, state(r.state), r.candidate_version, r.active_version, r.weight + ' %',
        r.state === 'running' || r.state === 'paused' ? [
          button('Promote', async () => { await api('POST', RolloutPath(r) + '/promote'); await refresh(); }, { name: `Promote ${r.name}` }),
          button('Abort', async () => { await api('POST', RolloutPath(r) + '/abort'); await refresh(); }, { name: `Abort ${r.name}`, secondary: true }),
        ] : '—',
      ]);
    };
    every(5000, refresh);
  };
})();
