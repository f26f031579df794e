// Independent echo server for tst_proberunner: Debian's node-ws with its defaults, and
// permessage-deflate accepted for every message size (the classic probes offer no extension, so
// none is negotiated for them; the permessage-deflate probes offer it). Prints "PORT <n>" once listening on 127.0.0.1 (port 0: a
// free one), then echoes every message with its type until killed. Each connection's end is
// printed as a JSON line, so a failing test can show what ws decided.
'use strict';
const { WebSocketServer } = require('ws');

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: { threshold: 0 } });
server.on('listening', () => console.log(`PORT ${server.address().port}`));
server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', (err) => console.log(JSON.stringify({ event: 'error', code: err.code, message: err.message })));
    ws.on('close', (code, reason) => console.log(JSON.stringify({ event: 'close', code, reason: reason.toString() })));
});
