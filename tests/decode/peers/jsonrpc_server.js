// JSON-RPC 2.0 server over WebSocket (https://www.jsonrpc.org/specification), one request,
// notification or batch per text message. Needs only ws: tests/node_modules' (npm ci) if present,
// otherwise Debian's node-ws through NODE_PATH=/usr/share/nodejs.
//
//   node jsonrpc_server.js
//
// Any path. Subprotocol "jsonrpc-2.0" or "jsonrpc" when offered (whichever comes first), none
// otherwise. Methods:
//   add       positional [a, b, ...] or named {a, b}: the sum; non-numbers: -32602 invalid params
//   echo      returns its params (or null)
//   fail      error -32000 "Server error" with data = params
//   subscribe the server then sends two notifications {"method":"tick","params":{"n":1}} and n:2
//   notify    (as a notification) the server sends {"method":"notified","params":<params>}
// Anything else: -32601 method not found. Invalid JSON: -32700 parse error (id null). A request
// that is not a Request object: -32600 invalid request (id null unless a valid id was given).
// Batches: an array of responses in order, notifications left out; nothing at all when the batch
// held only notifications; an empty array is one -32600 error. Binary messages are answered with
// -32700 (JSON-RPC over WebSocket is text).
//
// Prints "PORT <n>", then a JSON line per message it received: {"event":"message","text":"..."}.
'use strict';
const { WebSocketServer } = require('ws');
const { announce, report, runUntilStopped } = require('./peer_lifecycle');

const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    handleProtocols: (protocols) => [...protocols].find((p) => p === 'jsonrpc-2.0' || p === 'jsonrpc') || false,
});

function error(id, code, message, data) {
    const err = { code, message };
    if (data !== undefined)
        err.data = data;
    return { jsonrpc: '2.0', error: err, id };
}

const validId = (id) => id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));

// Returns the response object, or undefined for a notification.
function handle(ws, request) {
    if (request === null || typeof request !== 'object' || Array.isArray(request))
        return error(null, -32600, 'Invalid Request');
    const hasId = Object.prototype.hasOwnProperty.call(request, 'id');
    const id = hasId && validId(request.id) ? request.id : null;
    if (request.jsonrpc !== '2.0' || typeof request.method !== 'string' || (hasId && !validId(request.id))
        || (request.params !== undefined && (request.params === null || typeof request.params !== 'object')))
        return error(id, -32600, 'Invalid Request');
    const params = request.params;
    let result;
    switch (request.method) {
    case 'add': {
        const values = Array.isArray(params) ? params : params ? [params.a, params.b] : [];
        if (values.length === 0 || !values.every((v) => typeof v === 'number'))
            return hasId ? error(id, -32602, 'Invalid params', 'add takes numbers: [a, b, ...] or {"a": a, "b": b}') : undefined;
        result = values.reduce((sum, v) => sum + v, 0);
        break;
    }
    case 'echo':
        result = params === undefined ? null : params;
        break;
    case 'fail':
        return hasId ? error(id, -32000, 'Server error', params === undefined ? null : params) : undefined;
    case 'subscribe':
        for (const n of [1, 2])
            setTimeout(() => ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'tick', params: { n } })), 10 * n);
        result = 'subscribed';
        break;
    case 'notify':
        setImmediate(() => ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'notified', params: params === undefined ? null : params })));
        result = null;
        break;
    default:
        return hasId ? error(id, -32601, 'Method not found', request.method) : undefined;
    }
    return hasId ? { jsonrpc: '2.0', result, id } : undefined;
}

wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
        const text = data.toString('utf8');
        report({ event: 'message', binary: isBinary, text });
        let parsed;
        try {
            if (isBinary)
                throw new Error('binary');
            parsed = JSON.parse(text);
        } catch {
            ws.send(JSON.stringify(error(null, -32700, 'Parse error')));
            return;
        }
        if (!Array.isArray(parsed)) {
            const response = handle(ws, parsed);
            if (response)
                ws.send(JSON.stringify(response));
            return;
        }
        if (parsed.length === 0) {
            ws.send(JSON.stringify(error(null, -32600, 'Invalid Request')));
            return;
        }
        const responses = parsed.map((request) => handle(ws, request)).filter((r) => r !== undefined);
        if (responses.length > 0)
            ws.send(JSON.stringify(responses));
    });
});
wss.on('listening', () => announce(wss.address().port));
runUntilStopped(() => new Promise((resolve) => {
    for (const ws of wss.clients)
        ws.terminate();
    wss.close(() => resolve());
}));
