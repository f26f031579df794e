// The Learn dock's notes on the protocols on top of WebSocket: one per protocol the decoders know,
// each complete and short, with the facts a learner needs (the type digits, frames, packets and
// flows), and a one-line explanation for each kind of decoded unit.

#include "decode/decoded.h"
#include "teach/glossary.h"
#include "teach/protocolnotes.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using Decode::Protocol;

namespace {

// As tst_glossary: sentences end with . ! or ? and a space or the end.
int sentenceCount(const QString &text)
{
    static const QRegularExpression end(QStringLiteral("[.!?](\\s|$)"));
    int count = 0;
    auto it = end.globalMatch(text);
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

bool hasControlCharacters(const QString &text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.category() == QChar::Other_Control; });
}

} // namespace

class tst_ProtocolNotes : public QObject {
    Q_OBJECT

private slots:
    void everyNoteIsComplete();
    void idsAreUniqueAndApartFromTheGlossary();
    void everyProtocolHasANote_data();
    void everyProtocolHasANote();
    void facts_data();
    void facts();
    void unknownIds();
    void unitNotes_data();
    void unitNotes();
};

void tst_ProtocolNotes::everyNoteIsComplete()
{
    const QList<ProtocolNote> all = ProtocolNotes::notes();
    QCOMPARE(all.size(), 8);
    QCOMPARE(all.first().id, QString(ProtocolNotes::Overview));
    QCOMPARE(all.first().protocol, Protocol::None);
    for (const ProtocolNote &n : all) {
        QVERIFY2(n.isValid(), qPrintable(n.title));
        QVERIFY2(!n.title.isEmpty(), qPrintable(n.id));
        QCOMPARE(n.name.isEmpty(), n.protocol == Protocol::None);
        QVERIFY2(n.paragraphs.size() >= 3 && n.paragraphs.size() <= 6, qPrintable(n.id));
        for (const QString &p : n.paragraphs) {
            // Short paragraphs: a learner reads them in a narrow dock.
            const int sentences = sentenceCount(p);
            QVERIFY2(sentences >= 1 && sentences <= 5, qPrintable(QStringLiteral("%1: %2").arg(n.id, p)));
            QVERIFY2(p.size() <= 520, qPrintable(QStringLiteral("%1 (%2 chars): %3").arg(n.id).arg(p.size()).arg(p)));
            QVERIFY2(p.endsWith(QLatin1Char('.')), qPrintable(p));
            QVERIFY2(!p.contains(QLatin1Char('\n')), qPrintable(p));
        }
        QVERIFY2(!n.reference.isEmpty(), qPrintable(n.id));
        QVERIFY2(!n.inCode.isEmpty() && !n.inCode.contains(QLatin1Char('\n')), qPrintable(n.id));
        QVERIFY2(
            !hasControlCharacters(n.title + n.paragraphs.join(QString()) + n.reference + n.inCode), qPrintable(n.id));

        const ProtocolNote again = ProtocolNotes::note(n.id);
        QCOMPARE(again.title, n.title);
        QCOMPARE(again.paragraphs, n.paragraphs);
    }
}

void tst_ProtocolNotes::idsAreUniqueAndApartFromTheGlossary()
{
    const QStringList ids = ProtocolNotes::noteIds();
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
    for (const QString &id : ids) {
        // One Learn list holds both: an id must not mean two topics.
        QVERIFY2(!Glossary::entry(id).isValid(), qPrintable(id));
        QVERIFY2(!Glossary::topicIds().contains(id), qPrintable(id));
    }
    for (const QString &id : { QString(ProtocolNotes::Overview), QString(ProtocolNotes::SocketIo),
             QString(ProtocolNotes::SockJs), QString(ProtocolNotes::Stomp), QString(ProtocolNotes::Mqtt),
             QString(ProtocolNotes::JsonRpc), QString(ProtocolNotes::GraphQl), QString(ProtocolNotes::Wamp) })
        QVERIFY2(ids.contains(id), qPrintable(id));
}

void tst_ProtocolNotes::everyProtocolHasANote_data()
{
    QTest::addColumn<Protocol>("protocol");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("name");
    QTest::addRow("Socket.IO") << Protocol::SocketIo << QString(ProtocolNotes::SocketIo) << QStringLiteral("Socket.IO");
    QTest::addRow("SockJS") << Protocol::SockJs << QString(ProtocolNotes::SockJs) << QStringLiteral("SockJS");
    QTest::addRow("STOMP") << Protocol::Stomp << QString(ProtocolNotes::Stomp) << QStringLiteral("STOMP");
    QTest::addRow("MQTT") << Protocol::Mqtt << QString(ProtocolNotes::Mqtt) << QStringLiteral("MQTT");
    QTest::addRow("JSON-RPC") << Protocol::JsonRpc << QString(ProtocolNotes::JsonRpc) << QStringLiteral("JSON-RPC");
    QTest::addRow("graphql-transport-ws")
        << Protocol::GraphQlTransportWs << QString(ProtocolNotes::GraphQl) << QStringLiteral("GraphQL");
    QTest::addRow("graphql-ws") << Protocol::GraphQlWs << QString(ProtocolNotes::GraphQl) << QStringLiteral("GraphQL");
    QTest::addRow("WAMP") << Protocol::Wamp << QString(ProtocolNotes::Wamp) << QStringLiteral("WAMP");
}

void tst_ProtocolNotes::everyProtocolHasANote()
{
    QFETCH(Protocol, protocol);
    QFETCH(QString, id);
    QFETCH(QString, name);
    QVERIFY(Decode::allProtocols().contains(protocol));
    QCOMPARE(ProtocolNotes::noteFor(protocol), id);
    const ProtocolNote n = ProtocolNotes::note(id);
    QVERIFY(n.isValid());
    QCOMPARE(n.name, name);
    QCOMPARE(ProtocolNotes::noteFor(n.protocol), id);
    QVERIFY(n.title.contains(name));
    // Every protocol the decoders know is covered.
    for (const Protocol p : Decode::allProtocols())
        QVERIFY2(ProtocolNotes::note(ProtocolNotes::noteFor(p)).isValid(), qPrintable(Decode::protocolName(p)));
    QVERIFY(ProtocolNotes::noteFor(Protocol::None).isEmpty());
}

void tst_ProtocolNotes::facts_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QStringList>("inText"); // each must appear in the title, paragraphs or reference

    QTest::addRow("overview") << QString(ProtocolNotes::Overview)
                              << QStringList { QStringLiteral("Sec-WebSocket-Protocol"), QStringLiteral("URL"),
                                     QStringLiteral("first few messages"), QStringLiteral("Decode button"),
                                     QStringLiteral("Message column"), QStringLiteral("v12.stomp"),
                                     QStringLiteral("/socket.io/?EIO=4&transport=websocket") };
    QTest::addRow("Socket.IO") << QString(ProtocolNotes::SocketIo)
                               << QStringList { QStringLiteral("Engine.IO"),
                                      QStringLiteral("0 open, 1 close, 2 ping, 3 pong, 4 message, 5 upgrade, 6 noop"),
                                      QStringLiteral("0 connect, 1 disconnect, 2 event, 3 ack, 4 connect error, 5 "
                                                     "binary event, 6 binary ack"),
                                      QStringLiteral("42[\"chat message\",\"hi\"]"), QStringLiteral("/admin"),
                                      QStringLiteral("43/admin,7"), QStringLiteral("451-"),
                                      QStringLiteral("separate binary WebSocket message"),
                                      QStringLiteral("pingInterval"), QStringLiteral("pingTimeout"),
                                      QStringLiteral("driven by the server"),
                                      QStringLiteral("not WebSocket ping and pong frames"),
                                      QStringLiteral("plain WebSocket client") };
    QTest::addRow("SockJS") << QString(ProtocolNotes::SockJs)
                            << QStringList { QStringLiteral("sends o once"), QStringLiteral("h is a heartbeat"),
                                   QStringLiteral("a[\"...\",\"...\"]"), QStringLiteral("c[3000,\"Go away!\"]"),
                                   QStringLiteral("/websocket"), QStringLiteral("STOMP") };
    QTest::addRow("STOMP") << QString(ProtocolNotes::Stomp)
                           << QStringList { QStringLiteral("command"), QStringLiteral("name:value"),
                                  QStringLiteral("empty line"), QStringLiteral("NUL"), QStringLiteral("\\x00"),
                                  QStringLiteral("CONNECTED"), QStringLiteral("receipt"), QStringLiteral("RECEIPT"),
                                  QStringLiteral("heart-beat"), QStringLiteral("end of line"),
                                  QStringLiteral("1.0, 1.1 and 1.2"), QStringLiteral("v10.stomp"),
                                  QStringLiteral("v11.stomp"), QStringLiteral("v12.stomp") };
    QTest::addRow("MQTT") << QString(ProtocolNotes::Mqtt)
                          << QStringList { QStringLiteral("binary"), QStringLiteral("subprotocol mqtt"),
                                 QStringLiteral("fixed header"), QStringLiteral("remaining length"),
                                 QStringLiteral("1 to 4 bytes"), QStringLiteral("packet identifier"),
                                 QStringLiteral("QoS 0"), QStringLiteral("PUBACK"),
                                 QStringLiteral("PUBLISH, PUBREC, PUBREL, PUBCOMP"), QStringLiteral("3.1.1"),
                                 QStringLiteral("MQTT 5"), QStringLiteral("properties"),
                                 QStringLiteral("split over several messages") };
    QTest::addRow("JSON-RPC") << QString(ProtocolNotes::JsonRpc)
                              << QStringList { QStringLiteral("\"jsonrpc\":\"2.0\""), QStringLiteral("method"),
                                     QStringLiteral("params"), QStringLiteral("notification"),
                                     QStringLiteral("same id"), QStringLiteral("batch"), QStringLiteral("-32601") };
    QTest::addRow("GraphQL") << QString(ProtocolNotes::GraphQl)
                             << QStringList { QStringLiteral("graphql-transport-ws"),
                                    QStringLiteral("subscriptions-transport-ws"), QStringLiteral("connection_init"),
                                    QStringLiteral("connection_ack"), QStringLiteral("subscribe"),
                                    QStringLiteral("next"), QStringLiteral("complete"), QStringLiteral("4408"),
                                    QStringLiteral("start instead of subscribe"), QStringLiteral("ka") };
    QTest::addRow("WAMP") << QString(ProtocolNotes::Wamp)
                          << QStringList { QStringLiteral("wamp.2.json"), QStringLiteral("HELLO"),
                                 QStringLiteral("WELCOME (2)"), QStringLiteral("CALL (48)"),
                                 QStringLiteral("RESULT (50)"), QStringLiteral("EVENT (36)"), QStringLiteral("router"),
                                 QStringLiteral("request id"), QStringLiteral("URIs") };
}

void tst_ProtocolNotes::facts()
{
    QFETCH(QString, id);
    QFETCH(QStringList, inText);
    const ProtocolNote n = ProtocolNotes::note(id);
    QVERIFY(n.isValid());
    const QString all
        = n.title + QLatin1Char(' ') + n.paragraphs.join(QLatin1Char(' ')) + QLatin1Char(' ') + n.reference;
    for (const QString &needle : inText)
        QVERIFY2(all.contains(needle), qPrintable(needle));
}

void tst_ProtocolNotes::unknownIds()
{
    QVERIFY(!ProtocolNotes::note(QString()).isValid());
    QVERIFY(!ProtocolNotes::note(QStringLiteral("socket-io")).isValid()); // the glossary's
    QVERIFY(!ProtocolNotes::note(QStringLiteral("Protocol-Stomp")).isValid());
}

void tst_ProtocolNotes::unitNotes_data()
{
    QTest::addColumn<Protocol>("protocol");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("contains"); // empty: no note

    QTest::addRow("Socket.IO open") << Protocol::SocketIo << QStringLiteral("open") << QStringLiteral("pingInterval");
    QTest::addRow("Socket.IO event") << Protocol::SocketIo << QStringLiteral("event") << QStringLiteral("(42)");
    QTest::addRow("Socket.IO ack") << Protocol::SocketIo << QStringLiteral("ack") << QStringLiteral("(43)");
    QTest::addRow("Socket.IO binary event")
        << Protocol::SocketIo << QStringLiteral("binary event") << QStringLiteral("(45)");
    QTest::addRow("Socket.IO ping") << Protocol::SocketIo << QStringLiteral("ping") << QStringLiteral("(2)");
    QTest::addRow("SockJS open") << Protocol::SockJs << QStringLiteral("open") << QStringLiteral("o:");
    QTest::addRow("SockJS heartbeat") << Protocol::SockJs << QStringLiteral("heartbeat") << QStringLiteral("h:");
    QTest::addRow("STOMP SEND") << Protocol::Stomp << QStringLiteral("SEND") << QStringLiteral("destination");
    QTest::addRow("STOMP heart-beat") << Protocol::Stomp << QStringLiteral("heart-beat")
                                      << QStringLiteral("end of line");
    QTest::addRow("MQTT PUBLISH") << Protocol::Mqtt << QStringLiteral("PUBLISH") << QStringLiteral("QoS");
    QTest::addRow("MQTT PUBREL") << Protocol::Mqtt << QStringLiteral("PUBREL") << QStringLiteral("type 6");
    QTest::addRow("JSON-RPC notification")
        << Protocol::JsonRpc << QStringLiteral("notification") << QStringLiteral("without an id");
    QTest::addRow("graphql-transport-ws next")
        << Protocol::GraphQlTransportWs << QStringLiteral("next") << QStringLiteral("result");
    QTest::addRow("graphql-ws start") << Protocol::GraphQlWs << QStringLiteral("start") << QStringLiteral("subscribe");
    QTest::addRow("graphql-transport-ws has no start")
        << Protocol::GraphQlTransportWs << QStringLiteral("start") << QString();
    QTest::addRow("WAMP HELLO") << Protocol::Wamp << QStringLiteral("HELLO") << QStringLiteral("realm");
    QTest::addRow("WAMP CALL") << Protocol::Wamp << QStringLiteral("CALL") << QStringLiteral("Type 48");
    QTest::addRow("case matters") << Protocol::Stomp << QStringLiteral("send") << QString();
    QTest::addRow("an error unit") << Protocol::SocketIo << QStringLiteral("invalid") << QString();
    QTest::addRow("no protocol") << Protocol::None << QStringLiteral("event") << QString();
}

void tst_ProtocolNotes::unitNotes()
{
    QFETCH(Protocol, protocol);
    QFETCH(QString, type);
    QFETCH(QString, contains);
    const QString note = ProtocolNotes::unitNote(protocol, type);
    if (contains.isEmpty()) {
        QVERIFY2(note.isEmpty(), qPrintable(note));
        return;
    }
    QVERIFY2(note.contains(contains), qPrintable(note));
    QVERIFY(note.endsWith(QLatin1Char('.')));
    QCOMPARE(sentenceCount(note), 1);
}

QTEST_GUILESS_MAIN(tst_ProtocolNotes)
#include "tst_protocolnotes.moc"
