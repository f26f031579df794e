// A client driver written for Autobahn|Testsuite's fuzzing server, the way WebSocket libraries
// write theirs, on Debian's node-ws: asks for the case count, runs every case on its own
// connection echoing each message, then asks for the reports. Prints "DONE <count>" at the end.
//   node autobahn_driver_ws.js ws://127.0.0.1:PORT AGENT [deflate]
// With "deflate" the client offers permessage-deflate as ws does by default.
'use strict';
const WebSocket = require('ws');

const [base, agent, compression] = process.argv.slice(2);

function connect(path, onMessage) {
    return new Promise((resolve) => {
        const ws = new WebSocket(base + path, { perMessageDeflate: compression === 'deflate', maxPayload: 64 * 1024 * 1024 });
        ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
        ws.on('error', () => {}); // a case may break the protocol on purpose; close follows
        ws.on('close', () => resolve());
    });
}

async function main() {
    let count = 0;
    await connect('/getCaseCount', (ws, data) => { count = Number(data.toString()); });
    for (let i = 1; i <= count; ++i)
        await connect(`/runCase?case=${i}&agent=${encodeURIComponent(agent)}`,
            (ws, data, isBinary) => ws.send(data, { binary: isBinary }));
    await connect(`/updateReports?agent=${encodeURIComponent(agent)}`, () => {});
    console.log(`DONE ${count}`);
}

main();
