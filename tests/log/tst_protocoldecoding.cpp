// The protocol on top of a capture: found from the handshake or the first messages, or chosen;
// every data message decoded in order (state kept where it matters, restored to show a message
// again); requests paired with their answers; a relay's legs decoded apart; Clear and a new
// choice start over.

#include "decode/decoder.h"
#include "decode/protocoldetector.h"
#include "log/capture.h"
#include "log/protocoldecoding.h"

#include "messagerecorder.h"

#include <QSignalSpy>
#include <QTest>

using namespace Decode;

namespace {

const QByteArray socketIoRequest = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n";
const QByteArray plainRequest = "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n";
const QByteArray plainResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
const QByteArray openPacket = R"(0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})";

QString summaryAt(const ProtocolDecoding &d, qsizetype index)
{
    return d.decodedAt(index).summary();
}

} // namespace

class tst_ProtocolDecoding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void socketIoFromTheUrl();
    void pairs();
    void attachmentsShownAgain();
    void fromContentDecodesEarlierMessagesToo();
    void subprotocolWithoutDecoderSaysSo();
    void choices();
    void relayLegsAreOneConversation();
    void clearKeepsTheProtocol();
    void fragmentsAndControlFrames();
    void catchUpWithoutSignals();
    void largeCarriedStateIsNotKept();
};

void tst_ProtocolDecoding::socketIoFromTheUrl()
{
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, plainResponse);
    const qsizetype open = r.text(Direction::Incoming, openPacket);
    const qsizetype chat = r.text(Direction::Outgoing, R"(42["chat message","hi"])");
    const qsizetype bad = r.text(Direction::Incoming, "hello");
    ProtocolDecoding decoding;
    QSignalSpy appended(&decoding, &ProtocolDecoding::appended);
    decoding.setCapture(&capture);
    QVERIFY(appended.wait()); // batches, like the other models
    QCOMPARE(decoding.eventCount(), capture.count());
    QCOMPARE(decoding.protocol(), Protocol::SocketIo);
    QCOMPARE(decoding.activeProtocol(), Protocol::SocketIo);
    QCOMPARE(decoding.reason(), QStringLiteral("the URL /socket.io/?EIO=4&transport=websocket"));
    QCOMPARE(summaryAt(decoding, open), QStringLiteral(R"(Socket.IO open sid "abc", ping every 25 s, timeout 20 s)"));
    QCOMPARE(summaryAt(decoding, chat), QStringLiteral(R"(Socket.IO event "chat message" ["hi"])"));
    // Not Socket.IO: shown raw with the reason, not dropped.
    QVERIFY2(summaryAt(decoding, bad).startsWith(QStringLiteral("Socket.IO hello (not an Engine.IO packet")), qPrintable(summaryAt(decoding, bad)));
    QVERIFY(!decoding.decodedAt(bad).ok());
    // The handshake is no data message.
    QVERIFY(decoding.decodedAt(0).isNull());
    QVERIFY(!decoding.isDecodable(0));
    QVERIFY(decoding.decodedAt(capture.count()).isNull());
}

void tst_ProtocolDecoding::pairs()
{
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, plainResponse);
    r.text(Direction::Incoming, openPacket);
    const qsizetype connect = r.text(Direction::Outgoing, "40");
    const qsizetype connected = r.text(Direction::Incoming, R"(40{"sid":"s1"})");
    const qsizetype ask1 = r.text(Direction::Outgoing, R"(421["ping with ack",1])");
    const qsizetype ask2 = r.text(Direction::Outgoing, R"(422["ping with ack",2])");
    const qsizetype ping = r.text(Direction::Incoming, "2");
    const qsizetype pong = r.text(Direction::Outgoing, "3");
    const qsizetype answer2 = r.text(Direction::Incoming, R"(432["pong"])");
    // The server's own ack id 1 answers nothing of the client's: it is the server asking.
    const qsizetype serverAsks = r.text(Direction::Incoming, R"(421["are you there"])");
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();

    auto only = [&](qsizetype index) {
        const auto pairs = decoding.pairsOf(index);
        return pairs.size() == 1 ? pairs.first() : ProtocolDecoding::Pair {};
    };
    QCOMPARE(only(connect).answer, connected);
    QCOMPARE(only(connect).key, QByteArray("connect /"));
    QCOMPARE(only(connected).request, connect);
    QCOMPARE(only(connected).elapsedUs, 1000);
    QCOMPARE(only(ping).answer, pong);
    QCOMPARE(only(ask2).answer, answer2);
    QCOMPARE(only(ask2).elapsedUs, (answer2 - ask2) * 1000);
    QCOMPARE(only(ask1).answer, -1); // still waiting
    QCOMPARE(only(serverAsks).answer, -1);
    QCOMPARE(only(serverAsks).request, serverAsks);
    QCOMPARE(decoding.pairingText(ask1), QStringLiteral("ack / 1: no answer yet"));
    QCOMPARE(decoding.pairingText(ask2), QStringLiteral("ack / 2: answered by #%1 in 3.00 ms").arg(answer2 + 1));
    QCOMPARE(decoding.pairingText(answer2), QStringLiteral("ack / 2: answers #%1 after 3.00 ms").arg(ask2 + 1));
    QVERIFY(decoding.pairsOf(0).isEmpty());
}

void tst_ProtocolDecoding::attachmentsShownAgain()
{
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, plainResponse);
    r.text(Direction::Outgoing, R"(451-["upload",{"_placeholder":true,"num":0}])");
    const qsizetype between = r.text(Direction::Incoming, R"(42["chat message","x"])");
    const qsizetype attachment = r.frame(Direction::Outgoing, Opcode::Binary, QByteArray("\x01\x02", 2));
    const qsizetype after = r.frame(Direction::Outgoing, Opcode::Binary, "z");
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    // Shown in any order, each from the state saved before it.
    QVERIFY2(summaryAt(decoding, attachment).startsWith(QStringLiteral("Socket.IO attachment 1 of 1, 2 bytes, of binary event \"upload\"")),
             qPrintable(summaryAt(decoding, attachment)));
    QCOMPARE(summaryAt(decoding, after), QStringLiteral("Socket.IO binary message, 1 byte"));
    QCOMPARE(summaryAt(decoding, between), QStringLiteral(R"(Socket.IO event "chat message" ["x"])"));
    QCOMPARE(summaryAt(decoding, attachment), summaryAt(decoding, attachment)); // cached or not, the same
}

void tst_ProtocolDecoding::fromContentDecodesEarlierMessagesToo()
{
    // No handshake in the capture (a file, or a log cleared): the first messages tell.
    Capture capture;
    MessageRecorder r(capture);
    const qsizetype before = r.text(Direction::Outgoing, "hello");
    const qsizetype open = r.text(Direction::Incoming, openPacket);
    const qsizetype event = r.text(Direction::Incoming, R"(42["news",1])");
    ProtocolDecoding decoding;
    QSignalSpy reset(&decoding, &ProtocolDecoding::reset);
    decoding.setCapture(&capture);
    const int resetsBefore = reset.count();
    decoding.flushPending();
    QCOMPARE(reset.count(), resetsBefore + 1); // found: everything decodes anew
    QCOMPARE(decoding.protocol(), Protocol::SocketIo);
    QCOMPARE(decoding.reason(), QStringLiteral("the messages"));
    QVERIFY(decoding.isDecodable(before));
    QVERIFY(!decoding.decodedAt(before).ok());
    QCOMPARE(summaryAt(decoding, open).left(14), QStringLiteral("Socket.IO open"));
    QCOMPARE(summaryAt(decoding, event), QStringLiteral(R"(Socket.IO event "news" [1])"));

    // Plain traffic: after a few messages it stops looking, and nothing is decoded.
    Capture plain;
    MessageRecorder p(plain);
    for (int i = 0; i < ProtocolDetector::ContentMessages; ++i)
        p.text(Direction::Outgoing, "hello " + QByteArray::number(i));
    const qsizetype late = p.text(Direction::Incoming, openPacket);
    ProtocolDecoding none;
    none.setCapture(&plain);
    none.flushPending();
    QCOMPARE(none.protocol(), Protocol::None);
    QVERIFY(!none.isDecodable(late));
    QVERIFY(none.decodedAt(late).isNull());
}

void tst_ProtocolDecoding::subprotocolWithoutDecoderSaysSo()
{
    // The handshake names a protocol; the URL is not looked at once the subprotocol says.
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(plainRequest, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n");
    const qsizetype frame = r.text(Direction::Outgoing, QByteArray("CONNECT\naccept-version:1.2\nhost:x\n\n\0", 36));
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    if (Decoder::create(Protocol::Stomp)) {
        QCOMPARE(decoding.protocol(), Protocol::Stomp);
        QCOMPARE(decoding.reason(), QStringLiteral("the subprotocol v12.stomp"));
        QVERIFY(decoding.decodedAt(frame).summary().startsWith(QStringLiteral("STOMP CONNECT")));
    } else {
        QCOMPARE(decoding.protocol(), Protocol::None);
        QCOMPARE(decoding.reason(), QStringLiteral("the subprotocol v12.stomp, which cannot be decoded"));
    }
}

void tst_ProtocolDecoding::choices()
{
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, plainResponse);
    const qsizetype chat = r.text(Direction::Outgoing, R"(42["chat message","hi"])");
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    QCOMPARE(decoding.protocol(), Protocol::SocketIo);

    QSignalSpy reset(&decoding, &ProtocolDecoding::reset);
    decoding.setChoice(ProtocolDecoding::Choice::fixed(Protocol::None));
    QCOMPARE(reset.count(), 1);
    decoding.flushPending();
    QCOMPARE(decoding.protocol(), Protocol::None);
    QVERIFY(decoding.decodedAt(chat).isNull());
    QVERIFY(decoding.pairsOf(chat).isEmpty());

    // A protocol chosen by hand starts decoding at the next pass; reset() tells that too, or a view
    // asking at the first reset() would still read "none".
    QList<Protocol> activeAtReset;
    connect(&decoding, &ProtocolDecoding::reset, this, [&] { activeAtReset << decoding.activeProtocol(); });
    decoding.setChoice(ProtocolDecoding::Choice::fixed(Protocol::SocketIo));
    decoding.flushPending();
    QCOMPARE(activeAtReset, QList<Protocol>({ Protocol::None, Protocol::SocketIo }));
    QCOMPARE(decoding.reason(), QStringLiteral("chosen by hand"));
    QCOMPARE(summaryAt(decoding, chat), QStringLiteral(R"(Socket.IO event "chat message" ["hi"])"));
    decoding.setChoice(ProtocolDecoding::Choice::fixed(Protocol::SocketIo)); // the same: nothing to do
    decoding.flushPending();
    QCOMPARE(reset.count(), 3);

    decoding.setChoice(ProtocolDecoding::Choice::autoDetect());
    decoding.flushPending();
    QCOMPARE(decoding.reason(), QStringLiteral("the URL /socket.io/?EIO=4&transport=websocket"));
}

void tst_ProtocolDecoding::relayLegsAreOneConversation()
{
    // A relay records each message once, on the leg where it arrived: the application's on its leg
    // (in), the server's on the server's leg (in). Both legs are one conversation: decoded by one
    // decoder, with the right senders, and an answer on one leg pairs with its request on the other.
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, plainResponse, Leg::App);
    r.handshake(socketIoRequest, plainResponse, Leg::Server);
    const qsizetype open = r.text(Direction::Incoming, openPacket, Leg::Server);
    const qsizetype asks = r.text(Direction::Incoming, R"(451-7["upload",{"_placeholder":true,"num":0}])", Leg::App);
    const qsizetype attachment = r.frame(Direction::Incoming, Opcode::Binary, "xy", Leg::App);
    const qsizetype answers = r.text(Direction::Incoming, R"(437["stored"])", Leg::Server);
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    QCOMPARE(decoding.protocol(Leg::App), Protocol::SocketIo);
    QCOMPARE(decoding.protocol(Leg::Server), Protocol::SocketIo);
    QCOMPARE(decoding.protocol(Leg::None), Protocol::None);
    QCOMPARE(summaryAt(decoding, open).left(14), QStringLiteral("Socket.IO open"));
    QVERIFY2(summaryAt(decoding, attachment).startsWith(QStringLiteral("Socket.IO attachment 1 of 1")), qPrintable(summaryAt(decoding, attachment)));
    QCOMPARE(decoding.pairsOf(asks).size(), 1);
    QCOMPARE(decoding.pairsOf(asks).first().answer, answers);
    QCOMPARE(ProtocolDecoding::senderOf(capture.event(asks)), Sender::Client);
    QCOMPARE(ProtocolDecoding::senderOf(capture.event(answers)), Sender::Server);
    // The relay's own copies toward a peer (an injected message) are the relay's words.
    WireEvent toApp = capture.event(answers);
    toApp.leg = Leg::App;
    toApp.direction = Direction::Outgoing;
    QCOMPARE(ProtocolDecoding::senderOf(toApp), Sender::Server);
}

void tst_ProtocolDecoding::clearKeepsTheProtocol()
{
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, plainResponse);
    r.text(Direction::Outgoing, R"(421["q",1])");
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    QSignalSpy reset(&decoding, &ProtocolDecoding::reset);
    capture.clear();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(decoding.eventCount(), 0);
    // The conversation goes on without its handshake in the capture.
    const qsizetype next = r.text(Direction::Incoming, R"(42["news",2])");
    decoding.flushPending();
    QCOMPARE(decoding.protocol(), Protocol::SocketIo);
    QCOMPARE(summaryAt(decoding, next), QStringLiteral(R"(Socket.IO event "news" [2])"));
}

void tst_ProtocolDecoding::fragmentsAndControlFrames()
{
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, plainResponse);
    const qsizetype first = r.frame(Direction::Outgoing, Opcode::Text, R"(42["chat )", Leg::None, false);
    const qsizetype ping = r.frame(Direction::Outgoing, Opcode::Ping, "p");
    const qsizetype last = r.frame(Direction::Outgoing, Opcode::Continuation, R"(message","hi"])");
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    QVERIFY(!decoding.isDecodable(first)); // a message is decoded at its final frame, whole
    QVERIFY(!decoding.isDecodable(ping));
    QCOMPARE(summaryAt(decoding, last), QStringLiteral(R"(Socket.IO event "chat message" ["hi"])"));
}

void tst_ProtocolDecoding::catchUpWithoutSignals()
{
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(socketIoRequest, plainResponse);
    const qsizetype chat = r.text(Direction::Outgoing, R"(42["chat message","hi"])");
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    QSignalSpy appended(&decoding, &ProtocolDecoding::appended);
    QVERIFY(!decoding.isDecodable(chat));
    decoding.catchUp(chat);
    QVERIFY(decoding.isDecodable(chat));
    QCOMPARE(appended.count(), 0); // told at the next batch, never from inside the reader's call
    QVERIFY(appended.wait());
    QCOMPARE(appended.first().at(0).value<qsizetype>(), 0);
    QCOMPARE(appended.first().at(1).value<qsizetype>(), chat);
}

void tst_ProtocolDecoding::largeCarriedStateIsNotKept()
{
    // An MQTT PUBLISH of 200 KiB cut into 2 KiB messages: the decoder carries the unfinished
    // packet from message to message. Kept at every change, that would cost the square of its size;
    // beyond MaxStoredState it is not kept, and the messages decoded under it stay decoded instead.
    Capture capture;
    MessageRecorder r(capture);
    r.handshake(plainRequest, "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n");
    const QByteArray topic = "sensors/1";
    const QByteArray body(200 * 1024, 'x');
    QByteArray packet;
    packet += char(0x30); // PUBLISH, QoS 0
    quint32 remaining = quint32(2 + topic.size() + body.size());
    do {
        quint8 digit = remaining % 128;
        remaining /= 128;
        packet += char(remaining ? digit | 0x80 : digit);
    } while (remaining);
    packet += char(0) + QByteArray(1, char(topic.size())) + topic + body;
    qsizetype last = -1;
    for (qsizetype at = 0; at < packet.size(); at += 2048)
        last = r.frame(Direction::Outgoing, Opcode::Binary, packet.mid(at, 2048));
    const qsizetype after = r.frame(Direction::Outgoing, Opcode::Binary, QByteArray::fromHex("c000")); // PINGREQ
    ProtocolDecoding decoding;
    decoding.setCapture(&capture);
    decoding.flushPending();
    QCOMPARE(decoding.protocol(), Protocol::Mqtt);
    const QString done = decoding.decodedAt(last).summary();
    QVERIFY2(done.startsWith(QStringLiteral("MQTT PUBLISH sensors/1")), qPrintable(done));
    QCOMPARE(decoding.decodedAt(after).summary(), QStringLiteral("MQTT PINGREQ"));
    // The same when the cache has forgotten them: decoded again, or kept.
    for (qsizetype i = 0; i < capture.count(); ++i)
        decoding.decodedAt(i); // fills the cache with others
    QCOMPARE(decoding.decodedAt(last).summary(), done);
}

QTEST_GUILESS_MAIN(tst_ProtocolDecoding)
#include "tst_protocoldecoding.moc"
