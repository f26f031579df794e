// Shared by the peers in this folder: how a peer says it is ready, how it reports what happened,
// and when it stops. A peer prints "PORT <n>" as its first line once it accepts connections, then
// one JSON object per line for what the tests may want to wait for; it stops when its standard
// input closes (the test process went away, even if it was killed) or on SIGTERM / SIGINT.
'use strict';

function announce(port) {
    process.stdout.write(`PORT ${port}\n`);
}

function report(object) {
    process.stdout.write(JSON.stringify(object) + '\n');
}

// `stop` may return a promise; the process exits when it settles, or after 5 s regardless.
function runUntilStopped(stop) {
    let stopping = false;
    const finish = () => {
        if (stopping)
            return;
        stopping = true;
        setTimeout(() => process.exit(0), 5000).unref();
        Promise.resolve()
            .then(stop)
            .catch((err) => process.stderr.write(`stopping: ${err && err.stack ? err.stack : err}\n`))
            .finally(() => process.exit(0));
    };
    process.stdin.on('end', finish);
    process.stdin.on('close', finish);
    process.stdin.on('error', finish);
    process.stdin.resume();
    process.on('SIGTERM', finish);
    process.on('SIGINT', finish);
    return finish;
}

// Value of `--name VALUE` on the command line, or `fallback`.
function option(name, fallback) {
    const at = process.argv.indexOf(name);
    return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

module.exports = { announce, report, runUntilStopped, option };
