// STOMP inside SockJS: npm sockjs (the SockJS-node server, pinned in tests/package.json) with the
// prefix /stomp, and a minimal STOMP 1.0/1.1/1.2 broker written here for it (no maintained npm
// STOMP broker sits behind sockjs correctly: stomp-broker-js 1.3.0, the one that can, always
// answers version 1.1, never sends a RECEIPT for a SEND, ignores ACK, NACK and unknown commands and
// never delivers to the sender; see tests/decode/peers/README.md).
//
//   node sockjs_stomp_server.js [--heart-beat SX,SY] [--sockjs-heartbeat MS]
//
// SockJS endpoints: http://127.0.0.1:PORT/stomp/info, the websocket transport
// ws://127.0.0.1:PORT/stomp/<server>/<session>/websocket (SockJS framing: "o", "h", a[...],
// c[code,"reason"]), the raw endpoint ws://127.0.0.1:PORT/stomp/websocket (no SockJS framing), and
// SockJS's HTTP transports (xhr-streaming, xhr-polling, eventsource, ...).
// --heart-beat: what the broker offers in CONNECTED's heart-beat negotiation (default 0,0);
// --sockjs-heartbeat: SockJS's own heartbeat interval (default sockjs' 25000 ms): an "h" frame on
// the HTTP transports; on the websocket transport sockjs 0.3.24 sends a WebSocket ping instead
// (and closes with c[3000,"No response from heartbeat"] if no pong comes within 10 s).
//
// The broker: CONNECT or STOMP -> CONNECTED (highest common version of accept-version; none ->
// ERROR), login "reject" -> ERROR "access refused"; SUBSCRIBE (ack auto, client,
// client-individual) / UNSUBSCRIBE; SEND -> MESSAGE to every subscription of that exact
// destination, the sender's included (1.2: an "ack" header unless ack is auto); ACK / NACK
// accepted (nothing is redelivered); BEGIN / COMMIT / ABORT (SENDs in a transaction are delivered
// at COMMIT); RECEIPT for every frame with a receipt header; DISCONNECT -> RECEIPT, then the
// connection is closed; heart-beats ("\n") both ways; an unknown command, a malformed frame or a
// frame before CONNECT -> ERROR, then the connection is closed.
//
// Prints "PORT <n>", then a JSON line per connection event:
//   {"event":"open","protocol":"websocket"}  {"event":"frame","command":"SEND"}
//   {"event":"error","message":"..."}        {"event":"close"}
'use strict';
const http = require('http');
const sockjs = require('sockjs');
const { announce, report, runUntilStopped, option } = require('./peer_lifecycle');

const [offerSendMs, offerReceiveMs] = option('--heart-beat', '0,0').split(',').map(Number);
const sockjsHeartbeat = Number(option('--sockjs-heartbeat', 25000));
const VERSIONS = ['1.0', '1.1', '1.2'];

class StompError extends Error {
    constructor(message, detail) {
        super(message);
        this.detail = detail;
    }
}

// 1.1 and 1.2 escape header values (1.2 adds \r); CONNECT and CONNECTED frames are never escaped.
function unescapeHeader(text, version) {
    if (version === '1.0')
        return text;
    return text.replace(/\\(.?)/g, (all, c) => {
        const map = { n: '\n', c: ':', '\\': '\\' };
        if (version === '1.2')
            map.r = '\r';
        if (!(c in map))
            throw new StompError('malformed frame', `undefined escape sequence "\\${c}" in a header`);
        return map[c];
    });
}

function escapeHeader(text, version) {
    if (version === '1.0')
        return text;
    let out = String(text).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/:/g, '\\c');
    if (version === '1.2')
        out = out.replace(/\r/g, '\\r');
    return out;
}

function encodeFrame(command, headers, body, version) {
    const raw = command === 'CONNECTED';
    const bodyBytes = Buffer.from(body || '', 'utf8');
    const lines = [command];
    for (const [name, value] of headers)
        lines.push(raw ? `${name}:${value}` : `${escapeHeader(name, version)}:${escapeHeader(value, version)}`);
    if (bodyBytes.length > 0 || command === 'MESSAGE' || command === 'ERROR')
        lines.push(`content-length:${bodyBytes.length}`);
    return Buffer.concat([Buffer.from(lines.join('\n') + '\n\n', 'utf8'), bodyBytes, Buffer.from([0])]);
}

// Where the headers end (the empty line), or null while it has not arrived.
function findHeaderEnd(buffer, from) {
    for (let i = from; i < buffer.length; ++i) {
        if (buffer[i] !== 0x0a)
            continue;
        const start = i > from && buffer[i - 1] === 0x0d ? i - 1 : i;
        if (buffer[i + 1] === 0x0a)
            return { start, end: i + 2 };
        if (buffer[i + 1] === 0x0d && buffer[i + 2] === 0x0a)
            return { start, end: i + 3 };
    }
    return null;
}

// Parses as many whole frames as `buffer` holds: { frames, rest, heartbeats }.
function parseFrames(buffer, version) {
    const frames = [];
    let heartbeats = 0;
    let at = 0;
    for (;;) {
        while (at < buffer.length && (buffer[at] === 0x0a || (buffer[at] === 0x0d && buffer[at + 1] === 0x0a))) {
            at += buffer[at] === 0x0d ? 2 : 1;
            ++heartbeats;
        }
        const headerEnd = findHeaderEnd(buffer, at);
        if (!headerEnd)
            break;
        const head = buffer.subarray(at, headerEnd.start).toString('utf8').split(/\r?\n/);
        const command = head[0];
        if (!/^[A-Z]+$/.test(command))
            throw new StompError('malformed frame', `bad command line "${command}"`);
        const headers = new Map();
        const escaped = command !== 'CONNECT' && command !== 'STOMP';
        for (const line of head.slice(1)) {
            const colon = line.indexOf(':');
            if (colon < 0)
                throw new StompError('malformed frame', `header line without a colon: "${line}"`);
            const name = escaped ? unescapeHeader(line.slice(0, colon), version) : line.slice(0, colon);
            const value = escaped ? unescapeHeader(line.slice(colon + 1), version) : line.slice(colon + 1);
            if (!headers.has(name))
                headers.set(name, value);
        }
        const bodyStart = headerEnd.end;
        let bodyEnd;
        if (headers.has('content-length')) {
            const length = Number(headers.get('content-length'));
            if (!Number.isInteger(length) || length < 0)
                throw new StompError('malformed frame', 'bad content-length');
            if (buffer.length < bodyStart + length + 1)
                break;
            bodyEnd = bodyStart + length;
            if (buffer[bodyEnd] !== 0)
                throw new StompError('malformed frame', 'no NUL after content-length bytes of body');
        } else {
            bodyEnd = buffer.indexOf(0, bodyStart);
            if (bodyEnd < 0)
                break;
        }
        frames.push({ command, headers, body: buffer.subarray(bodyStart, bodyEnd).toString('utf8') });
        at = bodyEnd + 1;
    }
    return { frames, rest: buffer.subarray(at), heartbeats };
}


const subscriptions = new Set(); // { session, id, destination, ack }
let sessionCount = 0;
let messageCount = 0;

class Session {
    constructor(conn) {
        this.conn = conn;
        this.name = `session-${++sessionCount}`;
        this.version = null; // set by CONNECT
        this.buffer = Buffer.alloc(0);
        this.transactions = new Map();
        this.timers = [];
        this.lastReceived = Date.now();
        this.closed = false;
        conn.on('data', (text) => this.received(text));
        conn.on('close', () => this.cleanUp());
    }

    send(command, headers, body) {
        if (!this.closed)
            this.conn.write(encodeFrame(command, headers, body, this.version || '1.2').toString('utf8'));
    }

    received(text) {
        this.lastReceived = Date.now();
        this.buffer = Buffer.concat([this.buffer, Buffer.from(text, 'utf8')]);
        try {
            const { frames, rest } = parseFrames(this.buffer, this.version || '1.2');
            this.buffer = rest;
            for (const frame of frames) {
                if (this.closed)
                    break;
                report({ event: 'frame', session: this.name, command: frame.command });
                this.handle(frame);
            }
        } catch (err) {
            if (!(err instanceof StompError))
                throw err;
            this.fail(err.message, err.detail, null);
        }
    }

    fail(message, detail, frame) {
        report({ event: 'error', session: this.name, message, detail: detail || '' });
        const headers = [['message', message], ['content-type', 'text/plain']];
        if (frame && frame.headers.has('receipt'))
            headers.push(['receipt-id', frame.headers.get('receipt')]);
        this.send('ERROR', headers, detail || '');
        this.close();
    }

    close() {
        this.cleanUp();
        this.conn.close(1000, 'STOMP closed');
    }

    cleanUp() {
        if (this.closed)
            return;
        this.closed = true;
        for (const timer of this.timers)
            clearInterval(timer);
        for (const sub of [...subscriptions])
            if (sub.session === this)
                subscriptions.delete(sub);
        report({ event: 'close', session: this.name });
    }

    handle(frame) {
        const { command, headers } = frame;
        if (!this.version && command !== 'CONNECT' && command !== 'STOMP')
            return this.fail('not connected', `${command} before CONNECT`, frame);
        const handler = {
            CONNECT: () => this.connect(frame),
            STOMP: () => this.connect(frame),
            SUBSCRIBE: () => this.subscribe(frame),
            UNSUBSCRIBE: () => this.unsubscribe(frame),
            SEND: () => this.sendFrame(frame),
            ACK: () => this.require(frame, this.version === '1.2' ? ['id'] : this.version === '1.1' ? ['message-id', 'subscription'] : ['message-id']),
            NACK: () => this.require(frame, this.version === '1.2' ? ['id'] : ['message-id', 'subscription']),
            BEGIN: () => this.begin(frame),
            COMMIT: () => this.endTransaction(frame, true),
            ABORT: () => this.endTransaction(frame, false),
            DISCONNECT: () => null,
        }[command];
        if (!handler || (command === 'NACK' && this.version === '1.0'))
            return this.fail('unknown command', `${command} is not a STOMP ${this.version} client frame`, frame);
        if (handler() === false || this.closed)
            return;
        if (command !== 'CONNECT' && command !== 'STOMP' && headers.has('receipt'))
            this.send('RECEIPT', [['receipt-id', headers.get('receipt')]]);
        if (command === 'DISCONNECT')
            setTimeout(() => this.close(), 50);
    }

    require(frame, names) {
        for (const name of names) {
            if (!frame.headers.has(name)) {
                this.fail('malformed frame', `${frame.command} needs a ${name} header`, frame);
                return false;
            }
        }
        return true;
    }

    connect(frame) {
        if (this.version) {
            this.fail('already connected', 'a second CONNECT', frame);
            return false;
        }
        const accepted = (frame.headers.get('accept-version') || '1.0').split(',').map((v) => v.trim());
        const version = [...VERSIONS].reverse().find((v) => accepted.includes(v));
        if (!version) {
            this.version = '1.2';
            this.send('ERROR', [['version', VERSIONS.join(',')], ['content-type', 'text/plain'], ['message', 'unsupported protocol version']],
                'Supported protocol versions are ' + VERSIONS.join(' '));
            this.close();
            return false;
        }
        this.version = version;
        if (frame.headers.get('login') === 'reject') {
            this.fail('access refused', 'login "reject" is always refused');
            return false;
        }
        const [cx, cy] = (frame.headers.get('heart-beat') || '0,0').split(',').map(Number);
        const sendEvery = cy > 0 && offerSendMs > 0 ? Math.max(cy, offerSendMs) : 0;
        const expectEvery = cx > 0 && offerReceiveMs > 0 ? Math.max(cx, offerReceiveMs) : 0;
        const responseHeaders = [['version', version], ['session', this.name], ['server', 'wsinspector-test-stomp/1.0']];
        if (version !== '1.0')
            responseHeaders.push(['heart-beat', `${offerSendMs},${offerReceiveMs}`]);
        this.send('CONNECTED', responseHeaders);
        if (version === '1.0')
            return true;
        if (sendEvery > 0)
            this.timers.push(setInterval(() => this.closed || this.conn.write('\n'), sendEvery));
        if (expectEvery > 0) {
            this.timers.push(setInterval(() => {
                if (Date.now() - this.lastReceived > 2 * expectEvery) {
                    report({ event: 'heartbeat-timeout', session: this.name });
                    this.close();
                }
            }, expectEvery));
        }
        return true;
    }

    subscribe(frame) {
        const needed = this.version === '1.0' ? ['destination'] : ['destination', 'id'];
        if (!this.require(frame, needed))
            return false;
        const id = frame.headers.get('id') || frame.headers.get('destination');
        if ([...subscriptions].some((s) => s.session === this && s.id === id)) {
            this.fail('duplicate subscription', `subscription id ${id} is in use`, frame);
            return false;
        }
        const ack = frame.headers.get('ack') || 'auto';
        if (!['auto', 'client', 'client-individual'].includes(ack)) {
            this.fail('malformed frame', `ack mode ${ack}`, frame);
            return false;
        }
        subscriptions.add({ session: this, id, destination: frame.headers.get('destination'), ack });
        return true;
    }

    unsubscribe(frame) {
        if (!this.require(frame, [this.version === '1.0' && !frame.headers.has('id') ? 'destination' : 'id']))
            return false;
        const id = frame.headers.get('id') || frame.headers.get('destination');
        for (const sub of [...subscriptions])
            if (sub.session === this && sub.id === id)
                subscriptions.delete(sub);
        return true;
    }

    sendFrame(frame) {
        if (!this.require(frame, ['destination']))
            return false;
        const tx = frame.headers.get('transaction');
        if (tx !== undefined) {
            if (!this.transactions.has(tx)) {
                this.fail('unknown transaction', `transaction ${tx} was not begun`, frame);
                return false;
            }
            this.transactions.get(tx).push(frame);
            return true;
        }
        deliver(frame);
        return true;
    }

    begin(frame) {
        if (!this.require(frame, ['transaction']))
            return false;
        const tx = frame.headers.get('transaction');
        if (this.transactions.has(tx)) {
            this.fail('duplicate transaction', `transaction ${tx} was already begun`, frame);
            return false;
        }
        this.transactions.set(tx, []);
        return true;
    }

    endTransaction(frame, commit) {
        if (!this.require(frame, ['transaction']))
            return false;
        const tx = frame.headers.get('transaction');
        const frames = this.transactions.get(tx);
        if (!frames) {
            this.fail('unknown transaction', `transaction ${tx} was not begun`, frame);
            return false;
        }
        this.transactions.delete(tx);
        if (commit)
            frames.forEach(deliver);
        return true;
    }
}

function deliver(frame) {
    const destination = frame.headers.get('destination');
    const extra = [...frame.headers].filter(([name]) => !['destination', 'receipt', 'transaction', 'content-length'].includes(name));
    for (const sub of subscriptions) {
        if (sub.destination !== destination)
            continue;
        const id = `m-${++messageCount}`;
        const headers = [['destination', destination], ['message-id', id], ['subscription', sub.id]];
        if (sub.session.version === '1.2' && sub.ack !== 'auto')
            headers.push(['ack', id]);
        sub.session.send('MESSAGE', headers.concat(extra), frame.body);
    }
}

const httpServer = http.createServer();
const service = sockjs.createServer({
    prefix: '/stomp',
    heartbeat_delay: sockjsHeartbeat,
    log: () => {},
});
service.on('connection', (conn) => {
    if (!conn)
        return; // sockjs emits a null connection for a session that closed while opening
    report({ event: 'open', protocol: conn.protocol });
    new Session(conn);
});
service.installHandlers(httpServer);

httpServer.listen(0, '127.0.0.1', () => announce(httpServer.address().port));
runUntilStopped(() => new Promise((resolve) => {
    for (const sub of subscriptions)
        sub.session.close();
    httpServer.close(() => resolve());
    setTimeout(resolve, 500);
}));
