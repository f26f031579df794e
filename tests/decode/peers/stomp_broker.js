// A real STOMP broker over plain WebSocket: Debian's rabbitmq-server (scripts/packages/test.txt)
// with its Web-STOMP plugin, run as a private, throw-away node: its own directory under $TMPDIR,
// listening on 127.0.0.1 only, on a port the OS picks, no AMQP and no STOMP-over-TCP listener. Works
// as root (CI) and as any other user; the system's RabbitMQ service, if any, is neither used nor
// touched. Starts in about 4-5 s on this project's 2-core machines (why RabbitMQ and not an npm
// broker: tests/decode/peers/README.md).
//
//   node stomp_broker.js [--frames text|binary]
//
// Endpoint: ws://127.0.0.1:PORT/ws, subprotocols v10.stomp, v11.stomp, v12.stomp (STOMP 1.0, 1.1,
// 1.2, whichever the client offers first among them; without a subprotocol the version comes from
// CONNECT's accept-version). User guest, passcode guest (also used when CONNECT has no login).
// Destinations: /topic/NAME (fan-out), /queue/NAME, /exchange/..., /amq/queue/..., /temp-queue/...
// --frames: the WebSocket frame type RabbitMQ sends STOMP frames in (web_stomp.ws_frame; default text).
//
// Prints "PORT <n>" once the broker accepts connections, then
//   {"event":"ready","path":"/ws","rabbitmq":"3.10.8","startup_ms":N}
// RabbitMQ's own log goes to the node's directory and, if it fails to start, to standard error.
// Stops (RabbitMQ shuts down, its epmd too, the directory is removed) when standard input closes
// or on SIGTERM; if this script is killed outright, a watchdog shell still stops RabbitMQ.
'use strict';
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { announce, report, runUntilStopped, option } = require('./peer_lifecycle');

const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const STARTUP_TIMEOUT_MS = 60000;
const started = Date.now();

if (!fs.existsSync(RABBITMQ_SERVER)) {
    process.stderr.write(`stomp_broker.js: ${RABBITMQ_SERVER} is missing: install Debian's rabbitmq-server (make test does)\n`);
    process.exit(2);
}
const frames = option('--frames', 'text');
if (frames !== 'text' && frames !== 'binary') {
    process.stderr.write('stomp_broker.js: --frames takes text or binary\n');
    process.exit(2);
}

function rabbitVersion() {
    const lib = '/usr/lib/rabbitmq/lib';
    const dir = fs.readdirSync(lib).find((name) => name.startsWith('rabbitmq_server-'));
    return dir ? dir.slice('rabbitmq_server-'.length) : 'unknown';
}

// A port that was free a moment ago (epmd and Erlang distribution cannot be told to use port 0
// and report it). Web-STOMP itself listens on port 0.
function freePort() {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.on('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address();
            probe.close(() => resolve(port));
        });
    });
}

// The ports a process listens on, from /proc: its socket inodes matched against /proc/net/tcp.
function listeningPorts(pid) {
    const inodes = new Set();
    for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        try {
            const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
            if (m)
                inodes.add(m[1]);
        } catch {
            // the descriptor closed meanwhile
        }
    }
    const ports = [];
    for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f.length > 9 && f[3] === '0A' && inodes.has(f[9]))
            ports.push(parseInt(f[1].split(':')[1], 16));
    }
    return ports;
}

async function main() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsi-rabbitmq-'));
    const [epmdPort, distPort] = [await freePort(), await freePort()];
    fs.writeFileSync(path.join(dir, 'rabbitmq.conf'), [
        'listeners.tcp = none',
        'stomp.listeners.tcp = none',
        'web_stomp.tcp.ip = 127.0.0.1',
        'web_stomp.tcp.port = 0',
        `web_stomp.ws_frame = ${frames}`,
        'log.console = true',
        'log.console.level = info',
        'log.file = false',
        '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'enabled_plugins'), '[rabbitmq_web_stomp].\n');
    const env = {
        ...process.env,
        HOME: dir, // the Erlang cookie goes there
        RABBITMQ_NODENAME: `wsi-stomp-${process.pid}@localhost`,
        RABBITMQ_BASE: dir,
        RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
        RABBITMQ_LOG_BASE: path.join(dir, 'log'),
        RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
        RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, 'advanced.config'),
        RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
        RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
        RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
        RABBITMQ_DIST_PORT: String(distPort),
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
        ERL_EPMD_PORT: String(epmdPort),
        ERL_EPMD_ADDRESS: '127.0.0.1',
    };
    // The watchdog shell: RabbitMQ runs in the background; the shell's standard input is our pipe,
    // which closes when this script ends, however it ends; then RabbitMQ is stopped (its own
    // script turns SIGTERM into a clean shutdown) and so is the epmd it started.
    const watchdog = [
        'exec 3<&0',
        `"${RABBITMQ_SERVER}" > "$WSI_DIR/rabbitmq.log" 2>&1 &`,
        'server=$!',
        '( read -r _ <&3; kill -TERM $server 2>/dev/null ) &',
        'reader=$!',
        'wait $server; status=$?',
        'kill $reader 2>/dev/null',
        'epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1',
        'exit $status',
    ].join('\n');
    const child = spawn('/bin/sh', ['-c', watchdog], { env: { ...env, WSI_DIR: dir }, stdio: ['pipe', 'ignore', 'inherit'] });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code === null ? signal : code)));
    let stopped = false;
    const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });

    runUntilStopped(async () => {
        stopped = true;
        child.stdin.end();
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15000))]);
        removeDir();
    });

    const logFile = path.join(dir, 'rabbitmq.log');
    const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
    let childStatus = null;
    exited.then((status) => {
        childStatus = status;
    });
    for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (stopped)
            return;
        if (childStatus !== null || Date.now() - started > STARTUP_TIMEOUT_MS) {
            process.stderr.write(`stomp_broker.js: RabbitMQ did not start (${childStatus !== null ? `exit ${childStatus}` : 'timeout'}); its log:\n${log()}\n`);
            child.stdin.end();
            await exited;
            removeDir();
            process.exit(1);
        }
        if (!log().includes('Server startup complete'))
            continue;
        const beam = fs.readFileSync(env.RABBITMQ_PID_FILE, 'utf8').trim();
        const port = listeningPorts(beam).find((p) => p !== distPort);
        if (!port)
            continue;
        announce(port);
        report({ event: 'ready', path: '/ws', rabbitmq: rabbitVersion(), startup_ms: Date.now() - started });
        exited.then((status) => {
            if (!stopped) {
                process.stderr.write(`stomp_broker.js: RabbitMQ ended by itself (exit ${status}); its log:\n${log()}\n`);
                removeDir();
                process.exit(1);
            }
        });
        return;
    }
}

main().catch((err) => {
    process.stderr.write(`stomp_broker.js: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
});
