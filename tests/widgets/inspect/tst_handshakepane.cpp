#include "inspect/handshakepane.h"

#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTest>

namespace {

const QByteArray RfcRequest = "GET /chat HTTP/1.1\r\n"
                              "Host: server.example.com\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Origin: http://example.com\r\n"
                              "Sec-WebSocket-Protocol: chat, superchat\r\n"
                              "Sec-WebSocket-Version: 13\r\n"
                              "\r\n";

QByteArray response101(QByteArrayView accept, QByteArrayView extra = {})
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + accept.toByteArray() + "\r\n" + extra.toByteArray() + "\r\n";
}

QList<QPair<QString, QString>> rows(const QTableWidget *table)
{
    QList<QPair<QString, QString>> list;
    for (int r = 0; r < table->rowCount(); ++r)
        list.append({ table->item(r, 0)->text(), table->item(r, 1)->text() });
    return list;
}

double luminance(const QColor &c)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    return p;
}

QPalette lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, Qt::black);
    return p;
}

} // namespace

class tst_HandshakePane : public QObject {
    Q_OBJECT

private slots:
    void rfcExamplePasses();
    void wrongAcceptFails_data();
    void wrongAcceptFails();
    void repeatedHeadersKeptInOrder();
    void non101ShowsStatusHeadersAndBody();
    void noResponse();
    void unparsableResponse();
    void clearEmptiesEverything();
    void peerTextIsPlain();
    void bidiOverrideArrivesEscaped();
    void verdictReadable_data();
    void verdictReadable();
    void relayShowsBothLegs();
    void screenshots();

private:
    template <typename T> static T *child(const HandshakePane &pane, const char *name)
    {
        auto *w = pane.findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }
};

void tst_HandshakePane::rfcExamplePasses()
{
    HandshakePane pane;
    pane.setHandshake(RfcRequest, response101("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));

    QVERIFY(pane.acceptComputation().passed());
    QVERIFY(child<QLabel>(pane, "verdict")->text().startsWith(QStringLiteral("PASS")));
    QCOMPARE(child<QLineEdit>(pane, "stepValue1")->text(), QStringLiteral("dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(child<QLineEdit>(pane, "stepValue2")->text(),
        QStringLiteral("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    QCOMPARE(child<QLineEdit>(pane, "stepValue3")->text(), QStringLiteral("b37a4f2cc0624f1690f64606cf385945b2bec4ea"));
    QCOMPARE(child<QLineEdit>(pane, "stepValue4")->text(), QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(child<QLineEdit>(pane, "stepValue5")->text(), QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(child<QLabel>(pane, "stepNote1")->text(),
        QStringLiteral("Decodes to 16 bytes: 74 68 65 20 73 61 6d 70 6c 65 20 6e 6f 6e 63 65"));

    QCOMPARE(child<QLabel>(pane, "requestSummary")->text(), QStringLiteral("GET /chat HTTP/1.1"));
    QCOMPARE(child<QLabel>(pane, "responseSummary")->text(), QStringLiteral("HTTP/1.1 101 Switching Protocols"));
    QCOMPARE(child<QGroupBox>(pane, "requestBox")->title(),
        QStringLiteral("Request (%1 bytes sent)").arg(RfcRequest.size()));
    // The exact bytes, one HTTP line per line; the blank line that ends the head shows as an empty last line.
    QCOMPARE(child<QPlainTextEdit>(pane, "requestText")->toPlainText(),
        QString::fromLatin1(RfcRequest).replace(QStringLiteral("\r\n"), QStringLiteral("\n")));
    QCOMPARE(child<QTableWidget>(pane, "requestHeaders")->rowCount(), 7);
    QCOMPARE(rows(child<QTableWidget>(pane, "responseHeaders")),
        (QList<QPair<QString, QString>> { { QStringLiteral("Upgrade"), QStringLiteral("websocket") },
            { QStringLiteral("Connection"), QStringLiteral("Upgrade") },
            { QStringLiteral("Sec-WebSocket-Accept"), QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") } }));
    QVERIFY(child<QWidget>(pane, "responseBodyBox")->isHidden());
}

void tst_HandshakePane::wrongAcceptFails_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("verdict");
    QTest::addColumn<QString>("got");

    QTest::addRow("wrong value") << response101("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                                 << QStringLiteral("FAIL \u2718  Expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, got "
                                                   "AAAAAAAAAAAAAAAAAAAAAAAAAAA=.")
                                 << QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    QTest::addRow("missing header") << QByteArray(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                                    << QStringLiteral(
                                           "FAIL \u2718  The response has no Sec-WebSocket-Accept header; expected "
                                           "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.")
                                    << QStringLiteral("(missing)");
}

void tst_HandshakePane::wrongAcceptFails()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, got);

    HandshakePane pane;
    pane.setHandshake(RfcRequest, response);
    QVERIFY(!pane.acceptComputation().passed());
    QTEST(child<QLabel>(pane, "verdict")->text(), "verdict");
    QCOMPARE(child<QLineEdit>(pane, "stepValue4")->text(), QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(child<QLineEdit>(pane, "stepValue5")->text(), got);
}

void tst_HandshakePane::repeatedHeadersKeptInOrder()
{
    HandshakePane pane;
    pane.setHandshake(RfcRequest,
        response101(
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Set-Cookie: a=1\r\nX-Other: y\r\nset-cookie: b=2\r\nSet-Cookie: a=1\r\n"));
    const auto list = rows(child<QTableWidget>(pane, "responseHeaders"));
    QCOMPARE(list.size(), 7);
    QCOMPARE(list.mid(3),
        (QList<QPair<QString, QString>> { { QStringLiteral("Set-Cookie"), QStringLiteral("a=1") },
            { QStringLiteral("X-Other"), QStringLiteral("y") }, { QStringLiteral("set-cookie"), QStringLiteral("b=2") },
            { QStringLiteral("Set-Cookie"), QStringLiteral("a=1") } }));
    QVERIFY(pane.acceptComputation().passed());
}

void tst_HandshakePane::non101ShowsStatusHeadersAndBody()
{
    const QByteArray response = "HTTP/1.1 403 Forbidden\r\n"
                                "Content-Type: text/plain\r\n"
                                "Content-Length: 20\r\n"
                                "\r\n"
                                "origin not allowed\r\n";
    HandshakePane pane;
    pane.setHandshake(RfcRequest, response);

    QCOMPARE(child<QLabel>(pane, "responseSummary")->text(), QStringLiteral("HTTP/1.1 403 Forbidden"));
    QCOMPARE(rows(child<QTableWidget>(pane, "responseHeaders")),
        (QList<QPair<QString, QString>> { { QStringLiteral("Content-Type"), QStringLiteral("text/plain") },
            { QStringLiteral("Content-Length"), QStringLiteral("20") } }));
    QVERIFY(!child<QWidget>(pane, "responseBodyBox")->isHidden());
    QCOMPARE(child<QLabel>(pane, "responseBodyTitle")->text(), QStringLiteral("Body (20 bytes)"));
    QCOMPARE(child<QPlainTextEdit>(pane, "responseBody")->toPlainText(), QStringLiteral("origin not allowed\n"));
    QCOMPARE(child<QPlainTextEdit>(pane, "responseText")->toPlainText(),
        QStringLiteral("HTTP/1.1 403 Forbidden\nContent-Type: text/plain\nContent-Length: 20\n\norigin not "
                       "allowed\n"));
    QVERIFY(!pane.acceptComputation().passed());
    QCOMPARE(child<QLabel>(pane, "verdict")->text(),
        QStringLiteral("FAIL \u2718  The response has no Sec-WebSocket-Accept header; expected "
                       "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=."));
    QVERIFY(child<QLabel>(pane, "stepNote5")
                ->text()
                .endsWith(QStringLiteral(
                    "The server answered 403 Forbidden, not 101 Switching Protocols: it did not accept the upgrade.")));
}

void tst_HandshakePane::noResponse()
{
    HandshakePane pane;
    pane.setHandshake(RfcRequest, {});
    QCOMPARE(child<QLabel>(pane, "responseSummary")->text(),
        QStringLiteral("No response received: the connection ended or failed before the server answered."));
    QCOMPARE(child<QPlainTextEdit>(pane, "responseText")->toPlainText(), QString());
    QCOMPARE(child<QPlainTextEdit>(pane, "responseText")->placeholderText(), QStringLiteral("No response received."));
    QCOMPARE(child<QTableWidget>(pane, "responseHeaders")->rowCount(), 0);
    QCOMPARE(pane.acceptComputation().outcome(), AcceptComputation::Outcome::NoResponse);
    QCOMPARE(child<QLabel>(pane, "verdict")->text(),
        QStringLiteral("FAIL \u2718  No response arrived, so there is no Sec-WebSocket-Accept to compare with."));
    QCOMPARE(child<QLineEdit>(pane, "stepValue4")->text(), QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(child<QLineEdit>(pane, "stepValue5")->text(), QStringLiteral("(no response)"));
}

void tst_HandshakePane::unparsableResponse()
{
    HandshakePane pane;
    pane.setHandshake(RfcRequest, QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
    QVERIFY(
        child<QLabel>(pane, "responseSummary")->text().startsWith(QStringLiteral("Could not parse the response: ")));
    QCOMPARE(child<QPlainTextEdit>(pane, "responseText")->toPlainText(), QStringLiteral("SSH-2.0-OpenSSH_9.2\n\n"));
    QCOMPARE(child<QLabel>(pane, "verdict")->text(),
        QStringLiteral("FAIL \u2718  The response could not be parsed, so it has no Sec-WebSocket-Accept."));
}

void tst_HandshakePane::clearEmptiesEverything()
{
    HandshakePane pane;
    pane.setHandshake(RfcRequest, "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno");
    pane.clear();
    QCOMPARE(child<QPlainTextEdit>(pane, "requestText")->toPlainText(), QString());
    QCOMPARE(child<QPlainTextEdit>(pane, "responseText")->toPlainText(), QString());
    QCOMPARE(child<QTableWidget>(pane, "requestHeaders")->rowCount(), 0);
    QCOMPARE(child<QTableWidget>(pane, "responseHeaders")->rowCount(), 0);
    QVERIFY(child<QWidget>(pane, "responseBodyBox")->isHidden());
    QCOMPARE(child<QGroupBox>(pane, "requestBox")->title(), QStringLiteral("Request"));
    QCOMPARE(
        child<QLabel>(pane, "requestSummary")->text(), QStringLiteral("No handshake to show: select a connection."));
    QCOMPARE(child<QLabel>(pane, "responseSummary")->text(), QString());
}

// Text from the peer must never be interpreted as rich text.
void tst_HandshakePane::peerTextIsPlain()
{
    HandshakePane pane;
    pane.setHandshake(RfcRequest, "HTTP/1.1 400 <b>Bad</b>\r\nX-Html: <img src=x>\r\nContent-Length: 0\r\n\r\n");
    auto *summary = child<QLabel>(pane, "responseSummary");
    QCOMPARE(summary->textFormat(), Qt::PlainText);
    QCOMPARE(summary->text(), QStringLiteral("HTTP/1.1 400 <b>Bad</b>"));
    QCOMPARE(child<QLabel>(pane, "verdict")->textFormat(), Qt::PlainText);
    QCOMPARE(child<QLabel>(pane, "stepNote5")->textFormat(), Qt::PlainText);
    QCOMPARE(rows(child<QTableWidget>(pane, "responseHeaders")).first().second, QStringLiteral("<img src=x>"));
}

void tst_HandshakePane::bidiOverrideArrivesEscaped()
{
    // A right-to-left override and invalid UTF-8 in the status line and a header: escaped in the
    // summary, the header table and the raw view, never U+FFFD.
    HandshakePane pane;
    pane.setHandshake(RfcRequest,
                      "HTTP/1.1 403 No\xe2\x80\xae" "kO\r\nX-Name: a\xe2\x80\x8b" "b\xff\r\nContent-Length: 0\r\n\r\n");
    QCOMPARE(child<QLabel>(pane, "responseSummary")->text(), QStringLiteral("HTTP/1.1 403 No\\u202ekO"));
    QCOMPARE(rows(child<QTableWidget>(pane, "responseHeaders")).first().second, QStringLiteral("a\\u200bb\\xff"));
    const QString raw = child<QPlainTextEdit>(pane, "responseText")->toPlainText();
    QVERIFY(raw.startsWith(QStringLiteral("HTTP/1.1 403 No\\u202ekO\nX-Name: a\\u200bb\\xff\n")));
    QVERIFY(!raw.contains(QChar(0x202E)));
    QVERIFY(!raw.contains(QChar(0xFFFD)));
}

void tst_HandshakePane::verdictReadable_data()
{
    QTest::addColumn<QPalette>("palette");
    QTest::addColumn<bool>("pass");
    QTest::addRow("light pass") << lightPalette() << true;
    QTest::addRow("light fail") << lightPalette() << false;
    QTest::addRow("dark pass") << darkPalette() << true;
    QTest::addRow("dark fail") << darkPalette() << false;
}

void tst_HandshakePane::verdictReadable()
{
    QFETCH(QPalette, palette);
    QFETCH(bool, pass);
    HandshakePane pane;
    pane.setPalette(palette);
    pane.setHandshake(RfcRequest, response101(pass ? "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" : "nope"));
    const QPalette p = child<QLabel>(pane, "verdict")->palette();
    const QColor fg = p.color(QPalette::WindowText);
    const QColor bg = p.color(QPalette::Window);
    // WCAG AA for normal text.
    QVERIFY2(contrast(fg, bg) >= 4.5, qPrintable(QStringLiteral("contrast %1").arg(contrast(fg, bg))));
    // Green for pass, red for fail, whatever the palette.
    if (pass)
        QVERIFY(fg.green() > fg.red());
    else
        QVERIFY(fg.red() > fg.green());
    // Warnings in the steps follow the palette change too.
    const QColor note = child<QLabel>(pane, "stepNote5")->palette().color(QPalette::WindowText);
    QVERIFY(contrast(note, palette.color(QPalette::Window)) >= 4.5);
}

// A relayed connection: the application's handshake first, the server's on request, and a line
// saying what the relay changed.
void tst_HandshakePane::relayShowsBothLegs()
{
    RequestParser parser;
    QCOMPARE(parser.feed(RfcRequest), RequestParser::Status::Complete);
    RelayHandshake::Handshakes handshakes;
    handshakes.appRequest = RfcRequest;
    handshakes.serverRequest = RelayHandshake::forwardRequest(
        parser.request(), QUrl(QStringLiteral("wss://upstream.example/base/chat")), "https://\u202eevil");
    handshakes.serverResponse = response101("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    handshakes.appResponse = handshakes.serverResponse;
    HandshakePane pane;
    pane.setRelayHandshakes(handshakes);
    QVERIFY(child<QWidget>(pane, "relayBar")->isVisibleTo(&pane));
    QCOMPARE(child<QLabel>(pane, "requestSummary")->text(), QStringLiteral("GET /chat HTTP/1.1"));
    const QString changes = pane.relayChangesText();
    QVERIFY2(changes.startsWith(QStringLiteral("The relay changed: request target \"/chat\" \u2192 \"/base/chat\"; "
                                               "Host \"server.example.com\" \u2192 \"upstream.example\"; Origin ")),
        qPrintable(changes));
    QVERIFY2(!changes.contains(QChar(0x202e)) && changes.contains(QStringLiteral("\\u202e")), qPrintable(changes));
    QVERIFY(changes.endsWith(QStringLiteral("The answer went back as it came.")));
    QVERIFY(pane.acceptComputation().passed());

    pane.showRelaySide(HandshakePane::RelaySide::Server);
    QCOMPARE(child<QLabel>(pane, "requestSummary")->text(), QStringLiteral("GET /base/chat HTTP/1.1"));
    QCOMPARE(child<QComboBox>(pane, "relaySide")->currentIndex(), 1);
    QVERIFY(pane.acceptComputation().passed()); // the key went on unchanged

    pane.setHandshake(RfcRequest, {}); // another, unrelayed connection: no relay bar
    QVERIFY(!child<QWidget>(pane, "relayBar")->isVisibleTo(&pane));
    QVERIFY(pane.relayChangesText().isEmpty());
}

void tst_HandshakePane::screenshots()
{
    const struct {
        const char *file;
        QByteArray response;
        QPalette palette;
    } shots[] = {
        { "/tmp/handshakepane.png", response101("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), lightPalette() },
        { "/tmp/handshakepane-fail-dark.png", response101("AAAAAAAAAAAAAAAAAAAAAAAAAAA="), darkPalette() },
        { "/tmp/handshakepane-403.png",
            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\norigin not allowed\r\n",
            lightPalette() },
    };
    for (const auto &shot : shots) {
        HandshakePane pane;
        pane.setPalette(shot.palette);
        pane.resize(1100, 820);
        pane.setHandshake(RfcRequest, shot.response);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QVERIFY(pane.grab().save(QLatin1String(shot.file)));
    }

    // The whole accept check, whatever the scroll position.
    HandshakePane pane;
    pane.setPalette(darkPalette());
    pane.resize(1100, 820);
    pane.setHandshake(RfcRequest, response101("AAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    QVERIFY(child<QGroupBox>(pane, "acceptBox")->grab().save(QStringLiteral("/tmp/handshakepane-accept-fail.png")));
}

QTEST_MAIN(tst_HandshakePane)
#include "tst_handshakepane.moc"
