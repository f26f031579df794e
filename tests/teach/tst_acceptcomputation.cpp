#include "teach/acceptcomputation.h"
#include "protocol/handshake.h"

#include <QTest>

namespace {

constexpr QByteArrayView RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr QByteArrayView RfcSha1Hex = "b37a4f2cc0624f1690f64606cf385945b2bec4ea";
constexpr QByteArrayView RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

using Outcome = AcceptComputation::Outcome;

HttpRequest parseRequest(QByteArrayView bytes)
{
    RequestParser parser;
    const auto status = parser.feed(bytes);
    if (status != RequestParser::Status::Complete)
        qFatal("test request did not parse");
    return parser.request();
}

HttpResponse parseResponse(QByteArrayView bytes)
{
    ResponseParser parser;
    auto status = parser.feed(bytes);
    if (status == ResponseParser::Status::NeedMore)
        status = parser.finish();
    if (status != ResponseParser::Status::Complete)
        qFatal("test response did not parse");
    return parser.response();
}

QByteArray request(const QList<QByteArray> &keys)
{
    QByteArray r = "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    for (const QByteArray &key : keys)
        r += "Sec-WebSocket-Key: " + key + "\r\n";
    return r + "Sec-WebSocket-Version: 13\r\n\r\n";
}

QByteArray response101(const QList<QByteArray> &accepts)
{
    QByteArray r = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    for (const QByteArray &accept : accepts)
        r += "Sec-WebSocket-Accept: " + accept + "\r\n";
    return r + "\r\n";
}

} // namespace

class tst_AcceptComputation : public QObject {
    Q_OBJECT

private slots:
    void rfcExample();
    void steps();
    void compare_data();
    void compare();
    void keyShape_data();
    void keyShape();
    void fromHandshake_data();
    void fromHandshake();
    void noKeyComputesNothing();
    void peerBytesArePrintable();
    void agreesWithHandshakeCheck_data();
    void agreesWithHandshakeCheck();
};

void tst_AcceptComputation::rfcExample()
{
    const auto c = AcceptComputation::compute(RfcKey, RfcAccept.toByteArray());
    QVERIFY(c.hasKey());
    QCOMPARE(c.key(), RfcKey.toByteArray());
    QCOMPARE(c.decodedKey(), QByteArray("the sample nonce"));
    QCOMPARE(c.keyProblem(), QString());
    QCOMPARE(c.concatenated(), QByteArray("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    QCOMPARE(c.sha1().size(), 20);
    QCOMPARE(c.sha1Hex(), RfcSha1Hex.toByteArray());
    QCOMPARE(c.expectedAccept(), RfcAccept.toByteArray());
    QCOMPARE(c.receivedAccept(), std::optional<QByteArray>(RfcAccept.toByteArray()));
    QCOMPARE(c.outcome(), Outcome::Match);
    QVERIFY(c.passed());
}

void tst_AcceptComputation::steps()
{
    const QList<AcceptStep> steps = AcceptComputation::compute(RfcKey, RfcAccept.toByteArray()).steps();
    QCOMPARE(steps.size(), 5);
    for (int i = 0; i < steps.size(); ++i) {
        QCOMPARE(steps[i].number, i + 1);
        QVERIFY(!steps[i].title.isEmpty());
        QVERIFY(!steps[i].explanation.isEmpty());
        QVERIFY2(!steps[i].warning, qPrintable(steps[i].note));
    }
    QCOMPARE(steps[0].value, QStringLiteral("dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(steps[0].note, QStringLiteral("Decodes to 16 bytes: 74 68 65 20 73 61 6d 70 6c 65 20 6e 6f 6e 63 65"));
    QCOMPARE(steps[1].value, QStringLiteral("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    QCOMPARE(steps[1].note, QStringLiteral("60 bytes: the 24-character key and the 36-character GUID"));
    QCOMPARE(steps[2].value, QStringLiteral("b37a4f2cc0624f1690f64606cf385945b2bec4ea"));
    QCOMPARE(steps[3].value, QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(steps[4].value, QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(steps[4].note, QStringLiteral("The server's value matches the expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=."));
}

void tst_AcceptComputation::compare_data()
{
    QTest::addColumn<bool>("present");
    QTest::addColumn<QByteArray>("received");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<QString>("verdict");

    QTest::addRow("match") << true << RfcAccept.toByteArray() << Outcome::Match
                           << QStringLiteral("The server's value matches the expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.");
    QTest::addRow("other value") << true << QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAA=") << Outcome::Mismatch
                                 << QStringLiteral("Expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, got "
                                                   "AAAAAAAAAAAAAAAAAAAAAAAAAAA=.");
    // Base64 is case-sensitive: a server that lowercases the value is wrong.
    QTest::addRow("case differs") << true << QByteArray("s3pplmbitxaq9kygzzhzrbk+xoo=") << Outcome::Mismatch
                                  << QStringLiteral("Expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, got "
                                                    "s3pplmbitxaq9kygzzhzrbk+xoo=.");
    QTest::addRow("hex digest instead of base64")
        << true << RfcSha1Hex.toByteArray() << Outcome::Mismatch
        << QStringLiteral("Expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, got b37a4f2cc0624f1690f64606cf385945b2bec4ea.");
    QTest::addRow("empty value") << true << QByteArray() << Outcome::Mismatch
                                 << QStringLiteral("Expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, got .");
    QTest::addRow("missing header") << false << QByteArray() << Outcome::MissingAccept
                                    << QStringLiteral("The response has no Sec-WebSocket-Accept header; expected "
                                                      "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.");
}

void tst_AcceptComputation::compare()
{
    QFETCH(bool, present);
    QFETCH(QByteArray, received);
    QFETCH(Outcome, outcome);

    const auto c = AcceptComputation::compute(RfcKey, present ? std::optional(received) : std::nullopt);
    QCOMPARE(c.outcome(), outcome);
    QCOMPARE(c.passed(), outcome == Outcome::Match);
    QTEST(c.verdict(), "verdict");
    QCOMPARE(c.expectedAccept(), RfcAccept.toByteArray());

    const AcceptStep last = c.steps().last();
    QCOMPARE(last.value, present ? QString::fromLatin1(received) : QStringLiteral("(missing)"));
    QCOMPARE(last.note, c.verdict());
    QCOMPARE(last.warning, outcome != Outcome::Match);
}

void tst_AcceptComputation::keyShape_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("decoded");
    QTest::addColumn<QString>("problem");

    QTest::addRow("16 bytes") << QByteArray("AAECAwQFBgcICQoLDA0ODw==")
                              << QByteArray::fromHex("000102030405060708090a0b0c0d0e0f") << QString();
    QTest::addRow("12 bytes") << QByteArray("AAECAwQFBgcICQoL") << QByteArray::fromHex("000102030405060708090a0b")
                              << QStringLiteral("The key decodes to 12 bytes, not the 16 RFC 6455 §4.1 requires; a "
                                                "server may reject it.");
    QTest::addRow("17 bytes") << QByteArray("AAECAwQFBgcICQoLDA0ODxA=")
                              << QByteArray::fromHex("000102030405060708090a0b0c0d0e0f10")
                              << QStringLiteral("The key decodes to 17 bytes, not the 16 RFC 6455 §4.1 requires; a "
                                                "server may reject it.");
    QTest::addRow("not base64") << QByteArray("not*base64!") << QByteArray()
                                << QStringLiteral("The key is not valid base64; a server still hashes it as sent.");
}

void tst_AcceptComputation::keyShape()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, decoded);
    QFETCH(QString, problem);

    const auto c = AcceptComputation::compute(key, std::nullopt);
    QCOMPARE(c.decodedKey(), decoded);
    QCOMPARE(c.keyProblem(), problem);
    // The hash runs over the key as sent, whatever it decodes to.
    QCOMPARE(c.expectedAccept(), Handshake::acceptFor(key));
    QCOMPARE(c.concatenated(), key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    QCOMPARE(c.sha1(), QByteArray::fromBase64(Handshake::acceptFor(key)));

    const AcceptStep first = c.steps().first();
    QCOMPARE(first.warning, !problem.isEmpty());
    if (problem.isEmpty())
        QCOMPARE(first.note, QStringLiteral("Decodes to 16 bytes: ") + QString::fromLatin1(decoded.toHex(' ')));
    else if (decoded.isEmpty())
        QCOMPARE(first.note, problem);
    else
        QCOMPARE(first.note, problem + QStringLiteral(" Decoded bytes: ") + QString::fromLatin1(decoded.toHex(' ')));
}

void tst_AcceptComputation::fromHandshake_data()
{
    QTest::addColumn<QByteArray>("requestBytes");
    QTest::addColumn<QByteArray>("responseBytes"); // empty: no response
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<QString>("lastNote");
    QTest::addColumn<bool>("keyWarning");

    const QByteArray rfc = request({ RfcKey.toByteArray() });
    QTest::addRow("RFC example") << rfc << response101({ RfcAccept.toByteArray() }) << Outcome::Match
                                 << QStringLiteral("The server's value matches the expected "
                                                   "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.")
                                 << false;
    QTest::addRow("no response") << rfc << QByteArray() << Outcome::NoResponse
                                 << QStringLiteral("No response arrived, so there is no Sec-WebSocket-Accept to "
                                                   "compare with.")
                                 << false;
    QTest::addRow("403") << rfc << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno")
                         << Outcome::MissingAccept
                         << QStringLiteral("The response has no Sec-WebSocket-Accept header; expected "
                                           "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. The server answered 403 Forbidden, not "
                                           "101 Switching Protocols: it did not accept the upgrade.")
                         << false;
    QTest::addRow("two accepts, first right")
        << rfc << response101({ RfcAccept.toByteArray(), "x" }) << Outcome::Match
        << QStringLiteral("The server's value matches the expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. The response "
                          "carries 2 Sec-WebSocket-Accept headers; the first is compared.")
        << false;
    QTest::addRow("two keys") << request({ RfcKey.toByteArray(), "AAECAwQFBgcICQoLDA0ODw==" })
                              << response101({ RfcAccept.toByteArray() }) << Outcome::Match
                              << QStringLiteral("The server's value matches the expected "
                                                "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.")
                              << true;
    QTest::addRow("no key") << request({}) << response101({ RfcAccept.toByteArray() }) << Outcome::NoKey
                            << QStringLiteral("The request has no Sec-WebSocket-Key header, so there is nothing to "
                                              "check.")
                            << true;
}

void tst_AcceptComputation::fromHandshake()
{
    QFETCH(QByteArray, requestBytes);
    QFETCH(QByteArray, responseBytes);
    QFETCH(Outcome, outcome);
    QFETCH(bool, keyWarning);

    const HttpRequest req = parseRequest(requestBytes);
    HttpResponse resp;
    if (!responseBytes.isEmpty())
        resp = parseResponse(responseBytes);
    const auto c = AcceptComputation::fromHandshake(req, responseBytes.isEmpty() ? nullptr : &resp);
    QCOMPARE(c.outcome(), outcome);
    const QList<AcceptStep> steps = c.steps();
    QCOMPARE(steps.size(), 5);
    QTEST(steps[4].note, "lastNote");
    QCOMPARE(steps[4].warning, outcome != Outcome::Match);
    QCOMPARE(steps[0].warning, keyWarning);
    if (outcome != Outcome::NoKey)
        QCOMPARE(c.key(), RfcKey.toByteArray());
}

void tst_AcceptComputation::noKeyComputesNothing()
{
    const auto c = AcceptComputation::fromHandshake(parseRequest(request({})), nullptr);
    QVERIFY(!c.hasKey());
    QVERIFY(!c.passed());
    QCOMPARE(c.expectedAccept(), QByteArray());
    const QList<AcceptStep> steps = c.steps();
    QCOMPARE(steps[0].value, QStringLiteral("(missing)"));
    for (int i = 1; i < 4; ++i)
        QCOMPARE(steps[i].value, QStringLiteral("(not computed)"));
    QCOMPARE(steps[4].value, QStringLiteral("(missing)"));
}

void tst_AcceptComputation::peerBytesArePrintable()
{
    const QByteArray received("ab\x01\x7f\xc3\xa9\\z", 8);
    const auto c = AcceptComputation::compute("k\tey", received);
    const QList<AcceptStep> steps = c.steps();
    // The one display rule (DisplayText): controls escaped, valid UTF-8 shown, bidi overrides escaped.
    QCOMPARE(steps[0].value, QStringLiteral("k\\tey"));
    QCOMPARE(steps[4].value, QStringLiteral("ab\\x01\\x7f\u00e9\\z"));
    QCOMPARE(c.verdict(),
        QStringLiteral("Expected ") + QString::fromLatin1(Handshake::acceptFor("k\tey"))
            + QStringLiteral(", got ab\\x01\\x7f\u00e9\\z."));
    const auto spoofed = AcceptComputation::compute("key", QByteArray("abc\xe2\x80\xae" "def\xff"));
    QCOMPARE(spoofed.steps()[4].value, QStringLiteral("abc\\u202edef\\xff"));
}

void tst_AcceptComputation::agreesWithHandshakeCheck_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addRow("right") << RfcAccept.toByteArray();
    QTest::addRow("wrong") << QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo");
}

// The teaching view and the engine's check must never disagree about the accept value.
void tst_AcceptComputation::agreesWithHandshakeCheck()
{
    QFETCH(QByteArray, accept);
    const HttpResponse resp = parseResponse(response101({ accept }));
    const HandshakeCheck check = Handshake::checkResponse(resp, RfcKey, {}, {});
    const auto c = AcceptComputation::fromHandshake(parseRequest(request({ RfcKey.toByteArray() })), &resp);
    QCOMPARE(c.expectedAccept(), check.expectedAccept);
    QCOMPARE(*c.receivedAccept(), check.receivedAccept);
    QCOMPARE(c.passed(), check.ok);
}

QTEST_GUILESS_MAIN(tst_AcceptComputation)
#include "tst_acceptcomputation.moc"
