// The protocols on top of WebSocket, read from real traffic: for each protocol a real client library
// (tests/decode/peers/client_flows.js, run by drive_client.js) talks to a real server
// (tests/decode/peers/*: socket.io, aedes, RabbitMQ Web-STOMP, sockjs-node, graphql-ws,
// subscriptions-transport-ws, a JSON-RPC server) through `wsinspector-cli --relay ... --format
// jsonl`, which decodes what crosses (--decode auto). On both legs of the relay (the app leg
// carries the client's messages, the server leg the server's): the protocol found is the expected
// one and every data message is decoded. Then: no unit has an error (but the messages the flow
// gets wrong on purpose, which must be flagged), each side's unit types include what the flow
// really sends, and every request one side sends is paired with an answer from the other side.
// About 11 s on 2 cores (RabbitMQ, 5-15 s to start, starts with the test and is ready by its row).

#include "decode/decoder.h"
#include "peerprocess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <memory>

namespace {

const QString RabbitScript = QStringLiteral("decode/peers/stomp_broker.js");

// A data message as the relay printed it: the final frame of a text or binary message.
struct Message {
    qint64 line = 0; // in the relay's output, from 1
    quint32 conn = 0;
    QString leg; // "app" or "server"
    bool incoming = false; // received by the relay on that leg (not a copy it sent on)
    bool fromClient = false; // sent by the side that opened the WebSocket
    bool binary = false;
    QByteArray payload; // the final frame's (the flows' messages are not fragmented)
    QJsonObject decoded; // empty when there is none

    QString where() const
    {
        return QStringLiteral("line %1, conn %2 %3 leg, %4 -> %5 %6")
            .arg(line)
            .arg(conn)
            .arg(leg, fromClient ? QStringLiteral("client") : QStringLiteral("server"),
                fromClient ? QStringLiteral("server") : QStringLiteral("client"), shown());
    }
    QString shown() const
    {
        const QByteArray head = payload.left(160);
        return binary ? QStringLiteral("binary %1 bytes: %2").arg(payload.size()).arg(QString::fromLatin1(head.toHex(' ')))
                      : QStringLiteral("text %1").arg(QString::fromUtf8(QJsonDocument(QJsonArray { QString::fromUtf8(head) }).toJson(QJsonDocument::Compact)));
    }
};

QList<Message> dataMessages(const QList<QJsonObject> &events)
{
    QList<Message> out;
    qint64 line = 0;
    for (const QJsonObject &e : events) {
        ++line;
        if (e.value(QLatin1String("kind")) != QLatin1String("frame") || !e.value(QLatin1String("fin")).toBool())
            continue;
        const QString type = e.value(QLatin1String("type")).toString();
        if (type != QLatin1String("text") && type != QLatin1String("binary") && type != QLatin1String("continuation"))
            continue;
        Message m;
        m.line = line;
        m.conn = quint32(e.value(QLatin1String("conn")).toInteger());
        m.leg = e.value(QLatin1String("leg")).toString();
        m.incoming = e.value(QLatin1String("dir")) == QLatin1String("in");
        m.fromClient = (m.leg == QLatin1String("app")) == m.incoming;
        m.binary = type == QLatin1String("binary");
        // A compressed message (RabbitMQ and ws agree on permessage-deflate) as inflated.
        const bool compressed = e.contains(QLatin1String("inflated")) || e.contains(QLatin1String("inflated_b64"));
        const QLatin1String text(compressed ? "inflated" : "text");
        const QLatin1String b64(compressed ? "inflated_b64" : "b64");
        m.payload = e.contains(text) ? e.value(text).toString().toUtf8() : QByteArray::fromBase64(e.value(b64).toString().toLatin1());
        m.decoded = e.value(QLatin1String("decoded")).toObject();
        out << m;
    }
    return out;
}

// Every unit of a decoded message, the inner ones (STOMP inside SockJS) included, with the
// protocol each belongs to.
void collectUnits(const QJsonArray &units, const QString &protocol, QList<std::pair<QString, QJsonObject>> &out)
{
    for (const QJsonValue &v : units) {
        const QJsonObject unit = v.toObject();
        out << std::pair { protocol, unit };
        const QJsonObject inner = unit.value(QLatin1String("inner")).toObject();
        if (!inner.isEmpty())
            collectUnits(inner.value(QLatin1String("units")).toArray(), inner.value(QLatin1String("protocol")).toString(), out);
    }
}

QList<std::pair<QString, QJsonObject>> unitsOf(const Message &m)
{
    QList<std::pair<QString, QJsonObject>> out;
    collectUnits(m.decoded.value(QLatin1String("units")).toArray(), m.decoded.value(QLatin1String("protocol")).toString(), out);
    return out;
}

// The message's errors: its own and its units'.
QStringList errorsOf(const Message &m)
{
    QStringList out;
    if (m.decoded.contains(QLatin1String("error")))
        out << m.decoded.value(QLatin1String("error")).toString();
    for (const auto &[protocol, unit] : unitsOf(m))
        if (unit.contains(QLatin1String("error")))
            out << QStringLiteral("%1 %2: %3").arg(protocol, unit.value(QLatin1String("type")).toString(), unit.value(QLatin1String("error")).toString());
    return out;
}

bool matchesAny(const QList<QRegularExpression> &patterns, const QByteArray &payload)
{
    const QString text = QString::fromUtf8(payload);
    return std::any_of(patterns.cbegin(), patterns.cend(), [&text](const QRegularExpression &p) { return p.match(text).hasMatch(); });
}

QList<QRegularExpression> regexes(const QStringList &patterns)
{
    QList<QRegularExpression> out;
    for (const QString &p : patterns)
        out << QRegularExpression(p);
    return out;
}

QString exact(const char *text)
{
    return QLatin1Char('^') + QRegularExpression::escape(QString::fromUtf8(text)) + QLatin1Char('$');
}

QString containing(const char *text)
{
    return QRegularExpression::escape(QString::fromUtf8(text));
}

QString list(const QStringList &lines, qsizetype most = 40)
{
    QStringList shown = lines.first(qMin(most, lines.size()));
    if (lines.size() > most)
        shown << QStringLiteral("... and %1 more").arg(lines.size() - most);
    return QStringLiteral("\n  ") + shown.join(QStringLiteral("\n  "));
}

// Every connection that carried frames has closed (the relay records CLOSED once per connection).
bool allClosed(const QList<QJsonObject> &events)
{
    QSet<qint64> open;
    QSet<qint64> closed;
    for (const QJsonObject &e : events) {
        const qint64 conn = e.value(QLatin1String("conn")).toInteger();
        if (e.value(QLatin1String("kind")) == QLatin1String("frame"))
            open << conn;
        else if (e.value(QLatin1String("kind")) == QLatin1String("state")
                 && e.value(QLatin1String("state")).toString().compare(QLatin1String("closed"), Qt::CaseInsensitive) == 0)
            closed << conn;
    }
    return closed.contains(open);
}

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> events;
    for (const QByteArray &line : out.split('\n'))
        if (!line.isEmpty())
            events << QJsonDocument::fromJson(line).object();
    return events;
}

} // namespace

class tst_ProtocolsInterop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void flows_data();
    void flows();

private:
    quint16 rabbitPort();

    std::unique_ptr<PeerProcess> m_rabbit; // started once, early: it takes 5-12 s
    quint16 m_rabbitPort = 0;
    QElapsedTimer m_rabbitStarted;
};

void tst_ProtocolsInterop::initTestCase()
{
    // RabbitMQ starts while the other rows run; the STOMP row (last) waits for it.
    if (Decoder::create(Decode::Protocol::Stomp)) {
        m_rabbit = std::make_unique<PeerProcess>();
        m_rabbitStarted.start();
        QVERIFY(m_rabbit->start(PeerProcess::Runtime::Node, RabbitScript));
    }
}

quint16 tst_ProtocolsInterop::rabbitPort()
{
    if (!m_rabbitPort && m_rabbit) {
        m_rabbitPort = m_rabbit->waitForPort(60'000);
        qInfo("RabbitMQ Web-STOMP ready %lld ms after the start", qint64(m_rabbitStarted.elapsed()));
    }
    return m_rabbitPort;
}

void tst_ProtocolsInterop::flows_data()
{
    QTest::addColumn<QString>("flow"); // of client_flows.js
    QTest::addColumn<QString>("peer"); // the server, in tests/
    QTest::addColumn<QStringList>("peerArgs");
    QTest::addColumn<QString>("protocol"); // as --decode names it
    QTest::addColumn<QString>("innerProtocol"); // of the units inside the protocol's, if any
    QTest::addColumn<QStringList>("clientTypes"); // unit types the client must be seen sending
    QTest::addColumn<QStringList>("serverTypes");
    // Client messages wrong on purpose (patterns over their text): they must be flagged.
    QTest::addColumn<QStringList>("invalidSent");
    // Requests (patterns over their message's text) that the server never answers by design.
    QTest::addColumn<QStringList>("unansweredOk");

    // Engine.IO's open, ping/pong (every 300 ms; a pong may be 1 s late on a busy machine);
    // Socket.IO's connect both ways (and a refused namespace), events with acks both ways, binary
    // events and a binary ack with their attachments, disconnect both ways.
    QTest::addRow("socketio") << QStringLiteral("socketio") << QStringLiteral("decode/peers/socketio_chat_server.js")
                              << QStringList { QStringLiteral("--ping-interval"), QStringLiteral("300"), QStringLiteral("--ping-timeout"), QStringLiteral("1000") }
                              << QStringLiteral("socketio") << QString()
                              << QStringList { QStringLiteral("connect"), QStringLiteral("event"), QStringLiteral("ack"),
                                     QStringLiteral("binary event"), QStringLiteral("attachment"), QStringLiteral("disconnect"), QStringLiteral("pong") }
                              << QStringList { QStringLiteral("open"), QStringLiteral("connect"), QStringLiteral("connect error"), QStringLiteral("event"),
                                     QStringLiteral("ack"), QStringLiteral("binary event"), QStringLiteral("binary ack"), QStringLiteral("attachment"),
                                     QStringLiteral("disconnect"), QStringLiteral("ping") }
                              << QStringList() << QStringList();

    // MQTT.js 3.1.1 against aedes: QoS 0, 1 and 2 both ways, retained, wildcards, keep-alive pings.
    QTest::addRow("mqtt311") << QStringLiteral("mqtt311") << QStringLiteral("decode/peers/mqtt_broker.js") << QStringList()
                             << QStringLiteral("mqtt") << QString()
                             << QStringList { QStringLiteral("CONNECT"), QStringLiteral("SUBSCRIBE"), QStringLiteral("PUBLISH"), QStringLiteral("PUBACK"),
                                    QStringLiteral("PUBREC"), QStringLiteral("PUBREL"), QStringLiteral("PUBCOMP"), QStringLiteral("UNSUBSCRIBE"),
                                    QStringLiteral("PINGREQ"), QStringLiteral("DISCONNECT") }
                             << QStringList { QStringLiteral("CONNACK"), QStringLiteral("SUBACK"), QStringLiteral("PUBLISH"), QStringLiteral("PUBACK"),
                                    QStringLiteral("PUBREC"), QStringLiteral("PUBREL"), QStringLiteral("PUBCOMP"), QStringLiteral("UNSUBACK"),
                                    QStringLiteral("PINGRESP") }
                             << QStringList() << QStringList();

    // sockjs-client (websocket transport, after its /info request, which the relay passes on as
    // plain HTTP) under @stomp/stompjs, against sockjs-node and the STOMP broker of
    // sockjs_stomp_server.js: SockJS's o, a[...] and c[...] around STOMP's receipts, ACK, NACK, a
    // transaction and heart-beats; a second connection sends an unknown command on purpose.
    QTest::addRow("sockjs-stomp") << QStringLiteral("sockjs-stomp") << QStringLiteral("decode/peers/sockjs_stomp_server.js")
                                  << QStringList { QStringLiteral("--heart-beat"), QStringLiteral("500,500") }
                                  << QStringLiteral("sockjs") << QStringLiteral("stomp")
                                  << QStringList { QStringLiteral("messages"), QStringLiteral("CONNECT"), QStringLiteral("SUBSCRIBE"), QStringLiteral("SEND"),
                                         QStringLiteral("ACK"), QStringLiteral("NACK"), QStringLiteral("BEGIN"), QStringLiteral("COMMIT"),
                                         QStringLiteral("UNSUBSCRIBE"), QStringLiteral("DISCONNECT"), QStringLiteral("heart-beat") }
                                  << QStringList { QStringLiteral("open"), QStringLiteral("messages"), QStringLiteral("close"), QStringLiteral("CONNECTED"),
                                         QStringLiteral("MESSAGE"), QStringLiteral("RECEIPT"), QStringLiteral("ERROR"), QStringLiteral("heart-beat") }
                                  << QStringList { containing("BOGUS\\nreceipt:r-bogus") } << QStringList();

    // graphql-ws's client and server: connection_init/ack, queries, a subscription's nexts, a
    // validation error, the client completing a subscription, pings and pongs, then the 4500 close
    // that graphql-ws 5 makes of an error thrown by a subscription's source.
    QTest::addRow("graphql-transport-ws") << QStringLiteral("graphql-transport-ws") << QStringLiteral("decode/peers/graphql_server.js") << QStringList()
                                          << QStringLiteral("graphql-transport-ws") << QString()
                                          << QStringList { QStringLiteral("connection_init"), QStringLiteral("subscribe"), QStringLiteral("complete"), QStringLiteral("ping") }
                                          << QStringList { QStringLiteral("connection_ack"), QStringLiteral("next"), QStringLiteral("error"),
                                                 QStringLiteral("complete"), QStringLiteral("pong") }
                                          << QStringList()
                                          // The client ends this subscription itself (its complete is no answer
                                          // from the server); the failing one ends with the server's 4500 close.
                                          << QStringList { containing("countdown(from: 100, delayMs: 30)") };

    // subscriptions-transport-ws, the legacy protocol: start/data/complete, errors, stop, ka.
    QTest::addRow("graphql-ws") << QStringLiteral("graphql-ws") << QStringLiteral("decode/peers/graphql_server.js")
                                << QStringList { QStringLiteral("--keep-alive"), QStringLiteral("300") } << QStringLiteral("graphql-ws") << QString()
                                << QStringList { QStringLiteral("connection_init"), QStringLiteral("start"), QStringLiteral("stop"),
                                       QStringLiteral("connection_terminate") }
                                << QStringList { QStringLiteral("connection_ack"), QStringLiteral("ka"), QStringLiteral("data"), QStringLiteral("error"),
                                       QStringLiteral("complete") }
                                << QStringList() << QStringList(); // the server completes even what the client stopped

    // Calls by position and by name, notifications both ways, errors, batches.
    QTest::addRow("jsonrpc") << QStringLiteral("jsonrpc") << QStringLiteral("decode/peers/jsonrpc_server.js") << QStringList() << QStringLiteral("jsonrpc")
                             << QString() << QStringList { QStringLiteral("call"), QStringLiteral("notification") }
                             << QStringList { QStringLiteral("result"), QStringLiteral("error"), QStringLiteral("notification") }
                             << QStringList { exact(R"({"jsonrpc":"2.0","method":"add",)"), exact(R"({"jsonrpc":"1.0","method":1,"id":7})"),
                                    containing(R"({"jsonrpc":"2.0","method":"log","params":["ignored"]},1,)"), exact("[]") }
                             << QStringList();

    // @stomp/stompjs over ws against RabbitMQ: receipts, ACK and NACK of client-individual
    // messages, a binary SEND, a transaction, heart-beats; a second connection gets an ERROR.
    // RabbitMQ closes after DISCONNECT without the RECEIPT asked for (the other side sends nothing
    // more, which the pairing allows). Last, so that RabbitMQ has had the other rows' time to start.
    QTest::addRow("stomp") << QStringLiteral("stomp") << RabbitScript << QStringList() << QStringLiteral("stomp") << QString()
                           << QStringList { QStringLiteral("CONNECT"), QStringLiteral("SUBSCRIBE"), QStringLiteral("SEND"), QStringLiteral("ACK"),
                                  QStringLiteral("NACK"), QStringLiteral("BEGIN"), QStringLiteral("COMMIT"), QStringLiteral("UNSUBSCRIBE"),
                                  QStringLiteral("DISCONNECT"), QStringLiteral("heart-beat") }
                           << QStringList { QStringLiteral("CONNECTED"), QStringLiteral("MESSAGE"), QStringLiteral("RECEIPT"), QStringLiteral("ERROR"),
                                  QStringLiteral("heart-beat") }
                           << QStringList() << QStringList();
}

void tst_ProtocolsInterop::flows()
{
    QFETCH(QString, flow);
    QFETCH(QString, peer);
    QFETCH(QStringList, peerArgs);
    QFETCH(QString, protocol);
    QFETCH(QString, innerProtocol);
    QFETCH(QStringList, clientTypes);
    QFETCH(QStringList, serverTypes);
    QFETCH(QStringList, invalidSent);
    QFETCH(QStringList, unansweredOk);

    const std::optional<Decode::Protocol> decoded = Decode::protocolFromId(protocol);
    QVERIFY2(decoded, qPrintable(protocol));
    if (!Decoder::create(*decoded))
        QSKIP(qPrintable(QStringLiteral("the %1 decoder is not registered in Decoder::create yet").arg(protocol)));

    QElapsedTimer timer;
    timer.start();
    PeerProcess ownServer;
    quint16 serverPort = 0;
    if (peer == RabbitScript) {
        serverPort = rabbitPort();
    } else {
        QVERIFY(ownServer.start(PeerProcess::Runtime::Node, peer, peerArgs));
        serverPort = ownServer.waitForPort();
    }
    QVERIFY2(serverPort, qPrintable(QStringLiteral("%1 did not start (npm packages: scripts/install-npm-peers.sh)").arg(peer)));
    const qint64 serverMs = timer.restart();

    // The relay; each flow asks for its own path, which the relay appends to the server's URL.
    QProcess relay;
    relay.start(QStringLiteral(WSI_CLI_PATH), { QStringLiteral("--relay"), QStringLiteral("0"), QStringLiteral("--to"),
                                                   QStringLiteral("ws://127.0.0.1:%1").arg(serverPort), QStringLiteral("--format"), QStringLiteral("jsonl") });
    QVERIFY(relay.waitForStarted(10'000));
    const auto stopRelay = qScopeGuard([&relay] {
        if (relay.state() != QProcess::NotRunning) { // a check above failed
            relay.kill();
            relay.waitForFinished(5'000);
        }
    });
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += relay.readAllStandardOutput()).contains('\n') || relay.state() == QProcess::NotRunning, 15'000);
    const QJsonObject listening = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object();
    const QUrl relayUrl(listening.value(QLatin1String("url")).toString());
    QVERIFY2(relayUrl.port() > 0, out.constData());

    PeerProcess client;
    QVERIFY(client.start(PeerProcess::Runtime::Node, QStringLiteral("decode/peers/drive_client.js"),
                         { flow, QStringLiteral("127.0.0.1:%1").arg(relayUrl.port()) }));
    const QJsonObject result = client.waitForJson(90'000);
    const qint64 flowMs = timer.restart();
    out += relay.readAllStandardOutput();
    QVERIFY2(result.value(QLatin1String("done")).toBool(),
             qPrintable(QStringLiteral("%1 flow: %2\nstderr: %3\nrelay's stderr: %4")
                            .arg(flow, QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact)),
                                QString::fromUtf8(client.process().readAllStandardError()), QString::fromUtf8(relay.readAllStandardError()))));

    // The last messages and closes may still be crossing the relay: wait until every connection
    // closed (SIGTERM would record one still open as dropped; nothing printed is lost either way).
    QElapsedTimer closing;
    closing.start();
    while (!allClosed(jsonLines(out)) && closing.elapsed() < 5'000 && relay.state() == QProcess::Running) {
        relay.waitForReadyRead(int(5'000 - closing.elapsed()));
        out += relay.readAllStandardOutput();
    }
    relay.terminate();
    QVERIFY(relay.waitForFinished(10'000));
    out += relay.readAllStandardOutput();
    const qint64 drainMs = timer.elapsed();

    const QList<Message> messages = dataMessages(jsonLines(out));
    const QList<QRegularExpression> invalid = regexes(invalidSent);
    const QList<QRegularExpression> unansweredByDesign = regexes(unansweredOk);
    QStringList problems;
    QStringList notes;
    // What each leg carries (the relay prints a message once, on the leg it arrived on: the
    // application's messages on the app leg, the server's on the server leg), decoded on its own.
    for (const QString &leg : { QStringLiteral("app"), QStringLiteral("server") }) {
        QSet<QString> protocols;
        QSet<QString> innerProtocols;
        qsizetype count = 0;
        for (const Message &m : messages) {
            if (m.leg != leg)
                continue;
            ++count;
            if (m.decoded.isEmpty()) {
                problems << QStringLiteral("no \"decoded\": %1").arg(m.where());
                continue;
            }
            protocols << m.decoded.value(QLatin1String("protocol")).toString();
            for (const auto &[unitProtocol, unit] : unitsOf(m))
                if (unitProtocol != m.decoded.value(QLatin1String("protocol")).toString())
                    innerProtocols << unitProtocol;
        }
        const auto joined = [](const QSet<QString> &set) {
            QStringList l(set.cbegin(), set.cend());
            l.sort();
            return l.join(QStringLiteral(", "));
        };
        if (count == 0)
            problems << QStringLiteral("%1 leg: no data messages at all").arg(leg);
        else if (protocols != QSet<QString> { protocol })
            problems << QStringLiteral("%1 leg: decoded as %2, expected %3").arg(leg, joined(protocols), protocol);
        if (count > 0 && !innerProtocol.isEmpty() && innerProtocols != QSet<QString> { innerProtocol })
            problems << QStringLiteral("%1 leg: inner units decoded as %2, expected %3").arg(leg, joined(innerProtocols), innerProtocol);
    }

    // Errors, unit types, and the pairs. Each message once, as the relay received it.
    QSet<QString> sent[2]; // unit types, by sender: [0] server, [1] client
    struct Open {
        const Message *message;
        QString key;
    };
    QHash<QString, QList<Open>> open; // by connection, sender and key: requests awaiting their answer, in order
    QHash<quint32, qint64> lastAnswer[2]; // per connection, by sender: the line of its last answer
    qsizetype pairs = 0;
    for (const Message &m : messages) {
        if (!m.incoming || m.decoded.isEmpty())
            continue;
        const QStringList errors = errorsOf(m);
        if (m.fromClient && matchesAny(invalid, m.payload)) {
            // Its valid parts still count (a batch's good calls are answered; so is a 1.0 call).
            if (errors.isEmpty())
                problems << QStringLiteral("sent wrong on purpose, but not flagged: %1; decoded as %2")
                                .arg(m.where(), m.decoded.value(QLatin1String("summary")).toString());
            else
                notes << QStringLiteral("flagged, as it should be: %1: %2").arg(m.where(), errors.join(QStringLiteral("; ")));
        } else {
            for (const QString &error : errors)
                problems << QStringLiteral("error \"%1\": %2").arg(error, m.where());
        }
        for (const auto &[unitProtocol, unit] : unitsOf(m)) {
            sent[m.fromClient] << unit.value(QLatin1String("type")).toString();
            for (const QJsonValue &c : unit.value(QLatin1String("correlations")).toArray()) {
                const QString role = c.toObject().value(QLatin1String("role")).toString();
                const QString key = c.toObject().value(QLatin1String("key")).toString();
                if (role == QLatin1String("request")) {
                    open[QStringLiteral("%1 %2 %3").arg(m.conn).arg(m.fromClient).arg(key)] << Open { &m, key };
                } else if (role == QLatin1String("answer")) {
                    lastAnswer[m.fromClient][m.conn] = m.line;
                    // It answers the oldest open request of its key from the other side.
                    QList<Open> &asked = open[QStringLiteral("%1 %2 %3").arg(m.conn).arg(!m.fromClient).arg(key)];
                    if (!asked.isEmpty()) {
                        asked.removeFirst();
                        ++pairs;
                    } else {
                        notes << QStringLiteral("answer \"%1\" to no request: %2").arg(key, m.where());
                    }
                }
            }
        }
    }
    for (const bool fromClient : { true, false }) {
        QStringList missing;
        for (const QString &type : fromClient ? clientTypes : serverTypes)
            if (!sent[fromClient].contains(type))
                missing << type;
        if (!missing.isEmpty()) {
            QStringList seen(sent[fromClient].cbegin(), sent[fromClient].cend());
            seen.sort();
            problems << QStringLiteral("the %1 was never seen sending %2 (seen: %3)")
                            .arg(fromClient ? QStringLiteral("client") : QStringLiteral("server"), missing.join(QStringLiteral(", ")),
                                seen.join(QStringLiteral(", ")));
        }
    }
    for (const QList<Open> &requests : std::as_const(open)) {
        for (const Open &request : requests) {
            const Message &m = *request.message;
            // The connection ended before the other side answered anything more: the request
            // crossed the close (a keep-alive ping), or the peer closes instead (RabbitMQ after a
            // DISCONNECT). A decoder that misses answers misses the earlier ones too, and fails there.
            const bool endedFirst = lastAnswer[!m.fromClient].value(m.conn) < m.line;
            if (endedFirst || matchesAny(unansweredByDesign, m.payload))
                notes << QStringLiteral("unanswered (%1): request \"%2\": %3")
                             .arg(endedFirst ? QStringLiteral("no answer of any kind came after it") : QStringLiteral("by design"), request.key, m.where());
            else
                problems << QStringLiteral("request \"%1\" never answered: %2").arg(request.key, m.where());
        }
    }
    if (pairs == 0)
        problems << QStringLiteral("not a single request paired with its answer");
    qInfo("%s: server ready in %lld ms, flow %lld ms, relay drained in %lld ms; %lld data messages, %lld pairs",
          qPrintable(flow), serverMs, flowMs, drainMs, qint64(messages.size()), qint64(pairs));
    if (!notes.isEmpty())
        qInfo("%s", qPrintable(list(notes, 20)));
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 problem(s):%2").arg(problems.size()).arg(list(problems))));
}

QTEST_GUILESS_MAIN(tst_ProtocolsInterop)
#include "tst_protocolsinterop.moc"
