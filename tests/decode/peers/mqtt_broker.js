// Independent MQTT broker over WebSocket: npm aedes (pinned in tests/package.json) behind npm ws.
// aedes 0.51.x speaks MQTT 3.1 (protocol level 3, subprotocol "mqttv3.1") and 3.1.1 (level 4,
// subprotocol "mqtt"); it does not speak MQTT 5 (aedes' README: "MQTT 5.0 (not support yet)"): a
// version 5 CONNECT is answered with a 3.1.1 CONNACK, return code 1 (unacceptable protocol
// version), and the connection is closed.
//
//   node mqtt_broker.js
//
// Any path (ws://127.0.0.1:PORT/mqtt is what clients usually use). The WebSocket subprotocol is
// "mqtt" or "mqttv3.1", whichever the client offered first; a client that offers neither is
// refused with HTTP 400.
//
// aedes takes any duplex stream (aedes.handle(stream, request), as with websocket-stream, which
// aedes' docs show). This one is the same shape over a current ws: one WebSocket binary message
// per stream write, and the writes of one MQTT packet (which mqtt-packet corks) coalesced through
// _writev into one message, as websocket-stream does.
//
// Prints "PORT <n>", then a JSON line per client event:
//   {"event":"client","id":"..."}  {"event":"clientDisconnect","id":"..."}  {"event":"clientError","id":"...","message":"..."}
//   {"event":"subscribe","id":"...","topics":[...]}  {"event":"publish","id":"...","topic":"...","qos":N}
'use strict';
const http = require('http');
const { Duplex } = require('stream');
const { WebSocketServer } = require('ws');
const aedes = require('aedes')();
const { announce, report, runUntilStopped } = require('./peer_lifecycle');

class WebSocketDuplex extends Duplex {
    constructor(ws) {
        super();
        this.ws = ws;
        ws.on('message', (data) => {
            if (!this.push(data))
                ws.pause();
        });
        ws.on('close', () => this.push(null));
        ws.on('error', (err) => this.destroy(err));
    }
    _read() {
        this.ws.resume();
    }
    _write(chunk, encoding, callback) {
        this.ws.send(chunk, { binary: true }, callback);
    }
    _writev(chunks, callback) {
        this.ws.send(Buffer.concat(chunks.map((c) => c.chunk)), { binary: true }, callback);
    }
    _final(callback) {
        this.ws.close();
        callback();
    }
    _destroy(err, callback) {
        this.ws.terminate();
        callback(err);
    }
}

const httpServer = http.createServer();
const wss = new WebSocketServer({
    server: httpServer,
    perMessageDeflate: false,
    handleProtocols: (protocols) => [...protocols].find((p) => p === 'mqtt' || p === 'mqttv3.1') || false,
    verifyClient: ({ req }) => /(^|,)\s*mqtt(v3\.1)?\s*(,|$)/.test(req.headers['sec-websocket-protocol'] || ''),
});
wss.on('connection', (ws, request) => aedes.handle(new WebSocketDuplex(ws), request));

aedes.on('client', (client) => report({ event: 'client', id: client.id }));
aedes.on('clientDisconnect', (client) => report({ event: 'clientDisconnect', id: client.id }));
aedes.on('clientError', (client, err) => report({ event: 'clientError', id: client && client.id, message: err.message }));
aedes.on('connectionError', (client, err) => report({ event: 'connectionError', message: err.message }));
aedes.on('subscribe', (subs, client) =>
    report({ event: 'subscribe', id: client && client.id, topics: subs.map((s) => ({ topic: s.topic, qos: s.qos })) }));
aedes.on('publish', (packet, client) => {
    if (client)
        report({ event: 'publish', id: client.id, topic: packet.topic, qos: packet.qos });
});

httpServer.listen(0, '127.0.0.1', () => announce(httpServer.address().port));
runUntilStopped(() => new Promise((resolve) => {
    for (const ws of wss.clients)
        ws.terminate();
    aedes.close(() => httpServer.close(() => resolve()));
}));
