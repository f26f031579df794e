// An https:// site for the browser test through the proxy: Debian's node-ws behind node's own TLS,
// with the certificate and key given as files (argv[2], argv[3]). GET / serves a page whose script
// opens wss://127.0.0.1:PORT/echo on this same server, sends a text and a binary message, and
// closes with 1000 "done" once both echoes are back. Every message is echoed with its type
// (permessage-deflate accepted for all sizes). Prints "PORT <n>" once listening on 127.0.0.1.
'use strict';
const fs = require('fs');
const https = require('https');
const { WebSocketServer } = require('ws');

const [certFile, keyFile] = process.argv.slice(2);
const page = (port) => `<!doctype html><title>proxy test</title><script>
const ws = new WebSocket('wss://127.0.0.1:${port}/echo');
ws.binaryType = 'arraybuffer';
let echoes = 0;
ws.onopen = () => { ws.send('hello over wss, hello over wss'); ws.send(new Uint8Array([1, 2, 3, 250])); };
ws.onmessage = () => { if (++echoes === 2) ws.close(1000, 'done'); };
</script>
`;

const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, (req, res) => {
    if (req.url !== '/') {
        res.writeHead(404, { 'Content-Length': 0 });
        res.end();
        return;
    }
    const body = page(server.address().port);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
});
const wss = new WebSocketServer({ server, perMessageDeflate: { threshold: 0 } });
wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('close', (code, reason) => console.log(JSON.stringify({ event: 'close', code, reason: reason.toString() })));
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
