// Scripted, deliberately imperfect WebSocket server for tst_cli, on Node's 'net' and 'crypto' only,
// so that it can do what a correct library refuses to. Prints "PORT <n>", serves clients until killed.
//   node raw_server.js MODE
// MODE:
//   close      handshake, then a close frame 1000 "done"; answers nothing else (clean close)
//   drop       handshake, a text frame "bye", then the TCP connection ends without a close frame
//   rsv        handshake, then a text frame with RSV1 set (a violation); answers the client's close
//   reject     answers the handshake with 403 Forbidden
//   deaf       handshake, then ignores everything (never answers a close frame)
//   trojan     handshake, a text frame with a right-to-left override, a zero-width space and a terminal
//              colour escape, then close 1000 with an override in the reason
'use strict';
const net = require('net');
const crypto = require('crypto');

const mode = process.argv[2];
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(firstByte, payload) {
    if (payload.length > 125) throw new Error('short frames only');
    return Buffer.concat([Buffer.from([firstByte, payload.length]), payload]);
}
function closeFrame(code, reason) {
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    return frame(0x88, payload);
}

const server = net.createServer((socket) => {
    let head = Buffer.alloc(0);
    let open = false;
    socket.on('data', (chunk) => {
        if (open) {
            // The client's frames: once its close frame arrives, answer it (rsv mode) and end.
            if (mode !== 'deaf' && chunk.length >= 1 && (chunk[0] & 0x0f) === 0x8) {
                if (mode === 'rsv') socket.write(closeFrame(1002, ''));
                socket.end();
            }
            return;
        }
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const match = /^sec-websocket-key:\s*(\S+)\s*$/im.exec(head.subarray(0, end).toString('latin1'));
        if (mode === 'reject' || !match) {
            socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
            return;
        }
        const accept = crypto.createHash('sha1').update(match[1] + GUID).digest('base64');
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
                     `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
        open = true;
        if (mode === 'close') {
            socket.write(closeFrame(1000, 'done'));
        } else if (mode === 'drop') {
            socket.end(frame(0x81, Buffer.from('bye')));
        } else if (mode === 'trojan') {
            socket.write(frame(0x81, Buffer.from('abc\u202edef\u200b\x1b[31mred')));
            socket.write(closeFrame(1000, 'bye\u202e'));
        } else if (mode === 'rsv') {
            socket.write(frame(0xc1, Buffer.from('hi')));
        }
    });
    socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
