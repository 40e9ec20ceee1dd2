'use strict';
// OpenTWAG dashboard: polls the REST API every 5 s. No framework, no build step; text is always set with
// textContent, never as HTML, so identities or peer names cannot inject markup.
(function () {
  const POLL_MS = 5000;

  function $(id) { return document.getElementById(id); }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '-' : String(text);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function message(tbody, columns, text) {
    tbody.replaceChildren();
    const tr = document.createElement('tr');
    const td = cell(tr, text, 'muted');
    td.colSpan = columns;
    tbody.appendChild(tr);
  }

  async function api(path, options) {
    const res = await fetch('api' + path, Object.assign({ credentials: 'same-origin' }, options || {}));
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    return { status: res.status, body: body };
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return '-'; }
    if (seconds < 60) { return seconds + 's'; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + 'm ' + (seconds % 60) + 's'; }
    return Math.floor(seconds / 3600) + 'h ' + Math.floor((seconds % 3600) / 60) + 'm';
  }

  function time(iso) { return iso ? new Date(iso).toLocaleString() : '-'; }

  function bytes(n) { return n < 0 ? 'unlimited' : (n / 1048576).toFixed(1) + ' MiB'; }

  function percent(x) { return x === null || x === undefined ? '-' : (x * 100).toFixed(1) + ' %'; }

  async function loadClients() {
    const tbody = $('clients-rows');
    const r = await api('/clients');
    if (r.status !== 200) {
      ['accepted', 'authenticating', 'rejected'].forEach(function (k) { $('count-' + k).textContent = '-'; });
      message(tbody, 8, r.body && r.body.error ? r.body.error : 'HTTP ' + r.status);
      return;
    }
    $('count-accepted').textContent = r.body.counts.Accepted;
    $('count-authenticating').textContent = r.body.counts.Authenticating;
    $('count-rejected').textContent = r.body.counts.Rejected;
    $('clients-note').textContent = r.body.truncated
      ? 'Showing the ' + r.body.clients.length + ' most recent of ' + r.body.total + ' clients.' : '';
    if (r.body.clients.length === 0) { message(tbody, 8, 'No clients'); return; }
    tbody.replaceChildren();
    r.body.clients.forEach(function (c) {
      const tr = document.createElement('tr');
      cell(tr, c.identity);
      cell(tr, c.status + (c.reason ? ' (' + c.reason + ')' : ''),
        c.status === 'Accepted' ? 'ok' : (c.status === 'Rejected' ? 'bad' : ''));
      cell(tr, time(c.lastUpdate));
      cell(tr, duration(c.sessionDurationSeconds));
      cell(tr, c.accessPoint);
      cell(tr, c.calledStationId);
      cell(tr, c.callingStationId);
      const td = cell(tr, '');
      if (c.accessPoint) {
        const b = document.createElement('button');
        b.className = 'small';
        b.textContent = 'Disconnect';
        b.addEventListener('click', function () { disconnect(c.identity); });
        td.replaceChildren(b);
      }
      tbody.appendChild(tr);
    });
  }

  async function disconnect(identity) {
    if (!window.confirm('Send a Disconnect-Request for ' + identity + '?')) { return; }
    const r = await api('/clients/' + encodeURIComponent(identity) + '/disconnect',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const b = r.body || {};
    window.alert(b.error ? b.error : 'Disconnect-Request: ' + b.outcome + (b.detail ? ' (' + b.detail + ')' : ''));
    loadClients();
  }

  async function loadPeers() {
    const tbody = $('peers-rows');
    const r = await api('/peers');
    if (r.status !== 200) {
      $('peers-summary').textContent = '';
      message(tbody, 8, r.body && r.body.error ? r.body.error : 'HTTP ' + r.status);
      return;
    }
    $('peers-summary').textContent = r.body.connected + ' Connected, ' + r.body.disconnected + ' Disconnected';
    if (r.body.peers.length === 0) { message(tbody, 8, 'No peers configured'); return; }
    tbody.replaceChildren();
    r.body.peers.forEach(function (p) {
      const tr = document.createElement('tr');
      cell(tr, p.host);
      cell(tr, p.realm);
      cell(tr, (p.transport || '').toLowerCase() + '://' + p.address + ':' + p.port);
      cell(tr, p.status, p.connected ? 'ok' : 'bad');
      cell(tr, p.initiation);
      cell(tr, p.productName);
      cell(tr, (p.advertisedApplications || []).join(', '));
      cell(tr, p.pendingRequests);
      tbody.appendChild(tr);
    });
  }

  async function loadConfig() {
    const list = $('config-list');
    const r = await api('/config');
    list.replaceChildren();
    if (r.status !== 200) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = r.body && r.body.error ? r.body.error : 'HTTP ' + r.status;
      list.appendChild(p);
      return;
    }
    r.body.configurations.forEach(function (c) {
      const div = document.createElement('div');
      div.className = 'cfg';
      const h = document.createElement('h3');
      h.textContent = c.pid + (c.factoryPid ? '  (factory ' + c.factoryPid + ')' : '');
      div.appendChild(h);
      const table = document.createElement('table');
      table.className = 'kv';
      Object.keys(c.properties).forEach(function (k) {
        const tr = document.createElement('tr');
        cell(tr, k);
        const v = c.properties[k];
        cell(tr, Array.isArray(v) ? v.join(', ') : v);
        table.appendChild(tr);
      });
      div.appendChild(table);
      list.appendChild(div);
    });
  }

  async function loadResources() {
    const tbody = $('resources-rows');
    const r = await api('/resources');
    if (r.status !== 200) { message(tbody, 2, 'HTTP ' + r.status); return; }
    const j = r.body;
    const rows = [
      ['Heap used / max', bytes(j.heap.used) + ' / ' + bytes(j.heap.max)],
      ['Non-heap used', bytes(j.nonHeap.used)],
      ['Threads (peak, daemon)', j.threads + ' (' + j.peakThreads + ', ' + j.daemonThreads + ')'],
      ['Process CPU', percent(j.processCpuLoad)],
      ['System CPU', percent(j.systemCpuLoad)],
      ['Load average', j.systemLoadAverage < 0 ? '-' : j.systemLoadAverage.toFixed(2)],
      ['Processors', j.availableProcessors],
      ['Uptime', duration(j.uptimeSeconds)],
      ['Started', time(j.startTime)],
      ['Java', j.javaVersion]
    ];
    tbody.replaceChildren();
    rows.forEach(function (kv) { const tr = document.createElement('tr'); cell(tr, kv[0]); cell(tr, kv[1]); tbody.appendChild(tr); });
  }

  async function sendMar(event) {
    event.preventDefault();
    const out = $('mar-result');
    out.textContent = 'Waiting for the answer...';
    const r = await api('/mar', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ imsi: $('mar-imsi').value, akaPrime: $('mar-aka-prime').checked,
        source: $('mar-source').value })
    });
    const b = r.body || {};
    if (b.error) { out.textContent = b.error; return; }
    const lines = ['Answer in ' + b.elapsedMillis + ' ms: ' + b.result + (b.message ? ' (' + b.message + ')' : ''),
      'Scheme  ' + b.scheme];
    if (b.result === 'success') {
      lines.push('RAND    ' + b.rand, 'AUTN    ' + b.autn,
        'XRES    ' + b.xres.length + ' bytes, ' + b.xres.fingerprint,
        'CK/IK   ' + b.ck.fingerprint + ' / ' + b.ik.fingerprint);
    }
    out.textContent = lines.join('\n');
  }

  async function poll() {
    try {
      await Promise.all([loadClients(), loadPeers(), loadResources()]);
      $('updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      $('updated').textContent = 'Update failed: ' + e;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('mar-form').addEventListener('submit', sendMar);
    loadConfig();
    poll();
    window.setInterval(poll, POLL_MS);
  });
})();
