// Records real sessions of the protocols on top of WebSocket, for the decoder tests: each server
// of this folder is driven by a real client library through a tap (a WebSocket relay in this
// script that records every message both ways), and each protocol's messages are written to
// tests/decode/captured/<protocol>.jsonl:
//   {"source":"...","subprotocol":"...","connections":N}                 first line
//   {"sender":"client"|"server","binary":false|true,"hex":"..."}        one line per message, in order
// "hex" is the message's payload (after any permessage-deflate, which the tap turns off both ways).
// A file with several connections holds them one after the other, never interleaved.
// The client side of each session is a flow of client_flows.js (shared with the interop test's
// drive_client.js); this script adds the tap, the peers' start and stop, and the files.
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
const { flows, sleep, withTimeout } = require('./client_flows');

const PEERS = __dirname;
const outAt = process.argv.indexOf('--out');
const OUT = outAt > 0 ? path.resolve(process.argv[outAt + 1]) : path.join(__dirname, '..', 'captured');
const MODULES = path.join(__dirname, '..', '..', 'node_modules');

const version = (name) => JSON.parse(fs.readFileSync(path.join(MODULES, name, 'package.json'), 'utf8')).version;

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
        await withTimeout(run(`127.0.0.1:${tapPort}`), 60000, `the ${name} session`);
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

// ---------------------------------------------------------------------------------- MQTT 5
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

// ---------------------------------------------------------------------------------- main
const sessions = {
    socketio: () => capture('socketio', {
        peer: 'socketio_chat_server.js',
        args: ['--ping-interval', '300', '--ping-timeout', '200'],
        source: `server: npm socket.io ${version('socket.io')} (engine.io ${version('engine.io')}; socketio_chat_server.js --ping-interval 300 --ping-timeout 200), `
            + `path /socket.io/?EIO=4&transport=websocket; client: npm socket.io-client ${version('socket.io-client')} (websocket transport only); ${node}`,
        run: flows.socketio,
    }),
    'mqtt-3.1.1': () => capture('mqtt-3.1.1', {
        peer: 'mqtt_broker.js',
        source: `server: npm aedes ${version('aedes')} (mqtt_broker.js), path /mqtt; client: npm mqtt (MQTT.js) ${version('mqtt')}, protocolVersion 4; ${node}.`
            + ' MQTT.js in Node writes each piece of a packet as its own WebSocket message (one packet spread over several messages), aedes one message per packet',
        run: flows.mqtt311,
    }),
    'mqtt-5': () => capture('mqtt-5', {
        server: mqtt5Responder,
        source: `server: the MQTT 5 responder of capture_sessions.js, packets from npm mqtt-packet ${version('mqtt-packet')} (aedes ${version('aedes')} has no MQTT 5), `
            + `path /mqtt; client: npm mqtt (MQTT.js) ${version('mqtt')}, protocolVersion 5; ${node}.`
            + ' MQTT.js in Node writes each piece of a packet as its own WebSocket message (one packet spread over several messages), the responder one message per packet',
        run: flows.mqtt5,
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
        run: flows.stomp,
    }),
    'sockjs-stomp': () => capture('sockjs-stomp', {
        peer: 'sockjs_stomp_server.js',
        args: ['--heart-beat', '500,500'],
        source: `server: npm sockjs ${version('sockjs')} with the STOMP broker of sockjs_stomp_server.js (--heart-beat 500,500), `
            + `path /stomp/<server>/<session>/websocket; client: npm sockjs-client ${version('sockjs-client')} (websocket transport) `
            + `under npm @stomp/stompjs ${version('@stomp/stompjs')}; ${node}. Two connections: a full STOMP session (heart-beats `
            + '500 ms both ways, ACK, NACK, receipts, a transaction, DISCONNECT), then sockjs-client alone sending an unknown '
            + 'command: ERROR and SockJS\'s close frame (it starts at the second "o")',
        run: flows['sockjs-stomp'],
    }),
    'graphql-transport-ws': () => capture('graphql-transport-ws', {
        peer: 'graphql_server.js',
        source: `server: npm graphql-ws ${version('graphql-ws')} with graphql ${version('graphql')} (graphql_server.js), path /graphql; `
            + `client: npm graphql-ws ${version('graphql-ws')} createClient over npm ws ${version('ws')}, keepAlive 250 ms; ${node}. `
            + 'Ends with the failing subscription: its first next, then the server closes with 4500 "subscription failed"',
        run: flows['graphql-transport-ws'],
    }),
    'graphql-ws': () => capture('graphql-ws', {
        peer: 'graphql_server.js',
        args: ['--keep-alive', '300'],
        source: `server: npm subscriptions-transport-ws ${version('subscriptions-transport-ws')} with graphql ${version('graphql')} `
            + `(graphql_server.js --keep-alive 300), path /subscriptions; client: npm subscriptions-transport-ws ${version('subscriptions-transport-ws')} `
            + `SubscriptionClient over npm ws ${version('ws')}; ${node}`,
        run: flows['graphql-ws'],
    }),
    jsonrpc: () => capture('jsonrpc', {
        peer: 'jsonrpc_server.js',
        source: `server: jsonrpc_server.js over npm ws ${version('ws')}, path /rpc; client: npm ws ${version('ws')} sending hand-written JSON-RPC 2.0; ${node}`,
        run: flows.jsonrpc,
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
