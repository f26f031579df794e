// The client side of the sessions in tests/decode/captured and of the protocols' interop test
// (tests/interop/tst_protocolsinterop.cpp): each flow drives one server of this folder with the
// real client library, through whatever stands at ADDRESS ("127.0.0.1:PORT": capture_sessions.js's
// tap, the inspector's relay, or the server itself), and exercises the protocol's packet types with
// their request/answer pairs (acks, receipts, packet ids, operation ids, JSON-RPC ids). A flow
// resolves once its session is over (its connections closed or closing), and rejects on a timeout.
//
//   const { flows } = require('./client_flows');
//   await flows.mqtt311('127.0.0.1:1883');
//
// flow                  server (this folder)                          client                          path
// socketio              socketio_chat_server.js (captured with        socket.io-client                /socket.io/
//                         --ping-interval 300 --ping-timeout 200)
// mqtt311               mqtt_broker.js                                MQTT.js, protocolVersion 4      /mqtt
// mqtt5                 capture_sessions.js's MQTT 5 responder        MQTT.js, protocolVersion 5      /mqtt
// stomp                 stomp_broker.js (RabbitMQ Web-STOMP)          @stomp/stompjs over ws          /ws
// sockjs-stomp          sockjs_stomp_server.js --heart-beat 500,500   sockjs-client, @stomp/stompjs   /stomp/info, then
//                                                                                                     /stomp/<s>/<id>/websocket
// graphql-transport-ws  graphql_server.js                             graphql-ws createClient         /graphql
// graphql-ws            graphql_server.js --keep-alive 300            subscriptions-transport-ws      /subscriptions
// jsonrpc               jsonrpc_server.js                             ws, hand-written JSON-RPC 2.0   /rpc
//
// Some messages are wrong on purpose, to get the server's error answers: jsonrpc sends a parse
// error, a JSON-RPC 1.0 call, a batch with a non-object item and an empty batch; sockjs-stomp's
// second connection sends an unknown STOMP command. Some requests get no answer from the server:
// RabbitMQ closes after a DISCONNECT without the RECEIPT asked for, graphql-ws 5 closes with 4500
// on the failing subscription, and graphql-transport-ws's client completes a subscription itself.
'use strict';
const { once } = require('events');
const WebSocket = require('ws');

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

// ---------------------------------------------------------------------------------- Socket.IO
async function socketio(address) {
    const { Manager } = require('socket.io-client');
    const manager = new Manager(`http://${address}`, { transports: ['websocket'], reconnection: false });
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
async function mqtt311(address) {
    const mqtt = require('mqtt');
    const client = mqtt.connect(`ws://${address}/mqtt`, {
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

// MQTT 5: no broker peer speaks it; capture_sessions.js runs this against its own responder.
async function mqtt5(address) {
    const mqtt = require('mqtt');
    const client = mqtt.connect(`ws://${address}/mqtt`, {
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

async function stompRabbit(address) {
    const url = `ws://${address}/ws`;
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

async function sockjsStomp(address) {
    const SockJS = require('sockjs-client');
    const url = `http://${address}/stomp`;
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

async function graphqlTransportWs(address) {
    const { createClient } = require('graphql-ws');
    const client = createClient({
        url: `ws://${address}/graphql`,
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

async function graphqlLegacy(address) {
    const { SubscriptionClient } = require('subscriptions-transport-ws');
    const client = new SubscriptionClient(`ws://${address}/subscriptions`, {
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
async function jsonrpc(address) {
    const ws = new WebSocket(`ws://${address}/rpc`, ['jsonrpc-2.0']);
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

const flows = {
    socketio,
    mqtt311,
    mqtt5,
    stomp: stompRabbit,
    'sockjs-stomp': sockjsStomp,
    'graphql-transport-ws': graphqlTransportWs,
    'graphql-ws': graphqlLegacy,
    jsonrpc,
};

module.exports = { flows, sleep, withTimeout };
