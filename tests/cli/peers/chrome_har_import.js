// chrome_har_import.js — feed a HAR file to Chrome DevTools' own HAR importer (the one the
// Network panel uses for "Import HAR file...") inside the installed Chromium, and print what it
// produced as one JSON line on stdout.
//
// Usage:  NODE_PATH=/usr/share/nodejs node chrome_har_import.js FILE.har
//   env CHROMIUM=/path/to/chromium   (default /usr/bin/chromium)
//   env HAR_IMPORT_TIMEOUT_MS=60000  (overall time limit, default 60000)
//
// What it does: launches `chromium --headless=new --remote-debugging-port=0` with a temporary
// profile, opens devtools://devtools/bundled/devtools_app.html in a tab, and there runs exactly
// the Network panel's import path (panels/network/NetworkLogView.ts onLoadFromFile):
//     const root = new HAR.HARFormat.HARRoot(JSON.parse(text));       // models/har/HARFormat.ts
//     const requests = HAR.Importer.Importer.requestsFromHARLog(root.log); // models/har/Importer.ts
// with HAR = await import('devtools://devtools/bundled/models/har/har.js').
// Then it serialises each SDK.NetworkRequest (url, resourceType().name(), frames(), ...).
//
// Exit status: 0 imported (and every HAR WebSocket message became a frame);
//              1 usage / Chromium or DevTools could not be started / module missing;
//              2 Chrome's importer rejected the file (the error Chrome gives is printed);
//              3 imported, but some _webSocketMessages were silently dropped by Chrome, or an
//                entry with _resourceType "websocket" did not come out as a WebSocket request.
// The JSON line is printed on stdout in cases 0 and 3 (and for 2 it carries the error).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const {spawn} = require('child_process');
let WebSocket;
try {
  WebSocket = require('ws');
} catch (e) {
  process.stderr.write("chrome_har_import: cannot load the 'ws' module: run with NODE_PATH=/usr/share/nodejs (Debian package node-ws)\n");
  process.exit(1);
}

const DEVTOOLS_PAGE = 'devtools://devtools/bundled/devtools_app.html';
const HAR_MODULE = './models/har/har.js';  // relative to devtools://devtools/bundled/
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.HAR_IMPORT_TIMEOUT_MS || 60000);

function fail(code, msg) {
  process.stderr.write(`chrome_har_import: ${msg}\n`);
  cleanup().finally(() => process.exit(code));
}

const harPath = process.argv[2];
if (!harPath || harPath === '-h' || harPath === '--help') {
  process.stderr.write('usage: NODE_PATH=/usr/share/nodejs node chrome_har_import.js FILE.har\n');
  process.exit(1);
}
let harText;
try {
  harText = fs.readFileSync(harPath, 'utf8');
} catch (e) {
  process.stderr.write(`chrome_har_import: cannot read ${harPath}: ${e.message}\n`);
  process.exit(1);
}

let chrome = null, ws = null, profileDir = null, cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  if (ws && ws.readyState === WebSocket.OPEN) {
    try { ws.send(JSON.stringify({id: 999999, method: 'Browser.close'})); } catch (_) {}
  }
  if (chrome && chrome.exitCode === null && chrome.signalCode === null) {
    const exited = new Promise(r => chrome.once('exit', r));
    const t = setTimeout(() => { try { process.kill(-chrome.pid, 'SIGKILL'); } catch (_) {} }, 3000);
    await exited;
    clearTimeout(t);
  }
  if (ws) try { ws.terminate(); } catch (_) {}
  if (profileDir) try { fs.rmSync(profileDir, {recursive: true, force: true}); } catch (_) {}
}
const watchdog = setTimeout(() => fail(1, `timed out after ${TIMEOUT_MS} ms`), TIMEOUT_MS);

function startChromium() {
  return new Promise((resolve, reject) => {
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chrome-har-import-'));
    const args = ['--headless=new', '--no-sandbox', '--remote-debugging-port=0',
                  `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check',
                  '--disable-gpu', 'about:blank'];
    try {
      chrome = spawn(CHROMIUM, args, {stdio: ['ignore', 'ignore', 'pipe'], detached: true});
    } catch (e) {
      return reject(new Error(`cannot start ${CHROMIUM}: ${e.message}`));
    }
    let err = '';
    chrome.on('error', e => reject(new Error(`cannot start ${CHROMIUM}: ${e.message}`)));
    chrome.on('exit', (code, sig) =>
      reject(new Error(`${CHROMIUM} exited (code ${code}, signal ${sig}) before DevTools was ready:\n${err.slice(-2000)}`)));
    chrome.stderr.on('data', d => {
      err += d;
      const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
  });
}

function cdpConnect(url) {
  return new Promise((resolve, reject) => {
    ws = new WebSocket(url, {perMessageDeflate: false, maxPayload: 1 << 30});
    let nextId = 1;
    const pending = new Map();
    const listeners = [];
    ws.on('message', data => {
      const m = JSON.parse(data.toString());
      if (m.id !== undefined && pending.has(m.id)) {
        const {res, rej, method} = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) rej(new Error(`${method}: ${m.error.message}${m.error.data ? ' (' + m.error.data + ')' : ''}`));
        else res(m.result);
      } else if (m.method) {
        for (const l of listeners.slice()) l(m);
      }
    });
    ws.on('error', reject);
    ws.on('open', () => resolve({
      send(method, params = {}, sessionId) {
        return new Promise((res, rej) => {
          const id = nextId++;
          pending.set(id, {res, rej, method});
          ws.send(JSON.stringify({id, method, params, sessionId}));
        });
      },
      waitEvent(method, sessionId) {
        return new Promise(res => {
          const l = m => {
            if (m.method === method && (!sessionId || m.sessionId === sessionId)) {
              listeners.splice(listeners.indexOf(l), 1);
              res(m.params);
            }
          };
          listeners.push(l);
        });
      },
    }));
  });
}

// Runs inside the DevTools page. Must be self-contained (it is stringified).
async function importInDevTools(harText, modulePath) {
  const out = {stage: 'import-module'};
  let HAR;
  try {
    HAR = await import(modulePath);
  } catch (e) {
    return {ok: false, stage: 'import-module', error: String(e && e.stack || e)};
  }
  if (!HAR.HARFormat || !HAR.HARFormat.HARRoot || !HAR.Importer || !HAR.Importer.Importer ||
      typeof HAR.Importer.Importer.requestsFromHARLog !== 'function') {
    return {ok: false, stage: 'import-module',
            error: `module ${modulePath} lacks HARFormat.HARRoot / Importer.Importer.requestsFromHARLog; exports: ${Object.keys(HAR)}`};
  }
  let root, requests;
  try {
    root = new HAR.HARFormat.HARRoot(JSON.parse(harText));
  } catch (e) {
    return {ok: false, stage: 'parse', error: String(e && e.message || e)};
  }
  try {
    requests = HAR.Importer.Importer.requestsFromHARLog(root.log);
  } catch (e) {
    return {ok: false, stage: 'requestsFromHARLog', error: String(e && e.stack || e)};
  }
  const raw = JSON.parse(harText);  // only to compare counts with what Chrome kept
  const rawEntries = (raw.log.entries || []).slice()
      .sort((a, b) => new Date(a.startedDateTime) - new Date(b.startedDateTime));  // importer's order
  const b64hex = s => { try { return Array.from(atob(s), c => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' '); } catch (_) { return null; } };
  const reqs = requests.map((r, i) => {
    const e = rawEntries[i] || {};
    const frames = r.frames().map(f => {
      const o = {type: f.type, opCode: f.opCode, mask: f.mask, text: f.text, time: f.time};
      if (f.opCode === 2) o.binaryHex = b64hex(f.text);  // the Network panel treats binary text as base64
      return o;
    });
    return {
      requestId: r.requestId(),
      url: r.url(),
      resourceType: r.resourceType().name(),
      isImportedHar: typeof r.isImportedHar === 'function' ? r.isImportedHar() : undefined,
      method: r.requestMethod,
      statusCode: r.statusCode,
      statusText: r.statusText,
      protocol: r.protocol,
      mimeType: r.mimeType,
      remoteAddress: r.remoteAddress(),
      connectionId: r.connectionId,
      issueTime: r.issueTime(),
      startTime: r.startTime,
      endTime: r.endTime,
      duration: r.duration,
      resourceSize: r.resourceSize,
      transferSize: r.transferSize,
      requestHeaders: r.requestHeaders().map(h => `${h.name}: ${h.value}`),
      responseHeaders: r.responseHeaders.map(h => `${h.name}: ${h.value}`),
      timing: r.timing,
      harResourceType: e._resourceType,
      harWebSocketMessages: Array.isArray(e._webSocketMessages) ? e._webSocketMessages.length : undefined,
      frames,
    };
  });
  return {ok: true, chromeUserAgent: navigator.userAgent, harEntries: rawEntries.length, requests: reqs};
}

(async () => {
  let wsUrl;
  try {
    wsUrl = await startChromium();
  } catch (e) {
    return fail(1, e.message);
  }
  let cdp;
  try {
    cdp = await cdpConnect(wsUrl);
  } catch (e) {
    return fail(1, `cannot connect to ${wsUrl}: ${e.message}`);
  }
  let result, version;
  try {
    version = await cdp.send('Browser.getVersion');
    const {targetId} = await cdp.send('Target.createTarget', {url: 'about:blank'});
    const {sessionId} = await cdp.send('Target.attachToTarget', {targetId, flatten: true});
    await cdp.send('Page.enable', {}, sessionId);
    const loaded = cdp.waitEvent('Page.loadEventFired', sessionId);
    const nav = await cdp.send('Page.navigate', {url: DEVTOOLS_PAGE}, sessionId);
    if (nav.errorText) return fail(1, `cannot open ${DEVTOOLS_PAGE}: ${nav.errorText}`);
    await loaded;
    const href = await cdp.send('Runtime.evaluate', {expression: 'location.href', returnByValue: true}, sessionId);
    if (!String(href.result.value).startsWith('devtools://devtools/bundled/'))
      return fail(1, `${DEVTOOLS_PAGE} did not load (page is ${href.result.value})`);
    const ev = await cdp.send('Runtime.evaluate', {
      expression: `(${importInDevTools.toString()})(${JSON.stringify(harText)}, ${JSON.stringify(HAR_MODULE)})`,
      awaitPromise: true, returnByValue: true,
    }, sessionId);
    if (ev.exceptionDetails)
      return fail(1, `evaluation in DevTools page threw: ${ev.exceptionDetails.exception?.description || ev.exceptionDetails.text}`);
    result = ev.result.value;
  } catch (e) {
    return fail(1, `DevTools protocol error: ${e.message}`);
  }
  const header = {har: path.resolve(harPath), chromium: version.product, devtoolsPage: DEVTOOLS_PAGE,
                  module: 'devtools://devtools/bundled/models/har/har.js',
                  function: 'Importer.Importer.requestsFromHARLog(new HARFormat.HARRoot(JSON.parse(text)).log)'};
  if (!result.ok) {
    if (result.stage === 'import-module') return fail(1, `cannot load Chrome's HAR importer: ${result.error}`);
    console.log(JSON.stringify({...header, ok: false, stage: result.stage, error: result.error}));
    return fail(2, `Chrome could not import ${harPath} (${result.stage}): ${result.error}`);
  }
  // Check that every HAR WebSocket message became a frame and WebSocket entries stayed WebSocket.
  const problems = [];
  for (const r of result.requests) {
    if (r.harWebSocketMessages !== undefined && r.frames.length !== r.harWebSocketMessages)
      problems.push(`${r.url}: ${r.harWebSocketMessages} _webSocketMessages in the HAR, but Chrome made ${r.frames.length} frames`);
    if (r.harResourceType === 'websocket' && r.resourceType !== 'websocket')
      problems.push(`${r.url}: _resourceType "websocket" came out as resource type "${r.resourceType}"`);
  }
  console.log(JSON.stringify({...header, ok: problems.length === 0, problems,
                              harEntries: result.harEntries, requests: result.requests}));
  clearTimeout(watchdog);
  await cleanup();
  if (problems.length) {
    process.stderr.write(`chrome_har_import: imported, but Chrome lost data:\n  ${problems.join('\n  ')}\n`);
    process.exit(3);
  }
  process.exit(0);
})();
