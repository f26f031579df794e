// `wsinspector-cli --serve` with the test-server options (--delay, --fragment, --ping-every,
// --close-after, --reject, --subprotocol, --allow-origin, --max-clients, --max-message-size): usage
// errors, the first line, and the real binary's behaviour seen by our own client engine, which
// records every frame byte for byte. Refused handshakes must show in the server's own output.

#include "captureevents.h"
#include "log/capture.h"
#include "net/clientconnection.h"
#include "net/serverbehaviour.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include "clirun.h"

#include <csignal>
#include <memory>

namespace {

constexpr int Timeout = 10000;

// `wsinspector-cli --serve 0 --format jsonl ARGS` running while the test acts as its client.
class Server {
public:
    bool start(const QStringList &args)
    {
        m_process.start(QStringLiteral(WSI_CLI_PATH),
            QStringList {
                QStringLiteral("--serve"), QStringLiteral("0"), QStringLiteral("--format"), QStringLiteral("jsonl") }
                + args);
        if (!m_process.waitForStarted(Timeout))
            return false;
        // The first line is the URL; the event loop keeps running while we wait.
        if (!QTest::qWaitFor(
                [this] {
                    m_out += m_process.readAllStandardOutput();
                    return m_out.contains('\n') || m_process.state() == QProcess::NotRunning;
                },
                Timeout))
            return false;
        m_listening = QJsonDocument::fromJson(m_out.left(m_out.indexOf('\n'))).object();
        return m_listening.value(QStringLiteral("kind")).toString() == QLatin1String("listening");
    }
    QUrl url() const { return QUrl(m_listening.value(QStringLiteral("url")).toString()); }
    const QJsonObject &listening() const { return m_listening; }

    // SIGTERM stops it cleanly; then every line it printed.
    QList<QJsonObject> stop()
    {
        m_process.terminate();
        QSignalSpy finished(&m_process, &QProcess::finished);
        if (m_process.state() != QProcess::NotRunning)
            finished.wait(Timeout);
        m_out += m_process.readAllStandardOutput();
        m_exitCode = m_process.exitCode();
        QList<QJsonObject> events;
        for (const QByteArray &line : m_out.split('\n')) {
            if (!line.isEmpty())
                events << QJsonDocument::fromJson(line).object();
        }
        return events;
    }
    int exitCode() const { return m_exitCode; }
    QByteArray stderrText() { return m_process.readAllStandardError(); }

    ~Server()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(Timeout);
        }
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QJsonObject m_listening;
    int m_exitCode = -1;
};

struct Client {
    Capture capture;
    std::unique_ptr<ClientConnection> connection;

    explicit Client(quint32 id = 1)
        : connection(std::make_unique<ClientConnection>(id))
    {
        connection->addSink(&capture);
    }
    // True once the handshake is over, opened or refused.
    bool connect(const QUrl &url, const QStringList &subprotocols = {}, const QString &origin = {})
    {
        ConnectionOptions options;
        options.url = url;
        options.subprotocols = subprotocols;
        options.origin = origin;
        return connection->open(options)
            && QTest::qWaitFor([this] { return connection->readyState() != ReadyState::Connecting; }, Timeout);
    }
    bool isOpen() const { return connection->readyState() == ReadyState::Open; }
    QList<WireEvent> dataReceived() const
    {
        QList<WireEvent> out;
        for (const WireEvent &e : framesOf(capture, Direction::Incoming)) {
            if (!Opcode::isControl(e.frame.opcode))
                out << e;
        }
        return out;
    }
    QByteArray request() const
    {
        return eventsOfKind(capture, EventKind::HandshakeRequest).value(0).payload.toByteArray();
    }
};

QByteArray hex(const char *spaced)
{
    return QByteArray::fromHex(QByteArray(spaced).replace(' ', ""));
}

} // namespace

class tst_ServeBehaviour : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void usageErrors_data();
    void usageErrors();
    void helpListsServerOptions();
    void listeningLine_data();
    void listeningLine();
    void rejections_data();
    void rejections();
    void subprotocolSelected();
    void delay();
    void fragment();
    void pingEvery();
    void closeAfter();
    void maxMessageSize();
};

void tst_ServeBehaviour::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");

    auto serve = [](std::initializer_list<const char *> rest) {
        QStringList args { QStringLiteral("--serve"), QStringLiteral("0") };
        for (const char *a : rest)
            args << QString::fromUtf8(a);
        return args;
    };
    QTest::addRow("delay not a number") << serve({ "--delay", "soon" })
                                        << QStringLiteral("--delay: \"soon\" is not a number");
    QTest::addRow("delay negative") << serve({ "--delay", "-5" }) << QStringLiteral("--delay: \"-5\" is not a number");
    QTest::addRow("delay over an hour") << serve({ "--delay=3600001" })
                                        << QStringLiteral("--delay: 3600001 ms is more than an hour (at most 3600000)");
    QTest::addRow("delay absurd") << serve({ "--delay", "99999999999" })
                                  << QStringLiteral("--delay: 99999999999 is too large (at most 3600000)");
    QTest::addRow("fragment not a number")
        << serve({ "--fragment", "4k" }) << QStringLiteral("--fragment: \"4k\" is not a number");
    QTest::addRow("fragment beyond Qt") << serve({ "--fragment",
        "2147483647" }) << QStringLiteral("--fragment: 2147483647 bytes is more than Qt's largest frame (2147483646)");
    QTest::addRow("ping too often") << serve({ "--ping-every",
        "0.05" }) << QStringLiteral("--ping-every: every 50 ms is too often (at least 100 ms, or 0: never ping)");
    QTest::addRow("ping not seconds") << serve({ "--ping-every",
        "1.2345" }) << QStringLiteral("--ping-every: \"1.2345\" is not a number of seconds (e.g. 1 or 0.5)");
    QTest::addRow("ping with unit") << serve(
        { "--ping-every", "2s" }) << QStringLiteral("--ping-every: \"2s\" is not a number of seconds (e.g. 1 or 0.5)");
    QTest::addRow("ping over a day") << serve({ "--ping-every", "86401" })
                                     << QStringLiteral("--ping-every: 86401 s is more than a day (at most 86400)");
    QTest::addRow("close-after count") << serve({ "--close-after", "x:1000" })
                                       << QStringLiteral("--close-after: count \"x\" is not a number");
    QTest::addRow("close-after zero") << serve({ "--close-after", "0" })
                                      << QStringLiteral("--close-after: the count must be at least 1");
    QTest::addRow("close-after code") << serve({ "--close-after", "2:bye" })
                                      << QStringLiteral("--close-after: code \"bye\" is not a number");
    QTest::addRow("close-after code range")
        << serve({ "--close-after", "2:70000" }) << QStringLiteral("--close-after: code 70000 is out of range 0-65535");
    QTest::addRow("close-after 1006") << serve({ "--close-after", "1:1006" })
                                      << QStringLiteral(
                                             "--close-after: 1006 Abnormal Closure may not be sent in a close frame "
                                             "(RFC 6455 §7.4): use 1000-1003, 1007-1014 or 3000-4999");
    QTest::addRow("close-after long reason")
        << QStringList { QStringLiteral("--serve"), QStringLiteral("0"), QStringLiteral("--close-after"),
               QStringLiteral("1:1000:") + QString(124, QLatin1Char('r')) }
        << QStringLiteral("--close-after: the reason is 124 bytes in UTF-8; a close frame has room for 123");
    QTest::addRow("reject 200") << serve({ "--reject", "200" })
                                << QStringLiteral(
                                       "--reject: 200 is not a client or server error status: use 400-599 (0: accept "
                                       "handshakes)");
    QTest::addRow("reject word") << serve({ "--reject", "forbidden" })
                                 << QStringLiteral("--reject: \"forbidden\" is not a number");
    QTest::addRow("subprotocol not a token")
        << serve({ "--subprotocol", "v1/json" })
        << QStringLiteral("--subprotocol: \"v1/json\" is not a subprotocol name: use letters, "
                          "digits and !#$%&'*+-.^_`|~, without spaces, commas or quotes");
    QTest::addRow("subprotocol twice") << serve({ "-s", "chat", "-s", "chat" })
                                       << QStringLiteral("--subprotocol: \"chat\" is listed twice");
    QTest::addRow("origin without scheme") << serve({ "--allow-origin", "example.org" })
                                           << QStringLiteral("--allow-origin: \"example.org\" is not an origin: write "
                                                             "scheme://host[:port], e.g. https://example.org");
    QTest::addRow("origin with path") << serve({ "--allow-origin", "https://example.org/app" })
                                      << QStringLiteral(
                                             "--allow-origin: \"https://example.org/app\" is more than an origin "
                                             "(browsers send scheme://host[:port] only): use https://example.org");
    QTest::addRow("max-clients") << serve({ "--max-clients", "many" })
                                 << QStringLiteral("--max-clients: \"many\" is not a number");
    QTest::addRow("max-clients too many")
        << serve({ "--max-clients", "100001" }) << QStringLiteral("--max-clients: 100001 is more than 100000");
    QTest::addRow("max-message-size 0") << serve({ "--max-message-size", "0" })
                                        << QStringLiteral("--max-message-size: 0 would refuse every message");
    QTest::addRow("max-message-size beyond Qt")
        << serve({ "--max-message-size", "2147483647" })
        << QStringLiteral("--max-message-size: 2147483647 bytes is more than Qt accepts (at most 2147483646)");
    QTest::addRow("client --origin with serve")
        << serve({ "--origin", "https://a.example" })
        << QStringLiteral("--origin is a client option; it cannot be used with --serve "
                          "(the server's is --allow-origin)");
    QTest::addRow("client --fragment-size with serve")
        << serve({ "--fragment-size", "4" })
        << QStringLiteral(
               "--fragment-size is a client option; it cannot be used with --serve (the server's is --fragment)");
    const QString url = QStringLiteral("ws://127.0.0.1:1/");
    for (const char *option :
        { "--delay", "--fragment", "--reject", "--max-clients", "--allow-origin", "--close-after", "--ping-every" }) {
        QTest::addRow("%s without --serve", option) << QStringList { QString::fromLatin1(option), QStringLiteral("1"),
            url } << QStringLiteral("%1 only applies with --serve").arg(QString::fromLatin1(option));
    }
}

void tst_ServeBehaviour::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.out, QByteArray());
    QCOMPARE(QString::fromUtf8(run.err.split('\n').value(0)), QStringLiteral("wsinspector-cli: ") + message);
}

void tst_ServeBehaviour::helpListsServerOptions()
{
    const CliRun run = runCli({ QStringLiteral("--help") });
    QCOMPARE(run.exitCode, 0);
    for (const char *option :
        { "--delay MS", "--fragment K", "--ping-every S", "--close-after N[:CODE[:REASON]]", "--reject STATUS",
            "--allow-origin ORIGIN", "--max-clients N", "503 Service Unavailable", "1009 Message Too Big" })
        QVERIFY2(run.out.contains(option), option);
    // Every line fits a terminal of 100 columns.
    for (const QByteArray &line : run.out.split('\n'))
        QVERIFY2(line.size() <= 100, line.constData());
}

void tst_ServeBehaviour::listeningLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("textSuffix");
    QTest::addColumn<QString>("behaviour"); // the jsonl field

    QTest::addRow("defaults") << QStringList() << QStringLiteral("/ (echo mode)") << QStringLiteral("defaults");
    QTest::addRow("several") << QStringList { QStringLiteral("--delay"), QStringLiteral("250"),
        QStringLiteral("--reject"), QStringLiteral("404"), QStringLiteral("--ping-every"), QStringLiteral("1.5"),
        QStringLiteral("-s"), QStringLiteral("chat"), QStringLiteral("--close-after"),
        QStringLiteral("3:4000:bye: now") }
                             << QStringLiteral(
                                    "/ (echo mode; reject every handshake with 404 Not Found, subprotocols chat, "
                                    "reply after 250 ms, ping every 1.5 s, close with 4000 \"bye: now\" after 3 "
                                    "messages)")
                             << QStringLiteral(
                                    "reject every handshake with 404 Not Found, subprotocols chat, reply after 250 ms, "
                                    "ping every 1.5 s, close with 4000 \"bye: now\" after 3 messages");
    QTest::addRow("limits") << QStringList { QStringLiteral("--max-clients"), QStringLiteral("2"),
        QStringLiteral("--max-message-size"), QStringLiteral("1024"), QStringLiteral("--allow-origin"),
        QStringLiteral("https://a.example"), QStringLiteral("--fragment"), QStringLiteral("16") }
                            << QStringLiteral(
                                   "/ (echo mode; origins https://a.example, at most 2 clients, messages up to 1024 "
                                   "bytes, frames of 16 bytes)")
                            << QStringLiteral(
                                   "origins https://a.example, at most 2 clients, messages up to 1024 bytes, frames of "
                                   "16 bytes");
}

void tst_ServeBehaviour::listeningLine()
{
    QFETCH(QStringList, args);
    QFETCH(QString, textSuffix);
    QFETCH(QString, behaviour);

    // Text: the behaviour joins the mode in the first line.
    QProcess text;
    text.start(QStringLiteral(WSI_CLI_PATH), QStringList { QStringLiteral("--serve"), QStringLiteral("0") } + args);
    QVERIFY(text.waitForStarted(Timeout));
    QByteArray out;
    QVERIFY(QTest::qWaitFor(
        [&] {
            out += text.readAllStandardOutput();
            return out.contains('\n');
        },
        Timeout));
    const QString first = QString::fromUtf8(out.left(out.indexOf('\n')));
    QVERIFY2(first.startsWith(QStringLiteral("listening on ws://127.0.0.1:")) && first.endsWith(textSuffix),
        qPrintable(first));
    text.terminate();
    QVERIFY(text.waitForFinished(Timeout));
    QCOMPARE(text.exitCode(), 0);

    Server jsonl;
    QVERIFY(jsonl.start(args));
    QCOMPARE(jsonl.listening().value(QStringLiteral("behaviour")).toString(), behaviour);
    QCOMPARE(jsonl.listening().value(QStringLiteral("mode")).toString(), QStringLiteral("echo"));
    jsonl.stop();
    QCOMPARE(jsonl.exitCode(), 0);
}

void tst_ServeBehaviour::rejections_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("offered"); // subprotocols
    QTest::addColumn<QString>("origin");
    QTest::addColumn<int>("holders"); // clients connected first, to fill the server
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    for (const int status : { 403, 404, 426, 503 }) {
        QTest::addRow("--reject %d", status)
            << QStringList { QStringLiteral("--reject"), QString::number(status) } << QStringList() << QString() << 0
            << status << QStringLiteral("the server is set to reject every handshake");
    }
    QTest::addRow("--allow-origin, other origin")
        << QStringList { QStringLiteral("--allow-origin"), QStringLiteral("https://app.example") } << QStringList()
        << QStringLiteral("https://evil.example") << 0 << 403
        << QStringLiteral("Origin \"https://evil.example\" is not allowed; allowed origins: https://app.example");
    QTest::addRow("--allow-origin, no origin")
        << QStringList { QStringLiteral("--allow-origin"), QStringLiteral("https://app.example"),
               QStringLiteral("--allow-origin"), QStringLiteral("null") }
        << QStringList() << QString() << 0 << 403
        << QStringLiteral("no Origin header; allowed origins: https://app.example, null");
    QTest::addRow("--subprotocol, none acceptable")
        << QStringList { QStringLiteral("--subprotocol"), QStringLiteral("chat") }
        << QStringList { QStringLiteral("mqtt") } << QString() << 0 << 400
        << QStringLiteral("none of the offered subprotocols (mqtt) is accepted; accepted: chat");
    QTest::addRow("--max-clients 2, third")
        << QStringList { QStringLiteral("--max-clients"), QStringLiteral("2") } << QStringList() << QString() << 2
        << 503 << QStringLiteral("the server is full: 2 of 2 clients connected");
}

void tst_ServeBehaviour::rejections()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, offered);
    QFETCH(QString, origin);
    QFETCH(int, holders);
    QFETCH(int, status);
    QFETCH(QString, reason);

    Server server;
    QVERIFY(server.start(args));
    std::vector<std::unique_ptr<Client>> held;
    for (int i = 0; i < holders; ++i) {
        held.push_back(std::make_unique<Client>(quint32(10 + i)));
        QVERIFY(held.back()->connect(server.url()));
        QVERIFY(held.back()->isOpen());
    }

    Client client;
    QVERIFY(client.connect(server.url(), offered, origin));
    QVERIFY(!client.isOpen());
    QVERIFY2(client.connection->errorString().contains(QStringLiteral("unexpected status %1").arg(status)),
        qPrintable(client.connection->errorString()));
    const QByteArray response
        = eventsOfKind(client.capture, EventKind::HandshakeResponse).value(0).payload.toByteArray();
    QVERIFY2(response.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '), response.constData());

    // The server printed the refused request and its response, byte for byte, then why it refused it.
    const QList<QJsonObject> events = server.stop();
    QCOMPARE(server.exitCode(), 0);
    qsizetype errorAt = -1;
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (events[i].value(QStringLiteral("kind")).toString() == QLatin1String("error"))
            errorAt = i;
    }
    QVERIFY2(errorAt > 1, qPrintable(QString::number(events.size())));
    const QString message = events[errorAt].value(QStringLiteral("message")).toString();
    QVERIFY2(message.startsWith(QStringLiteral("handshake from 127.0.0.1:")), qPrintable(message));
    QVERIFY2(message.endsWith(QStringLiteral(" failed: rejected with %1 %2: %3")
                                  .arg(status)
                                  .arg(QString::fromLatin1(ServerBehaviour::reasonPhrase(status)), reason)),
        qPrintable(message));
    const QJsonObject request = events[errorAt - 2];
    QCOMPARE(request.value(QStringLiteral("kind")).toString(), QStringLiteral("handshake-request"));
    QCOMPARE(request.value(QStringLiteral("raw")).toString().toUtf8(), client.request());
    const QJsonObject answer = events[errorAt - 1];
    QCOMPARE(answer.value(QStringLiteral("kind")).toString(), QStringLiteral("handshake-response"));
    QCOMPARE(answer.value(QStringLiteral("dir")).toString(), QStringLiteral("out"));
    QCOMPARE(answer.value(QStringLiteral("raw")).toString().toUtf8(), response);
}

void tst_ServeBehaviour::subprotocolSelected()
{
    Server server;
    QVERIFY(server.start({ QStringLiteral("-s"), QStringLiteral("chat"), QStringLiteral("--subprotocol"),
        QStringLiteral("superchat"), QStringLiteral("--allow-origin"), QStringLiteral("https://app.example") }));
    Client client;
    QVERIFY(client.connect(server.url(), { QStringLiteral("v2"), QStringLiteral("superchat"), QStringLiteral("chat") },
        QStringLiteral("https://app.example")));
    QVERIFY(client.isOpen());
    QCOMPARE(client.connection->selectedSubprotocol(), QByteArray("superchat"));
    server.stop();
}

void tst_ServeBehaviour::delay()
{
    Server server;
    QVERIFY(server.start({ QStringLiteral("--delay"), QStringLiteral("250") }));
    Client client;
    QVERIFY(client.connect(server.url()));
    QVERIFY(client.connection->sendText("later"));
    QTRY_COMPARE_WITH_TIMEOUT(client.dataReceived().size(), 1, Timeout);
    const WireEvent sent = framesOf(client.capture, Direction::Outgoing).value(0);
    const WireEvent reply = client.dataReceived().value(0);
    QCOMPARE(reply.payload.toByteArray(), QByteArray("later"));
    QVERIFY2(reply.timeUs - sent.timeUs >= 250'000, qPrintable(QString::number(reply.timeUs - sent.timeUs)));
    server.stop();
}

void tst_ServeBehaviour::fragment()
{
    Server server;
    QVERIFY(server.start({ QStringLiteral("--fragment"), QStringLiteral("3") }));
    Client client;
    QVERIFY(client.connect(server.url()));
    QSignalSpy messages(client.connection.get(), &ClientConnection::messageReceived);
    QVERIFY(client.connection->sendBinary("abcdefgh"));
    QVERIFY(messages.wait(Timeout));
    QCOMPARE(messages.at(0).at(1).toByteArray(), QByteArray("abcdefgh"));
    const QList<WireEvent> frames = client.dataReceived();
    QCOMPARE(frames.size(), 3);
    QCOMPARE(frames[0].header.toByteArray(), hex("02 03"));
    QCOMPARE(frames[1].header.toByteArray(), hex("00 03"));
    QCOMPARE(frames[2].header.toByteArray(), hex("80 02"));
    server.stop();
}

void tst_ServeBehaviour::pingEvery()
{
    Server server;
    QVERIFY(server.start({ QStringLiteral("--ping-every"), QStringLiteral("0.2") }));
    Client client;
    QVERIFY(client.connect(server.url()));
    QSignalSpy pings(client.connection.get(), &ClientConnection::pingReceived);
    QTRY_VERIFY_WITH_TIMEOUT(pings.size() >= 2, Timeout);
    QCOMPARE(pings.at(0).at(0).toByteArray(), QByteArray("1"));
    QCOMPARE(pings.at(1).at(0).toByteArray(), QByteArray("2"));
    server.stop();
}

void tst_ServeBehaviour::closeAfter()
{
    Server server;
    QVERIFY(server.start({ QStringLiteral("--close-after"), QStringLiteral("2:4000:bye: now") }));
    Client client;
    QVERIFY(client.connect(server.url()));
    QSignalSpy closed(client.connection.get(), &ClientConnection::closed);
    QVERIFY(client.connection->sendText("a"));
    QVERIFY(client.connection->sendText("b"));
    QVERIFY(client.connection->sendText("c"));
    QVERIFY(closed.wait(Timeout));
    QCOMPARE(closed.at(0).at(0).toInt(), 4000);
    QCOMPARE(closed.at(0).at(1).toString(), QStringLiteral("bye: now"));
    QCOMPARE(closed.at(0).at(2).toBool(), true);
    QCOMPARE(client.dataReceived().size(), 2);
    const QList<QJsonObject> events = server.stop();
    bool reported = false;
    for (const QJsonObject &e : events) {
        const QString message = e.value(QStringLiteral("message")).toString();
        reported = reported
            || (message.startsWith(QStringLiteral("CLOSED: 4000 "))
                && message.endsWith(QStringLiteral(", reason \"bye: now\"")));
    }
    QVERIFY2(reported, "the server's output records the close");
}

void tst_ServeBehaviour::maxMessageSize()
{
    Server server;
    QVERIFY(server.start({ QStringLiteral("--max-message-size"), QStringLiteral("10") }));
    Client client;
    QVERIFY(client.connect(server.url()));
    QSignalSpy closed(client.connection.get(), &ClientConnection::closed);
    QSignalSpy messages(client.connection.get(), &ClientConnection::messageReceived);
    QVERIFY(client.connection->sendText("0123456789")); // exactly the limit: echoed
    QVERIFY(messages.wait(Timeout));
    QVERIFY(client.connection->sendText("0123456789A"));
    QVERIFY(closed.wait(Timeout));
    QCOMPARE(closed.at(0).at(0).toInt(), 1009);
    server.stop();
}

QTEST_GUILESS_MAIN(tst_ServeBehaviour)
#include "tst_servebehaviour.moc"
