'use strict';
// OpenTWAG dashboard: one page, one view at a time (#overview, #trace/<subscriber>, #clients, #client/<identity>, #aps, #usage, #peers, #mar,
// #config, #resources), refreshed every 5 s from the REST API. No framework, no build step. Text is always set with
// textContent, never as HTML, so identities or peer names cannot inject markup. The login is HTTP Basic against
// Karaf's JAAS realm, sent by this script (kept in sessionStorage, i.e. for this tab only); the X-OpenTWAG-UI header
// asks the server not to trigger the browser's own login dialog.
(function () {
  const POLL_MS = 5000;
  const VIEWS = ['overview', 'trace', 'clients', 'client', 'aps', 'usage', 'peers', 'mar', 'config', 'resources'];
  let credentials = sessionStorage.getItem('opentwag.auth');
  let timer = null;

  function $(id) { return document.getElementById(id); }

  function cell(row, text, cls) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined || text === '' ? '-' : String(text);
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function link(row, text, href) {
    const td = document.createElement('td');
    const a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    td.appendChild(a);
    row.appendChild(td);
    return a;
  }

  function message(tbody, columns, text) {
    tbody.replaceChildren();
    const tr = document.createElement('tr');
    const td = cell(tr, text, 'muted');
    td.colSpan = columns;
    tbody.appendChild(tr);
  }

  function kv(tbody, rows) {
    tbody.replaceChildren();
    rows.forEach(function (r) {
      const tr = document.createElement('tr');
      cell(tr, r[0]);
      cell(tr, r[1], r[2]);
      tbody.appendChild(tr);
    });
  }

  async function api(path, options, auth) {
    const o = Object.assign({ cache: 'no-store' }, options || {});
    o.headers = Object.assign({ 'X-OpenTWAG-UI': '1', 'Authorization': 'Basic ' + (auth || credentials) },
      o.headers || {});
    const res = await fetch('api' + path, o);
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (res.status === 401 && !auth) { logout('Your login is no longer valid.'); }
    return { status: res.status, body: body };
  }

  function errorText(r) { return r.body && r.body.error ? r.body.error : 'HTTP ' + r.status; }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return '-'; }
    if (seconds < 60) { return seconds + 's'; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + 'm ' + (seconds % 60) + 's'; }
    return Math.floor(seconds / 3600) + 'h ' + Math.floor((seconds % 3600) / 60) + 'm';
  }

  function since(iso) {
    return iso ? duration(Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 1000))) : '-';
  }

  function time(iso) { return iso ? new Date(iso).toLocaleString() : '-'; }

  function bytes(n) {
    if (n === null || n === undefined) { return '-'; }
    if (n < 0) { return 'unlimited'; }
    if (n < 1024) { return n + ' B'; }
    if (n < 1048576) { return (n / 1024).toFixed(1) + ' KB'; }
    if (n < 1073741824) { return (n / 1048576).toFixed(2) + ' MB'; }
    return (n / 1073741824).toFixed(2) + ' GB';
  }

  function updown(down, up) { return '\u2193 ' + bytes(down) + ' / \u2191 ' + bytes(up); }

  function percent(x) { return x === null || x === undefined ? '-' : (x * 100).toFixed(1) + ' %'; }

  // --- views ---

  async function loadClients() {
    const tbody = $('clients-rows');
    const r = await api('/clients');
    if (r.status !== 200) {
      ['accepted', 'authenticating', 'rejected'].forEach(function (k) { $('count-' + k).textContent = '-'; });
      message(tbody, 7, errorText(r));
      return;
    }
    $('count-accepted').textContent = r.body.counts.Accepted;
    $('count-authenticating').textContent = r.body.counts.Authenticating;
    $('count-rejected').textContent = r.body.counts.Rejected;
    $('clients-note').textContent = r.body.truncated
      ? 'Showing the ' + r.body.clients.length + ' most recent of ' + r.body.total + ' clients.' : '';
    if (r.body.clients.length === 0) { message(tbody, 7, 'No clients'); return; }
    tbody.replaceChildren();
    r.body.clients.forEach(function (c) {
      const tr = document.createElement('tr');
      link(tr, c.identity, '#client/' + encodeURIComponent(c.identity)).className = 'client-link';
      cell(tr, c.status + (c.reason ? ' (' + c.reason + ')' : ''),
        c.status === 'Accepted' ? 'ok' : (c.status === 'Rejected' ? 'bad' : ''));
      cell(tr, time(c.lastUpdate));
      cell(tr, duration(c.sessionDurationSeconds));
      cell(tr, c.accessPoint);
      cell(tr, c.calledStationId);
      cell(tr, c.callingStationId);
      tbody.appendChild(tr);
    });
  }

  function apRows(ap) {
    return [
      ['NAS IP Address', ap.nasIp], ['NAS-Identifier', ap.nasIdentifier],
      ['Called Station ID (AP MAC:SSID)', (ap.apMac || '-') + (ap.ssid ? ':' + ap.ssid : '')],
      ['SSID', ap.ssid], ['Client Count', ap.clientCount], ['First Seen', time(ap.firstSeen)],
      ['Last Seen', time(ap.lastSeen)], ['Framed MTU', ap.framedMtu || '-'],
      ['NAS Port Type', ap.nasPortType === 19 ? 'Wireless-802.11' : (ap.nasPortType || '-')]
    ];
  }

  async function loadClient(identity) {
    $('client-identity').textContent = identity;
    const r = await api('/clients/' + encodeURIComponent(identity));
    const usage = $('client-usage');
    if (r.status !== 200) {
      kv($('client-basic'), [['Error', errorText(r)]]);
      kv($('client-auth'), []);
      kv($('client-ap'), []);
      kv($('client-path'), []);
      usage.replaceChildren();
      return;
    }
    const c = r.body.client;
    kv($('client-basic'), [
      ['Identity', c.identity], ['IMSI', c.imsi], ['EAP method', c.method],
      ['First seen', time(c.firstSeen)], ['Last updated', time(c.lastUpdate)],
      ['Session duration', duration(c.sessionDurationSeconds)]
    ]);
    kv($('client-auth'), [
      ['Auth status', c.status + (c.reason ? ' (' + c.reason + ')' : ''),
        c.status === 'Accepted' ? 'ok' : (c.status === 'Rejected' ? 'bad' : '')],
      ['Accounting Session ID', r.body.sessions && r.body.sessions.length ? r.body.sessions[0].acctSessionId : '-'],
      ['Called Station ID (AP MAC:SSID)', c.calledStationId], ['Calling Station ID (Client MAC)', c.callingStationId]
    ]);
    kv($('client-ap'), r.body.accessPoint ? apRows(r.body.accessPoint)
      : [['Access point', c.accessPoint ? c.accessPoint + ' (no details)' : '-']]);
    const p = r.body.pdnConnection;
    const hex = function (n) { return '0x' + ('0000000' + n.toString(16)).slice(-8); };
    kv($('client-path'), p ? [
      ['Path', 'Home-routed (S2a)'], ['APN', p.apn], ['Phone IP (PAA)', p.address], ['PGW', p.pgw],
      ['TEID control (ours / PGW)', hex(p.localTeid) + ' / ' + hex(p.pgwTeid)],
      ['TEID user (ours / PGW)', hex(p.localUserTeid) + ' / ' + p.pgwUserTeid], ['Opened', time(p.openedMillis)]
    ] : [['Path', 'Local breakout']]);
    usage.replaceChildren();
    if (r.body.sessions === null) {
      usage.textContent = 'Accounting is not installed.';
      return;
    }
    if (r.body.sessions.length === 0) {
      usage.textContent = 'No open accounting session.';
      return;
    }
    r.body.sessions.forEach(function (s) {
      const t = document.createElement('table');
      t.className = 'kv usage';
      const tb = document.createElement('tbody');
      kv(tb, [
        ['Session ID', s.acctSessionId], ['Session Time', duration(s.durationSeconds)],
        ['Data Downloaded', bytes(s.downloadOctets)], ['Data Uploaded', bytes(s.uploadOctets)],
        ['Total Data', bytes(s.downloadOctets + s.uploadOctets)],
        ['Packets In / Out', s.uploadPackets + ' / ' + s.downloadPackets],
        ['Status', s.open ? 'Active' : 'Stopped'], ['Framed IP', s.framedIp], ['Last Update', time(s.updated)]
      ]);
      t.appendChild(tb);
      usage.appendChild(t);
    });
  }

  async function disconnectClient() {
    const identity = $('client-identity').textContent;
    if (!window.confirm('Send a Disconnect-Request for ' + identity + '?')) { return; }
    $('client-disconnect-result').textContent = 'Waiting for the access point...';
    const r = await api('/clients/' + encodeURIComponent(identity) + '/disconnect',
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const b = r.body || {};
    $('client-disconnect-result').textContent = b.error ? b.error
      : 'Disconnect-Request: ' + b.outcome + (b.detail ? ' (' + b.detail + ')' : '');
  }

  let selectedAp = null;

  async function loadAps() {
    const tbody = $('aps-rows');
    const r = await api('/aps');
    if (r.status !== 200) { message(tbody, 7, errorText(r)); return; }
    const aps = r.body.accessPoints;
    $('aps-count').textContent = aps.length;
    $('aps-clients').textContent = aps.reduce(function (n, a) { return n + a.clientCount; }, 0);
    if (aps.length === 0) { message(tbody, 10, 'No access point seen yet'); }
    else { tbody.replaceChildren(); }
    let selected = null;
    aps.forEach(function (ap) {
      const tr = document.createElement('tr');
      const a = link(tr, ap.nasIp, '#aps');
      a.className = 'ap-link';
      a.addEventListener('click', function (e) { e.preventDefault(); selectedAp = ap.nasIp; loadAps(); });
      cell(tr, ap.nasIdentifier);
      cell(tr, ap.apMac);
      cell(tr, ap.ssid);
      cell(tr, time(ap.lastSeen));
      cell(tr, since(ap.firstSeen));
      cell(tr, ap.clientCount);
      cell(tr, ap.accepts, 'ok');
      cell(tr, ap.rejects, ap.rejects ? 'bad' : '');
      cell(tr, ap.lastReject ? time(ap.lastRejectAt) + ' ' + ap.lastReject : null);
      if (ap.nasIp === selectedAp) { tr.className = 'selected'; selected = ap; }
      tbody.appendChild(tr);
    });
    $('ap-details').hidden = selected === null;
    if (selected) { kv($('ap-details-rows'), apRows(selected)); }
  }

  async function loadUsage() {
    const tbody = $('usage-rows');
    const r = await api('/sessions');
    if (r.status !== 200) {
      $('usage-open').textContent = '-';
      $('usage-total').textContent = '-';
      message(tbody, 8, errorText(r));
    } else {
      $('usage-open').textContent = r.body.open;
      $('usage-total').textContent = updown(r.body.downloadOctets, r.body.uploadOctets);
      if (r.body.sessions.length === 0) { message(tbody, 8, 'No open session'); }
      else { tbody.replaceChildren(); }
      r.body.sessions.forEach(function (s) {
        const tr = document.createElement('tr');
        cell(tr, s.acctSessionId);
        cell(tr, s.userName);
        cell(tr, s.imsi);
        cell(tr, s.callingStationId);
        cell(tr, s.nasIp + (s.calledStationId ? ' / ' + s.calledStationId : ''));
        cell(tr, duration(s.durationSeconds));
        cell(tr, updown(s.downloadOctets, s.uploadOctets));
        cell(tr, time(s.updated));
        tbody.appendChild(tr);
      });
    }
    const c = await api('/charging');
    $('charging-mode').textContent = c.status === 200
      ? 'Mode ' + c.body.mode + ' (available: ' + c.body.availableModes.join(', ') + '), '
        + c.body.sessions.length + ' charged session(s)'
      : errorText(c);
  }

  async function loadPeers() {
    const tbody = $('peers-rows');
    const r = await api('/peers');
    if (r.status !== 200) {
      $('peers-summary').textContent = '';
      message(tbody, 8, errorText(r));
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
      cell(tr, p.requests);
      cell(tr, p.errors, p.errors ? 'bad' : '');
      cell(tr, p.p50Millis === null || p.p50Millis === undefined ? null : p.p50Millis.toFixed(1));
      cell(tr, p.p99Millis === null || p.p99Millis === undefined ? null : p.p99Millis.toFixed(1));
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
      p.textContent = errorText(r);
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
    if (r.status !== 200) { message(tbody, 2, errorText(r)); return; }
    const j = r.body;
    kv(tbody, [
      ['Heap used / max', bytes(j.heap.used) + ' / ' + bytes(j.heap.max)],
      ['Heap committed', bytes(j.heap.committed)],
      ['Non-heap used', bytes(j.nonHeap.used)],
      ['Threads (peak, daemon)', j.threads + ' (' + j.peakThreads + ', ' + j.daemonThreads + ')'],
      ['Process CPU', percent(j.processCpuLoad)],
      ['System CPU', percent(j.systemCpuLoad)],
      ['Load average', j.systemLoadAverage < 0 ? '-' : j.systemLoadAverage.toFixed(2)],
      ['Processors', j.availableProcessors],
      ['Uptime', duration(j.uptimeSeconds)],
      ['Started', time(j.startTime)],
      ['Java', j.javaVersion]
    ]);
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

  // The safety banner: every finding of every bundle's safety check (GET /api/check), on every view.
  async function loadChecks() {
    const banner = $('check-banner');
    const r = await api('/check');
    if (r.status !== 200 || !r.body || r.body.findings.length === 0) { banner.hidden = true; return; }
    const b = r.body;
    $('check-summary').textContent = b.findings.length + ' setting(s) to review: ' + b.unsafe + ' unsafe, '
      + b.warnings + ' warning(s)';
    const list = $('check-list');
    list.replaceChildren();
    b.findings.forEach(function (f) {
      const li = document.createElement('li');
      li.className = 'finding ' + f.severity.toLowerCase();
      const sev = document.createElement('span');
      sev.className = 'severity ' + (f.severity === 'UNSAFE' ? 'bad' : '');
      sev.textContent = f.severity + ' [' + f.area + ']';
      li.appendChild(sev);
      li.appendChild(document.createTextNode(f.problem + ' \u2192 ' + f.remedy));
      list.appendChild(li);
    });
    if (b.docs) { $('check-docs').href = b.docs; }
    banner.classList.toggle('unsafe', b.unsafe > 0);
    banner.hidden = false;
  }

  // --- overview: charts of the server's own history (GET /api/overview/{range}), drawn with uPlot ---

  const COLORS = ['#2a7d2e', '#b3261e', '#e07b00', '#6a3d9a', '#1f78b4', '#b15928', '#e31a1c', '#33a02c',
    '#ff7f00', '#cab2d6', '#a6cee3', '#fb9a99'];
  let overviewRange = sessionStorage.getItem('opentwag.range') || '15m';
  const charts = {};

  function chart(id, times, columns, labels, unit) {
    const el = $(id);
    if (typeof uPlot === 'undefined') { el.textContent = 'Chart library not loaded.'; return; }
    const key = labels.join('|');
    const data = [times].concat(columns);
    const existing = charts[id];
    if (existing && existing.key === key) {
      existing.plot.setData(data);
      return;
    }
    if (existing) { existing.plot.destroy(); }
    el.replaceChildren();
    const series = [{}].concat(labels.map(function (l, i) {
      return { label: l, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false,
        value: function (u, v) { return v === null || v === undefined ? '-' : (+v).toFixed(2) + (unit || ''); } };
    }));
    const plot = new uPlot({ width: Math.max(320, el.clientWidth || 540), height: 200, series: series,
      axes: [{}, { size: 50 }], scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } } },
    data, el);
    el.uplot = plot; // for the browser test: the chart's data
    charts[id] = { key: key, plot: plot };
  }

  function zeros(n) { const a = new Array(n); for (let i = 0; i < n; i++) { a[i] = 0; } return a; }

  // A rate times the seconds its point covers is the count in it (points are about, not exactly, a step apart).
  function total(column, intervals) {
    return (column || []).reduce(function (n, v, i) { return n + (v ? v * intervals[i] : 0); }, 0);
  }

  async function loadOverview() {
    document.querySelectorAll('button.range').forEach(function (b) {
      b.classList.toggle('active', b.dataset.range === overviewRange);
    });
    const r = await api('/overview/' + overviewRange);
    if (r.status !== 200) { $('overview-note').textContent = errorText(r); return; }
    const o = r.body;
    const s = o.series;
    const n = o.times.length;
    $('overview-note').textContent = n === 0 ? 'Collecting: the first points appear within '
      + (o.stepSeconds === 1 ? 'a few seconds' : 'a minute') + '.'
      : n + ' points, one per ' + (o.stepSeconds === 1 ? 'second' : 'minute') + '.';
    const accepted = Math.round(total(s.accepts, o.intervals));
    const byReason = o.rejectReasons.map(function (reason) {
      return [reason, Math.round(total(s['rejects:' + reason], o.intervals))];
    });
    $('overview-accepted').textContent = accepted;
    $('overview-rejected').textContent = byReason.reduce(function (t, x) { return t + x[1]; }, 0);
    const active = (s.active || []).filter(function (v) { return v !== null; });
    $('overview-active').textContent = active.length ? active[active.length - 1] : '-';
    const tbody = $('overview-reasons');
    const seen = byReason.filter(function (x) { return x[1] > 0; }).sort(function (a, b) { return b[1] - a[1]; });
    if (seen.length === 0) { message(tbody, 2, 'No reject in this range'); }
    else {
      tbody.replaceChildren();
      seen.forEach(function (x) {
        const tr = document.createElement('tr');
        cell(tr, x[0], 'bad');
        cell(tr, x[1]);
        tbody.appendChild(tr);
      });
    }
    // Rejects: only the reasons seen in this range get a line, so the legend stays short.
    const shownReasons = seen.map(function (x) { return x[0]; });
    chart('chart-auth', o.times, [s.accepts || zeros(n)].concat(shownReasons.map(function (reason) {
      return s['rejects:' + reason];
    })), ['accepted'].concat(shownReasons.map(function (reason) { return 'rejected: ' + reason; })), '/s');
    chart('chart-latency', o.times, [s.latency_p50_ms || zeros(n).map(function () { return null; }),
      s.latency_p99_ms || zeros(n).map(function () { return null; })], ['p50', 'p99'], ' ms');
    chart('chart-accounting', o.times, [s.accounting || zeros(n)], ['accounting requests'], '/s');
    chart('chart-sessions', o.times, [s.active || zeros(n)], ['active sessions'], '');
    const peerCols = [];
    const peerLabels = [];
    o.peers.forEach(function (p) {
      peerCols.push(s['diameter:' + p]); peerLabels.push(p + ' requests');
      peerCols.push(s['diameter_errors:' + p] || zeros(n)); peerLabels.push(p + ' errors');
    });
    chart('chart-diameter', o.times, peerCols.length ? peerCols : [zeros(n)],
      peerLabels.length ? peerLabels : ['no Diameter request'], '/s');
  }

  // --- subscriber trace (GET /api/trace/{subscriber}) ---

  async function loadTrace(who) {
    const list = await api('/trace');
    if (list.status === 200) {
      const dl = $('trace-subscribers');
      dl.replaceChildren();
      list.body.subscribers.forEach(function (sub) {
        const o = document.createElement('option');
        o.value = sub;
        dl.appendChild(o);
      });
    }
    const out = $('trace-attempts');
    if (!who) {
      out.replaceChildren();
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = list.status === 200 ? list.body.total + ' subscriber(s) traced. Pick one above.'
        : errorText(list);
      out.appendChild(p);
      return;
    }
    if (document.activeElement !== $('trace-who')) { $('trace-who').value = who; }
    const r = await api('/trace/' + encodeURIComponent(who));
    out.replaceChildren();
    if (r.status !== 200) { out.textContent = errorText(r); return; }
    if (r.body.attempts.length === 0) { out.textContent = 'No recent authentication attempt of ' + who + '.'; return; }
    r.body.attempts.forEach(function (a) {
      const div = document.createElement('div');
      div.className = 'attempt ' + a.outcome.toLowerCase();
      const h = document.createElement('h3');
      const outcome = a.outcome === 'REJECTED' ? 'Rejected: ' + a.rejection.reason
        + (a.rejection.resultCode ? ' (' + a.rejection.resultCode + ')' : '')
        : (a.outcome === 'ACCEPTED' ? 'Accepted' : 'In progress');
      h.textContent = time(new Date(a.startedAtMillis).toISOString()) + ' \u2014 ' + outcome;
      h.className = a.outcome === 'ACCEPTED' ? 'ok' : (a.outcome === 'REJECTED' ? 'bad' : '');
      div.appendChild(h);
      const meta = document.createElement('p');
      meta.className = 'muted';
      meta.textContent = 'Identity ' + a.identity + (a.imsi ? ', IMSI ' + a.imsi : '') + (a.method ? ', ' + a.method : '')
        + ', AP ' + a.nasIp + (a.nasIdentifier ? ' (' + a.nasIdentifier + ')' : '')
        + (a.callingStationId ? ', client ' + a.callingStationId : '');
      div.appendChild(meta);
      const t = document.createElement('table');
      t.className = 'steps';
      const tb = document.createElement('tbody');
      a.steps.forEach(function (st) {
        const tr = document.createElement('tr');
        const d = new Date(st.atMillis);
        cell(tr, d.toLocaleTimeString() + '.' + String(d.getMilliseconds()).padStart(3, '0'));
        cell(tr, st.kind.replace(/_/g, ' ').toLowerCase(), st.kind === 'REJECT' ? 'bad' : (st.kind === 'ACCEPT' ? 'ok' : ''));
        cell(tr, st.detail);
        tb.appendChild(tr);
      });
      t.appendChild(tb);
      div.appendChild(t);
      out.appendChild(div);
    });
  }

  // --- navigation, polling, login ---

  function route() {
    const hash = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (hash.startsWith('client/')) { return { view: 'client', arg: hash.substring(7) }; }
    if (hash.startsWith('trace/')) { return { view: 'trace', arg: hash.substring(6) }; }
    return { view: VIEWS.indexOf(hash) >= 0 ? hash : 'overview', arg: null };
  }

  async function refresh() {
    if (!credentials) { return; }
    const r = route();
    try {
      await loadChecks();
      switch (r.view) {
        case 'overview': await loadOverview(); break;
        case 'trace': await loadTrace(r.arg); break;
        case 'clients': await loadClients(); break;
        case 'client': await loadClient(r.arg); break;
        case 'aps': await loadAps(); break;
        case 'usage': await loadUsage(); break;
        case 'peers': await loadPeers(); break;
        case 'config': await loadConfig(); break;
        case 'resources': await loadResources(); break;
        default: break;
      }
      $('updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      $('updated').textContent = 'Update failed: ' + e;
    }
  }

  function show() {
    const loggedIn = !!credentials;
    $('login').hidden = loggedIn;
    $('nav').hidden = !loggedIn;
    $('logout').hidden = !loggedIn;
    if (!loggedIn) { $('check-banner').hidden = true; }
    const current = route().view;
    VIEWS.forEach(function (v) { $(v).hidden = !loggedIn || v !== current; });
    document.querySelectorAll('#nav a').forEach(function (a) {
      const target = a.getAttribute('href').substring(1);
      a.classList.toggle('active', target === current || (current === 'client' && target === 'clients'));
    });
    if (loggedIn) {
      $('user').textContent = sessionStorage.getItem('opentwag.user') || '';
      refresh();
      if (timer === null) { timer = window.setInterval(refresh, POLL_MS); }
    } else if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  function logout(why) {
    credentials = null;
    sessionStorage.removeItem('opentwag.auth');
    sessionStorage.removeItem('opentwag.user');
    $('user').textContent = '';
    $('updated').textContent = '';
    $('login-error').textContent = why || '';
    show();
  }

  async function login(event) {
    event.preventDefault();
    const user = $('login-user').value;
    // btoa needs Latin-1: encode UTF-8 first (RFC 7617 charset="UTF-8").
    const token = btoa(String.fromCharCode.apply(null,
      new TextEncoder().encode(user + ':' + $('login-password').value)));
    $('login-error').textContent = '';
    const r = await api('/clients', null, token);
    if (r.status === 200) {
      credentials = token;
      sessionStorage.setItem('opentwag.auth', token);
      sessionStorage.setItem('opentwag.user', user);
      $('login-password').value = '';
      show();
    } else {
      $('login-error').textContent = r.status === 401 ? 'Wrong user or password.' : errorText(r);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', function () { logout(''); });
    $('mar-form').addEventListener('submit', sendMar);
    $('trace-form').addEventListener('submit', function (e) {
      e.preventDefault();
      location.hash = '#trace/' + encodeURIComponent($('trace-who').value.trim());
    });
    document.querySelectorAll('button.range').forEach(function (b) {
      b.addEventListener('click', function () {
        overviewRange = b.dataset.range;
        sessionStorage.setItem('opentwag.range', overviewRange);
        refresh();
      });
    });
    $('client-disconnect').addEventListener('click', disconnectClient);
    window.addEventListener('hashchange', function () {
      $('client-disconnect-result').textContent = '';
      show();
    });
    show();
  });
})();
