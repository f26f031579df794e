// Sec-WebSocket-Extensions read by the RFC 7230 grammar (tokens, quoted-strings with escapes; a
// malformed header is an error, never a shorter list), and the permessage-deflate negotiation of
// RFC 7692 §7: offers, and the checks a client makes of the server's answer.

#include "protocol/extensions.h"

#include <QtTest>

namespace {
QString described(const Extensions::Parsed &parsed)
{
    if (!parsed.ok())
        return QStringLiteral("error: ") + parsed.error;
    return QString::fromLatin1(Extensions::format(parsed.list));
}

// "snct cnct server-bits client-bits", as the data tables write an agreement.
QString agreementText(const PerMessageDeflate::Agreement &a)
{
    return QStringLiteral("%1 %2 %3 %4")
        .arg(int(a.serverNoContextTakeover))
        .arg(int(a.clientNoContextTakeover))
        .arg(a.serverMaxWindowBits)
        .arg(a.clientMaxWindowBits);
}
} // namespace

class tst_Extensions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void severalHeaderLines();
    void offerText();
    void offerFromParameters_data();
    void offerFromParameters();
    void accept_data();
    void accept();
    void answer_data();
    void answer();
    void answerAsking_data();
    void answerAsking();
};

void tst_Extensions::parse_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("result");
    QTest::addRow("one") << QByteArray("permessage-deflate") << QStringLiteral("permessage-deflate");
    QTest::addRow("browser offer") << QByteArray("permessage-deflate; client_max_window_bits")
                                   << QStringLiteral("permessage-deflate; client_max_window_bits");
    QTest::addRow("values and spaces") << QByteArray(" a ;x = 1 ;  y=2 , b\t;z ")
                                       << QStringLiteral("a; x=1; y=2, b; z");
    QTest::addRow("quoted token value") << QByteArray("a; x=\"10\"") << QStringLiteral("a; x=10");
    QTest::addRow("escaped token value") << QByteArray("a; x=\"1\\0\"") << QStringLiteral("a; x=10");
    QTest::addRow("empty elements") << QByteArray(", a,, b ,") << QStringLiteral("a, b");
    // The defects the fuzzer found in the old splitter: each is an error now, never fewer items.
    QTest::addRow("backslash at the end of a quoted value")
        << QByteArray("evil; x=\"\\") << QStringLiteral("error: a backslash ends the header inside the quoted-string opened at byte 9");
    QTest::addRow("unclosed quote swallowing a second extension")
        << QByteArray("a; x=\"1, permessage-deflate") << QStringLiteral("error: the quoted-string opened at byte 6 is not closed");
    QTest::addRow("quoted value that is not a token")
        << QByteArray("a; x=\"1 2\"") << QStringLiteral("error: the quoted value of x at byte 6 is not a token once unescaped: \"1 2\"");
    QTest::addRow("empty header") << QByteArray("  ") << QStringLiteral("error: no extension in the header");
    QTest::addRow("missing name") << QByteArray("; x") << QStringLiteral("error: expected an extension name at byte 1, found ';'");
    QTest::addRow("missing parameter") << QByteArray("a;") << QStringLiteral("error: expected a parameter name at the end of the header");
    QTest::addRow("missing value") << QByteArray("a; x=") << QStringLiteral("error: expected a value for x at the end of the header");
    QTest::addRow("junk after a name") << QByteArray("a b") << QStringLiteral("error: expected ',' or ';' at byte 3, found 'b'");
    QTest::addRow("control character") << QByteArray("a; x=\"\x01\"")
                                       << QStringLiteral("error: byte 0x01 inside a quoted-string at byte 7");
    QTest::addRow("not a token character") << QByteArray("a(b)") << QStringLiteral("error: expected ',' or ';' at byte 2, found '('");
}

void tst_Extensions::parse()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, result);
    QCOMPARE(described(Extensions::parse(header)), result);
}

void tst_Extensions::severalHeaderLines()
{
    // Several header lines are one list (RFC 7230 §3.2.2); an error in any line is an error.
    QCOMPARE(described(Extensions::parse(QList<QByteArray> { "a; x=1", "b" })), QStringLiteral("a; x=1, b"));
    QCOMPARE(described(Extensions::parse(QList<QByteArray> { "a", "b; y=\"" })),
             QStringLiteral("error: Sec-WebSocket-Extensions header 2 of 2: the quoted-string opened at byte 6 is not closed"));
}

void tst_Extensions::offerText()
{
    QCOMPARE(PerMessageDeflate::Offer().extension().text(), QByteArray("permessage-deflate; client_max_window_bits"));
    PerMessageDeflate::Offer all;
    all.serverNoContextTakeover = true;
    all.clientNoContextTakeover = true;
    all.serverMaxWindowBits = 10;
    all.clientMaxWindowBitsValue = 11;
    QCOMPARE(all.extension().text(),
             QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                        "server_max_window_bits=10; client_max_window_bits=11"));
}

void tst_Extensions::offerFromParameters_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("offer"); // or "error: ..."
    QTest::addRow("nothing") << QByteArray("") << QStringLiteral("permessage-deflate");
    QTest::addRow("browser") << QByteArray("client_max_window_bits") << QStringLiteral("permessage-deflate; client_max_window_bits");
    QTest::addRow("both no context takeover")
        << QByteArray("server_no_context_takeover; client_no_context_takeover")
        << QStringLiteral("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    QTest::addRow("server bits") << QByteArray("server_max_window_bits=10")
                                 << QStringLiteral("permessage-deflate; server_max_window_bits=10");
    QTest::addRow("bits 16") << QByteArray("server_max_window_bits=16")
                             << QStringLiteral("error: server_max_window_bits needs a value from 8 to 15");
    QTest::addRow("leading zero") << QByteArray("client_max_window_bits=09")
                                  << QStringLiteral("error: client_max_window_bits takes no value or a value from 8 to 15");
    QTest::addRow("typo") << QByteArray("server_no_context_takeovr")
                          << QStringLiteral("error: unknown permessage-deflate parameter server_no_context_takeovr");
    QTest::addRow("twice") << QByteArray("client_max_window_bits; client_max_window_bits")
                           << QStringLiteral("error: client_max_window_bits is given twice");
}

void tst_Extensions::offerFromParameters()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, offer);
    QString error;
    const auto parsed = PerMessageDeflate::Offer::fromParameters(text, &error);
    QCOMPARE(parsed ? QString::fromLatin1(parsed->extension().text()) : QStringLiteral("error: ") + error, offer);
}

void tst_Extensions::accept_data()
{
    QTest::addColumn<QByteArray>("offer"); // parameters, as for --deflate
    QTest::addColumn<QByteArray>("response"); // the server's permessage-deflate
    QTest::addColumn<QString>("agreement"); // "s:nct,15 c:ct,15" or "error: ..."
    QTest::addRow("plain") << QByteArray("client_max_window_bits") << QByteArray("permessage-deflate")
                           << QStringLiteral("s:ct,15 c:ct,15");
    QTest::addRow("server limits our window")
        << QByteArray("client_max_window_bits") << QByteArray("permessage-deflate; client_max_window_bits=10")
        << QStringLiteral("s:ct,15 c:ct,10");
    QTest::addRow("server resets and narrows its own")
        << QByteArray("") << QByteArray("permessage-deflate; server_no_context_takeover; server_max_window_bits=9")
        << QStringLiteral("s:nct,9 c:ct,15");
    QTest::addRow("we asked for no context takeover")
        << QByteArray("client_no_context_takeover") << QByteArray("permessage-deflate") << QStringLiteral("s:ct,15 c:nct,15");
    QTest::addRow("server tells us to reset") << QByteArray("") << QByteArray("permessage-deflate; client_no_context_takeover")
                                              << QStringLiteral("s:ct,15 c:nct,15");
    QTest::addRow("our announced window") << QByteArray("client_max_window_bits=12") << QByteArray("permessage-deflate")
                                          << QStringLiteral("s:ct,15 c:ct,12");
    QTest::addRow("client bits not offered")
        << QByteArray("") << QByteArray("permessage-deflate; client_max_window_bits=10")
        << QStringLiteral("error: permessage-deflate response: client_max_window_bits was not offered, so the server may "
                          "not send it (RFC 7692 §7.1.2.2)");
    QTest::addRow("client bits without a value")
        << QByteArray("client_max_window_bits") << QByteArray("permessage-deflate; client_max_window_bits")
        << QStringLiteral("error: permessage-deflate response: client_max_window_bits must be a number from 8 to 15, not "
                          "nothing (RFC 7692 §7.1.2.2)");
    QTest::addRow("client bits above what we announced")
        << QByteArray("client_max_window_bits=10") << QByteArray("permessage-deflate; client_max_window_bits=12")
        << QStringLiteral("error: permessage-deflate response: client_max_window_bits=12 is more than the 10 the client "
                          "announced");
    QTest::addRow("server bits above the offer")
        << QByteArray("server_max_window_bits=10") << QByteArray("permessage-deflate; server_max_window_bits=12")
        << QStringLiteral("error: permessage-deflate response: server_max_window_bits=12 is more than the 10 the client "
                          "offered (RFC 7692 §7.1.2.1)");
    QTest::addRow("bits 16") << QByteArray("") << QByteArray("permessage-deflate; server_max_window_bits=16")
                             << QStringLiteral("error: permessage-deflate response: server_max_window_bits must be a number "
                                               "from 8 to 15, not \"16\" (RFC 7692 §7.1.2.1)");
    QTest::addRow("bits 7") << QByteArray("") << QByteArray("permessage-deflate; server_max_window_bits=7")
                            << QStringLiteral("error: permessage-deflate response: server_max_window_bits must be a number "
                                              "from 8 to 15, not \"7\" (RFC 7692 §7.1.2.1)");
    QTest::addRow("repeated") << QByteArray("")
                              << QByteArray("permessage-deflate; server_no_context_takeover; server_no_context_takeover")
                              << QStringLiteral("error: permessage-deflate response: the parameter "
                                                "\"server_no_context_takeover\" is given more than once (RFC 7692 §7)");
    QTest::addRow("misspelt") << QByteArray("") << QByteArray("permessage-deflate; server_no_context_takeovr")
                              << QStringLiteral("error: permessage-deflate response: unknown parameter "
                                                "\"server_no_context_takeovr\" (RFC 7692 §7.1 defines four)");
    QTest::addRow("a value where none belongs")
        << QByteArray("") << QByteArray("permessage-deflate; server_no_context_takeover=1")
        << QStringLiteral("error: permessage-deflate response: \"server_no_context_takeover\" takes no value, but has "
                          "\"1\" (RFC 7692 §7.1.1)");
}

void tst_Extensions::accept()
{
    QFETCH(QByteArray, offer);
    QFETCH(QByteArray, response);
    QFETCH(QString, agreement);
    QString error;
    const auto parsedOffer = PerMessageDeflate::Offer::fromParameters(offer, &error);
    QVERIFY2(parsedOffer, qPrintable(error));
    const Extensions::Parsed parsed = Extensions::parse(response);
    QVERIFY(parsed.ok());
    const auto got = PerMessageDeflate::accept(parsed.list.first(), *parsedOffer, &error);
    const QString shown = got ? QStringLiteral("s:%1,%2 c:%3,%4")
                                    .arg(got->serverNoContextTakeover ? u"nct" : u"ct")
                                    .arg(got->serverMaxWindowBits)
                                    .arg(got->clientNoContextTakeover ? u"nct" : u"ct")
                                    .arg(got->clientMaxWindowBits)
                              : QStringLiteral("error: ") + error;
    QCOMPARE(shown, agreement);
}

void tst_Extensions::answer_data()
{
    QTest::addColumn<QByteArray>("offers"); // Sec-WebSocket-Extensions of the request
    QTest::addColumn<QByteArray>("response"); // empty: declined
    QTest::addColumn<QString>("agreement"); // "snct cnct server-bits client-bits"
    QTest::addColumn<int>("declined");

    QTest::addRow("browser") << QByteArray("permessage-deflate; client_max_window_bits") << QByteArray("permessage-deflate")
                             << QStringLiteral("0 0 15 15") << 0;
    QTest::addRow("no context takeover both ways")
        << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover")
        << QByteArray("permessage-deflate; server_no_context_takeover; client_no_context_takeover")
        << QStringLiteral("1 1 15 15") << 0;
    QTest::addRow("server window limited")
        << QByteArray("permessage-deflate; server_max_window_bits=10; client_max_window_bits=12")
        << QByteArray("permessage-deflate; server_max_window_bits=10") << QStringLiteral("0 0 10 12") << 0;
    QTest::addRow("8-bit window declined, next offer taken")
        << QByteArray("permessage-deflate; server_max_window_bits=8, permessage-deflate")
        << QByteArray("permessage-deflate") << QStringLiteral("0 0 15 15") << 1;
    QTest::addRow("invalid offer declined")
        << QByteArray("permessage-deflate; server_max_window_bits=16, permessage-deflate; x=1")
        << QByteArray() << QString() << 2;
    QTest::addRow("other extensions ignored") << QByteArray("x-webkit-deflate-frame, permessage-deflate")
                                              << QByteArray("permessage-deflate") << QStringLiteral("0 0 15 15") << 0;
    QTest::addRow("none offered") << QByteArray("x-webkit-deflate-frame") << QByteArray() << QString() << 0;
}

void tst_Extensions::answer()
{
    QFETCH(QByteArray, offers);
    QFETCH(QByteArray, response);
    QFETCH(QString, agreement);
    QFETCH(int, declined);

    const Extensions::Parsed parsed = Extensions::parse(offers);
    QVERIFY(parsed.ok());
    QStringList why;
    const auto answer = PerMessageDeflate::answer(parsed.list, &why);
    QCOMPARE(why.size(), declined);
    if (response.isEmpty()) {
        QVERIFY(!answer);
        return;
    }
    QVERIFY(answer);
    QCOMPARE(answer->response.text(), response);
    QCOMPARE(agreementText(answer->agreement), agreement);
}

void tst_Extensions::answerAsking_data()
{
    QTest::addColumn<QByteArray>("offers");
    QTest::addColumn<QString>("requests"); // "nct 8, nct, -": tried in order
    QTest::addColumn<QByteArray>("response"); // empty: declined
    QTest::addColumn<QString>("agreement"); // "snct cnct server-bits client-bits"

    const QByteArray autobahn("permessage-deflate; client_no_context_takeover; client_max_window_bits");
    QTest::addRow("nothing asked") << autobahn << "-" << QByteArray("permessage-deflate; client_no_context_takeover")
                                   << "0 1 15 15";
    // RFC 7692 §7.1.1.2: the server may ask it although the offer does not have it.
    QTest::addRow("no context takeover, not offered")
        << QByteArray("permessage-deflate") << "nct" << QByteArray("permessage-deflate; client_no_context_takeover")
        << "0 1 15 15";
    QTest::addRow("a smaller window") << autobahn << "8"
                                      << QByteArray("permessage-deflate; client_no_context_takeover; client_max_window_bits=8")
                                      << "0 1 15 8";
    QTest::addRow("never above the client's own")
        << QByteArray("permessage-deflate; client_max_window_bits=10") << "15"
        << QByteArray("permessage-deflate; client_max_window_bits=10") << "0 0 15 10";
    // §7.1.2.2: no client_max_window_bits in an answer to an offer without it; so the next request.
    QTest::addRow("window needs the offer's parameter, next request taken")
        << QByteArray("permessage-deflate") << "nct 8, -" << QByteArray("permessage-deflate") << "0 0 15 15";
    QTest::addRow("no request fits") << QByteArray("permessage-deflate") << "12" << QByteArray() << QString();
    QTest::addRow("first request, second offer")
        << QByteArray("permessage-deflate, permessage-deflate; client_max_window_bits") << "9"
        << QByteArray("permessage-deflate; client_max_window_bits=9") << "0 0 15 9";
    QTest::addRow("the server's own parameters still honoured")
        << QByteArray("permessage-deflate; server_no_context_takeover; server_max_window_bits=12; client_max_window_bits")
        << "nct 9"
        << QByteArray("permessage-deflate; server_no_context_takeover; server_max_window_bits=12; "
                      "client_no_context_takeover; client_max_window_bits=9")
        << "1 1 12 9";
}

void tst_Extensions::answerAsking()
{
    QFETCH(QByteArray, offers);
    QFETCH(QString, requests);
    QFETCH(QByteArray, response);
    QFETCH(QString, agreement);

    QList<PerMessageDeflate::ClientRequest> asked;
    for (const QString &text : requests.split(QStringLiteral(", "))) {
        PerMessageDeflate::ClientRequest r;
        for (const QString &part : text.split(QLatin1Char(' '))) {
            if (part == QLatin1String("nct"))
                r.noContextTakeover = true;
            else if (part != QLatin1String("-"))
                r.maxWindowBits = part.toInt();
        }
        asked << r;
    }
    const Extensions::Parsed parsed = Extensions::parse(offers);
    QVERIFY(parsed.ok());
    QStringList why;
    const auto answer = PerMessageDeflate::answer(parsed.list, asked, &why);
    if (response.isEmpty()) {
        QVERIFY(!answer);
        QCOMPARE(why.size(), 1); // says why
        return;
    }
    QVERIFY(answer);
    QCOMPARE(answer->response.text(), response);
    const PerMessageDeflate::Agreement &a = answer->agreement;
    QCOMPARE(agreementText(a), agreement);
    // What a client makes of the answer agrees with what the server thinks it agreed.
    for (const Extension &offered : parsed.list) {
        const auto offer = PerMessageDeflate::Offer::fromExtension(offered, nullptr);
        if (const auto back = PerMessageDeflate::accept(answer->response, *offer, nullptr)) {
            QCOMPARE(back->clientMaxWindowBits, a.clientMaxWindowBits);
            QCOMPARE(back->serverMaxWindowBits, a.serverMaxWindowBits);
            return;
        }
    }
    QFAIL("no offer accepts the answer");
}

QTEST_GUILESS_MAIN(tst_Extensions)
#include "tst_extensions.moc"
