// The composer's Templates menu: every template, read by the composer in its mode, is a message the
// protocol's decoder reads without a problem as a client's (each group fed in order through one
// decoder, so MQTT 5's packets follow its CONNECT); the messages the issue asks for are there; and
// a few are pinned byte for byte.

#include "decode/decoder.h"
#include "decode/mqttpacket.h"
#include "send/composerinput.h"
#include "send/protocoltemplates.h"

#include <QTest>

using ProtocolTemplates::Group;
using ProtocolTemplates::Template;

namespace {

// The bytes Send puts on the wire for the template, and whether as a binary message.
std::pair<QByteArray, bool> wireBytes(const Template &t, QString *error)
{
    ComposerInput::Parsed p;
    bool binary = false;
    switch (t.mode) {
    case ComposerMode::Text:
        p = ComposerInput::fromText(t.text);
        break;
    case ComposerMode::Json:
        p = ComposerInput::fromJson(t.text);
        break;
    case ComposerMode::SocketIoEvent:
        // Outside Socket.IO mode the composer sends the event as its packet, 42[...].
        p = ComposerInput::fromSocketIoEvent(t.text);
        p.bytes.prepend("42");
        break;
    case ComposerMode::StompFrame:
        p = ComposerInput::fromStompFrame(t.text);
        break;
    case ComposerMode::MqttPacket:
        p = ComposerInput::fromMqttPacket(t.text);
        binary = true;
        break;
    case ComposerMode::Hex:
    case ComposerMode::Base64:
    case ComposerMode::File:
        p.error = QStringLiteral("no template should need this mode");
        break;
    }
    *error = p.error;
    return { p.bytes, binary };
}

QStringList names(const Group &g)
{
    QStringList out;
    for (const Template &t : g.templates)
        out << t.name;
    return out;
}

const Group *groupTitled(const QList<Group> &groups, const QString &title)
{
    for (const Group &g : groups)
        if (g.title == title)
            return &g;
    return nullptr;
}

} // namespace

class tst_ProtocolTemplates : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyTemplateDecodes_data();
    void everyTemplateDecodes();
    void theMessagesAskedFor();
    void pinnedBytes();
};

void tst_ProtocolTemplates::everyTemplateDecodes_data()
{
    QTest::addColumn<int>("group");
    const QList<Group> groups = ProtocolTemplates::all();
    for (int i = 0; i < groups.size(); ++i)
        QTest::addRow("%s", qPrintable(groups[i].title)) << i;
}

void tst_ProtocolTemplates::everyTemplateDecodes()
{
    QFETCH(int, group);
    const Group g = ProtocolTemplates::all().at(group);
    QVERIFY(!g.templates.isEmpty());
    const std::unique_ptr<Decoder> decoder = Decoder::create(g.protocol);
    QVERIFY(decoder);
    for (const Template &t : g.templates) {
        QString error;
        const auto [bytes, binary] = wireBytes(t, &error);
        QVERIFY2(error.isEmpty(), qPrintable(t.name + QStringLiteral(": ") + error));
        const Decode::Decoded d = decoder->decode(Decode::Sender::Client, binary, bytes);
        QVERIFY2(d.ok() && !d.units.isEmpty(), qPrintable(t.name + QStringLiteral(": ") + d.summary()));
    }
}

void tst_ProtocolTemplates::theMessagesAskedFor()
{
    const QList<Group> groups = ProtocolTemplates::all();
    const Group *stomp = groupTitled(groups, QStringLiteral("STOMP"));
    QVERIFY(stomp);
    for (const char *name : { "CONNECT", "SUBSCRIBE", "SEND", "ACK", "DISCONNECT" })
        QVERIFY2(names(*stomp).contains(QLatin1String(name)), name);
    for (const char *title : { "MQTT 3.1.1", "MQTT 5" }) {
        const Group *mqtt = groupTitled(groups, QLatin1String(title));
        QVERIFY2(mqtt, title);
        QCOMPARE(names(*mqtt), QStringList({ QStringLiteral("CONNECT"), QStringLiteral("SUBSCRIBE"),
                                   QStringLiteral("PUBLISH"), QStringLiteral("PINGREQ"), QStringLiteral("DISCONNECT") }));
        for (const Template &t : mqtt->templates)
            QCOMPARE(t.mode, ComposerMode::MqttPacket);
    }
    const Group *jsonRpc = groupTitled(groups, QStringLiteral("JSON-RPC"));
    QVERIFY(jsonRpc);
    QCOMPARE(names(*jsonRpc), QStringList({ QStringLiteral("call"), QStringLiteral("notification"), QStringLiteral("batch") }));
    QVERIFY(names(*groupTitled(groups, QStringLiteral("graphql-transport-ws"))).contains(QStringLiteral("subscribe")));
    QVERIFY(names(*groupTitled(groups, QStringLiteral("graphql-ws"))).contains(QStringLiteral("start")));
    QVERIFY(groupTitled(groups, QStringLiteral("Socket.IO")));
    QVERIFY(groupTitled(groups, QStringLiteral("SockJS")));
    QVERIFY(groupTitled(groups, QStringLiteral("WAMP")));
}

void tst_ProtocolTemplates::pinnedBytes()
{
    const QList<Group> groups = ProtocolTemplates::all();
    QString error;
    // STOMP: the frame as typed, its NUL added on send; no content-length to go stale as the body is edited.
    const Group *stomp = groupTitled(groups, QStringLiteral("STOMP"));
    const Template send = stomp->templates.at(names(*stomp).indexOf(QStringLiteral("SEND")));
    QCOMPARE(send.mode, ComposerMode::StompFrame);
    QCOMPARE(send.text, QStringLiteral("SEND\ndestination:/topic/chat\ncontent-type:text/plain\n\nhello"));
    QCOMPARE(wireBytes(send, &error).first, QByteArray("SEND\ndestination:/topic/chat\ncontent-type:text/plain\n\nhello\0", 60));
    // A heart-beat is a bare line end, sent as text: no frame, no NUL.
    const Template beat = stomp->templates.at(names(*stomp).indexOf(QStringLiteral("heart-beat")));
    QCOMPARE(beat.mode, ComposerMode::Text);
    QCOMPARE(wireBytes(beat, &error).first, QByteArray("\n"));
    // MQTT 5: PUBLISH as fields, encoded as mqtt-packet writes it (property length 0 in MQTT 5).
    const Group *mqtt5 = groupTitled(groups, QStringLiteral("MQTT 5"));
    const Template publish = mqtt5->templates.at(2);
    QCOMPARE(publish.text,
        QStringLiteral("PUBLISH\nversion: 5\ntopic: test/hello\nqos: 0\nretain: false\n\nHello from WebSocket Inspector"));
    QCOMPARE(wireBytes(publish, &error).first.toHex(' '),
        QByteArray::fromHex("302b000a746573742f68656c6c6f0048656c6c6f2066726f6d20576562536f636b657420496e73706563746f72").toHex(' '));
}

QTEST_GUILESS_MAIN(tst_ProtocolTemplates)
#include "tst_protocoltemplates.moc"
