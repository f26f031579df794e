// Independent echo server for tst_cli: Debian's node-ws. Prints "PORT <n>" once listening on
// 127.0.0.1, or on the address given as its first argument, on the port given as its second (by
// default 0: a free one), then echoes every message back with its type, until killed.
'use strict';
const { WebSocketServer } = require('ws');

const server = new WebSocketServer({ host: process.argv[2] || '127.0.0.1', port: Number(process.argv[3] || 0) });
server.on('listening', () => console.log(`PORT ${server.address().port}`));
server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
