#include "inspect/connectionbar.h"
#include "inspect/headerseditor.h"
#include "net/clientsession.h"
#include "net/embeddedserver.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QTest>
#include <QToolButton>

#include <memory>

namespace {

constexpr int Timeout = 10000;

template <typename T> T *child(const QWidget &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}

// A bar in a shown window, with its own settings file.
struct Fixture {
    QTemporaryDir dir;
    QSettings settings { dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat };
    ConnectionBar bar { &settings };

    Fixture()
    {
        bar.resize(760, bar.sizeHint().height());
        bar.show();
    }
    // Keys go to the combo box, as with real focus (its line edit's focus proxy is the combo).
    QComboBox *urlField() const { return child<QComboBox>(bar, "url"); }
    QLabel *problem() const { return child<QLabel>(bar, "problem"); }
    bool problemShown() const { return !child<QWidget>(bar, "problemRow")->isHidden(); }
    void typeUrl(const QString &url)
    {
        urlField()->lineEdit()->clear();
        QTest::keyClicks(urlField(), url);
    }
};

// Types one header into the editor's table as a user does: Add, name, Tab, value, Enter.
void typeHeader(ConnectionBar &bar, const QString &name, const QString &value)
{
    QTest::mouseClick(child<QToolButton>(bar, "addHeader"), Qt::LeftButton);
    QWidget *nameEditor = bar.window()->focusWidget();
    QVERIFY(qobject_cast<QLineEdit *>(nameEditor));
    QTest::keyClicks(nameEditor, name);
    QTest::keyClick(nameEditor, Qt::Key_Tab);
    QWidget *valueEditor = bar.window()->focusWidget();
    QVERIFY(qobject_cast<QLineEdit *>(valueEditor));
    QVERIFY(valueEditor != nameEditor);
    QTest::keyClicks(valueEditor, value);
    QTest::keyClick(valueEditor, Qt::Key_Return);
}

ConnectionOptions lastOptions(const QSignalSpy &spy)
{
    return spy.last().at(0).value<ConnectionOptions>();
}

} // namespace

class tst_ConnectionBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void typedOptionsAreEmitted();
    void enterInUrlConnects();
    void badUrlShowsProblem_data();
    void badUrlShowsProblem();
    void headerNames_data();
    void headerNames();
    void invalidHeaderBlocksConnect();
    void removeHeaderRows();
    void subprotocolSplitting_data();
    void subprotocolSplitting();
    void certificateOptionOnlyForWss();
    void setOptionsKeepsOtherFields();
    void engineChoice();
    void socketIoMode();
    void socketIoProblems_data();
    void socketIoProblems();
    void recentUrlsPersisted();
    void sessionStateAndCounters();
    void sessionDestroyed();
    void screenshots();
};

void tst_ConnectionBar::socketIoMode()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.bar));
    QSignalSpy requested(&f.bar, &ConnectionBar::connectRequested);
    QWidget *row = child<QWidget>(f.bar, "socketIoRow");
    QVERIFY(row->isHidden());
    f.typeUrl(QStringLiteral("http://127.0.0.1:3000"));
    QTest::mouseClick(child<QCheckBox>(f.bar, "socketIo"), Qt::LeftButton);
    QVERIFY(row->isVisible());
    QLineEdit *nsp = child<QLineEdit>(f.bar, "socketIoNamespace");
    nsp->clear();
    QTest::keyClicks(nsp, QStringLiteral("/chat"));
    QTest::keyClicks(child<QLineEdit>(f.bar, "socketIoAuth"), QStringLiteral(R"({ "token" : "abc" })"));
    QTest::mouseClick(child<QCheckBox>(f.bar, "socketIoAnswerPings"), Qt::LeftButton);
    f.bar.requestConnect();
    QCOMPARE(requested.count(), 1);
    const ConnectionOptions o = lastOptions(requested);
    // An http URL is what socket.io-client takes; the bar opens Engine.IO's websocket transport.
    QCOMPARE(o.url.toString(), QStringLiteral("ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"));
    QVERIFY(o.socketIo);
    QCOMPARE(o.socketIo->nsp, QByteArray("/chat"));
    QCOMPARE(o.socketIo->auth, QByteArray(R"({"token":"abc"})"));
    QCOMPARE(o.socketIo->answerPings, false);

    // Back to plain WebSocket: no Socket.IO, the URL as typed.
    QTest::mouseClick(child<QCheckBox>(f.bar, "socketIo"), Qt::LeftButton);
    QVERIFY(row->isHidden());
    QVERIFY(!f.bar.options().socketIo);
    // A session's options fill the bar back.
    f.bar.setOptions(o);
    QVERIFY(child<QCheckBox>(f.bar, "socketIo")->isChecked());
    QCOMPARE(nsp->text(), QStringLiteral("/chat"));
    QVERIFY(!child<QCheckBox>(f.bar, "socketIoAnswerPings")->isChecked());
    QCOMPARE(f.bar.options().url, o.url);
}

void tst_ConnectionBar::socketIoProblems_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QString>("auth");
    QTest::addColumn<QString>("problem");
    QTest::addRow("namespace") << "ws://h:1" << "chat" << "" << "The Socket.IO namespace must start with /, like /chat.";
    QTest::addRow("auth not JSON") << "ws://h:1" << "/" << "{token}" << "The Socket.IO auth is not JSON: JSON error at position 2";
    QTest::addRow("auth not an object") << "ws://h:1" << "/" << "[1]" << "The Socket.IO auth is a JSON object";
    QTest::addRow("no host") << "http://" << "/" << "" << "";
}

void tst_ConnectionBar::socketIoProblems()
{
    QFETCH(QString, url);
    QFETCH(QString, nsp);
    QFETCH(QString, auth);
    QFETCH(QString, problem);
    Fixture f;
    QSignalSpy requested(&f.bar, &ConnectionBar::connectRequested);
    f.typeUrl(url);
    child<QCheckBox>(f.bar, "socketIo")->setChecked(true);
    child<QLineEdit>(f.bar, "socketIoNamespace")->setText(nsp);
    child<QLineEdit>(f.bar, "socketIoAuth")->setText(auth);
    f.bar.requestConnect();
    QCOMPARE(requested.count(), 0);
    QVERIFY(f.problemShown());
    if (!problem.isEmpty())
        QVERIFY2(f.problem()->text().startsWith(problem), qPrintable(f.problem()->text()));
    // Fixed, the problem goes as it is typed away.
    child<QLineEdit>(f.bar, "socketIoNamespace")->setText(QStringLiteral("/"));
    child<QLineEdit>(f.bar, "socketIoAuth")->clear();
    f.typeUrl(QStringLiteral("http://127.0.0.1:3000"));
    QVERIFY(!f.problemShown());
}

void tst_ConnectionBar::typedOptionsAreEmitted()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.bar));
    QSignalSpy requested(&f.bar, &ConnectionBar::connectRequested);

    f.typeUrl(QStringLiteral("ws://127.0.0.1:1234/chat"));
    QTest::keyClicks(child<QLineEdit>(f.bar, "subprotocols"), QStringLiteral("a, b"));
    QTest::mouseClick(child<QToolButton>(f.bar, "headersToggle"), Qt::LeftButton);
    QVERIFY(child<HeadersEditor>(f.bar, "headersEditor")->isVisible());
    typeHeader(f.bar, QStringLiteral("X-One"), QStringLiteral("1"));
    typeHeader(f.bar, QStringLiteral("X-Two"), QStringLiteral("two words"));
    QCOMPARE(child<QToolButton>(f.bar, "headersToggle")->text(), QStringLiteral("&Headers (2)"));

    QTest::mouseClick(child<QPushButton>(f.bar, "connect"), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    const ConnectionOptions o = lastOptions(requested);
    QCOMPARE(o.url, QUrl(QStringLiteral("ws://127.0.0.1:1234/chat")));
    QCOMPARE(o.subprotocols, (QStringList { QStringLiteral("a"), QStringLiteral("b") }));
    QCOMPARE(o.headers.size(), 2);
    QCOMPARE(o.headers.at(0).name, QByteArray("X-One"));
    QCOMPARE(o.headers.at(0).value, QByteArray("1"));
    QCOMPARE(o.headers.at(1).name, QByteArray("X-Two"));
    QCOMPARE(o.headers.at(1).value, QByteArray("two words"));
    QCOMPARE(o.origin, QString());
    QCOMPARE(o.allowCertificateErrors, false);
    QCOMPARE(o.extensions, QStringList());
    QVERIFY(!f.problemShown());
    QCOMPARE(f.bar.recentUrls(), QStringList { QStringLiteral("ws://127.0.0.1:1234/chat") });

    // The Origin field goes to options().origin, not into the headers.
    QTest::keyClicks(child<QLineEdit>(f.bar, "origin"), QStringLiteral("https://example.com"));
    QTest::mouseClick(child<QPushButton>(f.bar, "connect"), Qt::LeftButton);
    QCOMPARE(requested.size(), 2);
    QCOMPARE(lastOptions(requested).origin, QStringLiteral("https://example.com"));
    QCOMPARE(lastOptions(requested).headers.size(), 2);
}

void tst_ConnectionBar::enterInUrlConnects()
{
    Fixture f;
    QSignalSpy requested(&f.bar, &ConnectionBar::connectRequested);
    f.typeUrl(QStringLiteral("wss://example.com/socket?x=1"));
    QTest::keyClick(f.urlField(), Qt::Key_Return);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(lastOptions(requested).url, QUrl(QStringLiteral("wss://example.com/socket?x=1")));
    // Enter does not add a second copy of the URL to the list.
    QCOMPARE(child<QComboBox>(f.bar, "url")->count(), 1);
}

void tst_ConnectionBar::badUrlShowsProblem_data()
{
    QTest::addColumn<QString>("url");
    QTest::addRow("ftp scheme") << QStringLiteral("ftp://x");
    QTest::addRow("empty") << QString();
    QTest::addRow("no scheme") << QStringLiteral("127.0.0.1:8080");
    QTest::addRow("http scheme") << QStringLiteral("http://example.com/");
    QTest::addRow("no host") << QStringLiteral("ws:///path");
    QTest::addRow("port 0") << QStringLiteral("ws://example.com:0/");
    QTest::addRow("fragment") << QStringLiteral("ws://example.com/#top");
}

void tst_ConnectionBar::badUrlShowsProblem()
{
    QFETCH(QString, url);
    Fixture f;
    QSignalSpy requested(&f.bar, &ConnectionBar::connectRequested);
    f.typeUrl(url);
    QVERIFY(!f.problemShown()); // nothing nags while typing
    QTest::mouseClick(child<QPushButton>(f.bar, "connect"), Qt::LeftButton);
    QCOMPARE(requested.size(), 0);
    QVERIFY(f.problemShown());
    const QString expected = ClientConnection::urlProblem(QUrl(url));
    QVERIFY(!expected.isEmpty());
    QCOMPARE(f.problem()->text(), expected);
    QCOMPARE(f.problem()->textFormat(), Qt::PlainText);
    QCOMPARE(f.bar.recentUrls(), QStringList());

    // Fixing the URL clears the message at once; Enter then connects.
    f.typeUrl(QStringLiteral("ws://x/"));
    QVERIFY(!f.problemShown());
    QTest::keyClick(f.urlField(), Qt::Key_Enter);
    QCOMPARE(requested.size(), 1);
}

void tst_ConnectionBar::headerNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::addRow("plain") << QStringLiteral("X-Api-Key") << true;
    QTest::addRow("all token punctuation") << QStringLiteral("a!#$%&'*+-.^_`|~9") << true;
    QTest::addRow("space") << QStringLiteral("X Api") << false;
    QTest::addRow("colon") << QStringLiteral("X:Api") << false;
    QTest::addRow("separator") << QStringLiteral("X(Api)") << false;
    QTest::addRow("not ASCII") << QStringLiteral("X-\u00c4pi") << false;
    QTest::addRow("control character") << QStringLiteral("X\x01") << false;
    QTest::addRow("empty") << QString() << false;
}

void tst_ConnectionBar::headerNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(HeadersEditor::nameProblem(name).isEmpty(), valid);
    if (!valid && !name.isEmpty())
        QVERIFY2(HeadersEditor::nameProblem(name).contains(QStringLiteral("not an HTTP token")),
            qPrintable(HeadersEditor::nameProblem(name)));
}

void tst_ConnectionBar::invalidHeaderBlocksConnect()
{
    Fixture f;
    QSignalSpy requested(&f.bar, &ConnectionBar::connectRequested);
    f.typeUrl(QStringLiteral("ws://127.0.0.1:1234/"));
    QTest::mouseClick(child<QToolButton>(f.bar, "headersToggle"), Qt::LeftButton);
    typeHeader(f.bar, QStringLiteral("Bad Name"), QStringLiteral("v"));

    // Flagged in the editor as soon as it is typed.
    auto *table = child<QTableWidget>(f.bar, "headers");
    QVERIFY(!table->item(0, 0)->icon().isNull());
    QVERIFY(table->item(0, 0)->toolTip().contains(QStringLiteral("not an HTTP token")));
    auto *issues = child<QLabel>(f.bar, "headerIssues");
    QVERIFY(!issues->isHidden());
    QVERIFY(issues->text().startsWith(QStringLiteral("Row 1: header name \"Bad Name\"")));

    QTest::mouseClick(child<QPushButton>(f.bar, "connect"), Qt::LeftButton);
    QCOMPARE(requested.size(), 0);
    QVERIFY(f.problemShown());
    QCOMPARE(
        f.problem()->text(), QStringLiteral("header name \"Bad Name\" is not an HTTP token: a space is not allowed"));

    // Fixing the name clears both, and the header goes out.
    table->item(0, 0)->setText(QStringLiteral("Good-Name"));
    QVERIFY(!f.problemShown());
    QVERIFY(issues->isHidden());
    QVERIFY(table->item(0, 0)->icon().isNull());
    QTest::mouseClick(child<QPushButton>(f.bar, "connect"), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(lastOptions(requested).headers.at(0).name, QByteArray("Good-Name"));

    // Headers the handshake writes itself are noted but do not block.
    table->item(0, 0)->setText(QStringLiteral("host"));
    QVERIFY(!issues->isHidden());
    QVERIFY(issues->text().contains(QStringLiteral("written by the handshake itself")));
    QTest::mouseClick(child<QPushButton>(f.bar, "connect"), Qt::LeftButton);
    QCOMPARE(requested.size(), 2);

    // A line break in a value would smuggle in a header line of its own.
    table->item(0, 0)->setText(QStringLiteral("X-A"));
    table->item(0, 1)->setText(QStringLiteral("a\r\nX-B: b"));
    QTest::mouseClick(child<QPushButton>(f.bar, "connect"), Qt::LeftButton);
    QCOMPARE(requested.size(), 2);
    QVERIFY(f.problem()->text().contains(QStringLiteral("would break the request's lines")));
}

void tst_ConnectionBar::removeHeaderRows()
{
    Fixture f;
    ConnectionOptions o;
    o.url = QUrl(QStringLiteral("ws://h/"));
    o.headers = { { "A", "1" }, { "B", "2" }, { "C", "3" } };
    f.bar.setOptions(o);
    auto *table = child<QTableWidget>(f.bar, "headers");
    QVERIFY(table->isVisible()); // shown because there are headers
    QCOMPARE(table->rowCount(), 3);

    table->selectRow(1);
    QTest::mouseClick(child<QToolButton>(f.bar, "removeHeader"), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 2);
    table->selectRow(0);
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Delete);
    QCOMPARE(table->rowCount(), 1);
    const HttpHeaders left = f.bar.options().headers;
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.at(0).name, QByteArray("C"));
    QCOMPARE(left.at(0).value, QByteArray("3"));
}

void tst_ConnectionBar::subprotocolSplitting_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QStringList>("expected");
    QTest::addRow("none") << QString() << QStringList();
    QTest::addRow("one") << QStringLiteral("chat") << QStringList { QStringLiteral("chat") };
    QTest::addRow("spaces and empties") << QStringLiteral(" a ,, b ,")
                                        << QStringList { QStringLiteral("a"), QStringLiteral("b") };
    QTest::addRow("order kept") << QStringLiteral("v2.chat,v1.chat")
                                << QStringList { QStringLiteral("v2.chat"), QStringLiteral("v1.chat") };
}

void tst_ConnectionBar::subprotocolSplitting()
{
    QFETCH(QString, typed);
    QFETCH(QStringList, expected);
    Fixture f;
    QSignalSpy requested(&f.bar, &ConnectionBar::connectRequested);
    f.typeUrl(QStringLiteral("ws://h/"));
    auto *edit = child<QLineEdit>(f.bar, "subprotocols");
    QTest::keyClicks(edit, typed);
    QTest::keyClick(edit, Qt::Key_Return); // Enter connects from here too
    QCOMPARE(requested.size(), 1);
    QCOMPARE(lastOptions(requested).subprotocols, expected);
}

void tst_ConnectionBar::certificateOptionOnlyForWss()
{
    Fixture f;
    auto *allow = child<QCheckBox>(f.bar, "allowCertificateErrors");
    f.typeUrl(QStringLiteral("ws://h/"));
    QVERIFY(!allow->isEnabled());
    f.typeUrl(QStringLiteral("wss://h/"));
    QVERIFY(allow->isEnabled());
    QVERIFY(!f.bar.options().allowCertificateErrors);
    QTest::mouseClick(allow, Qt::LeftButton);
    QVERIFY(allow->isChecked());
    QVERIFY(f.bar.options().allowCertificateErrors);
    f.typeUrl(QStringLiteral("ws://h/"));
    QVERIFY(!allow->isEnabled());
    QVERIFY(!allow->isChecked());
    QVERIFY(!f.bar.options().allowCertificateErrors);
}

void tst_ConnectionBar::setOptionsKeepsOtherFields()
{
    Fixture f;
    ConnectionOptions in;
    in.url = QUrl(QStringLiteral("wss://example.org:8443/a?b=c"));
    in.headers = { { "X-Key", "secret" } };
    in.subprotocols = { QStringLiteral("mqtt"), QStringLiteral("wamp") };
    in.origin = QStringLiteral("https://example.org");
    in.allowCertificateErrors = true;
    in.handshakeTimeoutMs = 1234;
    in.fragmentSize = 99;
    in.closeOnViolation = false;
    f.bar.setOptions(in);

    QCOMPARE(child<QComboBox>(f.bar, "url")->currentText(), QStringLiteral("wss://example.org:8443/a?b=c"));
    QCOMPARE(child<QLineEdit>(f.bar, "subprotocols")->text(), QStringLiteral("mqtt, wamp"));
    QCOMPARE(child<QLineEdit>(f.bar, "origin")->text(), QStringLiteral("https://example.org"));
    QVERIFY(child<QCheckBox>(f.bar, "allowCertificateErrors")->isChecked());

    const ConnectionOptions out = f.bar.options();
    QCOMPARE(out.url, in.url);
    QCOMPARE(out.subprotocols, in.subprotocols);
    QCOMPARE(out.origin, in.origin);
    QCOMPARE(out.headers.size(), 1);
    QCOMPARE(out.headers.at(0).name, QByteArray("X-Key"));
    QCOMPARE(out.headers.at(0).value, QByteArray("secret"));
    QCOMPARE(out.allowCertificateErrors, true);
    QCOMPARE(out.handshakeTimeoutMs, 1234);
    QCOMPARE(out.fragmentSize, qsizetype(99));
    QCOMPARE(out.closeOnViolation, false);
}

// The engine goes with the options; QWebSocket offers no compression, so the box says so; the
// choice is remembered for the next window.
void tst_ConnectionBar::engineChoice()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("settings.ini"));
    QSettings settings(path, QSettings::IniFormat);
    {
        ConnectionBar bar(&settings);
        bar.show();
        auto *engine = child<QComboBox>(bar, "engine");
        auto *deflate = child<QCheckBox>(bar, "deflate");
        QCOMPARE(bar.options().engine, ConnectionOptions::Engine::Inspector);
        QVERIFY(deflate->isEnabled());
        QVERIFY(bar.options().deflate.has_value());

        // The user picks QWebSocket (the next item) with the keyboard.
        engine->setFocus();
        QTest::keyClick(engine, Qt::Key_Down);
        QCOMPARE(bar.options().engine, ConnectionOptions::Engine::Qt);
        QVERIFY(!deflate->isEnabled());
        QVERIFY(!bar.options().deflate.has_value());
        child<QComboBox>(bar, "url")->setEditText(QStringLiteral("ws://h/"));
        QSignalSpy requested(&bar, &ConnectionBar::connectRequested);
        QTest::mouseClick(child<QPushButton>(bar, "connect"), Qt::LeftButton);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(lastOptions(requested).engine, ConnectionOptions::Engine::Qt);

        // Showing another session's options shows its engine, without changing the remembered one.
        ConnectionOptions other;
        other.url = QUrl(QStringLiteral("ws://h/"));
        bar.setOptions(other);
        QCOMPARE(bar.options().engine, ConnectionOptions::Engine::Inspector);
        QVERIFY(deflate->isEnabled());
    }
    ConnectionBar again(&settings);
    QCOMPARE(again.options().engine, ConnectionOptions::Engine::Qt);
}

void tst_ConnectionBar::recentUrlsPersisted()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("settings.ini"));
    {
        QSettings settings(path, QSettings::IniFormat);
        QStringList old;
        for (int i = 0; i < ConnectionBar::MaxRecentUrls; ++i)
            old << QStringLiteral("ws://old%1/").arg(i);
        settings.setValue(ConnectionBar::RecentUrlsKey, old);
    }
    QSettings settings(path, QSettings::IniFormat);
    {
        ConnectionBar bar(&settings);
        auto *url = child<QComboBox>(bar, "url");
        QCOMPARE(url->count(), ConnectionBar::MaxRecentUrls);
        QCOMPARE(url->currentText(), QStringLiteral("ws://old0/")); // the last one used
        QSignalSpy requested(&bar, &ConnectionBar::connectRequested);

        url->lineEdit()->clear();
        QTest::keyClicks(url, QStringLiteral("ws://new/"));
        QTest::keyClick(url, Qt::Key_Return);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(bar.recentUrls().size(), ConnectionBar::MaxRecentUrls); // the oldest fell off
        QCOMPARE(bar.recentUrls().first(), QStringLiteral("ws://new/"));
        QVERIFY(!bar.recentUrls().contains(QStringLiteral("ws://old14/")));

        // Using a recent URL again moves it to the front, once.
        url->setCurrentIndex(3);
        QCOMPARE(url->currentText(), QStringLiteral("ws://old2/"));
        QTest::keyClick(url, Qt::Key_Return);
        QCOMPARE(requested.size(), 2);
        QCOMPARE(bar.recentUrls().first(), QStringLiteral("ws://old2/"));
        QCOMPARE(bar.recentUrls().count(QStringLiteral("ws://old2/")), 1);
        QCOMPARE(url->count(), ConnectionBar::MaxRecentUrls);
    }
    settings.sync();
    QSettings reread(path, QSettings::IniFormat);
    const QStringList stored = reread.value(ConnectionBar::RecentUrlsKey).toStringList();
    QCOMPARE(stored.value(0), QStringLiteral("ws://old2/"));
    QCOMPARE(stored.value(1), QStringLiteral("ws://new/"));
    ConnectionBar again(&reread);
    QCOMPARE(again.recentUrls(), stored);
}

void tst_ConnectionBar::sessionStateAndCounters()
{
    EmbeddedServer server;
    QVERIFY2(server.start(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));

    Fixture f;
    auto *badge = child<QLabel>(f.bar, "state");
    auto *elapsed = child<QLabel>(f.bar, "elapsed");
    auto *sent = child<QLabel>(f.bar, "sent");
    auto *received = child<QLabel>(f.bar, "received");
    auto *disconnect = child<QPushButton>(f.bar, "disconnect");
    QCOMPARE(badge->text(), QStringLiteral("NOT CONNECTED"));
    QVERIFY(!disconnect->isEnabled());

    ConnectionOptions options;
    options.url = server.url();
    f.bar.setOptions(options);
    ClientSession session(1, options);
    f.bar.setSession(&session);
    QCOMPARE(badge->text(), QStringLiteral("CLOSED"));
    QCOMPARE(elapsed->text(), QStringLiteral("--:--:--"));
    session.start(); // on this thread
    QCOMPARE(badge->text(), QStringLiteral("CONNECTING"));
    QVERIFY(disconnect->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(badge->text(), QStringLiteral("OPEN"), Timeout);
    QCOMPARE(elapsed->text(), QStringLiteral("00:00:00"));
    // Ticks while open (a loaded machine may skip a second: any later time counts; the format is
    // fixed, so later compares greater).
    QTRY_VERIFY_WITH_TIMEOUT(elapsed->text() > QStringLiteral("00:00:00"), 3000);
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d$")).match(elapsed->text()).hasMatch(),
        qPrintable(elapsed->text()));

    QVERIFY(session.sendText("hello"));
    QTRY_VERIFY_WITH_TIMEOUT(received->text().startsWith(QStringLiteral("\u2193 1 message \u00b7 ")), Timeout);
    QVERIFY(sent->text().startsWith(QStringLiteral("\u2191 1 message \u00b7 ")));
    QCOMPARE(sent->text(),
        QStringLiteral("\u2191 1 message \u00b7 %1")
            .arg(QLocale().formattedDataSize(qint64(session.stats().out.bytes))));
    QCOMPARE(received->text(),
        QStringLiteral("\u2193 1 message \u00b7 %1")
            .arg(QLocale().formattedDataSize(qint64(session.stats().in.bytes))));

    QVERIFY(f.bar.grab().save(QStringLiteral("/tmp/connectionbar-open.png")));

    QSignalSpy disconnectRequested(&f.bar, &ConnectionBar::disconnectRequested);
    QTest::mouseClick(disconnect, Qt::LeftButton);
    QCOMPARE(disconnectRequested.size(), 1);

    // The session learns the state from the captured events, once per turn of the event loop, and
    // may pass CLOSING within one turn: the badge is read each time the session changes (after the
    // bar, which connected first).
    QStringList badges;
    connect(&session, &ClientSession::changed, &f.bar, [&] {
        if (badges.isEmpty() || badges.last() != badge->text())
            badges << badge->text();
    });
    QVERIFY(session.close(1000));
    QTRY_COMPARE_WITH_TIMEOUT(badge->text(), QStringLiteral("CLOSED"), Timeout);
    QCOMPARE(badges, QStringList({ QStringLiteral("CLOSING"), QStringLiteral("CLOSED") }));
    QVERIFY(!disconnect->isEnabled());
    const QString frozen = elapsed->text();
    QVERIFY(frozen.startsWith(QStringLiteral("00:00:0")));

    f.bar.setSession(nullptr);
    QCOMPARE(badge->text(), QStringLiteral("NOT CONNECTED"));
    QCOMPARE(sent->text(), QString());
    QCOMPARE(elapsed->text(), QString());
}

void tst_ConnectionBar::sessionDestroyed()
{
    Fixture f;
    ConnectionOptions options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:1/"));
    auto session = std::make_unique<ClientSession>(7, options);
    f.bar.setSession(session.get());
    QCOMPARE(child<QLabel>(f.bar, "state")->text(), QStringLiteral("CLOSED"));
    session.reset();
    QCOMPARE(f.bar.session(), nullptr);
    QTRY_COMPARE(child<QLabel>(f.bar, "state")->text(), QStringLiteral("NOT CONNECTED"));
    QVERIFY(!child<QPushButton>(f.bar, "disconnect")->isEnabled());
}

void tst_ConnectionBar::screenshots()
{
    // Not an assertion of looks: pictures to inspect by eye, in both palettes.
    for (const bool dark : { false, true }) {
        Fixture f;
        if (dark) {
            QPalette p;
            p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
            p.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
            p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
            p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
            p.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
            p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
            p.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
            p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
            for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
                p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
            f.bar.setPalette(p);
        }
        ConnectionOptions o;
        o.url = QUrl(QStringLiteral("ftp://example.com/chat"));
        o.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
        o.origin = QStringLiteral("https://example.com");
        o.headers = { { "X-Api-Key", "abc123" }, { "Bad Name", "x" } };
        f.bar.setOptions(o);
        f.bar.requestConnect();
        f.bar.resize(760, f.bar.sizeHint().height());
        QVERIFY(QTest::qWaitForWindowExposed(&f.bar));
        const QString path
            = dark ? QStringLiteral("/tmp/connectionbar-dark.png") : QStringLiteral("/tmp/connectionbar.png");
        QVERIFY(f.bar.grab().save(path));
    }
}

QTEST_MAIN(tst_ConnectionBar)
#include "tst_connectionbar.moc"
