#include "eventfixtures.h"
#include "log/capture.h"
#include "log/capturefiles.h"
#include "log/interceptnote.h"
#include "log/pcapngwriter.h"
#include "protocol/framewriter.h"
#include "protocol/messagedeflate.h"

#include <QBuffer>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

namespace {
// What a test expects to find in the file, written down as the capture is built and never taken
// from the writer: each TCP stream's endpoints and exact bytes each way, and every WebSocket frame.
struct ExpectedStream {
    QString client, server; // addresses as tshark prints them
    quint16 clientPort = 0, serverPort = 0;
    bool closed = true; // ends with FIN
    bool clientMadeUp = false; // the capture does not know the client's address and port
    QByteArray toServer, toClient; // every byte each way, in order
    QByteArray request, response; // the handshake
    qint64 requestUs = 0, responseUs = 0;
};

ExpectedStream endpoints(const QString &client, quint16 clientPort, const QString &server, quint16 serverPort)
{
    ExpectedStream s;
    s.clientMadeUp = clientPort >= 40000 && clientPort < 40100; // the made-up ones of these tests
    s.client = client;
    s.clientPort = clientPort;
    s.server = server;
    s.serverPort = serverPort;
    return s;
}

struct ExpectedFrame {
    int stream = 0;
    bool fromClient = true;
    quint8 opcode = 0;
    bool fin = true;
    quint8 rsv = 0;
    bool masked = false;
    quint32 key = 0;
    QByteArray payload; // unmasked, as on the wire (compressed for a compressed frame)
    qint64 timeUs = 0;
    // The final frame of a data message: the whole message as tshark reassembles (and inflates) it.
    quint8 messageOpcode = 0;
    QByteArray message;
};

struct Expected {
    QList<ExpectedStream> streams;
    QList<ExpectedFrame> frames;
    QStringList comments; // packet comments that must be in the file
};

// 2026-11-21T05:30:00.123456Z plus `ms` milliseconds and a few µs, so that a lost microsecond shows.
qint64 at(int ms)
{
    return fixedTime() + qint64(ms) * 1000 + ms % 7;
}

QByteArray clientRequest(const QByteArray &host, const QByteArray &extra = {})
{
    return "GET /chat?room=1 HTTP/1.1\r\nHost: " + host
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n"
        + extra + "\r\n";
}

QByteArray serverResponse(const QByteArray &extra = {})
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
        + extra + "\r\n";
}

// Records one stream's events as its engine does: the handshake bytes, frames with their exact
// header (masking key included) and unmasked payload, the local events; and notes what the file
// must hold for them.
class StreamRecorder {
public:
    StreamRecorder(
        Capture &capture, Expected &expected, quint32 connectionId, Leg leg, bool inspectorIsClient, int stream)
        : m_capture(capture)
        , m_expected(expected)
        , m_id(connectionId)
        , m_leg(leg)
        , m_inspectorIsClient(inspectorIsClient)
        , m_stream(stream)
    {
    }

    void local(EventKind kind, int ms, const QByteArray &text, ReadyState state = ReadyState::Open)
    {
        WireEvent e = simpleEvent(kind, Direction::Local, text);
        e.state = state;
        record(e, ms);
    }
    void request(int ms, const QByteArray &bytes)
    {
        record(simpleEvent(EventKind::HandshakeRequest, direction(true), bytes), ms);
        ExpectedStream &s = m_expected.streams[m_stream];
        s.toServer += bytes;
        s.request = bytes;
        s.requestUs = at(ms);
    }
    void response(int ms, const QByteArray &bytes)
    {
        record(simpleEvent(EventKind::HandshakeResponse, direction(false), bytes), ms);
        ExpectedStream &s = m_expected.streams[m_stream];
        s.toClient += bytes;
        s.response = bytes;
        s.responseUs = at(ms);
    }
    // A frame sent by the client (masked with `key`) or the server, recorded on this stream.
    void frame(int ms, bool fromClient, quint8 opcode, const QByteArray &payload, bool fin = true, quint8 rsv = 0,
        const QByteArray &inflated = {}, quint32 key = 0x1a2b3c4d)
    {
        const EncodedFrame encoded = encode(fromClient, opcode, payload, fin, rsv, key);
        WireEvent e = frameEvent(direction(fromClient), encoded.header(), payload);
        e.compressed = rsv & Rsv::Rsv1;
        e.hasInflated = !inflated.isEmpty();
        e.inflated = inflated;
        record(e, ms);
        expectFrame(m_stream, fromClient, encoded, payload, at(ms));
        // The message it ends, as tshark joins its fragments (and inflates it).
        Message &m = m_messages[fromClient];
        if (opcode == Opcode::Text || opcode == Opcode::Binary)
            m = Message { opcode, {} };
        if (opcode == Opcode::Text || opcode == Opcode::Binary || opcode == Opcode::Continuation) {
            m.bytes += payload;
            if (fin && m.opcode) {
                m_expected.frames.last().messageOpcode = m.opcode;
                m_expected.frames.last().message = inflated.isEmpty() ? m.bytes : inflated;
                m = Message {};
            }
        }
    }
    // The same frame seen on `stream` (a relay forwarding it), at `timeUs`.
    void expectFrame(int stream, bool fromClient, const EncodedFrame &encoded, const QByteArray &payload, qint64 timeUs)
    {
        FrameHeader h;
        FrameHeader::decode(encoded.header(), h);
        ExpectedFrame f;
        f.stream = stream;
        f.fromClient = fromClient;
        f.opcode = h.opcode;
        f.fin = h.fin;
        f.rsv = h.rsv;
        f.masked = h.masked;
        f.key = h.maskingKey;
        f.payload = payload;
        f.timeUs = timeUs;
        if (h.fin && (h.opcode == Opcode::Text || h.opcode == Opcode::Binary)) {
            f.messageOpcode = h.opcode;
            f.message = payload;
        }
        m_expected.frames << f;
        ExpectedStream &s = m_expected.streams[stream];
        (fromClient ? s.toServer : s.toClient) += encoded.bytes;
    }
    static EncodedFrame encode(
        bool fromClient, quint8 opcode, const QByteArray &payload, bool fin, quint8 rsv, quint32 key)
    {
        FrameSpec spec;
        spec.opcode = opcode;
        spec.fin = fin;
        spec.rsv = rsv;
        spec.mask = fromClient;
        spec.maskingKey = key;
        spec.payload = payload;
        return FrameWriter::encode(spec);
    }
    // A frame the peer sent that arrived on this stream: recorded here as incoming, with the relay's
    // delay, and expected both here and, `delayUs` later, on the other leg's stream.
    EncodedFrame relayed(int ms, const QByteArray &payload, quint8 opcode, int otherStream, qint32 delayUs,
        quint32 messageId = 0, bool forwarded = true)
    {
        const bool fromClient = !m_inspectorIsClient; // the peer of this leg sent it
        const EncodedFrame encoded = encode(fromClient, opcode, payload, true, 0, 0x0badf00d + quint32(ms));
        WireEvent e = frameEvent(Direction::Incoming, encoded.header(), payload);
        e.relayDelayUs = delayUs;
        e.messageId = messageId;
        record(e, ms);
        expectFrame(m_stream, fromClient, encoded, payload, at(ms));
        if (forwarded)
            expectFrame(otherStream, fromClient, encoded, payload, at(ms) + std::max(delayUs, 0));
        return encoded;
    }
    // A frame the relay wrote itself on this leg (intercept): outgoing here.
    void written(int ms, const QByteArray &payload)
    {
        frame(ms, m_inspectorIsClient, Opcode::Text, payload, true, 0, {}, 0x77777777);
    }
    void violation(int ms, ViolationRule rule, const QByteArray &description, QByteArrayView header)
    {
        WireEvent e = incomingViolationEvent(rule, 1002, header, description);
        record(e, ms);
    }
    void intercept(int ms, const InterceptNote &note)
    {
        const QByteArray json = note.toJson();
        record(simpleEvent(EventKind::Intercept, Direction::Local, json), ms);
    }

private:
    Direction direction(bool fromClient) const
    {
        return fromClient == m_inspectorIsClient ? Direction::Outgoing : Direction::Incoming;
    }
    void record(WireEvent e, int ms)
    {
        e.connectionId = m_id;
        e.leg = m_leg;
        e.timeUs = at(ms);
        m_capture.record(e);
    }
    struct Message {
        quint8 opcode = 0;
        QByteArray bytes;
    };
    Capture &m_capture;
    Expected &m_expected;
    Message m_messages[2]; // being sent by the server, by the client
    quint32 m_id;
    Leg m_leg;
    bool m_inspectorIsClient;
    int m_stream;
};

enum class Scenario { Client, SecureClient, Ipv6Client, NamedServer, EmbeddedServer, Relay, Intercept };

QByteArray closePayload(quint16 code, const QByteArray &reason)
{
    return FrameWriter::closePayload(code, reason);
}

// A client connection as ClientConnection records it, with every kind of frame the brief names.
void clientConversation(StreamRecorder &r, bool compressed)
{
    r.frame(5, true, Opcode::Text, "hello");
    r.frame(6, false, Opcode::Text, "hello back");
    // A fragmented message each way: text split inside a code point, binary in three parts.
    r.frame(7, true, Opcode::Text, "caf\xc3", false);
    r.frame(8, true, Opcode::Continuation, "\xa9 au lait", true);
    r.frame(9, false, Opcode::Binary, QByteArray::fromHex("000102"), false);
    r.frame(10, false, Opcode::Continuation, QByteArray::fromHex("ff"), false);
    r.frame(11, false, Opcode::Continuation, QByteArray::fromHex("fe7f"), true);
    r.frame(12, true, Opcode::Ping, "are you there?");
    r.frame(13, false, Opcode::Pong, "are you there?");
    r.frame(14, false, Opcode::Ping, QByteArray());
    r.frame(15, true, Opcode::Pong, QByteArray());
    // 200 KiB each way: four IPv4 segments, the masked one masked across segment boundaries.
    r.frame(16, true, Opcode::Binary, pattern(200 * 1024 + 3, 1));
    r.frame(17, false, Opcode::Binary, pattern(200 * 1024, 2));
    if (compressed) {
        MessageDeflater deflater(15, false);
        const QByteArray text = "compressed, compressed, compressed, compressed!";
        const QByteArray wire = deflater.compress(text);
        r.frame(18, true, Opcode::Text, wire, true, Rsv::Rsv1, text);
        MessageDeflater serverDeflater(15, false);
        const QByteArray answer = "an answer, an answer, an answer";
        r.frame(19, false, Opcode::Text, serverDeflater.compress(answer), true, Rsv::Rsv1, answer);
    }
    r.violation(20, ViolationRule::ReservedOpcode, "reserved opcode 3", QByteArray::fromHex("8300"));
    r.frame(20, false, 0x3, QByteArray());
    r.frame(21, true, Opcode::Close, closePayload(1000, "bye \xe2\x9c\x93"));
    r.frame(22, false, Opcode::Close, closePayload(1000, "bye \xe2\x9c\x93"));
    r.local(EventKind::StateChange, 23, "CLOSED: 1000 (normal closure), wasClean=true, client closed first",
        ReadyState::Closed);
}

void build(Scenario scenario, Capture &capture, Expected &x, SessionHeader &header)
{
    switch (scenario) {
    case Scenario::Client:
    case Scenario::SecureClient:
    case Scenario::Ipv6Client: {
        const bool secure = scenario == Scenario::SecureClient;
        const bool v6 = scenario == Scenario::Ipv6Client;
        header.url = secure ? QStringLiteral("wss://127.0.0.1/chat?room=1")
            : v6            ? QStringLiteral("ws://[::1]:9002/chat?room=1")
                            : QStringLiteral("ws://127.0.0.1:9001/chat?room=1");
        // The inspector's own port is not recorded: 40000 + the connection id.
        const QString loopback = v6 ? QStringLiteral("::1") : QStringLiteral("127.0.0.1");
        x.streams << endpoints(loopback, 40007, loopback, quint16(secure ? 443 : v6 ? 9002 : 9001));
        StreamRecorder r(capture, x, 7, Leg::None, true, 0);
        r.local(EventKind::StateChange, 0, "CONNECTING to " + header.url.toUtf8(), ReadyState::Connecting);
        if (secure)
            r.local(
                EventKind::TlsInfo, 2, "TLS established: protocol TLSv1.3, cipher TLS_AES_256_GCM_SHA384 (256 bits)");
        const QByteArray host = secure ? "127.0.0.1" : v6 ? "[::1]:9002" : "127.0.0.1:9001";
        r.request(3, clientRequest(host, "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        r.response(4, serverResponse("Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        clientConversation(r, true);
        x.comments << QStringLiteral("violation reserved-opcode (RFC 6455 §5.2): reserved opcode 3");
        x.comments << QStringLiteral("state: CLOSED: 1000 (normal closure), wasClean=true, client closed first");
        if (secure)
            x.comments << QStringLiteral(
                "TLS: TLS established: protocol TLSv1.3, cipher TLS_AES_256_GCM_SHA384 (256 bits)");
        break;
    }
    case Scenario::NamedServer: {
        // Only a host name: a documentation address stands for it, the inspector's is made up too.
        header.url = QStringLiteral("ws://echo.example.org:8080/");
        x.streams << endpoints(QStringLiteral("192.0.2.1"), 40002, QStringLiteral("198.51.100.1"), 8080);
        x.streams.last().closed = false;
        StreamRecorder r(capture, x, 2, Leg::None, true, 0);
        r.request(1, clientRequest("echo.example.org:8080"));
        r.response(2, serverResponse());
        r.frame(3, true, Opcode::Text, "hi");
        r.frame(4, false, Opcode::Text, "hi");
        // Still open when the capture was saved: no FIN.
        break;
    }
    case Scenario::EmbeddedServer: {
        // The inspector as the server (wsinspector-cli --serve): the client's address is in its log.
        header.url = QStringLiteral("ws://127.0.0.1:8765/");
        x.streams << endpoints(QStringLiteral("127.0.0.1"), 51234, QStringLiteral("127.0.0.1"), 8765);
        StreamRecorder r(capture, x, 3, Leg::None, false, 0);
        r.local(EventKind::StateChange, 0, "OPEN: client 127.0.0.1:51234 connected");
        r.request(1, clientRequest("127.0.0.1:8765"));
        r.response(2, serverResponse());
        r.frame(3, true, Opcode::Text, "to the server");
        r.frame(4, false, Opcode::Text, "to the client");
        r.frame(5, true, Opcode::Close, closePayload(4000, "done"));
        r.frame(6, false, Opcode::Close, closePayload(4000, "done"));
        r.local(EventKind::StateChange, 7, "CLOSED: 4000", ReadyState::Closed);
        break;
    }
    case Scenario::Relay:
    case Scenario::Intercept: {
        // wsinspector-cli --relay: the application connects to the relay on 127.0.0.1:9100, the relay
        // to the server on 127.0.0.1:9200. Each leg is a stream; each frame is recorded once, on the
        // leg where it arrived, and forwarded to the other.
        header.url = QStringLiteral("ws://127.0.0.1:9200/");
        x.streams << endpoints(QStringLiteral("127.0.0.1"), 55126, QStringLiteral("127.0.0.1"), 9100);
        x.streams << endpoints(QStringLiteral("127.0.0.1"), 40005, QStringLiteral("127.0.0.1"), 9200);
        StreamRecorder app(capture, x, 5, Leg::App, false, 0);
        StreamRecorder server(capture, x, 5, Leg::Server, true, 1);
        app.local(EventKind::StateChange, 0,
            "CONNECTING (application 127.0.0.1:55126 connected; relaying to ws://127.0.0.1:9200/)",
            ReadyState::Connecting);
        app.request(1, clientRequest("127.0.0.1:9100"));
        server.request(2, clientRequest("127.0.0.1:9200"));
        server.response(3, serverResponse());
        app.response(3, serverResponse());
        server.local(EventKind::StateChange, 3, "OPEN");
        app.relayed(4, "from the application", Opcode::Text, 1, 150, 1);
        server.relayed(5, "from the server", Opcode::Text, 0, 90, 1);
        app.relayed(6, pattern(100 * 1024, 3), Opcode::Binary, 1, 1500, 2);
        server.relayed(7, "ping from the server", Opcode::Ping, 0, 10);
        if (scenario == Scenario::Intercept) {
            // Message 3 is edited by a rule: the original stays on the application's leg, what the
            // relay wrote instead goes to the server. Message 4 is dropped.
            app.relayed(8, "secret", Opcode::Text, 1, WireEvent::NotRelayed, 3, false);
            app.intercept(8, InterceptNote::make(InterceptNote::Action::Edited, 3, QStringLiteral("by rule 1"), { 1 }));
            server.written(8, "[redacted]");
            app.relayed(9, "dropped", Opcode::Text, 1, WireEvent::NotRelayed, 4, false);
            app.intercept(9, InterceptNote::make(InterceptNote::Action::Dropped, 4, QStringLiteral("by hand")));
            // Message 5 is held, then forwarded as it came: it reaches the server when it was let go.
            const EncodedFrame held = app.relayed(9, "held", Opcode::Text, 1, WireEvent::RelayHeld, 5, false);
            app.intercept(9, InterceptNote::make(InterceptNote::Action::Held, 5, QStringLiteral("held")));
            app.intercept(10, InterceptNote::make(InterceptNote::Action::Forwarded, 5, QStringLiteral("held 1 ms")));
            app.expectFrame(1, true, held, "held", at(10));
            x.comments << QStringLiteral("intercept: edited message 3: by rule 1");
        }
        app.relayed(10, closePayload(1001, "going away"), Opcode::Close, 1, 40, 0);
        server.relayed(11, closePayload(1001, "going away"), Opcode::Close, 0, 40, 0);
        server.local(EventKind::StateChange, 12, "the server closed its TCP connection");
        app.local(EventKind::StateChange, 13, "CLOSED: 1001 (going away), wasClean=true, application closed first",
            ReadyState::Closed);
        x.comments << QStringLiteral("state: the server closed its TCP connection");
        break;
    }
    }
}

// One packet as tshark dissected it (-T json -x): the fields the tests compare.
struct Packet {
    qint64 timeUs = 0;
    bool wholeMicroseconds = false; // frame.time_epoch has no digits past the microsecond
    QString src, dst;
    quint16 srcPort = 0, dstPort = 0;
    int ipLength = 0; // IPv4 total length, or the IPv6 header's 40 plus its payload length
    quint8 tcpFlags = 0;
    QByteArray tcpPayload;
    bool checksumsGood = false;
    bool tcpAnalysisFlags = false; // retransmission, lost segment, ... anything tshark found odd
    int completeness = 0;
    QStringList comments;
    QJsonObject layers;
};

// The first value of `key` anywhere under `value` (tshark nests fields in subtrees).
QJsonValue find(const QJsonValue &value, const QString &key)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.contains(key))
            return object.value(key);
        for (auto it = object.begin(); it != object.end(); ++it)
            if (const QJsonValue found = find(it.value(), key); !found.isUndefined())
                return found;
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            if (const QJsonValue found = find(item, key); !found.isUndefined())
                return found;
    }
    return QJsonValue(QJsonValue::Undefined);
}

QString text(const QJsonValue &value)
{
    return value.isArray() ? value.toArray().first().toString() : value.toString();
}

// The bytes of a field from its "_raw" companion (["68656c6c6f", offset, length, mask, type]).
QByteArray raw(const QJsonValue &scope, const QString &field)
{
    const QJsonValue value = find(scope, field + QStringLiteral("_raw"));
    if (!value.isArray())
        return {};
    const QJsonArray array = value.toArray();
    const QJsonValue first = array.first();
    return QByteArray::fromHex((first.isArray() ? first.toArray().first() : first).toString().toLatin1());
}

qint64 epochMicroseconds(const QString &epoch, bool *whole)
{
    const qsizetype dot = epoch.indexOf(u'.');
    const QString fraction = epoch.mid(dot + 1).leftJustified(9, u'0');
    *whole = fraction.mid(6).toInt() == 0;
    return epoch.left(dot).toLongLong() * 1000000 + fraction.left(6).toLongLong();
}

struct ReadBack {
    QString error; // tshark did not run, or said something unreadable
    QList<Packet> packets;
};

ReadBack runTshark(const QString &path, const QStringList &decodeArgs)
{
    ReadBack result;
    QProcess process;
    // -n: addresses as numbers; checksums checked; every field with its bytes (-x).
    const QStringList args = QStringList { QStringLiteral("-r"), path, QStringLiteral("-n"), QStringLiteral("-o"),
        QStringLiteral("tcp.check_checksum:TRUE"), QStringLiteral("-o"), QStringLiteral("ip.check_checksum:TRUE") }
        + decodeArgs
        + QStringList { QStringLiteral("-T"), QStringLiteral("json"), QStringLiteral("-x"),
              QStringLiteral("--no-duplicate-keys") };
    // Wireshark's defaults, not the preferences of whoever runs the tests.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("WIRESHARK_CONFIG_DIR"), QFileInfo(path).absolutePath());
    process.setProcessEnvironment(env);
    process.start(QStandardPaths::findExecutable(QStringLiteral("tshark")), args);
    if (!process.waitForFinished(120'000) || process.exitCode() != 0) {
        result.error = QStringLiteral("tshark %1 failed: %2")
                           .arg(args.join(u' '), QString::fromLocal8Bit(process.readAllStandardError()));
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(process.readAllStandardOutput(), &parseError);
    if (!document.isArray()) {
        result.error = QStringLiteral("tshark's JSON does not parse: %1").arg(parseError.errorString());
        return result;
    }
    for (const QJsonValue &item : document.array()) {
        const QJsonObject layers
            = item.toObject().value(QStringLiteral("_source")).toObject().value(QStringLiteral("layers")).toObject();
        Packet p;
        p.layers = layers;
        p.timeUs = epochMicroseconds(text(find(layers, QStringLiteral("frame.time_epoch"))), &p.wholeMicroseconds);
        const bool v6 = layers.contains(QStringLiteral("ipv6"));
        const QJsonValue ip = layers.value(v6 ? QStringLiteral("ipv6") : QStringLiteral("ip"));
        p.src = text(find(ip, v6 ? QStringLiteral("ipv6.src") : QStringLiteral("ip.src")));
        p.dst = text(find(ip, v6 ? QStringLiteral("ipv6.dst") : QStringLiteral("ip.dst")));
        p.ipLength = v6 ? 40 + text(find(ip, QStringLiteral("ipv6.plen"))).toInt()
                        : text(find(ip, QStringLiteral("ip.len"))).toInt();
        const QJsonValue tcp = layers.value(QStringLiteral("tcp"));
        p.srcPort = quint16(text(find(tcp, QStringLiteral("tcp.srcport"))).toUInt());
        p.dstPort = quint16(text(find(tcp, QStringLiteral("tcp.dstport"))).toUInt());
        p.tcpFlags = quint8(text(find(tcp, QStringLiteral("tcp.flags"))).toUInt(nullptr, 16));
        p.tcpPayload = QByteArray::fromHex(text(find(tcp, QStringLiteral("tcp.payload"))).remove(u':').toLatin1());
        p.checksumsGood = text(find(tcp, QStringLiteral("tcp.checksum.status"))) == u"1"
            && (v6 || text(find(ip, QStringLiteral("ip.checksum.status"))) == u"1");
        p.tcpAnalysisFlags = !find(tcp, QStringLiteral("tcp.analysis.flags")).isUndefined();
        p.completeness = text(find(tcp, QStringLiteral("tcp.completeness"))).toInt();
        const QJsonValue comments = find(layers.value(QStringLiteral("pkt_comment")), QStringLiteral("frame.comment"));
        if (comments.isArray()) {
            for (const QJsonValue &c : comments.toArray())
                p.comments << c.toString();
        } else if (comments.isString()) {
            p.comments << comments.toString();
        }
        result.packets << p;
    }
    return result;
}

QString tsharkMissing()
{
    return QStringLiteral("tshark is not installed; install it with: DEBIAN_FRONTEND=noninteractive apt-get install -y "
                          "-q --no-install-recommends tshark (or scripts/install-deps.sh run test)");
}

// Which expected stream a packet belongs to and whether the client sent it; -1 if none.
std::pair<int, bool> streamOf(const Expected &x, const Packet &p)
{
    for (qsizetype i = 0; i < x.streams.size(); ++i) {
        const ExpectedStream &s = x.streams[i];
        if (p.src == s.client && p.srcPort == s.clientPort && p.dst == s.server && p.dstPort == s.serverPort)
            return { int(i), true };
        if (p.src == s.server && p.srcPort == s.serverPort && p.dst == s.client && p.dstPort == s.clientPort)
            return { int(i), false };
    }
    return { -1, false };
}

constexpr quint8 Fin = 0x01, Syn = 0x02, Push = 0x08, Ack = 0x10;
} // namespace

Q_DECLARE_METATYPE(Scenario)
Q_DECLARE_METATYPE(Leg)

class tst_PcapngWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tcpStreams_data() { scenarios(); }
    void tcpStreams();
    void webSocketFrames_data() { scenarios(); }
    void webSocketFrames();
    void openingHandshake_data() { scenarios(); }
    void openingHandshake();
    void comments_data() { scenarios(); }
    void comments();
    void sectionComment();
    void streamsAndDecodeArguments_data();
    void streamsAndDecodeArguments();
    void endpointsFromTheCapture_data();
    void endpointsFromTheCapture();
    void droppedPayloadWrittenAsZeros();
    void sameCaptureSameBytes();
    void writeFailures();

private:
    void scenarios();
    // Writes the scenario's capture and reads it back with tshark, once per scenario.
    const ReadBack &readBack(Scenario scenario, Expected &expected);
    QTemporaryDir m_dir;
    QHash<int, ReadBack> m_readBacks;
};

void tst_PcapngWriter::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void tst_PcapngWriter::scenarios()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addRow("client") << Scenario::Client;
    QTest::addRow("wss on 443") << Scenario::SecureClient;
    QTest::addRow("ipv6") << Scenario::Ipv6Client;
    QTest::addRow("server by name") << Scenario::NamedServer;
    QTest::addRow("inspector as server") << Scenario::EmbeddedServer;
    QTest::addRow("relay") << Scenario::Relay;
    QTest::addRow("relay with intercept") << Scenario::Intercept;
}

const ReadBack &tst_PcapngWriter::readBack(Scenario scenario, Expected &expected)
{
    Capture capture;
    SessionHeader header;
    build(scenario, capture, expected, header);
    auto it = m_readBacks.constFind(int(scenario));
    if (it != m_readBacks.constEnd())
        return *it;
    const QString path = m_dir.filePath(QStringLiteral("scenario-%1.pcapng").arg(int(scenario)));
    ReadBack result;
    QString error;
    if (!CaptureFiles::save(path, capture, header, &error))
        result.error = error;
    else
        result = runTshark(path, PcapngWriter::tsharkDecodeArguments(PcapngWriter::streams(capture, header)));
    return *m_readBacks.insert(int(scenario), result);
}

void tst_PcapngWriter::tcpStreams()
{
    if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty())
        QSKIP(qPrintable(tsharkMissing()));
    QFETCH(Scenario, scenario);
    Expected x;
    const ReadBack &read = readBack(scenario, x);
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));

    QList<QList<const Packet *>> perStream(x.streams.size());
    for (const Packet &p : read.packets) {
        const auto [stream, fromClient] = streamOf(x, p);
        QVERIFY2(stream >= 0,
            qPrintable(QStringLiteral("a packet %1:%2 > %3:%4 of no expected stream")
                           .arg(p.src)
                           .arg(p.srcPort)
                           .arg(p.dst)
                           .arg(p.dstPort)));
        QVERIFY2(p.checksumsGood, "an IP or TCP checksum is wrong");
        QVERIFY2(!p.tcpAnalysisFlags, "tshark's TCP analysis flagged a packet (lost, retransmitted, out of order...)");
        QVERIFY(p.wholeMicroseconds);
        QVERIFY(p.ipLength <= 65535 + (p.src.contains(u':') ? 40 : 0));
        perStream[stream] << &p;
    }
    const bool v6 = x.streams.first().server.contains(u':');
    const qsizetype largest = v6 ? 65515 : 65495;
    for (qsizetype s = 0; s < x.streams.size(); ++s) {
        const QList<const Packet *> &packets = perStream[s];
        QVERIFY(packets.size() >= 3);
        // The three-way handshake opens each stream, FIN/ACK both ways closes a closed one.
        QCOMPARE(packets[0]->tcpFlags, Syn);
        QVERIFY(packets[0]->srcPort == x.streams[s].clientPort);
        QCOMPARE(packets[1]->tcpFlags, quint8(Syn | Ack));
        QCOMPARE(packets[2]->tcpFlags, Ack);
        const qsizetype n = packets.size();
        if (x.streams[s].closed) {
            QCOMPARE(packets[n - 3]->tcpFlags, quint8(Fin | Ack));
            QCOMPARE(packets[n - 3]->srcPort, x.streams[s].serverPort);
            QCOMPARE(packets[n - 2]->tcpFlags, quint8(Fin | Ack));
            QCOMPARE(packets[n - 1]->tcpFlags, Ack);
            QCOMPARE(packets[n - 1]->completeness, 31); // SYN, SYN-ACK, ACK, data, FIN
        } else {
            for (const Packet *p : packets)
                QVERIFY(!(p->tcpFlags & Fin));
            QCOMPARE(packets[n - 1]->completeness, 15);
        }
        // Every byte each way, in order, split only at the largest IP packet.
        QByteArray toServer, toClient;
        qsizetype segments = 0;
        for (const Packet *p : packets) {
            const bool fromClient = p->src == x.streams[s].client && p->srcPort == x.streams[s].clientPort;
            (fromClient ? toServer : toClient) += p->tcpPayload;
            QVERIFY(p->tcpPayload.size() <= largest);
            if (p->tcpPayload.size() == largest)
                ++segments;
            if (!p->tcpPayload.isEmpty())
                QVERIFY(p->tcpFlags & Ack);
        }
        QCOMPARE(toServer.size(), x.streams[s].toServer.size());
        QVERIFY(toServer == x.streams[s].toServer);
        QCOMPARE(toClient.size(), x.streams[s].toClient.size());
        QVERIFY(toClient == x.streams[s].toClient);
        if (scenario == Scenario::Client || scenario == Scenario::Relay)
            QVERIFY2(segments >= (scenario == Scenario::Client ? 6 : 1), "large frames span full-size segments");
    }
}

void tst_PcapngWriter::webSocketFrames()
{
    if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty())
        QSKIP(qPrintable(tsharkMissing()));
    QFETCH(Scenario, scenario);
    Expected x;
    const ReadBack &read = readBack(scenario, x);
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));

    // Frames in file order, matched with the expected ones of their stream and direction in order.
    QHash<int, QList<ExpectedFrame>> expected;
    for (const ExpectedFrame &f : x.frames)
        expected[f.stream * 2 + f.fromClient] << f;
    int seen = 0;
    for (const Packet &p : read.packets) {
        const QJsonValue ws = p.layers.value(QStringLiteral("websocket"));
        if (ws.isUndefined())
            continue;
        QVERIFY2(ws.isObject(), "one WebSocket frame per packet");
        const auto [stream, fromClient] = streamOf(x, p);
        QList<ExpectedFrame> &queue = expected[stream * 2 + fromClient];
        QVERIFY2(!queue.isEmpty(), "a frame more than the capture has");
        const ExpectedFrame f = queue.takeFirst();
        ++seen;
        const QString which = QStringLiteral("frame %1 of stream %2").arg(seen).arg(stream);
        QCOMPARE(text(find(ws, QStringLiteral("websocket.opcode"))).toInt(), int(f.opcode));
        QCOMPARE(text(find(ws, QStringLiteral("websocket.fin"))) == u"1", f.fin);
        QCOMPARE(text(find(ws, QStringLiteral("websocket.rsv"))).toUInt(nullptr, 16), uint(f.rsv));
        QCOMPARE(text(find(ws, QStringLiteral("websocket.mask"))) == u"1", f.masked);
        if (f.masked) {
            QCOMPARE(raw(ws, QStringLiteral("websocket.masking_key")).toHex(),
                QByteArray::number(f.key, 16).rightJustified(8, '0'));
            QVERIFY2(
                raw(ws, QStringLiteral("websocket.masked_payload")) == masked(f.payload, f.key), qPrintable(which));
        }
        const QString length = text(find(ws, QStringLiteral("websocket.payload_length")));
        const QString ext16 = text(find(ws, QStringLiteral("websocket.payload_length_ext_16")));
        const QString ext64 = text(find(ws, QStringLiteral("websocket.payload_length_ext_64")));
        QCOMPARE((!ext64.isEmpty() ? ext64 : !ext16.isEmpty() ? ext16 : length).toLongLong(), qint64(f.payload.size()));
        // The unmasked payload, byte for byte (compressed as sent).
        const QByteArray payload = raw(ws, QStringLiteral("websocket.payload"));
        QCOMPARE(payload.size(), f.payload.size());
        QVERIFY2(payload == f.payload, qPrintable(which));
        QCOMPARE(p.timeUs, f.timeUs);
        if (f.opcode == Opcode::Close && f.payload.size() >= 2) {
            QCOMPARE(text(find(ws, QStringLiteral("websocket.payload.close.status_code"))).toInt(),
                (uchar(f.payload[0]) << 8) | uchar(f.payload[1]));
            QCOMPARE(raw(ws, QStringLiteral("websocket.payload.close.reason")), f.payload.mid(2));
        }
        // The whole message on its final frame: fragments joined, a compressed one inflated.
        if (f.messageOpcode == Opcode::Text)
            QCOMPARE(raw(ws, QStringLiteral("websocket.payload.text")), f.message);
        else if (f.messageOpcode == Opcode::Binary)
            QVERIFY2(raw(p.layers.value(QStringLiteral("data")), QStringLiteral("data.data")) == f.message,
                qPrintable(which));
    }
    for (auto it = expected.cbegin(); it != expected.cend(); ++it)
        QVERIFY2(it->isEmpty(),
            qPrintable(QStringLiteral("%1 frame(s) of stream %2 missing").arg(it->size()).arg(it.key() / 2)));
    QCOMPARE(seen, int(x.frames.size()));
}

void tst_PcapngWriter::openingHandshake()
{
    if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty())
        QSKIP(qPrintable(tsharkMissing()));
    QFETCH(Scenario, scenario);
    Expected x;
    const ReadBack &read = readBack(scenario, x);
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
    QList<bool> requestSeen(x.streams.size()), responseSeen(x.streams.size());
    for (const Packet &p : read.packets) {
        const QJsonValue http = p.layers.value(QStringLiteral("http"));
        if (http.isUndefined())
            continue;
        const auto [stream, fromClient] = streamOf(x, p);
        const ExpectedStream &s = x.streams[stream];
        const QByteArray bytes = raw(p.layers, QStringLiteral("http"));
        if (fromClient) {
            QVERIFY(!requestSeen[stream]);
            requestSeen[stream] = true;
            QCOMPARE(text(find(http, QStringLiteral("http.request.method"))), QStringLiteral("GET"));
            QCOMPARE(text(find(http, QStringLiteral("http.request.uri"))), QStringLiteral("/chat?room=1"));
            QCOMPARE(text(find(http, QStringLiteral("http.upgrade"))), QStringLiteral("websocket"));
            QVERIFY(bytes == s.request);
            QCOMPARE(p.timeUs, s.requestUs);
        } else {
            QVERIFY(!responseSeen[stream]);
            responseSeen[stream] = true;
            QCOMPARE(text(find(http, QStringLiteral("http.response.code"))), QStringLiteral("101"));
            QVERIFY(bytes == s.response);
            QCOMPARE(p.timeUs, s.responseUs);
        }
    }
    QCOMPARE(requestSeen, QList<bool>(x.streams.size(), true));
    QCOMPARE(responseSeen, QList<bool>(x.streams.size(), true));
}

void tst_PcapngWriter::comments()
{
    if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty())
        QSKIP(qPrintable(tsharkMissing()));
    QFETCH(Scenario, scenario);
    Expected x;
    const ReadBack &read = readBack(scenario, x);
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
    QStringList all;
    for (const Packet &p : read.packets) {
        all += p.comments;
        // Each stream's SYN says what its addresses are, and which were made up.
        if (p.tcpFlags == Syn) {
            QVERIFY(!p.comments.isEmpty());
            const QString &description = p.comments.first();
            QVERIFY2(description.contains(QStringLiteral("client %1:%2").arg(p.src).arg(p.srcPort))
                    || description.contains(QStringLiteral("client [%1]:%2").arg(p.src).arg(p.srcPort)),
                qPrintable(description));
            const auto [stream, fromClient] = streamOf(x, p);
            QVERIFY(fromClient);
            QCOMPARE(description.contains(QStringLiteral("made up")), x.streams[stream].clientMadeUp);
        }
    }
    for (const QString &comment : std::as_const(x.comments))
        QVERIFY2(all.contains(comment), qPrintable(comment + QStringLiteral(" not in ") + all.join(u'|')));
    if (scenario == Scenario::Client || scenario == Scenario::SecureClient) {
        // The violation is recorded just before its frame: its comment is on that frame.
        for (const Packet &p : read.packets) {
            if (p.comments.contains(x.comments.first())) {
                QCOMPARE(text(find(p.layers.value(QStringLiteral("websocket")), QStringLiteral("websocket.opcode"))),
                    QStringLiteral("3"));
            }
        }
        // CLOSED is on the server's FIN.
        for (const Packet &p : read.packets)
            if (p.comments.contains(x.comments[1]))
                QCOMPARE(p.tcpFlags, quint8(Fin | Ack));
    }
    if (scenario == Scenario::SecureClient)
        QVERIFY(all.first().contains(QStringLiteral("decrypted")));
    if (scenario == Scenario::Intercept) {
        // An intercept note is recorded right after the message it is about, and lands on it.
        for (const Packet &p : read.packets)
            if (p.comments.contains(x.comments.first()))
                QCOMPARE(raw(p.layers.value(QStringLiteral("websocket")), QStringLiteral("websocket.payload.text")),
                    QByteArray("secret"));
    }
}

void tst_PcapngWriter::sectionComment()
{
    const QString capinfos = QStandardPaths::findExecutable(QStringLiteral("capinfos"));
    if (capinfos.isEmpty())
        QSKIP(qPrintable(tsharkMissing()));
    Capture capture;
    Expected x;
    SessionHeader header;
    build(Scenario::SecureClient, capture, x, header);
    // A connection that never reached the wire is named, not written.
    StreamRecorder refused(capture, x, 9, Leg::None, true, 0);
    refused.local(EventKind::Error, 30, "connection refused");
    header.tool = QStringLiteral("wsinspector-cli 0.1.0");
    const QString path = m_dir.filePath(QStringLiteral("section.pcapng"));
    QString error;
    QVERIFY2(CaptureFiles::save(path, capture, header, &error), qPrintable(error));
    QProcess process;
    process.start(
        capinfos, { QStringLiteral("-k"), QStringLiteral("-E"), QStringLiteral("-F"), QStringLiteral("-o"), path });
    QVERIFY(process.waitForFinished(60'000));
    const QString info = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(info.contains(QStringLiteral("of wss://127.0.0.1/chat?room=1")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("written decrypted")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("tshark -r FILE -d tcp.port==443,http")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("40000 + the connection id")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("Not written, as no byte of them was recorded on the wire: connection 9.")),
        qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("Capture application: wsinspector-cli 0.1.0")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("File encapsulation:  Raw IP")), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("Strict time order:   True")), qPrintable(info));
}

void tst_PcapngWriter::streamsAndDecodeArguments_data()
{
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<QStringList>("streams"); // "client > server known-flags tls closed"
    QTest::addColumn<QStringList>("decode");
    QTest::addRow("client") << Scenario::Client
                            << QStringList { QStringLiteral(
                                   "7 none: 127.0.0.1:40007 > 127.0.0.1:9001 ---S--- plain closed") }
                            << QStringList { QStringLiteral("-d"), QStringLiteral("tcp.port==9001,http") };
    QTest::addRow("wss on 443") << Scenario::SecureClient
                                << QStringList { QStringLiteral(
                                       "7 none: 127.0.0.1:40007 > 127.0.0.1:443 ---S--- tls closed") }
                                << QStringList { QStringLiteral("-d"), QStringLiteral("tcp.port==443,http") };
    QTest::addRow("ipv6") << Scenario::Ipv6Client
                          << QStringList { QStringLiteral("7 none: ::1:40007 > ::1:9002 ---S--- plain closed") }
                          << QStringList { QStringLiteral("-d"), QStringLiteral("tcp.port==9002,http") };
    QTest::addRow("server by name") << Scenario::NamedServer
                                    << QStringList { QStringLiteral(
                                           "2 none: 192.0.2.1:40002 > 198.51.100.1:8080 ---N--- plain open") }
                                    << QStringList { QStringLiteral("-d"), QStringLiteral("tcp.port==8080,http") };
    QTest::addRow("inspector as server") << Scenario::EmbeddedServer
                                         << QStringList { QStringLiteral(
                                                "3 none: 127.0.0.1:51234 > 127.0.0.1:8765 CP-S-S- plain closed") }
                                         << QStringList { QStringLiteral("-d"), QStringLiteral("tcp.port==8765,http") };
    QTest::addRow("relay") << Scenario::Relay
                           << QStringList { QStringLiteral(
                                                "5 app: 127.0.0.1:55126 > 127.0.0.1:9100 CP-S-S- plain closed"),
                                  QStringLiteral("5 server: 127.0.0.1:40005 > 127.0.0.1:9200 ---S--- plain closed") }
                           << QStringList { QStringLiteral("-d"), QStringLiteral("tcp.port==9100,http"),
                                  QStringLiteral("-d"), QStringLiteral("tcp.port==9200,http") };
}

void tst_PcapngWriter::streamsAndDecodeArguments()
{
    QFETCH(Scenario, scenario);
    QFETCH(QStringList, streams);
    QFETCH(QStringList, decode);
    Capture capture;
    Expected x;
    SessionHeader header;
    build(scenario, capture, x, header);
    const QList<PcapngWriter::Stream> found = PcapngWriter::streams(capture, header);
    QStringList described;
    for (const PcapngWriter::Stream &s : found) {
        // Flags: client address/port known (C, P), server address/port known (A/N for a name, S), the
        // inspector as the server (S) or client (-).
        const QString flags = QString(s.clientAddressKnown ? u'C' : u'-') + (s.clientPortKnown ? u'P' : u'-') + u'-'
            + (s.serverAddressKnown          ? u'S'
                    : s.serverName.isEmpty() ? u'?'
                                             : u'N')
            + u'-' + (s.inspectorIsClient ? u'-' : u'S') + u'-';
        described << QStringLiteral("%1 %2: %3:%4 > %5:%6 %7 %8 %9")
                         .arg(s.connectionId)
                         .arg(QString::fromLatin1(s.leg == Leg::None ? "none" : legKey(s.leg)),
                             s.clientAddress.toString())
                         .arg(s.clientPort)
                         .arg(s.serverAddress.toString())
                         .arg(s.serverPort)
                         .arg(flags, s.tls ? QStringLiteral("tls") : QStringLiteral("plain"),
                             s.closed ? QStringLiteral("closed") : QStringLiteral("open"));
        QVERIFY(s.onWire);
    }
    QCOMPARE(described, streams);
    QCOMPARE(PcapngWriter::tsharkDecodeArguments(found), decode);
}

void tst_PcapngWriter::endpointsFromTheCapture_data()
{
    QTest::addColumn<Leg>("leg");
    QTest::addColumn<QByteArray>("log"); // the first state change's text
    QTest::addColumn<QByteArray>("host"); // the request's Host header; empty: no request
    QTest::addColumn<QString>("url"); // the session header's
    QTest::addColumn<bool>("tlsInfo");
    QTest::addColumn<QString>("client"); // address:port
    QTest::addColumn<bool>("clientKnown");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<bool>("tls");

    const QString none;
    QTest::addRow("relay, IPv4") << Leg::App
                                 << QByteArray("CONNECTING (application 127.0.0.1:55126 connected; relaying to "
                                               "ws://127.0.0.1:9200/)")
                                 << QByteArray("127.0.0.1:9100") << QStringLiteral("ws://127.0.0.1:9200/") << false
                                 << QStringLiteral("127.0.0.1:55126") << true << QStringLiteral("127.0.0.1:9100")
                                 << none << false;
    QTest::addRow("relay, v4-mapped peer")
        << Leg::App
        << QByteArray("CONNECTING (application ::ffff:127.0.0.1:40100 connected; relaying to wss://a.example/)")
        << QByteArray("127.0.0.1:9100") << QStringLiteral("wss://a.example/") << false
        << QStringLiteral("127.0.0.1:40100") << true << QStringLiteral("127.0.0.1:9100") << none << false;
    QTest::addRow("relay, IPv6 peer")
        << Leg::App << QByteArray("CONNECTING (QWebSocket ::1:51000 connected; relaying to ws://[::1]:9200/)")
        << QByteArray("[::1]:9100") << QStringLiteral("ws://[::1]:9200/") << false << QStringLiteral("::1:51000")
        << true << QStringLiteral("::1:9100") << none << false;
    QTest::addRow("relay, a URL before the peer")
        << Leg::App << QByteArray("relaying to ws://10.0.0.1:9200/ and ws://[::1]:9200/ for \"127.0.0.1:40200\".")
        << QByteArray("127.0.0.1:9100") << QStringLiteral("ws://10.0.0.1:9200/") << false
        << QStringLiteral("127.0.0.1:40200") << true << QStringLiteral("127.0.0.1:9100") << none << false;
    QTest::addRow("relay, server leg to wss")
        << Leg::Server << QByteArray("OPEN") << QByteArray("echo.example.org")
        << QStringLiteral("wss://echo.example.org/") << true << QStringLiteral("192.0.2.1:40004") << false
        << QStringLiteral("198.51.100.1:443") << QStringLiteral("echo.example.org") << true;
    QTest::addRow("embedded server, IPv6 client")
        << Leg::None << QByteArray("OPEN: client [::1]:5555 connected") << QByteArray("[::1]:8765")
        << QStringLiteral("ws://[::1]:8765/") << false << QStringLiteral("::1:5555") << true
        << QStringLiteral("::1:8765") << none << false;
    QTest::addRow("client, localhost") << Leg::None << QByteArray("CONNECTING to ws://localhost:8080/ (localhost:8080)")
                                       << QByteArray("LocalHost:8080") << QStringLiteral("ws://localhost:8080/")
                                       << false << QStringLiteral("127.0.0.1:40004") << false
                                       << QStringLiteral("127.0.0.1:8080") << none << false;
    QTest::addRow("client, no port in Host, wss URL")
        << Leg::None << QByteArray("CONNECTING") << QByteArray("10.1.2.3") << QStringLiteral("wss://10.1.2.3/x")
        << false << QStringLiteral("192.0.2.1:40004") << false << QStringLiteral("10.1.2.3:443") << none << true;
    QTest::addRow("client, Host differs from the URL")
        << Leg::None << QByteArray("CONNECTING") << QByteArray("[2001:db8::5]") << QStringLiteral("ws://other.example/")
        << false << QStringLiteral("2001:db8::1:40004") << false << QStringLiteral("2001:db8::5:80") << none << false;
    QTest::addRow("frames only, URL") << Leg::None << QByteArray("OPEN") << QByteArray()
                                      << QStringLiteral("ws://192.168.1.20:81/") << false
                                      << QStringLiteral("192.0.2.1:40004") << false << QStringLiteral("192.168.1.20:81")
                                      << none << false;
    QTest::addRow("frames only, no URL") << Leg::None << QByteArray("OPEN") << QByteArray() << QString() << false
                                         << QStringLiteral("192.0.2.1:40004") << false
                                         << QStringLiteral("198.51.100.1:80") << QStringLiteral("unknown server")
                                         << false;
}

void tst_PcapngWriter::endpointsFromTheCapture()
{
    QFETCH(Leg, leg);
    QFETCH(QByteArray, log);
    QFETCH(QByteArray, host);
    QFETCH(QString, url);
    QFETCH(bool, tlsInfo);
    QFETCH(QString, client);
    QFETCH(bool, clientKnown);
    QFETCH(QString, server);
    QFETCH(QString, serverName);
    QFETCH(bool, tls);
    Capture capture;
    Expected x;
    x.streams << ExpectedStream();
    const bool inspectorIsClient = leg == Leg::App ? false : !log.startsWith("OPEN: client");
    StreamRecorder r(capture, x, 4, leg, inspectorIsClient, 0);
    r.local(EventKind::StateChange, 0, log, ReadyState::Connecting);
    if (tlsInfo)
        r.local(EventKind::TlsInfo, 1, "TLS established with echo.example.org: TLSv1.3");
    if (!host.isEmpty()) {
        r.request(2, clientRequest(host));
        r.response(3, serverResponse());
    }
    r.frame(4, inspectorIsClient, Opcode::Text, "x");
    SessionHeader header;
    header.url = url;
    const QList<PcapngWriter::Stream> streams = PcapngWriter::streams(capture, header);
    QCOMPARE(streams.size(), 1);
    const PcapngWriter::Stream &s = streams.first();
    QCOMPARE(s.inspectorIsClient, inspectorIsClient);
    QCOMPARE(QStringLiteral("%1:%2").arg(s.clientAddress.toString()).arg(s.clientPort), client);
    QCOMPARE(s.clientAddressKnown, clientKnown);
    QCOMPARE(s.clientPortKnown, clientKnown);
    QCOMPARE(QStringLiteral("%1:%2").arg(s.serverAddress.toString()).arg(s.serverPort), server);
    QCOMPARE(s.serverAddressKnown, serverName.isEmpty());
    QCOMPARE(s.serverName, serverName);
    QCOMPARE(s.tls, tls);
    QVERIFY(!s.closed);
}

void tst_PcapngWriter::droppedPayloadWrittenAsZeros()
{
    // A frame whose payload the memory budget dropped: its header as sent, zeros for the payload
    // (masked with its key: tshark unmasks them to zeros), and a comment that says so.
    Capture capture;
    Expected x;
    x.streams << endpoints(QStringLiteral("127.0.0.1"), 40001, QStringLiteral("127.0.0.1"), 9001);
    StreamRecorder r(capture, x, 1, Leg::None, true, 0);
    r.request(1, clientRequest("127.0.0.1:9001"));
    r.response(2, serverResponse());
    const EncodedFrame encoded
        = StreamRecorder::encode(true, Opcode::Binary, QByteArray(300, 'x'), true, 0, 0x01020304);
    WireEvent e = frameEvent(Direction::Outgoing, encoded.header(), {});
    e.payloadDropped = true;
    e.timeUs = at(3);
    capture.record(e);
    QVERIFY(capture.event(2).payloadDropped);
    SessionHeader header;
    header.url = QStringLiteral("ws://127.0.0.1:9001/");
    QBuffer file;
    file.open(QIODevice::WriteOnly);
    QString error;
    QVERIFY2(PcapngWriter::write(capture, header, &file, &error), qPrintable(error));
    const QByteArray bytes = file.data();
    const QByteArray wire = encoded.header().toByteArray() + masked(QByteArray(300, '\0'), 0x01020304);
    QVERIFY(bytes.contains(wire));
    QVERIFY(bytes.contains("payload not kept (the capture's memory budget dropped it): written as 300 zero byte(s)"));
    if (QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty())
        QSKIP(qPrintable(tsharkMissing()));
    const QString path = m_dir.filePath(QStringLiteral("dropped.pcapng"));
    QVERIFY(CaptureFiles::save(path, capture, header, &error));
    const ReadBack read = runTshark(path, {});
    QVERIFY2(read.error.isEmpty(), qPrintable(read.error));
    bool found = false;
    for (const Packet &p : read.packets) {
        const QJsonValue ws = p.layers.value(QStringLiteral("websocket"));
        if (ws.isUndefined())
            continue;
        found = true;
        QCOMPARE(raw(ws, QStringLiteral("websocket.payload")), QByteArray(300, '\0'));
        QCOMPARE(p.comments.size(), 1);
    }
    QVERIFY(found);
}

void tst_PcapngWriter::sameCaptureSameBytes()
{
    QByteArray first;
    for (int round = 0; round < 2; ++round) {
        Capture capture;
        Expected x;
        SessionHeader header;
        build(Scenario::Intercept, capture, x, header);
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QString error;
        QVERIFY2(PcapngWriter::write(capture, header, &buffer, &error), qPrintable(error));
        // Section header block, little-endian, its length at both ends of every block.
        const QByteArray bytes = buffer.data();
        QCOMPARE(bytes.first(4), QByteArray::fromHex("0a0d0d0a"));
        QCOMPARE(bytes.sliced(8, 4), QByteArray::fromHex("4d3c2b1a"));
        qsizetype offset = 0, blocks = 0;
        while (offset < bytes.size()) {
            const quint32 length = qFromLittleEndian<quint32>(bytes.constData() + offset + 4);
            QVERIFY(length % 4 == 0 && offset + length <= bytes.size());
            QCOMPARE(qFromLittleEndian<quint32>(bytes.constData() + offset + length - 4), length);
            offset += length;
            ++blocks;
        }
        QCOMPARE(offset, bytes.size());
        QVERIFY(blocks > 30);
        if (round == 0)
            first = bytes;
        else
            QVERIFY(bytes == first);
    }
}

// Accepts `room` bytes, then fails.
class FullDevice : public QIODevice {
public:
    explicit FullDevice(qint64 room)
        : m_room(room)
    {
        open(QIODevice::WriteOnly);
    }

protected:
    qint64 readData(char *, qint64) override { return -1; }
    qint64 writeData(const char *, qint64 size) override
    {
        if (size > m_room) {
            setErrorString(QStringLiteral("No space left on device"));
            return -1;
        }
        m_room -= size;
        return size;
    }

private:
    qint64 m_room;
};

void tst_PcapngWriter::writeFailures()
{
    Capture capture;
    Expected x;
    SessionHeader header;
    build(Scenario::Client, capture, x, header);
    QString error;

    QBuffer closed;
    QVERIFY(!PcapngWriter::write(capture, header, &closed, &error));
    QCOMPARE(error, QStringLiteral("the output is not open for writing"));

    FullDevice full(100 * 1024);
    error.clear();
    QVERIFY(!PcapngWriter::write(capture, header, &full, &error));
    QCOMPARE(error, QStringLiteral("No space left on device"));

    const QString path = m_dir.filePath(QStringLiteral("no such folder/capture.pcapng"));
    error.clear();
    QVERIFY(!CaptureFiles::save(path, capture, header, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot write \"%1\": ").arg(path)), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_PcapngWriter)
#include "tst_pcapngwriter.moc"
