// A node-ws client that reaches its wss:// server through an HTTP proxy, as a proxy agent (such as
// the https-proxy-agent package) does it: CONNECT on a plain socket, TLS over it trusting the CA
// file given, then ws on that TLS socket, handed over through an https.Agent. Usage: node_proxy_client.js PROXY_PORT WSS_URL CA_FILE MESSAGE.
// Sends MESSAGE, waits for its echo, closes with 1000 "bye"; prints one JSON line per event and
// exits 0 once closed cleanly, 1 on any error.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const tls = require('tls');
const WebSocket = require('ws');

const [proxyPort, url, caFile, message] = process.argv.slice(2);
const target = new URL(url);
const print = (o) => console.log(JSON.stringify(o));
const fail = (why) => {
    print({ event: 'error', message: String(why) });
    process.exit(1);
};

const connect = http.request({ host: '127.0.0.1', port: Number(proxyPort), method: 'CONNECT', path: `${target.hostname}:${target.port}` });
connect.on('connect', (res, socket) => {
    if (res.statusCode !== 200)
        fail(`proxy answered ${res.statusCode}`);
    const secure = tls.connect({ socket, ca: fs.readFileSync(caFile), checkServerIdentity: (host, cert) => tls.checkServerIdentity(target.hostname, cert) });
    secure.on('error', fail);
    const agent = new https.Agent();
    agent.createConnection = () => secure;
    const ws = new WebSocket(url, { agent });
    ws.on('open', () => ws.send(message));
    ws.on('message', (data) => {
        print({ event: 'message', data: data.toString() });
        ws.close(1000, 'bye');
    });
    ws.on('close', (code) => {
        print({ event: 'close', code });
        process.exit(code === 1000 ? 0 : 1);
    });
    ws.on('error', fail);
});
connect.on('error', fail);
connect.end();
