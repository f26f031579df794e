// The reference client of the command-line benchmark: Debian's node-ws, counting messages and
// nothing else. Prints {"messages":N,"code":C} when the server closes.
//   NODE_PATH=/usr/share/nodejs node node_count_client.js ws://127.0.0.1:PORT/
'use strict';
const WebSocket = require('ws');

const ws = new WebSocket(process.argv[2], { perMessageDeflate: false });
let messages = 0;
ws.on('message', () => {
    messages++;
});
ws.on('close', (code) => {
    console.log(JSON.stringify({ messages, code }));
    process.exit(code === 1000 ? 0 : 1);
});
ws.on('error', (error) => {
    console.error(`node_count_client: ${error.message}`);
    process.exit(1);
});
