// The client of the relay benchmarks: Debian's node-ws talking to an echo server, directly or
// through the relay, without compression.
//   NODE_PATH=/usr/share/nodejs node node_relay_client.js throughput URL COUNT SIZE [WINDOW]
//     sends COUNT binary messages of SIZE bytes, at most WINDOW (default 1000) unanswered at a
//     time, reads every echo; prints {"messages":N,"seconds":S}
//   NODE_PATH=/usr/share/nodejs node node_relay_client.js latency URL COUNT [GAP_MS]
//     sends COUNT pings one after the other (GAP_MS apart, default 2), each after the previous pong;
//     prints {"pings":N,"p50_ms":..,"p99_ms":..,"max_ms":..}
'use strict';
const WebSocket = require('ws');

const [mode, url, countText, fourth, fifth] = process.argv.slice(2);
const count = Number(countText);
const ws = new WebSocket(url, { perMessageDeflate: false });
const fail = (message) => {
    console.error(`node_relay_client: ${message}`);
    process.exit(1);
};
ws.on('error', (error) => fail(error.message));
setTimeout(() => fail('timed out after 600 s'), 600000).unref();

function throughput() {
    const size = Number(fourth);
    const window = Number(fifth || 1000);
    const payload = Buffer.alloc(size, 0x61);
    let sent = 0;
    let received = 0;
    const start = process.hrtime.bigint();
    const pump = () => {
        while (sent < count && sent - received < window) {
            ws.send(payload, { binary: true });
            sent++;
        }
    };
    ws.on('message', () => {
        received++;
        if (received === count) {
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            console.log(JSON.stringify({ messages: received, seconds }));
            ws.close(1000);
            return;
        }
        if (sent - received < window / 2)
            pump();
    });
    pump();
}

function latency() {
    const gap = Number(fourth || 2);
    const rtts = [];
    let sentAt = 0n;
    const ping = () => {
        sentAt = process.hrtime.bigint();
        ws.ping(Buffer.from('rtt'));
    };
    ws.on('pong', () => {
        rtts.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
        if (rtts.length === count) {
            rtts.sort((a, b) => a - b);
            const at = (q) => rtts[Math.min(rtts.length - 1, Math.floor(q * rtts.length))];
            console.log(JSON.stringify({ pings: rtts.length, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: rtts[rtts.length - 1] }));
            ws.close(1000);
            return;
        }
        setTimeout(ping, gap);
    });
    ping();
}

ws.on('open', () => (mode === 'latency' ? latency() : throughput()));
ws.on('close', () => process.exit(0));
