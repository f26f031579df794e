// Runs one client flow of client_flows.js against HOST:PORT (a server of this folder, or the
// inspector's relay in front of it), for tests/interop/tst_protocolsinterop.cpp:
//
//   node drive_client.js FLOW HOST:PORT [--timeout MS]
//
// FLOW: socketio, mqtt311, mqtt5, stomp, sockjs-stomp, graphql-transport-ws, graphql-ws, jsonrpc
// (client_flows.js names the server each one expects, and its path). Prints one JSON line when the
// flow is over, {"done":true,"flow":...,"ms":...}, and exits 0; or {"error":"..."} and exits 1.
'use strict';
const { flows, withTimeout } = require('./client_flows');

let finished = false;
function finish(object, code) {
    if (finished)
        return;
    finished = true;
    process.stdout.write(JSON.stringify(object) + '\n', () => process.exit(code));
}

async function main() {
    const [flow, address] = process.argv.slice(2);
    const timeoutAt = process.argv.indexOf('--timeout');
    const timeoutMs = timeoutAt > 0 ? Number(process.argv[timeoutAt + 1]) : 60000;
    if (!flow || !flows[flow])
        throw new Error(`usage: drive_client.js FLOW HOST:PORT; FLOW is one of ${Object.keys(flows).join(' ')}`);
    if (!/^[^:\s]+:\d+$/.test(address || ''))
        throw new Error(`usage: drive_client.js FLOW HOST:PORT (got "${address || ''}")`);
    const started = Date.now();
    await withTimeout(flows[flow](address), timeoutMs, `the ${flow} flow`);
    return { done: true, flow, ms: Date.now() - started };
}

// A library's late error (a socket closing under it) must not turn a finished flow into a failure,
// nor an unfinished one into a hang.
process.on('unhandledRejection', (err) => finish({ error: `unhandled rejection: ${err && err.stack ? err.stack : err}` }, 1));
main().then((result) => finish(result, 0), (err) => finish({ error: err && err.stack ? err.stack : String(err) }, 1));
