// Independent Socket.IO v4 server (npm socket.io, pinned in tests/package.json), after the
// socket.io tutorial's chat. Engine.IO v4; the websocket transport is accepted directly
// (ws://127.0.0.1:PORT/socket.io/?EIO=4&transport=websocket), polling too.
//
//   node socketio_chat_server.js [--ping-interval MS] [--ping-timeout MS] [--allow-eio3]
//
// Defaults are socket.io's (25000 / 20000); short ones (e.g. 300 / 200) let a test watch the
// server drop a client that stops answering pings. --allow-eio3 also accepts Socket.IO v2 clients.
//
// Namespace "/" (every event with an ack callback is answered, see `ack` below):
//   "chat message" (msg)        broadcast to every client: io.emit("chat message", msg)
//   "ping with ack" (..., cb)   cb("pong")
//   any other event with cb     cb({ event, args }) — args echoed, Buffers included (a BINARY_ACK)
//   "binary please" (n)         emits "binary" (Buffer of n bytes 0,1,2,..., { note, second: Buffer [0xff,0x00,0x80] })
//                               — a BINARY_EVENT with two attachments
//   "binary echo" (...args)     emits "binary echo" with the same args back (Buffers stay binary)
//   "ask me" (question)         emits "question" (question) with an ack callback; the client's
//                               answer comes back as "answered" (answer)
//   "disconnect me"             the server disconnects this socket (a DISCONNECT packet "41")
// Namespace "/admin": the handshake's auth.token must be "secret", otherwise connect_error with
// message "unauthorized" and data { reason: "bad token" }. "stats" (cb) answers { clients: n }.
//
// Prints "PORT <n>", then a JSON line per connection and disconnection:
//   {"event":"connect","nsp":"/","id":"..."}   {"event":"disconnect","nsp":"/","id":"...","reason":"ping timeout"}
//   {"event":"connect_error","nsp":"/admin","token":"..."}
'use strict';
const http = require('http');
const { Server } = require('socket.io');
const { announce, report, runUntilStopped, option } = require('./peer_lifecycle');

const pingInterval = Number(option('--ping-interval', 25000));
const pingTimeout = Number(option('--ping-timeout', 20000));
const allowEIO3 = process.argv.includes('--allow-eio3');

const httpServer = http.createServer();
const io = new Server(httpServer, { pingInterval, pingTimeout, allowEIO3, serveClient: false });

// Answers every event that came with an ack callback: `special(event)` gives the answer for the
// events that have one, otherwise the event and its arguments go back.
function answerAcks(socket, special) {
    socket.onAny((event, ...args) => {
        const cb = args.length > 0 && typeof args[args.length - 1] === 'function' ? args.pop() : null;
        if (!cb)
            return;
        const answer = special(event);
        cb(answer !== undefined ? answer : { event, args });
    });
}

io.on('connection', (socket) => {
    report({ event: 'connect', nsp: '/', id: socket.id });
    answerAcks(socket, (event) => (event === 'ping with ack' ? 'pong' : undefined));
    socket.on('chat message', (msg) => io.emit('chat message', msg));
    socket.on('binary please', (n) => {
        const size = Math.max(0, Math.min(Number(n) || 0, 1 << 20));
        const first = Buffer.alloc(size);
        for (let i = 0; i < size; ++i)
            first[i] = i & 0xff;
        socket.emit('binary', first, { note: 'two attachments', second: Buffer.from([0xff, 0x00, 0x80]) });
    });
    socket.on('binary echo', (...args) => {
        if (args.length > 0 && typeof args[args.length - 1] === 'function')
            args.pop();
        socket.emit('binary echo', ...args);
    });
    socket.on('ask me', (question) => socket.emit('question', question, (answer) => socket.emit('answered', answer)));
    socket.on('disconnect me', () => socket.disconnect(true));
    socket.on('disconnect', (reason) => report({ event: 'disconnect', nsp: '/', id: socket.id, reason }));
});

const admin = io.of('/admin');
admin.use((socket, next) => {
    const token = socket.handshake.auth && socket.handshake.auth.token;
    if (token === 'secret')
        return next();
    report({ event: 'connect_error', nsp: '/admin', token: token === undefined ? null : String(token) });
    const err = new Error('unauthorized');
    err.data = { reason: 'bad token' };
    next(err);
});
admin.on('connection', (socket) => {
    report({ event: 'connect', nsp: '/admin', id: socket.id });
    answerAcks(socket, (event) => (event === 'stats' ? { clients: io.of('/').sockets.size } : undefined));
    socket.on('disconnect', (reason) => report({ event: 'disconnect', nsp: '/admin', id: socket.id, reason }));
});

httpServer.listen(0, '127.0.0.1', () => announce(httpServer.address().port));
runUntilStopped(() => new Promise((resolve) => {
    io.close(() => resolve());
}));
