#include "clioptions.h"

#include "log/capturefiles.h"
#include "net/clienttls.h"

#include "decode/socketioclient.h"
#include "text/jsontext.h"

#include "script/expectations.h"
#include "send/composerinput.h"

#include "protocol/closecodes.h"

#include <QRegularExpression>

namespace {

const QString Program = QStringLiteral("wsinspector-cli");

bool parseUnsigned(const QString &text, quint64 max, quint64 &out)
{
    if (text.isEmpty())
        return false;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    bool ok = false;
    out = text.toULongLong(&ok);
    return ok && out <= max;
}

// Whole seconds or a decimal fraction with up to three digits: "2", "0.5", "1.25".
bool parseSeconds(const QString &text, qint64 &ms)
{
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{1,9})(?:\\.([0-9]{1,3}))?$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return false;
    const QString fraction = (match.captured(2) + QStringLiteral("000")).left(3);
    ms = match.captured(1).toLongLong() * 1000 + fraction.toInt();
    return true;
}

// The --serve option that sets a behaviour setting, to name it in a usage error.
QString optionFor(ServerBehaviour::Setting setting)
{
    using Setting = ServerBehaviour::Setting;
    switch (setting) {
    case Setting::ReplyDelay:
        return QStringLiteral("--delay");
    case Setting::FragmentSize:
        return QStringLiteral("--fragment");
    case Setting::PingInterval:
        return QStringLiteral("--ping-every");
    case Setting::CloseAfter:
    case Setting::CloseCode:
    case Setting::CloseReason:
        return QStringLiteral("--close-after");
    case Setting::RejectStatus:
        return QStringLiteral("--reject");
    case Setting::Subprotocols:
        return QStringLiteral("--subprotocol");
    case Setting::AllowedOrigins:
        return QStringLiteral("--allow-origin");
    case Setting::MaxClients:
        return QStringLiteral("--max-clients");
    case Setting::MaxMessageSize:
        return QStringLiteral("--max-message-size");
    }
    return {};
}

bool looksLikeUrl(const QString &arg)
{
    return arg.startsWith(QLatin1String("ws://"), Qt::CaseInsensitive)
        || arg.startsWith(QLatin1String("wss://"), Qt::CaseInsensitive);
}

// Walks the arguments. Long options take their value as --name=value or as the next argument; short
// ones as -Xvalue or the next argument.
class ArgumentCursor {
public:
    explicit ArgumentCursor(const QStringList &args)
        : m_args(args)
    {
    }
    bool atEnd() const { return m_index >= m_args.size(); }
    QString next() { return m_args[m_index++]; }
    bool hasNext() const { return m_index < m_args.size(); }
    const QString &peek() const { return m_args[m_index]; }

    // The option's value; empty optional (and `error` set) if none follows.
    std::optional<QString> value(const QString &name, const std::optional<QString> &inlineValue, QString &error)
    {
        if (inlineValue)
            return inlineValue;
        if (!hasNext()) {
            error = QStringLiteral("%1 needs a value").arg(name);
            return std::nullopt;
        }
        return next();
    }

private:
    const QStringList &m_args;
    qsizetype m_index = 0;
};

} // namespace

QString CliOptions::versionText()
{
    return QStringLiteral("%1 0.1.0").arg(Program);
}

QString CliOptions::usage()
{
    return QStringLiteral(
        "Usage: wsinspector-cli [options] URL\n"
        "       wsinspector-cli --serve [PORT] [--mode echo|broadcast] [--bind ADDR] [server options]\n"
        "       wsinspector-cli --relay [PORT] --to URL [--bind ADDR] [--origin ORIGIN] [-k]\n"
        "       wsinspector-cli --proxy [PORT] [--bind ADDR] [--no-intercept HOST]... [--insecure-host HOST]\n"
        "       wsinspector-cli --probe URL [probe options]   (conformance probes; see --probe --help)\n"
        "\n"
        "Connects to a WebSocket server (ws:// or wss://) and prints every event on the wire: the\n"
        "handshake request and response, each frame with its decoded header, violations of RFC 6455,\n"
        "state changes. Text: one line per event; jsonl: one JSON object per line.\n"
        "\n"
        "Connection:\n"
        "  -H, --header \"Name: value\"   extra request header (repeatable)\n"
        "  -s, --subprotocol NAME       offer a subprotocol (repeatable, in preference order)\n"
        "      --origin ORIGIN          send an Origin header\n"
        "      --no-deflate             do not offer permessage-deflate (offered by default, as browsers\n"
        "                               do: \"permessage-deflate; client_max_window_bits\")\n"
        "      --deflate PARAMS         offer permessage-deflate with these parameters instead, e.g.\n"
        "                               \"server_no_context_takeover; server_max_window_bits=10\"\n"
        "                               (\"\" offers it bare)\n"
        "  -k, --insecure               accept TLS certificate errors for this connection\n"
        "      --cacert FILE            also trust the certificate authorities in FILE (PEM or DER;\n"
        "                               repeatable): a private server's, a company's\n"
        "      --cert FILE              present this client certificate to servers that ask for one\n"
        "                               (mutual TLS): PEM with its key (or --key FILE), or PKCS#12\n"
        "                               (.p12, .pfx). --cert-pass PASSPHRASE opens an encrypted key or\n"
        "                               a PKCS#12 file; the WSI_CERT_PASSPHRASE environment variable\n"
        "                               does the same without showing it to other users\n"
        "      --via-proxy URL          reach the server through this proxy: http://[USER:PASS@]HOST:PORT\n"
        "                               (a CONNECT tunnel), socks5://... (names looked up here) or\n"
        "                               socks5h://... (looked up by the proxy). Without it the\n"
        "                               environment's https_proxy (wss://), http_proxy (ws://) or\n"
        "                               all_proxy is used, except for hosts in no_proxy and loopback\n"
        "                               addresses; --via-proxy none connects directly\n"
        "      --engine inspector|qt    the client engine: the inspector's own (default), or Qt's\n"
        "                               QWebSocket, watched through a relay inside the process so\n"
        "                               that its frames are printed beside every signal it emits\n"
        "      --handshake-timeout MS   give up on the opening handshake after MS ms (default 10000)\n"
        "      --close-timeout MS       wait MS ms for the server's part of the close (default 5000)\n"
        "      --max-message-size N     largest frame/message accepted, in bytes (default 67108864)\n"
        "      --fragment-size N        split sent messages into frames of N payload bytes (0: never)\n"
        "      --no-auto-pong           do not answer pings\n"
        "\n"
        "Socket.IO (--socketio URL): join a Socket.IO v4 server over its websocket transport\n"
        "      --socketio               open Engine.IO's websocket transport at URL (/socket.io/ when\n"
        "                               the URL has no path; http:// and https:// are accepted), join\n"
        "                               the namespace once Engine.IO is open, answer its pings\n"
        "      --namespace NSP          the namespace to join (default /)\n"
        "      --auth JSON              the connect packet's auth object, e.g. '{\"token\":\"abc\"}'\n"
        "      --emit EVENT JSON        emit EVENT with one JSON argument once joined, asking for an\n"
        "                               ack (repeatable; \"\" for no argument)\n"
        "      --no-engine-pong         do not answer Engine.IO pings: watch the server drop the client\n"
        "      --ack-timeout MS         with --close: close once every ack came, or after MS ms\n"
        "                               (default 5000)\n"
        "\n"
        "Sending (once open, in the order given):\n"
        "      --send TEXT              a text message (repeatable)\n"
        "      --send-binary HEX        a binary message, e.g. \"01 02 ff\" (repeatable)\n"
        "      --ping [PAYLOAD]         a ping; bare --ping sends an empty one (use --ping=X for a\n"
        "                               payload starting with '-')\n"
        "      --stdin                  then send each line read from standard input as a text message;\n"
        "                               at end of input, close\n"
        "      --close CODE[:REASON]    then close with CODE (0: a close frame without a code).\n"
        "                               Without --close (and --stdin), wait until the server closes or\n"
        "                               Ctrl-C, which closes with 1000; a second Ctrl-C aborts.\n"
        "\n"
        "Checks (for scripts and CI):\n"
        "      --expect REGEX           expect a message matching REGEX (repeatable: in order, each\n"
        "                               after the one before); binary messages match as hex \"01 ff\".\n"
        "                               Once they came the connection closes (with --close's code, or\n"
        "                               1000); exit 4 if one does not come, with what came instead\n"
        "      --expect-timeout MS      wait at most MS ms for each expected message (default 5000)\n"
        "      --wait MS                keep reading MS ms after the sends (and expected messages),\n"
        "                               then close\n"
        "      --keepalive SECONDS      ping every SECONDS (\"keepalive 1\", \"keepalive 2\", ...); when no\n"
        "                               pong answers within --pong-timeout MS (default 10000), the\n"
        "                               connection is dead: it is dropped and the log says why (exit 3)\n"
        "      --reconnect N            when the connection drops or cannot be made (not when it\n"
        "                               was closed as asked: --close, end of --stdin, Ctrl-C), try\n"
        "                               again, up to N times in a row (0: no limit). The sends are\n"
        "                               made again on each new connection; the exit status is the\n"
        "                               last connection's\n"
        "      --reconnect-delay MS[:MAX_MS]\n"
        "                               wait MS before the first attempt (default 500), twice as\n"
        "                               long before each next one up to MAX_MS (default 30000), each\n"
        "                               spread by 20 % at random; a connection open for 10 s starts\n"
        "                               the count again\n"
        "      --run FILE               run the test file's steps against URL, on a connection of its\n"
        "                               own (repeatable: several files, one after the other). Steps,\n"
        "                               one per line: send TEXT, send-binary HEX, ping [TEXT],\n"
        "                               pong [TEXT], expect REGEX, expect-pong [TEXT],\n"
        "                               expect-close [CODE], wait MS, close [CODE [REASON]],\n"
        "                               timeout MS (for the expect steps after it; default 5000)\n"
        "      --junit FILE             with --run: write the results as JUnit XML to FILE\n"
        "      --replay FILE            send a recorded connection's messages (a session file or HAR)\n"
        "                               to URL again and compare the server's answers with the\n"
        "                               recording's, message by message: the same, different, missing,\n"
        "                               extra (exit 4 when one is not the same). The subprotocols of\n"
        "                               the recorded request are offered unless -s is given\n"
        "      --timing recorded|fast   with --replay: each message at its recorded time after OPEN\n"
        "                               (default), or all at once\n"
        "      --replay-conn N          with --replay: the recording's connection #N (default: the\n"
        "                               first)\n"
        "      --replay-ignore REGEX    with --replay: parts of text answers that may differ (a\n"
        "                               timestamp, an id), masked before comparing (repeatable).\n"
        "                               --wait MS: how long the server may stay quiet after the last\n"
        "                               message sent before the replay closes (default 2000)"
        "\n"
        "Output:\n"
        "      --format text|jsonl      output format (default text)\n"
        "      --decode auto|none|PROTOCOL\n"
        "                               print what each message means in the protocol on top:\n"
        "                               socketio, stomp, sockjs, mqtt, jsonrpc, graphql-transport-ws,\n"
        "                               graphql-ws or wamp; auto (the default) finds it from the\n"
        "                               subprotocol, the URL or the first messages. Text output adds a\n"
        "                               line under the message's final frame; jsonl a \"decoded\" object\n"
        "      --capture FILE           also record the session to FILE (jsonl session file; with\n"
        "                               --serve, every client of the server)\n"
        "  -h, --help                   show this help\n"
        "      --version                show the version\n"
        "\n"
        "Server (--serve):\n"
        "      --serve [PORT]           run the embedded server headless (default port 8080; 0 picks a\n"
        "                               free port). The first line printed is the URL it listens on.\n"
        "      --mode echo|broadcast    echo messages back, or send them to every client (default echo)\n"
        "      --engine qt|inspector    Qt's QWebSocketServer (default), or the inspector's own engine:\n"
        "                               strict, with permessage-deflate\n"
        "      --bind ADDR              address to listen on (default 127.0.0.1)\n"
        "      --delay MS               reply MS milliseconds after each message (default 0)\n"
        "      --fragment K             split replies into frames of K payload bytes (0: Qt's 512 KiB)\n"
        "      --ping-every S           ping every client every S seconds (e.g. 1 or 0.5; at least 0.1)\n"
        "      --close-after N[:CODE[:REASON]]\n"
        "                               after answering N messages of a client, close it with CODE\n"
        "                               (default 1000) and REASON\n"
        "      --reject STATUS          answer every handshake with HTTP STATUS (400-599), e.g. 403, 404,\n"
        "                               426, 503\n"
        "  -s, --subprotocol NAME       accept subprotocol NAME (repeatable); a client must offer one,\n"
        "                               its first acceptable choice is selected (400 otherwise)\n"
        "      --allow-origin ORIGIN    accept only handshakes whose Origin is ORIGIN (repeatable; 403\n"
        "                               otherwise), e.g. https://example.org\n"
        "      --max-clients N          at most N clients at once (503 Service Unavailable when full)\n"
        "      --max-message-size N     largest frame/message accepted (default 67108864); larger ones\n"
        "                               are closed with 1009 Message Too Big\n"
        "Every frame both ways is printed, as crossed the client's wire (QWebSocketServer is watched\n"
        "through a relay inside the process). Refused handshakes get an HTTP response saying why, and\n"
        "are printed with the request and the response.\n"
        "\n"
        "Relay (--relay): stand between an application and its server and print both sides\n"
        "      --relay [PORT]           listen for applications (default port 8081; 0 picks a free port).\n"
        "                               The first line printed is \"relaying ws://127.0.0.1:PORT/ -> URL\".\n"
        "      --to URL                 the server (ws:// or wss://); an application's path and query are\n"
        "                               appended to URL's, so ws://127.0.0.1:PORT/ reaches URL itself\n"
        "      --bind ADDR              address to listen on (default 127.0.0.1)\n"
        "      --origin ORIGIN          replace the application's Origin header\n"
        "  -k, --insecure               accept the server's TLS certificate errors\n"
        "      --handshake-timeout MS, --max-message-size N, --via-proxy URL   as for a client\n"
        "      --intercept-rule FILE    apply the match and replace rules in FILE (a JSON array; see the\n"
        "                               README) to messages in flight (repeatable; also with --proxy).\n"
        "                               Messages are then forwarded once parsed, changed ones as a new\n"
        "                               frame printed on the other leg; compression is not offered\n"
        "Frames are forwarded as they arrive, byte-exact, valid or not; each line names its leg: app\n"
        "(the application's connection, where the relay plays the server) or server. Runs until Ctrl-C.\n"
        "\n"
        "Proxy (--proxy): an HTTP proxy for browsers and programs that take a proxy setting\n"
        "      --proxy [PORT]           listen for proxy clients (default port 8082); the first line\n"
        "                               printed is \"proxying on http://127.0.0.1:PORT\". WebSocket\n"
        "                               upgrades (ws:// through CONNECT or GET http://..., and wss://\n"
        "                               once its TLS is terminated) are relayed and shown as with\n"
        "                               --relay; other requests are passed on, unparsed. TLS is\n"
        "                               terminated with certificates signed by the inspector's own\n"
        "                               certificate authority, which clients must trust (--export-ca).\n"
        "      --export-ca FILE         write the certificate of the proxy's certificate authority to FILE\n"
        "                               (made on first use; its key stays in the user's data directory)\n"
        "      --no-intercept PATTERN   never look into connections to hosts matching PATTERN, e.g.\n"
        "                               \"*.bank.example\" (repeatable)\n"
        "      --insecure-host PATTERN  accept TLS certificate errors of servers matching PATTERN\n"
        "                               (repeatable; -k accepts them for every server)\n"
        "      --bind ADDR, -k, --handshake-timeout MS, --max-message-size N, --intercept-rule FILE,\n"
        "      --via-proxy URL          as for --relay (servers reached through another proxy)\n"
        "\n"
        "Files\n"
        "      --convert IN OUT         read a capture and write it in another format, each chosen by\n"
        "                               its extension: .har (HTTP Archive, from a browser or from here)\n"
        "                               or a session file (.jsonl, or any other name) in; .har (opens\n"
        "                               in Chrome DevTools), .pcapng (opens in Wireshark) or a session\n"
        "                               file out. Exit status 0,\n"
        "                               or 3 when parts of IN were skipped (each named on stderr), or 1\n"
        "                               when nothing could be read or OUT could not be written\n"
        "\n"
        "Exit status: 0 clean close; 1 connection or handshake failure; 2 usage error;\n"
        "3 abnormal close (no clean closing handshake) or a protocol violation seen; with --socketio\n"
        "also a namespace refused, a disconnect by the server, or acks that did not come; with\n"
        "--replay, closed before every message was sent; 4 a message --expect asked for did not\n"
        "come, a --run test file failed, or a --replay answer was not the recorded one.\n");
}

std::optional<CliOptions> CliOptions::parse(const QStringList &arguments, QString &error)
{
    CliOptions o;
    ArgumentCursor args(arguments);
    QStringList clientOnly; // options given that make no sense with --serve
    QStringList serveOnly;
    QStringList socketIoOnly; // options that mean something with --socketio only
    bool serve = false;
    bool engineGiven = false;
    bool relay = false;
    bool proxy = false;
    QString relayTo;
    bool optionsEnded = false;
    QString positional;
    QStringList caFiles; // --cacert, read once every option is known
    QString certFile, keyFile;
    std::optional<QByteArray> certPass;

    auto fail = [&error](const QString &message) {
        error = message;
        return std::nullopt;
    };

    while (!args.atEnd()) {
        const QString arg = args.next();
        if (optionsEnded || !arg.startsWith(u'-') || arg == QLatin1String("-")) {
            if (!positional.isEmpty())
                return fail(
                    QStringLiteral("unexpected argument \"%1\" (the URL is already \"%2\")").arg(arg, positional));
            positional = arg;
            continue;
        }
        if (arg == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }

        QString name = arg;
        std::optional<QString> inlineValue;
        if (arg.startsWith(QLatin1String("--"))) {
            const qsizetype eq = arg.indexOf(u'=');
            if (eq > 0) {
                name = arg.left(eq);
                inlineValue = arg.mid(eq + 1);
            }
        } else if (arg.size() > 2) {
            // -Hvalue, -svalue
            name = arg.left(2);
            inlineValue = arg.mid(2);
        }
        auto value = [&](const QString &shown) { return args.value(shown, inlineValue, error); };
        // --serve/--relay/--proxy [PORT]: the port is optional, so only a number that follows counts.
        auto takePort = [&](quint16 &port) -> bool {
            QString portText;
            if (inlineValue)
                portText = *inlineValue;
            else if (args.hasNext() && !args.peek().isEmpty() && args.peek()[0].isDigit())
                portText = args.next();
            quint64 number = port;
            if (!portText.isNull() && !parseUnsigned(portText, 65535, number)) {
                error = QStringLiteral("%1: port \"%2\" is not a number in 0-65535").arg(name, portText);
                return false;
            }
            port = quint16(number);
            return true;
        };
        auto noValue = [&]() -> bool {
            if (inlineValue) {
                error = QStringLiteral("%1 takes no value").arg(name);
                return false;
            }
            return true;
        };

        if (name == QLatin1String("-h") || name == QLatin1String("--help")) {
            o.mode = Mode::Help;
            return o;
        }
        if (name == QLatin1String("--version")) {
            o.mode = Mode::Version;
            return o;
        }
        if (name == QLatin1String("-H") || name == QLatin1String("--header")) {
            const auto v = value(QStringLiteral("-H/--header"));
            if (!v)
                return std::nullopt;
            const qsizetype colon = v->indexOf(u':');
            const QString headerName = colon > 0 ? v->left(colon).trimmed() : QString();
            if (colon <= 0 || headerName.isEmpty() || headerName.contains(u' ')) {
                return fail(QStringLiteral("-H/--header: \"%1\" is not \"Name: value\"").arg(*v));
            }
            o.headers.append({ headerName.toUtf8(), v->mid(colon + 1).trimmed().toUtf8() });
            clientOnly << name;
        } else if (name == QLatin1String("-s") || name == QLatin1String("--subprotocol")) {
            const auto v = value(QStringLiteral("-s/--subprotocol"));
            if (!v)
                return std::nullopt;
            if (v->isEmpty() || v->contains(u',') || v->contains(u' '))
                return fail(QStringLiteral("-s/--subprotocol: \"%1\" is not a single token").arg(*v));
            o.subprotocols << *v; // with --serve: accepted rather than offered
        } else if (name == QLatin1String("--origin")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            o.origin = *v;
            clientOnly << name;
        } else if (name == QLatin1String("--engine")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            const std::optional<ConnectionOptions::Engine> engine = ClientEngine::engineFromKey(*v);
            if (!engine)
                return fail(QStringLiteral("--engine: \"%1\" is not an engine (inspector or qt)").arg(*v));
            o.engine = *engine;
            engineGiven = true; // a client's engine, or with --serve the server's
        } else if (name == QLatin1String("--no-deflate")) {
            if (!noValue())
                return std::nullopt;
            o.deflate.reset();
            clientOnly << name;
        } else if (name == QLatin1String("--deflate")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            QString why;
            o.deflate = PerMessageDeflate::Offer::fromParameters(v->toUtf8(), &why);
            if (!o.deflate)
                return fail(QStringLiteral("--deflate: %1").arg(why));
            clientOnly << name;
        } else if (name == QLatin1String("-k") || name == QLatin1String("--insecure")) {
            if (!noValue())
                return std::nullopt;
            o.insecure = true;
            clientOnly << name;
        } else if (name == QLatin1String("--cacert") || name == QLatin1String("--cert") || name == QLatin1String("--key")
            || name == QLatin1String("--cert-pass")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (v->isEmpty() && name != QLatin1String("--cert-pass"))
                return fail(QStringLiteral("%1: the file name is empty").arg(name));
            if (name == QLatin1String("--cacert"))
                caFiles << *v;
            else if (name == QLatin1String("--cert"))
                certFile = *v;
            else if (name == QLatin1String("--key"))
                keyFile = *v;
            else
                certPass = v->toUtf8();
            clientOnly << name;
        } else if (name == QLatin1String("--via-proxy")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (*v == QLatin1String("none") || *v == QLatin1String("direct")) {
                o.proxy.source = ProxySetting::Source::Direct;
            } else {
                QString why;
                const auto proxy = OutgoingProxy::fromUrl(*v, &why);
                if (!proxy)
                    return fail(QStringLiteral("--via-proxy: %1").arg(why));
                o.proxy.source = ProxySetting::Source::Fixed;
                o.proxy.fixed = *proxy;
            }
            clientOnly << name;
        } else if (name == QLatin1String("--send")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            o.actions.append({ CliAction::Type::Text, v->toUtf8() });
            clientOnly << name;
        } else if (name == QLatin1String("--send-binary")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            // The composer's parser: the same input is accepted or refused, with the same words.
            const ComposerInput::Parsed hex = ComposerInput::fromHex(*v);
            if (!hex.ok())
                return fail(QStringLiteral("--send-binary: %1").arg(hex.error));
            o.actions.append({ CliAction::Type::Binary, hex.bytes });
            clientOnly << name;
        } else if (name == QLatin1String("--ping")) {
            QByteArray payload;
            if (inlineValue)
                payload = inlineValue->toUtf8();
            else if (args.hasNext() && !args.peek().startsWith(u'-') && !looksLikeUrl(args.peek()))
                payload = args.next().toUtf8();
            if (payload.size() > 125)
                o.warnings << QStringLiteral(
                    "--ping: a %1-byte payload exceeds the 125 bytes a control frame may carry; "
                    "sending it anyway")
                                  .arg(payload.size());
            o.actions.append({ CliAction::Type::Ping, payload });
            clientOnly << name;
        } else if (name == QLatin1String("--close")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            const qsizetype colon = v->indexOf(u':');
            const QString codeText = colon < 0 ? *v : v->left(colon);
            quint64 code = 0;
            if (!parseUnsigned(codeText, std::numeric_limits<quint64>::max(), code))
                return fail(QStringLiteral("--close: code \"%1\" is not a number").arg(codeText));
            if (code > 65535)
                return fail(QStringLiteral("--close: code %1 is out of range 0-65535").arg(code));
            const QByteArray reason = colon < 0 ? QByteArray() : v->mid(colon + 1).toUtf8();
            if (code == 0 && !reason.isEmpty())
                return fail(QStringLiteral("--close: code 0 sends a close frame without a code, so it cannot carry a "
                                           "reason"));
            if (code != 0 && !CloseCodes::maySend(quint16(code)))
                o.warnings << QStringLiteral("--close: %1 may not be sent in a close frame (RFC 6455 §7.4); sending "
                                             "it anyway")
                                  .arg(CloseCodes::label(quint16(code)));
            if (reason.size() > 123)
                o.warnings << QStringLiteral("--close: the reason is %1 bytes; a close frame has room for 123; "
                                             "sending it anyway")
                                  .arg(reason.size());
            o.close = std::make_pair(quint16(code), reason);
            clientOnly << name;
        } else if (name == QLatin1String("--expect")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            QString why;
            if (!Expectations::fromPatterns({ *v }, &why))
                return fail(QStringLiteral("--expect: %1").arg(why));
            o.expectations << *v;
            clientOnly << name;
        } else if (name == QLatin1String("--run") || name == QLatin1String("--junit")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (v->isEmpty())
                return fail(QStringLiteral("%1: the file name is empty").arg(name));
            if (name == QLatin1String("--run"))
                o.runFiles << *v;
            else
                o.junitPath = *v;
            clientOnly << name;
        } else if (name == QLatin1String("--replay") || name == QLatin1String("--replay-ignore")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (name == QLatin1String("--replay")) {
                if (v->isEmpty())
                    return fail(QStringLiteral("--replay: the file name is empty"));
                o.replayPath = *v;
            } else {
                const QRegularExpression pattern(*v);
                if (!pattern.isValid())
                    return fail(QStringLiteral("--replay-ignore: \"%1\" is not a regular expression: %2 (at offset %3)")
                                    .arg(*v, pattern.errorString())
                                    .arg(pattern.patternErrorOffset()));
                o.replayIgnore << *v;
            }
            clientOnly << name;
        } else if (name == QLatin1String("--timing")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (*v != QLatin1String("recorded") && *v != QLatin1String("fast"))
                return fail(QStringLiteral("--timing: \"%1\" is neither recorded nor fast").arg(*v));
            o.replayFast = *v == QLatin1String("fast");
            clientOnly << name;
        } else if (name == QLatin1String("--replay-conn")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            quint64 id = 0;
            if (!parseUnsigned(*v, 0xffffffffull, id) || id == 0)
                return fail(QStringLiteral("--replay-conn: \"%1\" is not a connection number (1, 2, ...)").arg(*v));
            o.replayConnection = quint32(id);
            clientOnly << name;
        } else if (name == QLatin1String("--expect-timeout") || name == QLatin1String("--wait")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            quint64 ms = 0;
            if (!parseUnsigned(*v, 24ull * 3600 * 1000, ms))
                return fail(QStringLiteral("%1: \"%2\" is not a number of milliseconds (0 to 86400000)").arg(name, *v));
            (name == QLatin1String("--wait") ? o.waitMs : o.expectTimeoutMs) = int(ms);
            clientOnly << name;
        } else if (name == QLatin1String("--keepalive")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            bool ok = false;
            const double seconds = v->toDouble(&ok);
            if (!ok || !(seconds >= 0.05 && seconds <= 86400))
                return fail(QStringLiteral("--keepalive: \"%1\" is not a number of seconds (0.05 to 86400)").arg(*v));
            o.keepAliveMs = int(seconds * 1000 + 0.5);
            clientOnly << name;
        } else if (name == QLatin1String("--reconnect")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            quint64 attempts = 0;
            if (!parseUnsigned(*v, 1'000'000, attempts))
                return fail(QStringLiteral("--reconnect: \"%1\" is not a number of attempts (0 for no limit, up to 1000000)").arg(*v));
            o.reconnectAttempts = int(attempts);
            clientOnly << name;
        } else if (name == QLatin1String("--reconnect-delay")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            quint64 first = 0, longest = 0;
            const QString firstText = v->section(QLatin1Char(':'), 0, 0);
            const QString longestText = v->contains(QLatin1Char(':')) ? v->section(QLatin1Char(':'), 1) : QString();
            if (!parseUnsigned(firstText, 24ull * 3600 * 1000, first) || first == 0
                || (!longestText.isNull() && (!parseUnsigned(longestText, 24ull * 3600 * 1000, longest) || longest < first)))
                return fail(QStringLiteral("--reconnect-delay: \"%1\" is not MS or MS:MAX_MS (milliseconds, 1 to 86400000, "
                                           "the longest not below the first)").arg(*v));
            o.reconnectFirstDelayMs = int(first);
            o.reconnectMaxDelayMs = longestText.isNull() ? std::max<int>(int(first), o.reconnectMaxDelayMs) : int(longest);
            clientOnly << name;
        } else if (name == QLatin1String("--pong-timeout")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            quint64 ms = 0;
            if (!parseUnsigned(*v, 24ull * 3600 * 1000, ms) || ms == 0)
                return fail(QStringLiteral("--pong-timeout: \"%1\" is not a number of milliseconds (1 to 86400000)").arg(*v));
            o.pongTimeoutMs = int(ms);
            clientOnly << name;
        } else if (name == QLatin1String("--stdin")) {
            if (!noValue())
                return std::nullopt;
            o.readStdin = true;
            clientOnly << name;
        } else if (name == QLatin1String("--no-auto-pong")) {
            if (!noValue())
                return std::nullopt;
            o.autoPong = false;
            clientOnly << name;
        } else if (name == QLatin1String("--fragment-size") || name == QLatin1String("--max-message-size")
            || name == QLatin1String("--handshake-timeout") || name == QLatin1String("--close-timeout")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            const bool isTimeout = name.endsWith(QLatin1String("timeout"));
            quint64 n = 0;
            const quint64 max = isTimeout ? quint64(std::numeric_limits<int>::max()) : (1ull << 62);
            if (!parseUnsigned(*v, std::numeric_limits<quint64>::max(), n))
                return fail(QStringLiteral("%1: \"%2\" is not a number").arg(name, *v));
            if (n > max)
                return fail(QStringLiteral("%1: %2 is too large (at most %3)").arg(name).arg(n).arg(max));
            if (name == QLatin1String("--fragment-size")) {
                o.fragmentSize = qsizetype(n);
            } else if (name == QLatin1String("--max-message-size")) {
                if (n == 0)
                    return fail(QStringLiteral("--max-message-size: 0 would refuse every message"));
                o.maxMessageSize = n;
            } else {
                if (n == 0)
                    return fail(QStringLiteral("%1: must be at least 1 ms").arg(name));
                (name == QLatin1String("--handshake-timeout") ? o.handshakeTimeoutMs : o.closeTimeoutMs) = int(n);
            }
            if (name != QLatin1String("--max-message-size")) // a limit of the server too
                clientOnly << name;
        } else if (name == QLatin1String("--format")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (*v == QLatin1String("text"))
                o.format = Format::Text;
            else if (*v == QLatin1String("jsonl"))
                o.format = Format::Jsonl;
            else
                return fail(QStringLiteral("--format: \"%1\" is not text or jsonl").arg(*v));
        } else if (name == QLatin1String("--socketio")) {
            o.socketIo = true;
            clientOnly << name;
        } else if (name == QLatin1String("--namespace")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (!v->startsWith(u'/'))
                return fail(QStringLiteral("--namespace: \"%1\" does not start with /").arg(*v));
            o.socketIoNamespace = v->toUtf8();
            socketIoOnly << name;
            clientOnly << name;
        } else if (name == QLatin1String("--auth")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (const auto problem = JsonText::check(*v))
                return fail(QStringLiteral("--auth: %1").arg(problem->message));
            if (!v->trimmed().startsWith(u'{'))
                return fail(QStringLiteral("--auth: Socket.IO's auth is a JSON object, like '{\"token\":\"abc\"}'"));
            o.socketIoAuth = JsonText::compact(*v).toUtf8();
            socketIoOnly << name;
            clientOnly << name;
        } else if (name == QLatin1String("--emit")) {
            const auto event = value(name);
            if (!event)
                return std::nullopt;
            if (!args.hasNext())
                return fail(QStringLiteral("--emit %1: the JSON argument is missing (\"\" for none)").arg(*event));
            const QString argument = args.next();
            if (const QString problem = SocketIoClient::emitProblem(*event, argument.toUtf8()); !problem.isEmpty())
                return fail(QStringLiteral("--emit: %1").arg(problem));
            o.socketIoEmits << SocketIoEmit { *event, argument.toUtf8() };
            socketIoOnly << name;
            clientOnly << name;
        } else if (name == QLatin1String("--no-engine-pong")) {
            o.engineIoPong = false;
            socketIoOnly << name;
            clientOnly << name;
        } else if (name == QLatin1String("--ack-timeout")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            quint64 n = 0;
            if (!parseUnsigned(*v, 3'600'000, n) || n == 0)
                return fail(QStringLiteral("--ack-timeout: \"%1\" is not a number of milliseconds from 1 to 3600000").arg(*v));
            o.ackTimeoutMs = int(n);
            socketIoOnly << name;
            clientOnly << name;
        } else if (name == QLatin1String("--decode")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            const auto choice = Decode::Choice::fromName(*v);
            if (!choice) {
                QStringList names { QStringLiteral("auto"), QStringLiteral("none") };
                for (const Decode::Protocol p : Decode::allProtocols())
                    names << Decode::protocolId(p);
                return fail(QStringLiteral("--decode: \"%1\" is not one of %2").arg(*v, names.join(QStringLiteral(", "))));
            }
            o.decode = *choice;
        } else if (name == QLatin1String("--capture")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (v->isEmpty())
                return fail(QStringLiteral("--capture: the file name is empty"));
            o.capturePath = *v;
        } else if (name == QLatin1String("--serve")) {
            serve = true;
            if (!takePort(o.port))
                return std::nullopt;
        } else if (name == QLatin1String("--relay")) {
            relay = true;
            o.port = RelayPort;
            if (!takePort(o.port))
                return std::nullopt;
        } else if (name == QLatin1String("--proxy")) {
            proxy = true;
            o.port = ProxyPort;
            if (!takePort(o.port))
                return std::nullopt;
        } else if (name == QLatin1String("--convert")) {
            const auto in = value(name);
            if (!in)
                return std::nullopt;
            if (args.atEnd())
                return fail(QStringLiteral("--convert takes two files: IN OUT"));
            o.convertIn = *in;
            o.convertOut = args.next();
        } else if (name == QLatin1String("--export-ca")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (v->isEmpty())
                return fail(QStringLiteral("--export-ca: the file name is empty"));
            o.exportCaPath = *v;
        } else if (name == QLatin1String("--intercept-rule")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            QString why;
            const std::optional<MessageRules> rules = MessageRules::fromFile(*v, &why);
            if (!rules)
                return fail(QStringLiteral("--intercept-rule: %1").arg(why));
            auto all = std::make_shared<MessageRules>(o.rules ? *o.rules : MessageRules());
            for (qsizetype i = 0; i < rules->size(); ++i)
                if (!all->add(rules->at(i), &why))
                    return fail(QStringLiteral("--intercept-rule: %1: %2").arg(*v, why));
            o.rules = std::move(all);
        } else if (name == QLatin1String("--no-intercept")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (const QString problem = ProxyServer::patternProblem(*v); !problem.isEmpty())
                return fail(QStringLiteral("--no-intercept: %1").arg(problem));
            o.noIntercept << *v;
        } else if (name == QLatin1String("--insecure-host")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (const QString problem = ProxyServer::patternProblem(*v); !problem.isEmpty())
                return fail(QStringLiteral("--insecure-host: %1").arg(problem));
            o.insecureHosts << *v;
        } else if (name == QLatin1String("--to")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            relayTo = *v;
        } else if (name == QLatin1String("--mode")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            if (*v == QLatin1String("echo"))
                o.serveMode = ServeMode::Echo;
            else if (*v == QLatin1String("broadcast"))
                o.serveMode = ServeMode::Broadcast;
            else
                return fail(QStringLiteral("--mode: \"%1\" is not echo or broadcast").arg(*v));
            serveOnly << name;
        } else if (name == QLatin1String("--bind")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            QHostAddress address;
            if (*v == QLatin1String("localhost"))
                address = QHostAddress(QHostAddress::LocalHost);
            else if (!address.setAddress(*v))
                return fail(QStringLiteral("--bind: \"%1\" is not an IP address").arg(*v));
            o.bindAddress = address;
            serveOnly << name;
        } else if (name == QLatin1String("--delay") || name == QLatin1String("--fragment")
            || name == QLatin1String("--reject") || name == QLatin1String("--max-clients")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            quint64 n = 0;
            if (!parseUnsigned(*v, std::numeric_limits<quint64>::max(), n))
                return fail(QStringLiteral("%1: \"%2\" is not a number").arg(name, *v));
            // Beyond what the fields hold; ServerBehaviour::problems() checks the real limits.
            const quint64 max = name == QLatin1String("--fragment") ? quint64(ServerBehaviour::MaxFragmentSize)
                : name == QLatin1String("--delay")                  ? quint64(ServerBehaviour::MaxReplyDelayMs)
                : name == QLatin1String("--reject")                 ? quint64(599)
                                                                    : quint64(ServerBehaviour::MaxClientsLimit);
            if (n > quint64(std::numeric_limits<int>::max()))
                return fail(QStringLiteral("%1: %2 is too large (at most %3)").arg(name).arg(n).arg(max));
            if (name == QLatin1String("--delay"))
                o.behaviour.replyDelayMs = int(n);
            else if (name == QLatin1String("--fragment"))
                o.behaviour.fragmentSize = qint64(n);
            else if (name == QLatin1String("--reject"))
                o.behaviour.rejectStatus = int(n);
            else
                o.behaviour.maxClients = int(n);
            serveOnly << name;
        } else if (name == QLatin1String("--ping-every")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            qint64 ms = 0;
            if (!parseSeconds(*v, ms))
                return fail(QStringLiteral("--ping-every: \"%1\" is not a number of seconds (e.g. 1 or 0.5)").arg(*v));
            if (ms > ServerBehaviour::MaxPingIntervalMs)
                return fail(QStringLiteral("--ping-every: %1 s is more than a day (at most %2)")
                                .arg(*v)
                                .arg(ServerBehaviour::MaxPingIntervalMs / 1000));
            o.behaviour.pingIntervalMs = int(ms);
            serveOnly << name;
        } else if (name == QLatin1String("--close-after")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            // N[:CODE[:REASON]]; the reason may itself contain colons.
            const QStringList parts = v->split(u':');
            const QString countText = parts.value(0);
            quint64 count = 0;
            if (!parseUnsigned(countText, std::numeric_limits<quint64>::max(), count))
                return fail(QStringLiteral("--close-after: count \"%1\" is not a number").arg(countText));
            if (count == 0)
                return fail(QStringLiteral("--close-after: the count must be at least 1"));
            if (count > quint64(std::numeric_limits<int>::max()))
                return fail(QStringLiteral("--close-after: count %1 is too large").arg(count));
            o.behaviour.closeAfterMessages = int(count);
            if (parts.size() > 1) {
                quint64 code = 0;
                if (!parseUnsigned(parts[1], std::numeric_limits<quint64>::max(), code))
                    return fail(QStringLiteral("--close-after: code \"%1\" is not a number").arg(parts[1]));
                if (code > 65535)
                    return fail(QStringLiteral("--close-after: code %1 is out of range 0-65535").arg(code));
                o.behaviour.closeCode = quint16(code);
            }
            if (parts.size() > 2)
                o.behaviour.closeReason = parts.mid(2).join(u':');
            serveOnly << name;
        } else if (name == QLatin1String("--allow-origin")) {
            const auto v = value(name);
            if (!v)
                return std::nullopt;
            o.behaviour.allowedOrigins << *v;
            serveOnly << name;
        } else {
            return fail(QStringLiteral("unknown option \"%1\"").arg(name));
        }
        if (!error.isEmpty())
            return std::nullopt;
    }

    for (const QString &file : std::as_const(caFiles)) {
        QString why;
        const auto certificates = ClientTls::readCaFile(file, &why);
        if (!certificates)
            return fail(QStringLiteral("--cacert: %1").arg(why));
        o.tls.extraCaCertificates += *certificates;
    }
    if ((!keyFile.isEmpty() || certPass) && certFile.isEmpty())
        return fail(QStringLiteral("%1 applies to --cert").arg(keyFile.isEmpty() ? QStringLiteral("--cert-pass") : QStringLiteral("--key")));
    if (!certFile.isEmpty()) {
        // The passphrase from the command line, else from the environment (kept out of `ps`).
        const QByteArray passphrase = certPass ? *certPass : qgetenv("WSI_CERT_PASSPHRASE");
        QString why;
        const auto identity = ClientTls::readClientIdentity(certFile, keyFile, passphrase, &why);
        if (!identity)
            return fail(QStringLiteral("--cert: %1").arg(why));
        const auto cas = o.tls.extraCaCertificates;
        o.tls = *identity;
        o.tls.extraCaCertificates = cas;
    }
    if (!o.convertIn.isEmpty()) {
        if (serve || relay || proxy || engineGiven || !positional.isEmpty() || !clientOnly.isEmpty()
            || !serveOnly.isEmpty() || !o.exportCaPath.isEmpty())
            return fail(QStringLiteral("--convert takes nothing but its two files"));
        if (CaptureFiles::formatOf(o.convertIn) == CaptureFiles::Format::Pcapng)
            return fail(QStringLiteral("--convert: \"%1\": pcapng is written, not read (it holds the bytes on the wire, "
                                       "not what was recorded of them); convert its session file (.jsonl) instead")
                            .arg(o.convertIn));
        o.mode = Mode::Convert;
        return o;
    }
    if (!o.exportCaPath.isEmpty()) {
        if (serve || relay || proxy || engineGiven || !positional.isEmpty() || !clientOnly.isEmpty()
            || !serveOnly.isEmpty())
            return fail(QStringLiteral("--export-ca takes nothing but its file"));
        o.mode = Mode::ExportCa;
        return o;
    }
    if ((proxy || relay) && engineGiven)
        return fail(QStringLiteral("--engine applies to a client or to --serve; a relay watches the application's own engine"));
    if (proxy) {
        if (serve || relay)
            return fail(QStringLiteral("--proxy cannot be used with %1")
                            .arg(serve ? QStringLiteral("--serve") : QStringLiteral("--relay")));
        o.mode = Mode::Proxy;
        static const QStringList proxyClientOptions { QStringLiteral("-k"), QStringLiteral("--insecure"),
            QStringLiteral("--handshake-timeout"), QStringLiteral("--max-message-size"), QStringLiteral("--via-proxy") };
        for (const QString &option : std::as_const(clientOnly))
            if (!proxyClientOptions.contains(option))
                return fail(QStringLiteral("%1 is a client option; it cannot be used with --proxy").arg(option));
        for (const QString &option : std::as_const(serveOnly))
            if (option != QLatin1String("--bind"))
                return fail(QStringLiteral("%1 is a --serve option; it cannot be used with --proxy").arg(option));
        if (!relayTo.isNull())
            return fail(QStringLiteral("--to is for --relay; a proxy's clients name their servers themselves"));
        if (!o.subprotocols.isEmpty() || !positional.isEmpty())
            return fail(QStringLiteral("--proxy takes no URL or subprotocol: its clients bring their own"));
        return o;
    }
    if (!o.noIntercept.isEmpty())
        return fail(QStringLiteral("--no-intercept only applies with --proxy"));
    if (o.rules && !relay)
        return fail(QStringLiteral("--intercept-rule only applies with --relay or --proxy"));
    if (!o.insecureHosts.isEmpty())
        return fail(QStringLiteral("--insecure-host only applies with --proxy (-k accepts every certificate error)"));
    if (relay) {
        if (serve)
            return fail(QStringLiteral("--relay and --serve cannot be used together"));
        o.mode = Mode::Relay;
        static const QStringList relayClientOptions { QStringLiteral("--origin"), QStringLiteral("-k"),
            QStringLiteral("--insecure"), QStringLiteral("--handshake-timeout"), QStringLiteral("--max-message-size"),
            QStringLiteral("--cacert"), QStringLiteral("--cert"), QStringLiteral("--key"), QStringLiteral("--cert-pass"),
            QStringLiteral("--via-proxy") };
        for (const QString &option : std::as_const(clientOnly))
            if (!relayClientOptions.contains(option))
                return fail(QStringLiteral("%1 is a client option; it cannot be used with --relay").arg(option));
        for (const QString &option : std::as_const(serveOnly))
            if (option != QLatin1String("--bind"))
                return fail(QStringLiteral("%1 is a --serve option; it cannot be used with --relay").arg(option));
        if (!o.subprotocols.isEmpty())
            return fail(QStringLiteral("-s/--subprotocol cannot be used with --relay: the application offers its own"));
        if (!positional.isEmpty())
            return fail(QStringLiteral("--relay takes the server's URL after --to (got \"%1\")").arg(positional));
        if (relayTo.isNull())
            return fail(QStringLiteral("--relay needs --to URL: the server to relay to"));
        o.relayTo = QUrl(relayTo, QUrl::StrictMode);
        const QString problem = ClientConnection::urlProblem(o.relayTo);
        if (!problem.isEmpty())
            return fail(QStringLiteral("--to: %1").arg(problem));
        return o;
    }
    if (!relayTo.isNull())
        return fail(QStringLiteral("--to only applies with --relay"));
    if (serve) {
        o.mode = Mode::Serve;
        if (!clientOnly.isEmpty()) {
            const QString &option = clientOnly.first();
            QString hint;
            if (option == QLatin1String("--origin"))
                hint = QStringLiteral(" (the server's is --allow-origin)");
            else if (option == QLatin1String("--fragment-size"))
                hint = QStringLiteral(" (the server's is --fragment)");
            return fail(QStringLiteral("%1 is a client option; it cannot be used with --serve%2").arg(option, hint));
        }
        if (!positional.isEmpty())
            return fail(QStringLiteral("--serve takes no URL (got \"%1\")").arg(positional));
        o.serverEngine = engineGiven && o.engine == ConnectionOptions::Engine::Inspector
            ? EmbeddedServer::Engine::Inspector
            : EmbeddedServer::Engine::Qt;
        o.behaviour.subprotocols = o.subprotocols;
        if (o.maxMessageSize)
            o.behaviour.maxMessageSize = *o.maxMessageSize;
        const QList<ServerBehaviour::Problem> problems = o.behaviour.problems();
        if (!problems.isEmpty())
            return fail(optionFor(problems.first().setting) + QStringLiteral(": ") + problems.first().message);
        return o;
    }
    if (!serveOnly.isEmpty())
        return fail(serveOnly.first() == QLatin1String("--bind")
                ? QStringLiteral("--bind only applies with --serve, --relay or --proxy")
                : QStringLiteral("%1 only applies with --serve").arg(serveOnly.first()));
    if (positional.isEmpty())
        return fail(QStringLiteral("missing URL"));
    o.url = QUrl(positional, QUrl::StrictMode);
    if (!socketIoOnly.isEmpty() && !o.socketIo)
        return fail(QStringLiteral("%1 only applies with --socketio").arg(socketIoOnly.first()));
    if (o.socketIo && o.url.isValid())
        o.url = SocketIoClient::engineUrl(o.url);
    const QString problem = ClientConnection::urlProblem(o.url);
    if (!problem.isEmpty())
        return fail(problem);
    if (!o.junitPath.isEmpty() && o.runFiles.isEmpty())
        return fail(QStringLiteral("--junit only applies with --run"));
    if (!o.runFiles.isEmpty()) {
        // A test file says what to send and expect; the same from the command line would mix two scripts.
        static const QStringList scripted { QStringLiteral("--send"), QStringLiteral("--send-binary"), QStringLiteral("--ping"),
            QStringLiteral("--close"), QStringLiteral("--stdin"), QStringLiteral("--expect"), QStringLiteral("--expect-timeout"),
            QStringLiteral("--wait"), QStringLiteral("--socketio") };
        for (const QString &option : std::as_const(clientOnly))
            if (scripted.contains(option))
                return fail(QStringLiteral("%1 cannot be used with --run: the test file says what to send and expect").arg(option));
        if (o.socketIo)
            return fail(QStringLiteral("--socketio cannot be used with --run: the test file says what to send and expect"));
        if (o.keepAliveMs > 0)
            return fail(QStringLiteral("--keepalive cannot be used with --run: each test file's connection is its own"));
    }
    if (!o.replayPath.isEmpty()) {
        // The recording says what to send.
        static const QStringList scripted { QStringLiteral("--send"), QStringLiteral("--send-binary"), QStringLiteral("--ping"),
            QStringLiteral("--close"), QStringLiteral("--stdin"), QStringLiteral("--expect"), QStringLiteral("--expect-timeout"),
            QStringLiteral("--run"), QStringLiteral("--reconnect"), QStringLiteral("--keepalive") };
        for (const QString &option : std::as_const(clientOnly))
            if (scripted.contains(option))
                return fail(QStringLiteral("%1 cannot be used with --replay: the recording says what to send").arg(option));
        if (o.socketIo)
            return fail(QStringLiteral("--socketio cannot be used with --replay: the recording says what to send"));
        if (!clientOnly.contains(QStringLiteral("--wait")))
            o.waitMs = 2'000;
    } else {
        for (const QString &option : { QStringLiteral("--timing"), QStringLiteral("--replay-conn"), QStringLiteral("--replay-ignore") })
            if (clientOnly.contains(option))
                return fail(QStringLiteral("%1 applies to --replay").arg(option));
    }
    if (clientOnly.contains(QStringLiteral("--pong-timeout")) && o.keepAliveMs == 0)
        return fail(QStringLiteral("--pong-timeout applies to --keepalive"));
    if (clientOnly.contains(QStringLiteral("--reconnect-delay")) && !o.reconnectAttempts)
        return fail(QStringLiteral("--reconnect-delay applies to --reconnect"));
    if (o.reconnectAttempts) {
        // Each of these checks one conversation; a reconnect would start another halfway.
        const QString other = !o.runFiles.isEmpty() ? QStringLiteral("--run")
            : !o.expectations.isEmpty()             ? QStringLiteral("--expect")
            : o.socketIo                            ? QStringLiteral("--socketio")
                                                    : QString();
        if (!other.isEmpty())
            return fail(QStringLiteral("--reconnect cannot be used with %1: it follows one connection from start to end").arg(other));
    }
    if (o.engine == ConnectionOptions::Engine::Qt) {
        // What QWebSocket 6.4 cannot do, refused here rather than silently not done.
        if (clientOnly.contains(QStringLiteral("--deflate")))
            return fail(QStringLiteral("--deflate cannot be used with --engine qt: QWebSocket offers no extensions"));
        if (!o.autoPong)
            return fail(QStringLiteral("--no-auto-pong cannot be used with --engine qt: QWebSocket always answers pings"));
        if (o.close && o.close->first == 0)
            return fail(QStringLiteral("--close 0 cannot be used with --engine qt: QWebSocket always sends a status code"));
    }
    return o;
}

RelayOptions CliOptions::relayOptions() const
{
    RelayOptions r;
    r.to = relayTo;
    r.origin = origin;
    r.allowCertificateErrors = insecure;
    r.tls = tls;
    r.proxy = proxy;
    r.handshakeTimeoutMs = handshakeTimeoutMs;
    if (maxMessageSize) {
        r.limits.maxMessageSize = *maxMessageSize;
        r.limits.maxFrameSize = *maxMessageSize;
    }
    r.rules = rules;
    return r;
}

ProxyOptions CliOptions::proxyOptions() const
{
    ProxyOptions p;
    p.relay = relayOptions();
    p.noIntercept = noIntercept;
    p.insecureHosts = insecureHosts;
    return p;
}

ConnectionOptions CliOptions::connectionOptions() const
{
    ConnectionOptions c;
    c.engine = engine;
    c.url = url;
    c.headers = headers;
    c.subprotocols = subprotocols;
    c.deflate = deflate;
    c.origin = origin;
    c.allowCertificateErrors = insecure;
    c.tls = tls;
    c.proxy = proxy;
    c.handshakeTimeoutMs = handshakeTimeoutMs;
    c.closeTimeoutMs = closeTimeoutMs;
    c.autoPong = autoPong;
    c.fragmentSize = fragmentSize;
    if (maxMessageSize) {
        c.limits.maxMessageSize = *maxMessageSize;
        c.limits.maxFrameSize = *maxMessageSize; // a frame larger than the largest message is too large too
    }
    return c;
}
