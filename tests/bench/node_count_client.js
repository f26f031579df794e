// The reference client of the command-line benchmark: Debian's node-ws, counting messages and
// nothing else. Prints {"messages":N,"code":C,"extensions":"..."} when the server closes
// (extensions: what the server agreed to, so a caller can tell whether compression was on).
//   NODE_PATH=/usr/share/nodejs node node_count_client.js [--deflate] ws://127.0.0.1:PORT/
// --deflate offers permessage-deflate (ws's default offer); without it none is offered.
'use strict';
const WebSocket = require('ws');

const args = process.argv.slice(2);
const deflate = args.includes('--deflate');
const url = args.find((arg) => !arg.startsWith('--'));

const ws = new WebSocket(url, { perMessageDeflate: deflate });
let messages = 0;
ws.on('message', () => {
    messages++;
});
ws.on('close', (code) => {
    const extensions = ws.extensions;
    console.log(JSON.stringify({ messages, code, extensions }));
    process.exit(code === 1000 ? 0 : 1);
});
ws.on('error', (error) => {
    console.error(`node_count_client: ${error.message}`);
    process.exit(1);
});
