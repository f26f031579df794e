#!/usr/bin/env node
// Independent WebSocket client for interop tests: Debian's node-ws (run with NODE_PATH=/usr/share/nodejs).
//
//   node_client.js URL [COMMAND...]
//
// Commands run in order once the connection is open:
//   text=HEX        send a text message whose UTF-8 bytes are HEX
//   binary=HEX      send a binary message
//   pattern=N       send a binary message of N bytes 0,1,2,...(mod 256)
//   ping=HEX        send a ping
//   wait=N          wait until N messages have been received in all
//   close=CODE[,REASON]  start the closing handshake
// Without a close command the script closes with 1000 after the last command.
// Everything observed is printed as one JSON object per line:
//   {"event":"open"} {"event":"message","type":"text"|"binary","hex":"..."}
//   {"event":"pong","hex":"..."} {"event":"close","code":N,"reason":"..."} {"event":"error","message":"..."}
'use strict';

const WebSocket = require('ws');

const [url, ...commands] = process.argv.slice(2);
const print = (object) => process.stdout.write(JSON.stringify(object) + '\n');

let received = 0;
let onMessage = () => {};
let closing = false;

const watchdog = setTimeout(() => {
    print({ event: 'error', message: 'timeout' });
    process.exit(2);
}, 20000);

const ws = new WebSocket(url);

function waitFor(count) {
    return new Promise((resolve) => {
        onMessage = () => {
            if (received >= count) {
                onMessage = () => {};
                resolve();
            }
        };
        onMessage();
    });
}

async function run(command) {
    const eq = command.indexOf('=');
    const name = eq < 0 ? command : command.slice(0, eq);
    const arg = eq < 0 ? '' : command.slice(eq + 1);
    switch (name) {
    case 'text':
        ws.send(Buffer.from(arg, 'hex'), { binary: false });
        break;
    case 'binary':
        ws.send(Buffer.from(arg, 'hex'), { binary: true });
        break;
    case 'pattern': {
        const buf = Buffer.alloc(Number(arg));
        for (let i = 0; i < buf.length; ++i) buf[i] = i & 0xff;
        ws.send(buf, { binary: true });
        break;
    }
    case 'ping':
        ws.ping(Buffer.from(arg, 'hex'));
        break;
    case 'wait':
        await waitFor(Number(arg));
        break;
    case 'close': {
        const comma = arg.indexOf(',');
        closing = true;
        if (comma < 0)
            ws.close(Number(arg));
        else
            ws.close(Number(arg.slice(0, comma)), arg.slice(comma + 1));
        break;
    }
    default:
        print({ event: 'error', message: 'unknown command ' + command });
        process.exit(2);
    }
}

ws.on('open', async () => {
    print({ event: 'open' });
    for (const command of commands)
        await run(command);
    if (!closing)
        ws.close(1000);
});
ws.on('message', (data, isBinary) => {
    received++;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    print({ event: 'message', type: isBinary ? 'binary' : 'text', hex: bytes.toString('hex') });
    onMessage();
});
ws.on('pong', (data) => print({ event: 'pong', hex: data.toString('hex') }));
ws.on('close', (code, reason) => {
    clearTimeout(watchdog);
    print({ event: 'close', code, reason: reason.toString() });
    // No process.exit(): it would drop output still queued for a pipe (a 1 MiB message is 2 MiB of
    // hex); with the connection and the watchdog gone, the process ends once it is written.
});
ws.on('error', (error) => {
    print({ event: 'error', message: error.message });
    process.exit(1);
});
