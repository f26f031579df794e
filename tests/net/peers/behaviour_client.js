#!/usr/bin/env node
// Independent client for tst_serverbehaviour: Debian's node-ws (run with NODE_PATH=/usr/share/nodejs).
//
//   behaviour_client.js URL [--protocol NAME]... [--origin ORIGIN] [COMMAND...]
//
// Commands run in order once the connection is open:
//   text=HEX     send a text message whose UTF-8 bytes are HEX (prints "sent" with its time)
//   binary=HEX   send a binary message
//   wait=N       wait until N messages have been received in all
//   pings=N      wait until N pings have been received in all
//   hold         wait until the server closes the connection
//   close=CODE[,REASON]  start the closing handshake
// Without close or hold the script closes with 1000 after the last command.
// One JSON object per line; "t" is milliseconds on a monotonic clock:
//   {"event":"open","protocol":"chat"} {"event":"sent","t":..} {"event":"message","type":..,"hex":..,"t":..}
//   {"event":"ping","hex":..,"t":..} {"event":"close","code":N,"reason":".."} {"event":"error","message":".."}
'use strict';

const WebSocket = require('ws');
const { performance } = require('perf_hooks');

const args = process.argv.slice(2);
const url = args.shift();
const protocols = [];
let origin;
const commands = [];
while (args.length) {
    const arg = args.shift();
    if (arg === '--protocol')
        protocols.push(args.shift());
    else if (arg === '--origin')
        origin = args.shift();
    else
        commands.push(arg);
}

const print = (object) => process.stdout.write(JSON.stringify(object) + '\n');
const now = () => performance.now();

let messages = 0;
let pings = 0;
let wake = () => {};
let closing = false;
let finished = false;

const watchdog = setTimeout(() => {
    print({ event: 'error', message: 'timeout' });
    process.exit(2);
}, 20000);

const options = { maxPayload: 0 };
if (origin !== undefined)
    options.origin = origin;
const ws = new WebSocket(url, protocols, options);

function until(condition) {
    return new Promise((resolve) => {
        wake = () => {
            if (condition()) {
                wake = () => {};
                resolve();
            }
        };
        wake();
    });
}

async function run(command) {
    const eq = command.indexOf('=');
    const name = eq < 0 ? command : command.slice(0, eq);
    const arg = eq < 0 ? '' : command.slice(eq + 1);
    switch (name) {
    case 'text':
    case 'binary':
    {
        const t = now(); // before sending: the server's reply delay may start before send() returns
        ws.send(Buffer.from(arg, 'hex'), { binary: name === 'binary' }, () => {});
        print({ event: 'sent', t });
    }
        break;
    case 'wait':
        await until(() => messages >= Number(arg));
        break;
    case 'pings':
        await until(() => pings >= Number(arg));
        break;
    case 'hold':
        closing = true;
        await until(() => finished);
        break;
    case 'close': {
        closing = true;
        const comma = arg.indexOf(',');
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
    print({ event: 'open', protocol: ws.protocol });
    for (const command of commands)
        await run(command);
    if (!closing)
        ws.close(1000);
});
ws.on('message', (data, isBinary) => {
    const t = now();
    messages++;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    print({ event: 'message', type: isBinary ? 'binary' : 'text', hex: bytes.toString('hex'), t });
    wake();
});
ws.on('ping', (data) => {
    pings++;
    print({ event: 'ping', hex: data.toString('hex'), t: now() });
    wake();
});
ws.on('close', (code, reason) => {
    clearTimeout(watchdog);
    finished = true;
    print({ event: 'close', code, reason: reason.toString() });
    process.exit(0);
});
ws.on('error', (error) => {
    print({ event: 'error', message: error.message });
    process.exit(1);
});
