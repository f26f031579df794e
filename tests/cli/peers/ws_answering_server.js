// A server that answers for tst_clireplay: Debian's node-ws. Prints "PORT <n>" once listening on
// 127.0.0.1. Echoes every message; "time?" is answered with "time <milliseconds since 1970>",
// which differs on every run. With the argument "changed" it is deliberately another server: "b"
// is answered "B!", "c" gets no answer, and "d" gets its echo and then "surprise".
'use strict';
const { WebSocketServer } = require('ws');

const changed = process.argv[2] === 'changed';
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('listening', () => console.log(`PORT ${server.address().port}`));
server.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
        const text = isBinary ? null : data.toString();
        if (text === 'time?')
            return ws.send(`time ${Date.now()}`);
        if (changed && text === 'b')
            return ws.send('B!');
        if (changed && text === 'c')
            return;
        ws.send(data, { binary: isBinary });
        if (changed && text === 'd')
            ws.send('surprise');
    });
});
