// Records real sessions of the protocols on top of WebSocket, for the decoder tests: each server
// of this folder is driven by a real client library through a tap (a WebSocket relay in this
// script that records every message both ways), and each protocol's messages are written to
// tests/decode/captured/<protocol>.jsonl:
//   {"source":"...","subprotocol":"...","connections":N}                 first line
//   {"sender":"client"|"server","binary":false|true,"hex":"..."}        one line per message, in order
// "hex" is the message's payload (after any permessage-deflate, which the tap turns off both ways).
// A file with several connections holds them one after the other, never interleaved.
//
//   node capture_sessions.js [--out DIR] [PROTOCOL...]   (default: all, into tests/decode/captured;
//                                                       run by hand, never by the tests)
//
// Protocols: socketio, mqtt-3.1.1, mqtt-5, stomp (RabbitMQ Web-STOMP; needs rabbitmq-server),
// sockjs-stomp, graphql-transport-ws, graphql-ws (the legacy subscriptions-transport-ws), jsonrpc.
//
// mqtt-5: aedes does not speak MQTT 5, and no maintained MQTT 5 broker over WebSocket runs on
// Node 18 from npm or Debian 12; that session's server side is a small MQTT 5 responder in this
// script that serialises every packet with npm mqtt-packet (the library aedes and MQTT.js use), so
// its client side is MQTT.js's real v5 traffic and its server side real mqtt-packet v5 encoding.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { spawn } = require('child_process');
const { once } = require('events');
const WebSocket = require('ws');

const PEERS = __dirname;
const outAt = process.argv.indexOf('--out');
const OUT = outAt > 0 ? path.resolve(process.argv[outAt + 1]) : path.join(__dirname, '..', 'captured');
const MODULES = path.join(__dirname, '..', '..', 'node_modules');

const version = (name) => JSON.parse(fs.readFileSync(path.join(MODULES, name, 'package.json'), 'utf8')).version;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([
        promise.finally(() => clearTimeout(timer)),
        new Promise((resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
        }),
    ]);
}

// Starts a peer of this folder; resolves once it printed "PORT <n>".
function startPeer(script, args = []) {
    const child = spawn(process.execPath, [path.join(PEERS, script), ...args], {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, NODE_PATH: '/usr/share/nodejs' },
    });
    const lines = [];
    let buffer = '';
    return withTimeout(new Promise((resolve, reject) => {
        child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before announcing its port`)));
        child.stdout.on('data', (data) => {
            buffer += data;
            let at;
            while ((at = buffer.indexOf('\n')) >= 0) {
                const line = buffer.slice(0, at);
                buffer = buffer.slice(at + 1);
                lines.push(line);
                if (line.startsWith('PORT ')) {
                    resolve({
                        port: Number(line.slice(5)),
                        lines,
                        stop: () => {
                            const exited = once(child, 'exit');
                            child.stdin.end();
                            return withTimeout(exited, 20000, `${script} to stop`);
                        },
                    });
                }
            }
        });
    }), 60000, `${script} to start`);
}

// The tap: a relay on 127.0.0.1 that forwards WebSocket upgrades to the target (same path, same
// offered subprotocols, the one the target chose answered back) and records every message; plain
// HTTP requests (SockJS's /info) are forwarded unrecorded.
class Tap {
    constructor(targetPort) {
        this.targetPort = targetPort;
        this.records = [];
        this.connections = 0;
        this.subprotocols = new Set();
        this.open = new Set();
        this.server = http.createServer((req, res) => {
            const upstream = http.request({ host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers },
                (answer) => {
                    res.writeHead(answer.statusCode, answer.headers);
                    answer.pipe(res);
                });
            upstream.on('error', () => res.destroy());
            req.pipe(upstream);
        });
        this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    }

    async start() {
        this.server.listen(0, '127.0.0.1');
        await once(this.server, 'listening');
        return this.server.address().port;
    }

    record(sender, data, isBinary) {
        this.records.push({ sender, binary: isBinary, hex: Buffer.from(data).toString('hex') });
    }

    upgrade(req, socket, head) {
        const offered = (req.headers['sec-websocket-protocol'] || '').split(',').map((p) => p.trim()).filter(Boolean);
        const headers = {};
        for (const name of ['authorization', 'cookie', 'origin', 'user-agent'])
            if (req.headers[name])
                headers[name] = req.headers[name];
        const upstream = new WebSocket(`ws://127.0.0.1:${this.targetPort}${req.url}`, offered, { perMessageDeflate: false, headers });
        upstream.on('unexpected-response', (request, response) => {
            socket.end(`HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
            request.destroy();
        });
        upstream.on('error', () => socket.destroy());
        upstream.on('open', () => {
            const wss = new WebSocket.Server({ noServer: true, perMessageDeflate: false, handleProtocols: () => upstream.protocol || false });
            wss.handleUpgrade(req, socket, head, (client) => {
                ++this.connections;
                if (upstream.protocol)
                    this.subprotocols.add(upstream.protocol);
                this.open.add(client);
                client.on('message', (data, isBinary) => {
                    this.record('client', data, isBinary);
                    upstream.send(data, { binary: isBinary });
                });
                upstream.on('message', (data, isBinary) => {
                    this.record('server', data, isBinary);
                    client.send(data, { binary: isBinary });
                });
                const relayClose = (to) => (code, reason) => {
                    if (to.readyState === WebSocket.OPEN)
                        code >= 1000 && code !== 1005 && code !== 1006 ? to.close(code, reason) : to.close();
                };
                client.on('close', relayClose(upstream));
                upstream.on('close', relayClose(client));
                client.on('close', () => this.open.delete(client));
                client.on('error', () => upstream.terminate());
                upstream.on('error', () => client.terminate());
            });
        });
    }

    // Resolves once every relayed connection has closed.
    async drained(ms = 5000) {
        const deadline = Date.now() + ms;
        while (this.open.size > 0 && Date.now() < deadline)
            await sleep(20);
    }

    close() {
        for (const client of this.open)
            client.terminate();
        this.server.close();
    }
}

function writeCapture(name, source, tap) {
    fs.mkdirSync(OUT, { recursive: true });
    const header = { source, subprotocol: [...tap.subprotocols].join(',') || null, connections: tap.connections };
    const lines = [JSON.stringify(header), ...tap.records.map((r) => JSON.stringify(r))];
    fs.writeFileSync(path.join(OUT, `${name}.jsonl`), lines.join('\n') + '\n');
    const size = fs.statSync(path.join(OUT, `${name}.jsonl`)).size;
    console.log(`${name}.jsonl: ${tap.records.length} messages, ${tap.connections} connection(s), ${size} bytes`);
}

// Runs one session: starts the peer (or `server`), a tap in front of it, the client; writes the file.
async function capture(name, { peer, args, server, source, run }) {
    const target = server ? await server() : await startPeer(peer, args);
    const tap = new Tap(target.port);
    const tapPort = await tap.start();
    try {
        await withTimeout(run(tapPort, target), 60000, `the ${name} session`);
        await tap.drained();
    } catch (err) {
        console.error(`${name}: the peer printed:\n${(target.lines || []).join('\n')}`);
        throw err;
    } finally {
        tap.close();
        await target.stop();
    }
    writeCapture(name, typeof source === 'function' ? source(target) : source, tap);
}

const node = `Node.js ${process.version}`;

// ---------------------------------------------------------------------------------- Socket.IO
async function socketio(tapPort) {
    const { Manager } = require('socket.io-client');
    const manager = new Manager(`http://127.0.0.1:${tapPort}`, { transports: ['websocket'], reconnection: false });
    const socket = manager.socket('/');
    await withTimeout(once(socket, 'connect'), 5000, 'connect');
    socket.emit('chat message', 'hello from socket.io-client'); // EVENT, broadcast back
    await once(socket, 'chat message');
    await socket.timeout(5000).emitWithAck('ping with ack'); // EVENT with id, ACK
    await socket.timeout(5000).emitWithAck('echo', 1, 'two', { three: [3] }, null);
    socket.emit('binary please', 4); // BINARY_EVENT with two attachments back
    await once(socket, 'binary');
    socket.emit('binary echo', Buffer.from([0x01, 0x02, 0x03]), { nested: Buffer.from('hi') }); // client BINARY_EVENT
    await once(socket, 'binary echo');
    await socket.timeout(5000).emitWithAck('binary ack', Buffer.from([0xde, 0xad, 0xbe, 0xef])); // BINARY_ACK back
    socket.on('question', (question, answer) => answer(`answer to ${question}`)); // server asks, client ACKs
    socket.emit('ask me', 'meaning?');
    await once(socket, 'answered');

    const admin = manager.socket('/admin', { auth: { token: 'wrong' } }); // CONNECT with auth, CONNECT_ERROR
    await withTimeout(once(admin, 'connect_error'), 5000, 'connect_error');
    admin.auth = { token: 'secret' };
    admin.connect();
    await withTimeout(once(admin, 'connect'), 5000, 'admin connect');
    await admin.timeout(5000).emitWithAck('stats');
    admin.disconnect(); // DISCONNECT of /admin

    await sleep(700); // Engine.IO pings (every 300 ms) and pongs
    socket.emit('disconnect me'); // the server's DISCONNECT; the client then closes the connection
    await withTimeout(once(socket, 'disconnect'), 5000, 'disconnect');
}

// ---------------------------------------------------------------------------------- MQTT
async function mqtt311(tapPort) {
    const mqtt = require('mqtt');
    const client = mqtt.connect(`ws://127.0.0.1:${tapPort}/mqtt`, {
        protocolVersion: 4,
        clientId: 'wsi-capture-311',
        username: 'user',
        password: 'secret',
        keepalive: 1,
        clean: true,
        reconnectPeriod: 0,
        will: { topic: 'wsi/will', payload: Buffer.from('gone'), qos: 1, retain: false },
    });
    await withTimeout(once(client, 'connect'), 5000, 'connect');
    const received = [];
    client.on('message', (topic, payload, packet) => received.push(packet));
    const until = async (count) => {
        const deadline = Date.now() + 5000;
        while (received.length < count && Date.now() < deadline)
            await sleep(10);
    };
    await client.subscribeAsync({ 'wsi/qos0': { qos: 0 }, 'wsi/qos1': { qos: 1 }, 'wsi/qos2': { qos: 2 }, 'wsi/+/wild': { qos: 1 } });
    await client.publishAsync('wsi/qos0', 'at most once', { qos: 0 });
    await until(1);
    await client.publishAsync('wsi/qos1', 'at least once', { qos: 1 });
    await until(2);
    await client.publishAsync('wsi/qos2', 'exactly once', { qos: 2 });
    await until(3);
    await client.publishAsync('wsi/x/wild', Buffer.from([0x00, 0xff, 0x80, 0x7f]), { qos: 1 }); // binary payload
    await until(4);
    await client.publishAsync('wsi/retained', 'kept', { qos: 1, retain: true });
    await client.subscribeAsync('wsi/retained', { qos: 1 }); // the retained message comes back
    await until(5);
    await client.unsubscribeAsync(['wsi/qos0', 'wsi/retained']);
    await client.publishAsync('wsi/retained', '', { qos: 0, retain: true }); // clears the retained message
    await sleep(1600); // PINGREQ / PINGRESP (keepalive 1 s)
    await client.endAsync(); // DISCONNECT
}

// The MQTT 5 responder (see the top of this file): one client at a time, what a broker does for
// the packets MQTT.js sends, every packet from mqtt-packet's generate() in its own binary message.
function mqtt5Responder() {
    const mqttPacket = require('mqtt-packet');
    const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: false, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
    wss.on('connection', (ws) => {
        const parser = mqttPacket.parser({ protocolVersion: 5 });
        const send = (packet) => ws.send(mqttPacket.generate(packet, { protocolVersion: 5 }));
        const subscriptions = new Map(); // filter -> { qos, id }
        let nextId = 1;
        const matches = (filter, topic) => {
            const f = filter.split('/');
            const t = topic.split('/');
            for (let i = 0; i < f.length; ++i) {
                if (f[i] === '#')
                    return true;
                if (i >= t.length || (f[i] !== '+' && f[i] !== t[i]))
                    return false;
            }
            return f.length === t.length;
        };
        const deliver = (packet) => {
            for (const [filter, sub] of subscriptions) {
                if (!matches(filter, packet.topic))
                    continue;
                const qos = Math.min(sub.qos, packet.qos);
                const properties = { ...(packet.properties || {}) };
                delete properties.topicAlias;
                if (sub.id)
                    properties.subscriptionIdentifier = sub.id;
                send({ cmd: 'publish', topic: packet.topic, payload: packet.payload, qos, retain: false, dup: false,
                    messageId: qos > 0 ? nextId++ : undefined, properties });
            }
        };
        const aliases = new Map();
        parser.on('packet', (packet) => {
            switch (packet.cmd) {
            case 'connect':
                send({ cmd: 'connack', sessionPresent: false, reasonCode: 0,
                    properties: { receiveMaximum: 20, topicAliasMaximum: 10, maximumQoS: 2, retainAvailable: true,
                        wildcardSubscriptionAvailable: true, subscriptionIdentifiersAvailable: true,
                        sharedSubscriptionAvailable: false, userProperties: { server: 'wsi-capture-mqtt5' } } });
                break;
            case 'subscribe': {
                const id = packet.properties && packet.properties.subscriptionIdentifier;
                for (const s of packet.subscriptions)
                    subscriptions.set(s.topic, { qos: s.qos, id });
                send({ cmd: 'suback', messageId: packet.messageId, granted: packet.subscriptions.map((s) => s.qos),
                    properties: { reasonString: 'subscribed' } });
                break;
            }
            case 'unsubscribe':
                send({ cmd: 'unsuback', messageId: packet.messageId,
                    granted: packet.unsubscriptions.map((t) => (subscriptions.delete(t) ? 0 : 17)) });
                break;
            case 'publish': {
                const alias = packet.properties && packet.properties.topicAlias;
                if (alias && packet.topic)
                    aliases.set(alias, packet.topic);
                else if (alias)
                    packet.topic = aliases.get(alias);
                const matched = [...subscriptions.keys()].some((f) => matches(f, packet.topic));
                if (packet.qos === 1)
                    send({ cmd: 'puback', messageId: packet.messageId, reasonCode: matched ? 0 : 16 });
                else if (packet.qos === 2)
                    send({ cmd: 'pubrec', messageId: packet.messageId, reasonCode: matched ? 0 : 16 });
                deliver(packet);
                break;
            }
            case 'pubrel':
                send({ cmd: 'pubcomp', messageId: packet.messageId, reasonCode: 0 });
                break;
            case 'pubrec':
                send({ cmd: 'pubrel', messageId: packet.messageId, reasonCode: 0 });
                break;
            case 'pingreq':
                send({ cmd: 'pingresp' });
                break;
            case 'disconnect':
                ws.close();
                break;
            default:
                break;
            }
        });
        ws.on('message', (data) => parser.parse(data));
    });
    return once(wss, 'listening').then(() => ({
        port: wss.address().port,
        stop: () => new Promise((resolve) => {
            for (const ws of wss.clients)
                ws.terminate();
            wss.close(() => resolve());
        }),
    }));
}

async function mqtt5(tapPort) {
    const mqtt = require('mqtt');
    const client = mqtt.connect(`ws://127.0.0.1:${tapPort}/mqtt`, {
        protocolVersion: 5,
        clientId: 'wsi-capture-5',
        keepalive: 1,
        clean: true,
        reconnectPeriod: 0,
        properties: { sessionExpiryInterval: 60, receiveMaximum: 10, maximumPacketSize: 65536, topicAliasMaximum: 5,
            requestResponseInformation: true, userProperties: { client: 'mqtt.js' } },
        will: { topic: 'wsi/will', payload: Buffer.from('gone'), qos: 1, properties: { willDelayInterval: 5, contentType: 'text/plain' } },
    });
    await withTimeout(once(client, 'connect'), 5000, 'connect');
    const received = [];
    client.on('message', (topic, payload, packet) => received.push(packet));
    const until = async (count) => {
        const deadline = Date.now() + 5000;
        while (received.length < count && Date.now() < deadline)
            await sleep(10);
    };
    await client.subscribeAsync({ 'wsi/v5/#': { qos: 2, nl: false, rap: true, rh: 1 } }, { properties: { subscriptionIdentifier: 7, userProperties: { why: 'capture' } } });
    await client.publishAsync('wsi/v5/q0', 'zero', { qos: 0 });
    await until(1);
    await client.publishAsync('wsi/v5/q1', '{"n":1}', { qos: 1, properties: { payloadFormatIndicator: true, contentType: 'application/json',
        messageExpiryInterval: 30, responseTopic: 'wsi/v5/replies', correlationData: Buffer.from([0x01, 0x02]), userProperties: { a: '1' } } });
    await until(2);
    await client.publishAsync('wsi/v5/q2', Buffer.from([0x00, 0xff]), { qos: 2, properties: { topicAlias: 1 } });
    await until(3);
    await client.publishAsync('', 'by alias', { qos: 1, properties: { topicAlias: 1 } }); // topic by alias only
    await until(4);
    await client.publishAsync('wsi/nobody', 'unheard', { qos: 1 }); // PUBACK reason 16: no matching subscribers
    await client.unsubscribeAsync(['wsi/v5/#', 'wsi/never'], { properties: { userProperties: { bye: 'now' } } });
    await sleep(1600); // PINGREQ / PINGRESP
    await client.endAsync(false, { reasonCode: 0, properties: { sessionExpiryInterval: 0, reasonString: 'capture done' } });
}

// ---------------------------------------------------------------------------------- STOMP
function stompClient(webSocketFactory, options = {}) {
    const { Client } = require('@stomp/stompjs');
    return new Client({ webSocketFactory, reconnectDelay: 0, debug: () => {}, ...options });
}

async function stompSession(client, destinations) {
    const connected = new Promise((resolve) => {
        client.onConnect = resolve;
    });
    client.activate();
    await withTimeout(connected, 10000, 'STOMP connect');
    const received = [];
    const sub1 = client.subscribe(destinations.topic, (message) => {
        received.push(message);
        if (received.length === 1)
            message.ack(); // ACK
        else if (received.length === 2)
            message.nack(); // NACK
        else
            message.ack();
    }, { ack: 'client-individual' });
    const sub2 = client.subscribe(destinations.queue, (message) => received.push(message), { ack: 'auto' });
    const until = async (count) => {
        const deadline = Date.now() + 5000;
        while (received.length < count && Date.now() < deadline)
            await sleep(10);
    };
    const receipt = new Promise((resolve) => client.watchForReceipt('receipt-1', resolve));
    client.publish({ destination: destinations.topic, body: 'hello STOMP', headers: { receipt: 'receipt-1', 'content-type': 'text/plain' } });
    await withTimeout(receipt, 5000, 'RECEIPT');
    await until(1);
    client.publish({ destination: destinations.topic, body: 'line one\nline two: with colon' });
    await until(2);
    if (destinations.binary) // a binary WebSocket message with a NUL in the body; SockJS carries text only
        client.publish({ destination: destinations.queue, binaryBody: new Uint8Array([0x48, 0x00, 0x49]), headers: { 'content-type': 'application/octet-stream' } });
    else
        client.publish({ destination: destinations.queue, body: 'to the queue', headers: { 'content-type': 'text/plain;charset=utf-8' } });
    await until(3);
    const tx = client.begin('tx-1');
    client.publish({ destination: destinations.topic, body: 'in a transaction', headers: { transaction: tx.id } });
    tx.commit();
    await until(4);
    await sleep(1300); // heart-beats both ways (RabbitMQ asks for 1000 ms)
    sub1.unsubscribe();
    sub2.unsubscribe();
    await client.deactivate(); // DISCONNECT with a receipt, then the close
}

async function stompRabbit(tapPort) {
    const url = `ws://127.0.0.1:${tapPort}/ws`;
    const protocols = ['v12.stomp', 'v11.stomp', 'v10.stomp'];
    await stompSession(stompClient(() => new WebSocket(url, protocols), {
        connectHeaders: { login: 'guest', passcode: 'guest', host: '/' },
        heartbeatIncoming: 200,
        heartbeatOutgoing: 200,
    }), { topic: '/topic/wsi', queue: '/queue/wsi-capture', binary: true });
    // A second connection, for an ERROR frame: RabbitMQ refuses an unknown destination type.
    const failing = stompClient(() => new WebSocket(url, protocols), {
        connectHeaders: { login: 'guest', passcode: 'guest', host: '/' }, heartbeatIncoming: 0, heartbeatOutgoing: 0,
    });
    const error = new Promise((resolve) => {
        failing.onStompError = resolve;
    });
    failing.onConnect = () => failing.subscribe('/nowhere/at-all', () => {}, { receipt: 'receipt-bad' });
    failing.activate();
    await withTimeout(error, 10000, 'STOMP ERROR');
    await failing.deactivate();
}

async function sockjsStomp(tapPort) {
    const SockJS = require('sockjs-client');
    const url = `http://127.0.0.1:${tapPort}/stomp`;
    await stompSession(stompClient(() => new SockJS(url, null, { transports: ['websocket'] }), {
        heartbeatIncoming: 500,
        heartbeatOutgoing: 500,
    }), { topic: '/topic/wsi', queue: '/queue/wsi' });
    // A second connection, SockJS alone, for an ERROR frame and SockJS's close frame: an unknown command.
    const sock = new SockJS(url, null, { transports: ['websocket'] });
    sock.onopen = () => {
        sock.send('CONNECT\naccept-version:1.1,1.2\nhost:localhost\n\n\0');
        sock.send('BOGUS\nreceipt:r-bogus\n\n\0');
    };
    await withTimeout(new Promise((resolve) => {
        sock.onclose = resolve;
    }), 5000, 'the SockJS close');
}

// ---------------------------------------------------------------------------------- GraphQL
function collect(subscribe) {
    return new Promise((resolve) => {
        const events = [];
        subscribe({
            next: (value) => events.push({ next: value }),
            error: (error) => resolve(events.concat({ error })),
            complete: () => resolve(events.concat({ complete: true })),
        });
    });
}

async function graphqlTransportWs(tapPort) {
    const { createClient } = require('graphql-ws');
    const client = createClient({
        url: `ws://127.0.0.1:${tapPort}/graphql`,
        webSocketImpl: WebSocket,
        lazy: false,
        keepAlive: 250, // the client pings, the server pongs
        retryAttempts: 0,
        connectionParams: { token: 'capture' },
        onNonLazyError: () => {}, // the 4500 close at the end
    });
    const run = (payload) => collect((sink) => client.subscribe(payload, sink));
    await run({ query: 'query Hello($name: String) { hello(name: $name) }', variables: { name: 'capture' }, operationName: 'Hello' });
    await run({ query: '{ boom }' }); // a result with errors
    await run({ query: 'subscription { countdown(from: 3) }' });
    await run({ query: '{ nope }' }); // a validation error: an "error" message
    await new Promise((resolve) => { // the client completes a running subscription
        const dispose = client.subscribe({ query: 'subscription { countdown(from: 100, delayMs: 30) }' }, {
            next: () => {
                dispose();
                resolve();
            },
            error: resolve,
            complete: resolve,
        });
    });
    await sleep(600); // pings and pongs
    // Last, as it ends the connection: an error thrown by a subscription's source stream is, for
    // graphql-ws 5, an internal error: the server closes with 4500 and the error's message.
    await run({ query: 'subscription { failing }' });
    await client.dispose();
}

async function graphqlLegacy(tapPort) {
    const { SubscriptionClient } = require('subscriptions-transport-ws');
    const client = new SubscriptionClient(`ws://127.0.0.1:${tapPort}/subscriptions`, {
        reconnect: false,
        lazy: false,
        connectionParams: { token: 'capture' },
    }, WebSocket);
    await withTimeout(new Promise((resolve) => client.onConnected(resolve)), 5000, 'connection_ack');
    const run = (request) => collect((sink) => client.request(request).subscribe(sink));
    await run({ query: 'query Hello($name: String) { hello(name: $name) }', variables: { name: 'capture' }, operationName: 'Hello' });
    await run({ query: '{ boom }' });
    await run({ query: 'subscription { countdown(from: 2) }' });
    await run({ query: 'subscription { failing }' });
    await run({ query: '{ nope }' });
    await new Promise((resolve) => { // the client stops a running subscription
        const subscription = client.request({ query: 'subscription { countdown(from: 100, delayMs: 30) }' }).subscribe({
            next: () => {
                subscription.unsubscribe();
                resolve();
            },
            error: resolve,
            complete: resolve,
        });
    });
    await sleep(700); // "ka" keep-alives every 300 ms
    client.close(); // connection_terminate, then the close
    await sleep(100);
}

// ---------------------------------------------------------------------------------- JSON-RPC
async function jsonrpc(tapPort) {
    const ws = new WebSocket(`ws://127.0.0.1:${tapPort}/rpc`, ['jsonrpc-2.0']);
    await withTimeout(once(ws, 'open'), 5000, 'open');
    const inbox = [];
    ws.on('message', (data) => inbox.push(data.toString()));
    const expect = async (count) => {
        const deadline = Date.now() + 5000;
        while (inbox.length < count && Date.now() < deadline)
            await sleep(5);
        return inbox.splice(0, count);
    };
    const exchange = async (text, answers = 1) => {
        ws.send(text);
        return expect(answers);
    };
    await exchange('{"jsonrpc":"2.0","method":"add","params":[2,3],"id":1}');
    await exchange('{"jsonrpc":"2.0","method":"add","params":{"a":1.5,"b":2},"id":"two"}');
    await exchange('{"jsonrpc":"2.0","method":"echo","params":{"text":"héllo ✓","list":[1,null,true]},"id":3}');
    await exchange('{"jsonrpc":"2.0","method":"notify","params":["from the client"]}'); // notification; the server notifies back
    await exchange('{"jsonrpc":"2.0","method":"nosuch","id":4}'); // -32601
    await exchange('{"jsonrpc":"2.0","method":"add","params":["x",1],"id":5}'); // -32602
    await exchange('{"jsonrpc":"2.0","method":"fail","params":{"why":"asked to"},"id":6}'); // -32000
    await exchange('{"jsonrpc":"2.0","method":"add",'); // -32700
    await exchange('{"jsonrpc":"1.0","method":1,"id":7}'); // -32600
    await exchange('[{"jsonrpc":"2.0","method":"add","params":[1,1],"id":8},{"jsonrpc":"2.0","method":"log","params":["ignored"]},1,'
        + '{"jsonrpc":"2.0","method":"echo","params":["batched"],"id":9}]'); // a batch: one array back
    ws.send('[{"jsonrpc":"2.0","method":"log","params":[1]},{"jsonrpc":"2.0","method":"log","params":[2]}]'); // notifications only: nothing back
    await exchange('[]'); // -32600
    await exchange('{"jsonrpc":"2.0","method":"subscribe","id":10}', 3); // the result, then two notifications
    ws.close(1000, 'done');
    await once(ws, 'close');
}

// ---------------------------------------------------------------------------------- main
const sessions = {
    socketio: () => capture('socketio', {
        peer: 'socketio_chat_server.js',
        args: ['--ping-interval', '300', '--ping-timeout', '200'],
        source: `server: npm socket.io ${version('socket.io')} (engine.io ${version('engine.io')}; socketio_chat_server.js --ping-interval 300 --ping-timeout 200), `
            + `path /socket.io/?EIO=4&transport=websocket; client: npm socket.io-client ${version('socket.io-client')} (websocket transport only); ${node}`,
        run: socketio,
    }),
    'mqtt-3.1.1': () => capture('mqtt-3.1.1', {
        peer: 'mqtt_broker.js',
        source: `server: npm aedes ${version('aedes')} (mqtt_broker.js), path /mqtt; client: npm mqtt (MQTT.js) ${version('mqtt')}, protocolVersion 4; ${node}.`
            + ' MQTT.js in Node writes each piece of a packet as its own WebSocket message (one packet spread over several messages), aedes one message per packet',
        run: mqtt311,
    }),
    'mqtt-5': () => capture('mqtt-5', {
        server: mqtt5Responder,
        source: `server: the MQTT 5 responder of capture_sessions.js, packets from npm mqtt-packet ${version('mqtt-packet')} (aedes ${version('aedes')} has no MQTT 5), `
            + `path /mqtt; client: npm mqtt (MQTT.js) ${version('mqtt')}, protocolVersion 5; ${node}.`
            + ' MQTT.js in Node writes each piece of a packet as its own WebSocket message (one packet spread over several messages), the responder one message per packet',
        run: mqtt5,
    }),
    stomp: () => capture('stomp', {
        peer: 'stomp_broker.js',
        source: (peer) => {
            const ready = peer.lines.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).find((o) => o.event === 'ready') || {};
            return `server: Debian rabbitmq-server ${ready.rabbitmq} with rabbitmq_web_stomp (stomp_broker.js), path /ws; `
                + `client: npm @stomp/stompjs ${version('@stomp/stompjs')} over npm ws ${version('ws')}; ${node}. Two connections: `
                + 'a full session (heart-beats: the client asks 200 ms, RabbitMQ answers 1000 ms; ACK, NACK and the redelivery, receipts, '
                + 'a transaction, a binary SEND with a NUL in its body, DISCONNECT, which RabbitMQ answers by closing without a RECEIPT), '
                + 'then one that gets an ERROR (it starts at the second CONNECT)';
        },
        run: stompRabbit,
    }),
    'sockjs-stomp': () => capture('sockjs-stomp', {
        peer: 'sockjs_stomp_server.js',
        args: ['--heart-beat', '500,500'],
        source: `server: npm sockjs ${version('sockjs')} with the STOMP broker of sockjs_stomp_server.js (--heart-beat 500,500), `
            + `path /stomp/<server>/<session>/websocket; client: npm sockjs-client ${version('sockjs-client')} (websocket transport) `
            + `under npm @stomp/stompjs ${version('@stomp/stompjs')}; ${node}. Two connections: a full STOMP session (heart-beats `
            + '500 ms both ways, ACK, NACK, receipts, a transaction, DISCONNECT), then sockjs-client alone sending an unknown '
            + 'command: ERROR and SockJS\'s close frame (it starts at the second "o")',
        run: sockjsStomp,
    }),
    'graphql-transport-ws': () => capture('graphql-transport-ws', {
        peer: 'graphql_server.js',
        source: `server: npm graphql-ws ${version('graphql-ws')} with graphql ${version('graphql')} (graphql_server.js), path /graphql; `
            + `client: npm graphql-ws ${version('graphql-ws')} createClient over npm ws ${version('ws')}, keepAlive 250 ms; ${node}. `
            + 'Ends with the failing subscription: its first next, then the server closes with 4500 "subscription failed"',
        run: graphqlTransportWs,
    }),
    'graphql-ws': () => capture('graphql-ws', {
        peer: 'graphql_server.js',
        args: ['--keep-alive', '300'],
        source: `server: npm subscriptions-transport-ws ${version('subscriptions-transport-ws')} with graphql ${version('graphql')} `
            + `(graphql_server.js --keep-alive 300), path /subscriptions; client: npm subscriptions-transport-ws ${version('subscriptions-transport-ws')} `
            + `SubscriptionClient over npm ws ${version('ws')}; ${node}`,
        run: graphqlLegacy,
    }),
    jsonrpc: () => capture('jsonrpc', {
        peer: 'jsonrpc_server.js',
        source: `server: jsonrpc_server.js over npm ws ${version('ws')}, path /rpc; client: npm ws ${version('ws')} sending hand-written JSON-RPC 2.0; ${node}`,
        run: jsonrpc,
    }),
};

async function main() {
    const wanted = process.argv.slice(2).filter((arg, i, all) => arg !== '--out' && all[i - 1] !== '--out');
    for (const name of wanted)
        if (!sessions[name])
            throw new Error(`unknown protocol ${name}; known: ${Object.keys(sessions).join(' ')}`);
    for (const name of wanted.length > 0 ? wanted : Object.keys(sessions))
        await sessions[name]();
}

main().then(() => process.exit(0), (err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
});
