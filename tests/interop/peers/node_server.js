// Independent peer for the interop tests: Debian's node-ws as a server.
// Echoes every message with its type. Text commands make it do what the tests need:
//   cmd:fragment:K:TEXT      send TEXT as a text message in fragments of K bytes
//   cmd:binary:N             send N bytes 0,1,2,...(mod 256) as one binary message
//   cmd:ping:PAYLOAD         ping with PAYLOAD; on the pong, send text "pong:PAYLOAD"
//   cmd:close:CODE:REASON    start the closing handshake
//   cmd:raw:HEX              write HEX to the socket as it is (frames ws would never send)
//   cmd:drop:HEX             write HEX, then drop the TCP connection at once
// Every close the server sees is printed as a JSON line: {"event":"close","path":"/...","code":N,"reason":"..."};
// the request path tells the test which of its connections it was.
// Prints "PORT <n>" once listening on 127.0.0.1 (port 0 = chosen by the OS).
//   node node_server.js [--deflate JSON]   JSON: ws's perMessageDeflate options ({} accepts it with
//                                          ws's defaults); without it, compression is off
'use strict';
const { WebSocketServer } = require('ws');

const deflateAt = process.argv.indexOf('--deflate');
const perMessageDeflate = deflateAt > 0 ? JSON.parse(process.argv[deflateAt + 1]) : false;
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024, perMessageDeflate });
wss.on('listening', () => console.log(`PORT ${wss.address().port}`));
wss.on('connection', (ws, request) => {
    ws.on('message', (data, isBinary) => {
        if (!isBinary) {
            const text = data.toString('utf8');
            if (text.startsWith('cmd:')) return command(ws, text.slice(4));
        }
        ws.send(data, { binary: isBinary });
    });
    ws.on('pong', (data) => ws.send('pong:' + data.toString('utf8')));
    ws.on('close', (code, reason) =>
        console.log(JSON.stringify({ event: 'close', path: request.url, code, reason: reason.toString('utf8') })));
});

function command(ws, cmd) {
    const [name, ...rest] = cmd.split(':');
    if (name === 'fragment') {
        const size = Number(rest[0]);
        const text = Buffer.from(rest.slice(1).join(':'), 'utf8');
        for (let i = 0; i < text.length; i += size) {
            const fin = i + size >= text.length;
            ws.send(text.subarray(i, i + size), { binary: false, fin });
        }
    } else if (name === 'binary') {
        const n = Number(rest[0]);
        const buf = Buffer.alloc(n);
        for (let i = 0; i < n; ++i) buf[i] = i & 0xff;
        ws.send(buf, { binary: true });
    } else if (name === 'ping') {
        ws.ping(Buffer.from(rest.join(':'), 'utf8'));
    } else if (name === 'raw') {
        ws._socket.write(Buffer.from(rest[0], 'hex'));
    } else if (name === 'drop') {
        const socket = ws._socket;
        socket.write(Buffer.from(rest[0], 'hex'), () => socket.destroy());
    } else if (name === 'close') {
        ws.close(Number(rest[0]), rest.slice(1).join(':'));
    }
}
