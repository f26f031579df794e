// Independent GraphQL-over-WebSocket servers (npm, pinned in tests/package.json) on one port:
//   /graphql        npm graphql-ws: the GraphQL over WebSocket protocol, subprotocol
//                   "graphql-transport-ws" (connection_init/ack, ping/pong, subscribe, next, error, complete)
//   /subscriptions  npm subscriptions-transport-ws: Apollo's legacy protocol, subprotocol "graphql-ws"
//                   (connection_init/ack, ka, start, data, error, complete, stop, connection_terminate)
// Both execute the same schema with npm graphql 16:
//   type Query        { hello(name: String): String!   boom: String }
//   type Subscription { countdown(from: Int!, delayMs: Int = 0): Int!   failing: Int!   greetings: String! }
// hello returns "Hello <name or world>!"; boom always throws "boom" (a result with errors);
// countdown yields from, from-1, ..., 0 and completes; failing yields 1 and then throws
// "subscription failed"; greetings yields "Hi", "Bonjour", "Hola" and completes.
//
//   node graphql_server.js [--keep-alive MS]
//
// --keep-alive: the legacy server's "ka" interval (default 0 = none). graphql-ws answers the
// client's pings with pongs by itself.
//
// Prints "PORT <n>", then a JSON line per connection event:
//   {"event":"connect","path":"/graphql"}  {"event":"subscribe","path":"/graphql","id":"..."}
//   {"event":"close","path":"/graphql","code":N,"reason":"..."}
'use strict';
const http = require('http');
const { URL } = require('url');
const { WebSocketServer } = require('ws');
const { buildSchema, execute, subscribe } = require('graphql');
const { useServer } = require('graphql-ws/lib/use/ws');
const { SubscriptionServer } = require('subscriptions-transport-ws');
const { announce, report, runUntilStopped, option } = require('./peer_lifecycle');

const schema = buildSchema(`
  type Query {
    hello(name: String): String!
    boom: String
  }
  type Subscription {
    countdown(from: Int!, delayMs: Int = 0): Int!
    failing: Int!
    greetings: String!
  }
`);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// buildSchema's default resolvers read root fields; a subscription field's value is its event,
// so each event is wrapped as { field: value } and resolved by the default resolver.
const rootValue = {
    hello: ({ name }) => `Hello ${name || 'world'}!`,
    boom: () => {
        throw new Error('boom');
    },
    countdown: async function* ({ from, delayMs }) {
        for (let n = from; n >= 0; --n) {
            if (delayMs > 0)
                await sleep(delayMs);
            yield { countdown: n };
        }
    },
    failing: async function* () {
        yield { failing: 1 };
        throw new Error('subscription failed');
    },
    greetings: async function* () {
        for (const greeting of ['Hi', 'Bonjour', 'Hola'])
            yield { greetings: greeting };
    },
};

const keepAlive = Number(option('--keep-alive', 0));

const modern = new WebSocketServer({ noServer: true, perMessageDeflate: false });
useServer({
    schema,
    roots: { query: rootValue, subscription: rootValue },
    onConnect: () => report({ event: 'connect', path: '/graphql' }),
    onSubscribe: (ctx, msg) => report({ event: 'subscribe', path: '/graphql', id: msg.id }),
    onClose: (ctx, code, reason) => report({ event: 'close', path: '/graphql', code, reason: String(reason) }),
}, modern);

const legacy = SubscriptionServer.create({
    schema,
    rootValue,
    execute,
    subscribe,
    keepAlive: keepAlive > 0 ? keepAlive : undefined,
    onConnect: () => {
        report({ event: 'connect', path: '/subscriptions' });
        return true;
    },
    onOperation: (msg, params) => {
        report({ event: 'subscribe', path: '/subscriptions', id: msg.id });
        return params;
    },
    onDisconnect: () => report({ event: 'close', path: '/subscriptions' }),
}, { noServer: true, perMessageDeflate: false });

const httpServer = http.createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('WebSocket only: /graphql (graphql-transport-ws) or /subscriptions (graphql-ws)\n');
});
httpServer.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const target = path === '/graphql' ? modern : path === '/subscriptions' ? legacy.server : null;
    if (!target) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
    }
    target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
});

httpServer.listen(0, '127.0.0.1', () => announce(httpServer.address().port));
runUntilStopped(() => new Promise((resolve) => {
    for (const ws of modern.clients)
        ws.terminate();
    for (const ws of legacy.server.clients)
        ws.terminate();
    legacy.close();
    modern.close(() => httpServer.close(() => resolve()));
}));
