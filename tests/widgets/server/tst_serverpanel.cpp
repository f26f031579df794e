#include "log/serverclientsmodel.h"
#include "log/serverlogmodel.h"
#include "net/embeddedserver.h"
#include "protocol/handshake.h"
#include "server/serverpanel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QToolButton>
#include <QWebSocket>

#include <functional>
#include <memory>

namespace {

constexpr int Timeout = 10000;

template <typename T> T *child(const QWidget &parent, const char *name)
{
    return parent.findChild<T *>(QString::fromLatin1(name));
}

std::unique_ptr<QWebSocket> openClient(const QUrl &url)
{
    auto client = std::make_unique<QWebSocket>();
    QSignalSpy connected(client.get(), &QWebSocket::connected);
    client->open(url);
    if (!connected.wait(Timeout))
        return {};
    return client;
}

// The panel as the application builds it: models fed by the server, a confirmation that records
// what it was asked and answers as told.
struct Fixture {
    EmbeddedServer server;
    ServerClientsModel clients;
    ServerLogModel log;
    std::unique_ptr<ServerPanel> panel;
    QList<QHostAddress> asked;
    bool answer = false;

    Fixture()
    {
        clients.setServer(&server);
        log.setServer(&server);
        panel = std::make_unique<ServerPanel>(&server, &clients, &log);
        panel->setExposureConfirmation([this](const QHostAddress &address) {
            asked.append(address);
            return answer;
        });
        panel->resize(820, 560);
        panel->show();
    }
    QPushButton *startButton() const { return child<QPushButton>(*panel, "start"); }
    QPushButton *stopButton() const { return child<QPushButton>(*panel, "stop"); }
    QLineEdit *urlField() const { return child<QLineEdit>(*panel, "listeningUrl"); }
    QTableView *clientsView() const { return child<QTableView>(*panel, "clients"); }
    QPlainTextEdit *handshakeView() const { return child<QPlainTextEdit>(*panel, "handshake"); }
    bool errorShown() const { return !child<QWidget>(*panel, "serverError")->isHidden(); }
    QString errorText() const { return child<QLabel>(*panel, "errorText")->text(); }
    void typeAddress(const QString &address)
    {
        QLineEdit *edit = child<QComboBox>(*panel, "bindAddress")->lineEdit();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, address);
    }
    void clickRow(QTableView *view, int row)
    {
        const QRect rect = view->visualRect(view->model()->index(row, 0));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    }
};

} // namespace

Q_DECLARE_METATYPE(ServerBehaviour)

class tst_ServerPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startListensAndShowsClients();
    void bindAddress_data();
    void bindAddress();
    void badAddressShownInPanel();
    void portInUseShownInPanel();
    void modeSwitchesWhileRunning();
    void engineSwitchesForNewClients();
    void stopClosesClients();
    void copyAndConnectAClient();
    void handshakeShownAsPlainText();
    void followsServerStartedElsewhere();
    void logFollowsItsEnd();
    void messageColumnShownOnceDecoded();
    void behaviourCollapsedByDefault();
    void behaviourFieldsApply_data();
    void behaviourFieldsApply();
    void invalidBehaviourNotApplied_data();
    void invalidBehaviourNotApplied();
    void startRefusedWhileBehaviourInvalid();
    void behaviourShownFromServer();
    void behaviourRefusesHandshakesThroughPanel();
    void behaviourFitsNarrowDock();
    void screenshots();
};

void tst_ServerPanel::startListensAndShowsClients()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QSignalSpy listening(f.panel.get(), &ServerPanel::listeningChanged);
    QVERIFY(!f.stopButton()->isEnabled());
    QCOMPARE(f.urlField()->text(), QString());

    QTest::mouseClick(f.startButton(), Qt::LeftButton);
    QVERIFY(f.server.isListening());
    QCOMPARE(f.server.serverAddress(), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(f.server.serverPort() != 0);
    QVERIFY(f.asked.isEmpty()); // loopback: nothing to confirm
    QCOMPARE(listening.size(), 1);
    QCOMPARE(listening.at(0).at(0).toBool(), true);
    QCOMPARE(f.urlField()->text(), QStringLiteral("ws://127.0.0.1:%1/").arg(f.server.serverPort()));
    QVERIFY(!f.startButton()->isEnabled());
    QVERIFY(f.stopButton()->isEnabled());
    QVERIFY(!child<QComboBox>(*f.panel, "bindAddress")->isEnabled());
    QVERIFY(!child<QSpinBox>(*f.panel, "port")->isEnabled());
    QVERIFY(!f.errorShown());

    QSignalSpy connected(&f.server, &EmbeddedServer::clientConnected);
    QUrl url = f.server.url();
    url.setPath(QStringLiteral("/chat"));
    auto client = openClient(url);
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.clientsView()->model()->rowCount(), 1, Timeout);
    QCOMPARE(child<QLabel>(*f.panel, "clientsTitle")->text(), QStringLiteral("&Clients (1)"));
    const QByteArray request = connected.at(0).at(2).toByteArray();

    QVERIFY(f.handshakeView()->toPlainText().isEmpty());
    f.clickRow(f.clientsView(), 0);
    const QString shown = f.handshakeView()->toPlainText();
    QCOMPARE(shown, QString::fromLatin1(request).replace(QStringLiteral("\r\n"), QStringLiteral("\n")));
    QVERIFY(shown.startsWith(QStringLiteral("GET /chat HTTP/1.1\n")));
    QVERIFY(shown.contains(QStringLiteral("\nHost: 127.0.0.1:%1\n").arg(f.server.serverPort())));
    QVERIFY(f.handshakeView()->isReadOnly());
    QCOMPARE(child<QLabel>(*f.panel, "handshakeTitle")->text(),
        QStringLiteral("Handshake request of #1 from 127.0.0.1:%1 \u2014 %2 bytes")
            .arg(client->localPort())
            .arg(request.size()));

    // The server's log has the connection.
    QTableView *logView = child<QTableView>(*f.panel, "serverLog");
    QTRY_COMPARE_WITH_TIMEOUT(logView->model()->rowCount(), 1, Timeout);
    QCOMPARE(logView->model()->index(0, ServerLogModel::EventColumn).data().toString(), QStringLiteral("connected"));
    client->sendTextMessage(QStringLiteral("hi"));
    QTRY_COMPARE_WITH_TIMEOUT(logView->model()->rowCount(), 3, Timeout); // the message and its echo
}

void tst_ServerPanel::bindAddress_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("asks");
    QTest::addColumn<bool>("answer");
    QTest::addColumn<bool>("listens");

    QTest::addRow("127.0.0.1 does not ask") << QStringLiteral("127.0.0.1") << false << false << true;
    QTest::addRow("localhost does not ask") << QStringLiteral("localhost") << false << false << true;
    QTest::addRow("::1 does not ask") << QStringLiteral("::1") << false << false << true;
    QTest::addRow("0.0.0.0 asks, declined") << QStringLiteral("0.0.0.0") << true << false << false;
    QTest::addRow("0.0.0.0 asks, accepted") << QStringLiteral("0.0.0.0") << true << true << true;
    QTest::addRow(":: asks, declined") << QStringLiteral("::") << true << false << false;
    QTest::addRow("LAN address asks, declined") << QStringLiteral("192.168.1.20") << true << false << false;
}

void tst_ServerPanel::bindAddress()
{
    QFETCH(QString, typed);
    QFETCH(bool, asks);
    QFETCH(bool, answer);
    QFETCH(bool, listens);

    Fixture f;
    f.answer = answer;
    f.typeAddress(typed);
    const bool started = f.panel->start();
    if (!started && listens && !f.asked.size() && typed == QStringLiteral("::1"))
        QSKIP(qPrintable(QStringLiteral("no IPv6 loopback here: ") + f.errorText()));
    QCOMPARE(f.asked.size(), asks ? 1 : 0);
    if (asks)
        QCOMPARE(f.asked.at(0), QHostAddress(typed));
    QCOMPARE(started, listens);
    QCOMPARE(f.server.isListening(), listens);
    QVERIFY2(!f.errorShown(), qPrintable(f.errorText())); // declining is the user's choice, not an error
    QCOMPARE(f.startButton()->isEnabled(), !listens);
    if (listens)
        QCOMPARE(f.urlField()->text(), f.server.url().toString());
    else
        QCOMPARE(f.urlField()->text(), QString());
}

void tst_ServerPanel::badAddressShownInPanel()
{
    Fixture f;
    f.typeAddress(QStringLiteral("not-an-address"));
    QTest::mouseClick(f.startButton(), Qt::LeftButton);
    QVERIFY(!f.server.isListening());
    QVERIFY(f.asked.isEmpty());
    QVERIFY(f.errorShown());
    QCOMPARE(f.errorText(), QStringLiteral("\"not-an-address\" is not an IP address: use 127.0.0.1, ::1 or 0.0.0.0"));
    QCOMPARE(f.panel->errorText(), f.errorText());

    // Fixed: the error goes away with a successful start.
    f.typeAddress(QStringLiteral("127.0.0.1"));
    QTest::mouseClick(f.startButton(), Qt::LeftButton);
    QVERIFY(f.server.isListening());
    QVERIFY(!f.errorShown());
    QCOMPARE(f.panel->errorText(), QString());
}

void tst_ServerPanel::portInUseShownInPanel()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    const quint16 port = occupier.serverPort();

    Fixture f;
    QSignalSpy listening(f.panel.get(), &ServerPanel::listeningChanged);
    auto *portSpin = child<QSpinBox>(*f.panel, "port");
    portSpin->selectAll();
    QTest::keyClicks(portSpin, QString::number(port));
    QCOMPARE(portSpin->value(), int(port));
    QTest::mouseClick(f.startButton(), Qt::LeftButton);

    QVERIFY(!f.server.isListening());
    QVERIFY(f.errorShown());
    QCOMPARE(f.errorText(), QStringLiteral("cannot listen on 127.0.0.1:%1: address in use").arg(port));
    QCOMPARE(child<QLabel>(*f.panel, "errorText")->textFormat(), Qt::PlainText);
    QCOMPARE(listening.size(), 0);
    QVERIFY(f.startButton()->isEnabled());
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (const QWidget *w : windows)
        QVERIFY2(!(qobject_cast<const QDialog *>(w) && w->isVisible()), "the error belongs in the panel, not a dialog");
}

void tst_ServerPanel::modeSwitchesWhileRunning()
{
    Fixture f;
    auto *mode = child<QComboBox>(*f.panel, "mode");
    QCOMPARE(mode->currentText(), QStringLiteral("Echo"));
    QVERIFY(f.panel->start());
    auto a = openClient(f.server.url());
    auto b = openClient(f.server.url());
    QVERIFY(a && b);

    // Echo: b hears nothing of a's message.
    QSignalSpy aGot(a.get(), &QWebSocket::textMessageReceived);
    QSignalSpy bGot(b.get(), &QWebSocket::textMessageReceived);
    a->sendTextMessage(QStringLiteral("one"));
    QVERIFY(aGot.wait(Timeout));
    QCOMPARE(bGot.size(), 0);

    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Down);
    QCOMPARE(mode->currentText(), QStringLiteral("Broadcast"));
    QCOMPARE(f.server.mode(), EmbeddedServer::Mode::Broadcast);
    QVERIFY(f.server.isListening());

    a->sendTextMessage(QStringLiteral("two"));
    QTRY_COMPARE_WITH_TIMEOUT(bGot.size(), 1, Timeout);
    QCOMPARE(bGot.at(0).at(0).toString(), QStringLiteral("two"));
    QTRY_COMPARE_WITH_TIMEOUT(aGot.size(), 2, Timeout);

    QTest::keyClick(mode, Qt::Key_Up);
    QCOMPARE(f.server.mode(), EmbeddedServer::Mode::Echo);
}

// The engine applies to clients that connect afterwards; each is told apart on the wire: Qt's
// echoes an unmasked frame, the inspector's fails the connection with 1002.
void tst_ServerPanel::engineSwitchesForNewClients()
{
    Fixture f;
    auto *engine = child<QComboBox>(*f.panel, "serverEngine");
    auto *note = child<QLabel>(*f.panel, "engineNote");
    QCOMPARE(engine->currentText(), QStringLiteral("QWebSocketServer"));
    QVERIFY(note->text().startsWith(QStringLiteral("Qt's QWebSocketServer")));
    QVERIFY(f.panel->start());
    auto qtClient = openClient(f.server.url());
    QVERIFY(qtClient);

    engine->setFocus();
    QTest::keyClick(engine, Qt::Key_Down);
    QCOMPARE(engine->currentText(), QStringLiteral("Inspector (strict)"));
    QCOMPARE(f.server.engine(), EmbeddedServer::Engine::Inspector);
    QVERIFY(note->text().startsWith(QStringLiteral("The inspector's engine")));
    QVERIFY(note->text().endsWith(QStringLiteral("Clients already connected keep theirs.")));

    // The new client is the inspector engine's: strict about masking.
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, f.server.serverPort());
    QVERIFY(raw.waitForConnected(Timeout));
    ClientHandshakeOptions options;
    options.url = f.server.url();
    raw.write(Handshake::buildRequest(options, "AQIDBAUGBwgJCgsMDQ4PEA=="));
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT((received += raw.readAll()).contains("\r\n\r\n"), Timeout);
    QVERIFY(received.contains("Server: WebSocket Inspector\r\n"));
    received = received.mid(received.indexOf("\r\n\r\n") + 4);
    raw.write(QByteArray("\x81\x02hi", 4)); // unmasked
    QTRY_VERIFY_WITH_TIMEOUT((received += raw.readAll()).size() >= 4, Timeout);
    QCOMPARE(quint8(received.at(0)), quint8(0x88)); // close,
    QCOMPARE(received.mid(2, 2), QByteArray("\x03\xea", 2)); // 1002 Protocol Error
    // The Qt client keeps its engine: it still gets echoes.
    QSignalSpy echoed(qtClient.get(), &QWebSocket::textMessageReceived);
    qtClient->sendTextMessage(QStringLiteral("still Qt"));
    QVERIFY(echoed.wait(Timeout));
}

void tst_ServerPanel::stopClosesClients()
{
    Fixture f;
    QSignalSpy listening(f.panel.get(), &ServerPanel::listeningChanged);
    QVERIFY(f.panel->start());
    auto client = openClient(f.server.url());
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.clientsView()->model()->rowCount(), 1, Timeout);
    f.clickRow(f.clientsView(), 0);
    QVERIFY(!f.handshakeView()->toPlainText().isEmpty());

    QSignalSpy closed(client.get(), &QWebSocket::disconnected);
    QTest::mouseClick(f.stopButton(), Qt::LeftButton);
    QVERIFY(!f.server.isListening());
    QCOMPARE(f.clientsView()->model()->rowCount(), 0);
    QVERIFY(f.handshakeView()->toPlainText().isEmpty());
    QCOMPARE(f.urlField()->text(), QString());
    QVERIFY(f.startButton()->isEnabled());
    QVERIFY(!f.stopButton()->isEnabled());
    QVERIFY(child<QComboBox>(*f.panel, "bindAddress")->isEnabled());
    QCOMPARE(listening.size(), 2);
    QCOMPARE(listening.at(1).at(0).toBool(), false);
    QVERIFY(closed.wait(Timeout));
    QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
}

void tst_ServerPanel::copyAndConnectAClient()
{
    Fixture f;
    auto *copy = child<QToolButton>(*f.panel, "copyUrl");
    auto *connectClient = child<QPushButton>(*f.panel, "connectClient");
    QVERIFY(!copy->isEnabled());
    QVERIFY(!connectClient->isEnabled());
    QVERIFY(f.panel->start());

    QSignalSpy requested(f.panel.get(), &ServerPanel::connectRequested);
    QTest::mouseClick(connectClient, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(0).toUrl(), f.server.url());

    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), f.server.url().toString());
}

void tst_ServerPanel::handshakeShownAsPlainText()
{
    Fixture f;
    QVERIFY(f.panel->start());
    QSignalSpy connected(&f.server, &EmbeddedServer::clientConnected);
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, f.server.serverPort());
    QVERIFY(raw.waitForConnected(Timeout));
    const QByteArray request = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                               "X-Tab: a\tb\r\nX-Bytes: \xff\xfe<b>bold</b>\r\nX-Bidi: \xe2\x80\xae" "abc\r\n\r\n";
    raw.write(request);
    QVERIFY(connected.wait(Timeout));
    QCOMPARE(connected.at(0).at(2).toByteArray(), request);
    QTRY_COMPARE_WITH_TIMEOUT(f.clientsView()->model()->rowCount(), 1, Timeout);
    f.clickRow(f.clientsView(), 0);
    const QStringList lines = f.handshakeView()->toPlainText().split(QLatin1Char('\n'));
    QCOMPARE(lines.value(0), QStringLiteral("GET /x HTTP/1.1"));
    QCOMPARE(lines.value(6), QStringLiteral("X-Tab: a\\tb"));
    QCOMPARE(lines.value(7), QStringLiteral("X-Bytes: \\xff\\xfe<b>bold</b>")); // shown, never interpreted
    QCOMPARE(lines.value(8), QStringLiteral("X-Bidi: \\u202eabc")); // an override cannot reorder the line
    QCOMPARE(lines.value(9), QString()); // the blank line that ends the head
    QCOMPARE(lines.size(), 11);
}

void tst_ServerPanel::followsServerStartedElsewhere()
{
    Fixture f;
    QSignalSpy listening(f.panel.get(), &ServerPanel::listeningChanged);
    QVERIFY(f.server.start());
    f.panel->refresh();
    QCOMPARE(listening.size(), 1);
    QCOMPARE(f.urlField()->text(), f.server.url().toString());
    QVERIFY(f.stopButton()->isEnabled());

    // A panel made for a running server shows it running.
    ServerPanel second(&f.server, &f.clients, &f.log);
    QCOMPARE(child<QLineEdit>(second, "listeningUrl")->text(), f.server.url().toString());
    QVERIFY(!child<QPushButton>(second, "start")->isEnabled());
}

void tst_ServerPanel::logFollowsItsEnd()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QTableView *logView = child<QTableView>(*f.panel, "serverLog");
    QScrollBar *bar = logView->verticalScrollBar();
    auto appendRows = [&f](int count) {
        for (int i = 0; i < count; ++i) {
            ServerLogModel::Entry e;
            e.clientId = 1;
            e.event = ServerLogModel::Event::Frame;
            e.frame.opcode = 0x1;
            e.bytes = QByteArray::number(i);
            f.log.append(e);
        }
        f.log.flushPending();
    };
    appendRows(200);
    QVERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum()); // at the end: follows it

    bar->setValue(0); // the user scrolls up to read: stays there
    appendRows(50);
    QCOMPARE(logView->model()->rowCount(), 250);
    QCOMPARE(bar->value(), 0);

    bar->setValue(bar->maximum()); // back at the end: follows again
    appendRows(50);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QCOMPARE(logView->rowAt(logView->viewport()->height() - 2), 299);

    QTest::mouseClick(child<QToolButton>(*f.panel, "clearLog"), Qt::LeftButton);
    QCOMPARE(logView->model()->rowCount(), 0);
}

// The log's Message column takes room only once some client's messages were read as a protocol,
// as the connection log's does; a cleared log hides it again.
void tst_ServerPanel::messageColumnShownOnceDecoded()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QVERIFY(f.panel->start());
    QTableView *logView = child<QTableView>(*f.panel, "serverLog");
    QCOMPARE(logView->model()->headerData(ServerLogModel::MessageColumn, Qt::Horizontal).toString(),
        QStringLiteral("Message"));
    QVERIFY(logView->isColumnHidden(ServerLogModel::MessageColumn));
    QVERIFY(!logView->isColumnHidden(ServerLogModel::PreviewColumn));

    // A plain client's text: nothing to read, the column stays hidden.
    auto plain = openClient(f.server.url());
    QVERIFY(plain);
    plain->sendTextMessage(QStringLiteral(R"(42["chat message","hi"])"));
    QTRY_COMPARE_WITH_TIMEOUT(f.log.rowCount(), 3, Timeout);
    QCOMPARE(logView->model()->index(1, ServerLogModel::MessageColumn).data().toString(), QString());
    QVERIFY(logView->isColumnHidden(ServerLogModel::MessageColumn));

    // The tutorial's Socket.IO client: its message is read, and the column appears.
    QUrl url = f.server.url();
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    auto socketIo = openClient(url);
    QVERIFY(socketIo);
    socketIo->sendTextMessage(QStringLiteral(R"(42["chat message","hi"])"));
    QTRY_COMPARE_WITH_TIMEOUT(f.log.rowCount(), 6, Timeout);
    QVERIFY(!logView->isColumnHidden(ServerLogModel::MessageColumn));
    QVERIFY(logView->columnWidth(ServerLogModel::MessageColumn) > 0);
    QCOMPARE(logView->model()->index(4, ServerLogModel::MessageColumn).data().toString(),
        QStringLiteral(R"(Socket.IO event "chat message" ["hi"])"));
    QCOMPARE(logView->model()->index(4, ServerLogModel::ClientColumn).data().toString(), QStringLiteral("#2"));
    // Before the preview, which still starts inside the view.
    QVERIFY(logView->columnViewportPosition(ServerLogModel::MessageColumn)
        < logView->columnViewportPosition(ServerLogModel::PreviewColumn));
    QVERIFY(logView->columnViewportPosition(ServerLogModel::PreviewColumn) < logView->viewport()->width());
    QVERIFY(f.panel->grab().save(QStringLiteral("/tmp/serverpanel-decoded.png")));

    // Another panel on the same log shows it at once.
    ServerPanel second(&f.server, &f.clients, &f.log);
    QVERIFY(!child<QTableView>(second, "serverLog")->isColumnHidden(ServerLogModel::MessageColumn));

    QTest::mouseClick(child<QToolButton>(*f.panel, "clearLog"), Qt::LeftButton);
    QCOMPARE(f.log.rowCount(), 0);
    QVERIFY(logView->isColumnHidden(ServerLogModel::MessageColumn));
    socketIo->sendTextMessage(QStringLiteral(R"(42["chat message","again"])"));
    QTRY_VERIFY_WITH_TIMEOUT(!logView->isColumnHidden(ServerLogModel::MessageColumn), Timeout);
    QCOMPARE(logView->model()->index(0, ServerLogModel::MessageColumn).data().toString(),
        QStringLiteral(R"(Socket.IO event "chat message" ["again"])"));
}

void tst_ServerPanel::behaviourCollapsedByDefault()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    auto *toggle = child<QToolButton>(*f.panel, "behaviourToggle");
    QWidget *box = child<QWidget>(*f.panel, "behaviourBox");
    QVERIFY(toggle && box);
    QVERIFY(!box->isVisible());
    QVERIFY(!f.panel->isBehaviourExpanded());
    QCOMPARE(child<QLabel>(*f.panel, "behaviourSummary")->text(), QStringLiteral("defaults"));
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(box->isVisible());
    QVERIFY(f.panel->isBehaviourExpanded());
    QCOMPARE(toggle->arrowType(), Qt::DownArrow);
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(!box->isVisible());
    QCOMPARE(toggle->arrowType(), Qt::RightArrow);
}

namespace {
// One edit of the behaviour fields, as a user makes it.
using Edit = std::function<void(ServerPanel &)>;

void typeInto(QWidget *field, const QString &text)
{
    field->setFocus();
    if (auto *line = qobject_cast<QLineEdit *>(field)) {
        line->selectAll();
        QTest::keyClicks(line, text);
        QTest::keyClick(line, Qt::Key_Return); // lists apply when editing finishes
        return;
    }
    if (auto *spin = qobject_cast<QAbstractSpinBox *>(field)) {
        spin->selectAll();
        QTest::keyClicks(spin, text);
        QTest::keyClick(spin, Qt::Key_Return);
        return;
    }
    if (auto *combo = qobject_cast<QComboBox *>(field)) {
        combo->lineEdit()->selectAll();
        QTest::keyClicks(combo->lineEdit(), text);
        QTest::keyClick(combo->lineEdit(), Qt::Key_Return);
    }
}

Edit typed(const char *field, const QString &text)
{
    return [field, text](ServerPanel &panel) { typeInto(child<QWidget>(panel, field), text); };
}
} // namespace

Q_DECLARE_METATYPE(Edit)

void tst_ServerPanel::behaviourFieldsApply_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<ServerBehaviour>("expected");
    QTest::addColumn<QString>("summary");

    ServerBehaviour b;
    b.replyDelayMs = 250;
    QTest::addRow("delay") << typed("replyDelay", QStringLiteral("250")) << b << QStringLiteral("reply after 250 ms");
    b = {};
    b.fragmentSize = 4;
    QTest::addRow("fragments") << typed("fragmentSize", QStringLiteral("4")) << b
                               << QStringLiteral("frames of 4 bytes");
    b = {};
    b.pingIntervalMs = 1500;
    QTest::addRow("ping") << typed("pingInterval", QStringLiteral("1.5")) << b << QStringLiteral("ping every 1.5 s");
    b = {};
    b.maxClients = 3;
    QTest::addRow("max clients") << typed("maxClients", QStringLiteral("3")) << b
                                 << QStringLiteral("at most 3 clients");
    b = {};
    b.maxMessageSize = 1024;
    QTest::addRow("max message") << typed("maxMessageSize", QStringLiteral("1024")) << b
                                 << QStringLiteral("messages up to 1024 bytes");
    b = {};
    b.closeAfterMessages = 2;
    b.closeCode = 4000;
    b.closeReason = QStringLiteral("bye");
    QTest::addRow("close after") << Edit([](ServerPanel &p) {
        typeInto(child<QWidget>(p, "closeCode"), QStringLiteral("4000"));
        typeInto(child<QWidget>(p, "closeReason"), QStringLiteral("bye"));
        typeInto(child<QWidget>(p, "closeAfter"), QStringLiteral("2"));
    }) << b << QStringLiteral("close with 4000 \"bye\" after 2 messages");
    b = {};
    b.rejectStatus = 403;
    QTest::addRow("reject picked") << Edit([](ServerPanel &p) {
        auto *combo = child<QComboBox>(p, "rejectStatus");
        combo->setCurrentIndex(combo->findData(403));
    }) << b << QStringLiteral("reject every handshake with 403 Forbidden");
    b.rejectStatus = 418;
    QTest::addRow("reject typed") << typed("rejectStatus", QStringLiteral("418")) << b
                                  << QStringLiteral("reject every handshake with 418 Client Error");
    b = {};
    b.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
    QTest::addRow("subprotocols") << typed("subprotocols", QStringLiteral("chat, superchat")) << b
                                  << QStringLiteral("subprotocols chat, superchat");
    b = {};
    b.allowedOrigins = { QStringLiteral("https://app.example"), QStringLiteral("http://localhost:8080") };
    QTest::addRow("origins") << typed("allowedOrigins", QStringLiteral("https://app.example http://localhost:8080"))
                             << b << QStringLiteral("origins https://app.example, http://localhost:8080");
}

void tst_ServerPanel::behaviourFieldsApply()
{
    QFETCH(Edit, edit);
    QFETCH(ServerBehaviour, expected);
    QFETCH(QString, summary);

    Fixture f;
    f.panel->resize(1000, 600); // the summary is not elided
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QVERIFY(f.panel->start()); // edits apply while running too
    QSignalSpy changed(f.panel.get(), &ServerPanel::behaviourChanged);
    QTest::mouseClick(child<QToolButton>(*f.panel, "behaviourToggle"), Qt::LeftButton);
    edit(*f.panel);
    QCOMPARE(f.panel->behaviourError(), QString());
    QCOMPARE(f.server.behaviour(), expected);
    QVERIFY(changed.size() >= 1);
    QCOMPARE(changed.last().at(0).value<ServerBehaviour>(), expected);
    QCOMPARE(child<QLabel>(*f.panel, "behaviourSummary")->text(), summary);
    QVERIFY(f.server.isListening());
}

void tst_ServerPanel::invalidBehaviourNotApplied_data()
{
    QTest::addColumn<Edit>("prepare"); // a valid edit first
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("error");
    QTest::addColumn<Edit>("fix");

    const Edit nothing = [](ServerPanel &) {};
    QTest::addRow("close code 1005")
        << typed("closeAfter", QStringLiteral("1")) << typed("closeCode", QStringLiteral("1005"))
        << QStringLiteral("Not applied: close code: 1005 No Status Received may not be sent in a close frame (RFC 6455 "
                          "§7.4): use 1000-1003, 1007-1014 or 3000-4999")
        << typed("closeCode", QStringLiteral("4000"));
    QTest::addRow("reject not a status") << nothing << typed("rejectStatus", QStringLiteral("nope"))
                                         << QStringLiteral(
                                                "Not applied: reject status: \"nope\" is not an HTTP status (400-599)")
                                         << typed("rejectStatus", QStringLiteral("404"));
    QTest::addRow("reject 200") << nothing << typed("rejectStatus", QStringLiteral("200"))
                                << QStringLiteral("Not applied: reject status: 200 is not a client or server error "
                                                  "status: use 400-599 (0: accept handshakes)")
                                << typed("rejectStatus", QStringLiteral("503"));
    QTest::addRow("subprotocol with slash")
        << nothing << typed("subprotocols", QStringLiteral("v1/json"))
        << QStringLiteral("Not applied: subprotocols: \"v1/json\" is not a subprotocol name: "
                          "use letters, digits and !#$%&'*+-.^_`|~, without spaces, commas or "
                          "quotes")
        << typed("subprotocols", QStringLiteral("v1.json"));
    QTest::addRow("origin without scheme")
        << nothing << typed("allowedOrigins", QStringLiteral("example.org"))
        << QStringLiteral("Not applied: allowed origins: \"example.org\" is not an origin: "
                          "write scheme://host[:port], e.g. https://example.org")
        << typed("allowedOrigins", QStringLiteral("https://example.org"));
    QTest::addRow("ping too often") << nothing << Edit([](ServerPanel &p) {
        child<QDoubleSpinBox>(p, "pingInterval")->setDecimals(2); // as if typed more precisely than allowed
        typeInto(child<QWidget>(p, "pingInterval"), QStringLiteral("0.05"));
    }) << QStringLiteral("Not applied: ping interval: every 50 ms is too often (at least 100 ms, or 0: never ping)")
                                    << typed("pingInterval", QStringLiteral("0.5"));
}

void tst_ServerPanel::invalidBehaviourNotApplied()
{
    QFETCH(Edit, prepare);
    QFETCH(Edit, edit);
    QFETCH(QString, error);
    QFETCH(Edit, fix);

    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QTest::mouseClick(child<QToolButton>(*f.panel, "behaviourToggle"), Qt::LeftButton);
    ServerBehaviour before;
    before.replyDelayMs = 100;
    f.panel->setBehaviour(before);
    QCOMPARE(f.server.behaviour(), before);
    prepare(*f.panel);
    QCOMPARE(f.panel->behaviourError(), QString());
    before = f.server.behaviour();

    edit(*f.panel);
    QCOMPARE(f.panel->behaviourError(), error);
    QLabel *shown = child<QLabel>(*f.panel, "behaviourError");
    QVERIFY(shown->isVisible());
    QCOMPARE(shown->textFormat(), Qt::PlainText);
    QCOMPARE(f.server.behaviour(), before); // the server keeps what it had
    QVERIFY(child<QLabel>(*f.panel, "behaviourSummary")
                ->toolTip()
                .startsWith(QStringLiteral("edit not applied; in effect: ")));

    fix(*f.panel);
    QCOMPARE(f.panel->behaviourError(), QString());
    QVERIFY(!shown->isVisible());
    QVERIFY(!(f.server.behaviour() == before));
    QCOMPARE(f.server.behaviour(), f.panel->behaviourFromFields());
}

void tst_ServerPanel::startRefusedWhileBehaviourInvalid()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QTest::mouseClick(child<QToolButton>(*f.panel, "behaviourToggle"), Qt::LeftButton);
    typeInto(child<QWidget>(*f.panel, "subprotocols"), QStringLiteral("a b, a b"));
    QTest::mouseClick(child<QToolButton>(*f.panel, "behaviourToggle"), Qt::LeftButton); // collapse
    QVERIFY(!child<QWidget>(*f.panel, "behaviourBox")->isVisible());

    QTest::mouseClick(f.startButton(), Qt::LeftButton);
    QVERIFY(!f.server.isListening());
    QVERIFY(f.errorShown());
    QCOMPARE(f.errorText(), QStringLiteral("Fix the behaviour first: subprotocols: \"a\" is listed twice"));
    QVERIFY(child<QWidget>(*f.panel, "behaviourBox")->isVisible()); // opened to show it

    typeInto(child<QWidget>(*f.panel, "subprotocols"), QStringLiteral("a, b"));
    QTest::mouseClick(f.startButton(), Qt::LeftButton);
    QVERIFY(f.server.isListening());
    QVERIFY(!f.errorShown());
    QCOMPARE(f.server.behaviour().subprotocols, (QStringList { QStringLiteral("a"), QStringLiteral("b") }));
}

void tst_ServerPanel::behaviourShownFromServer()
{
    EmbeddedServer server;
    ServerBehaviour b;
    b.replyDelayMs = 1200;
    b.fragmentSize = 7;
    b.pingIntervalMs = 2500;
    b.maxClients = 9;
    b.maxMessageSize = 4096;
    b.closeAfterMessages = 5;
    b.closeCode = 3001;
    b.closeReason = QStringLiteral("done");
    b.rejectStatus = 451;
    b.subprotocols = { QStringLiteral("x"), QStringLiteral("y") };
    b.allowedOrigins = { QStringLiteral("null") };
    QVERIFY(server.setBehaviour(b));
    ServerClientsModel clients;
    ServerLogModel log;
    ServerPanel panel(&server, &clients, &log);
    QCOMPARE(panel.behaviourFromFields(), b);
    QCOMPARE(
        child<QComboBox>(panel, "rejectStatus")->currentText(), QStringLiteral("451 Unavailable For Legal Reasons"));
    QCOMPARE(child<QLineEdit>(panel, "subprotocols")->text(), QStringLiteral("x, y"));
    QCOMPARE(child<QDoubleSpinBox>(panel, "pingInterval")->text(), QStringLiteral("2.5 s"));

    // And the panel's setBehaviour() fills the fields and applies them.
    panel.setBehaviour(ServerBehaviour {});
    QCOMPARE(server.behaviour(), ServerBehaviour {});
    QCOMPARE(child<QSpinBox>(panel, "replyDelay")->text(), QStringLiteral("none"));
    QCOMPARE(child<QSpinBox>(panel, "fragmentSize")->text(), QStringLiteral("off"));
    QCOMPARE(child<QDoubleSpinBox>(panel, "pingInterval")->text(), QStringLiteral("never"));
    QCOMPARE(child<QSpinBox>(panel, "maxClients")->text(), QStringLiteral("no limit"));
    QCOMPARE(child<QSpinBox>(panel, "closeAfter")->text(), QStringLiteral("never"));
    QCOMPARE(child<QComboBox>(panel, "rejectStatus")->currentIndex(), 0);
}

void tst_ServerPanel::behaviourRefusesHandshakesThroughPanel()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    QTest::mouseClick(child<QToolButton>(*f.panel, "behaviourToggle"), Qt::LeftButton);
    typeInto(child<QWidget>(*f.panel, "maxClients"), QStringLiteral("1"));
    QVERIFY(f.panel->start());
    auto first = openClient(f.server.url());
    QVERIFY(first);

    // The second is refused with 503 and the log says so, with the reason.
    QWebSocket second;
    QSignalSpy failed(&f.server, &EmbeddedServer::handshakeFailed);
    second.open(f.server.url());
    QVERIFY(failed.wait(Timeout));
    const QString reason = QStringLiteral("rejected with 503 Service Unavailable: the server is full: 1 of 1 clients "
                                          "connected");
    QCOMPARE(failed.at(0).at(2).toString(), reason);
    f.log.flushPending();
    bool logged = false;
    for (int row = 0; row < f.log.rowCount(); ++row)
        logged = logged
            || (f.log.entry(row).event == ServerLogModel::Event::HandshakeFailed && f.log.entry(row).reason == reason);
    QVERIFY(logged);
    QCOMPARE(f.clientsView()->model()->rowCount(), 1);
}

void tst_ServerPanel::behaviourFitsNarrowDock()
{
    Fixture f;
    QTest::mouseClick(child<QToolButton>(*f.panel, "behaviourToggle"), Qt::LeftButton);
    QVERIFY2(
        f.panel->minimumSizeHint().width() <= 450, qPrintable(QString::number(f.panel->minimumSizeHint().width())));
    f.panel->resize(450, 760);
    QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
    // Every behaviour control is inside the panel, not clipped at its right edge.
    const QWidget *box = child<QWidget>(*f.panel, "behaviourBox");
    const QList<QWidget *> fields = box->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly);
    QVERIFY(fields.size() >= 12);
    for (const QWidget *w : fields) {
        if (!w->isVisible())
            continue;
        const QRect r(w->mapTo(f.panel.get(), QPoint(0, 0)), w->size());
        QVERIFY2(r.right() < f.panel->width() && r.left() >= 0,
            qPrintable(QStringLiteral("%1 at %2..%3").arg(w->objectName()).arg(r.left()).arg(r.right())));
        QVERIFY2(w->width() >= w->minimumSizeHint().width(), qPrintable(w->objectName()));
    }
}

void tst_ServerPanel::screenshots()
{
    // Pictures to inspect by eye, light and dark: a running server with clients, then an error.
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
            p.setColor(QPalette::Highlight, QColor(0x2a, 0x6f, 0xb0));
            p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
            for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
                p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
            f.panel->setPalette(p);
        }
        QVERIFY(QTest::qWaitForWindowExposed(f.panel.get()));
        QVERIFY(f.panel->start());
        QUrl url = f.server.url();
        url.setPath(QStringLiteral("/chat"));
        auto a = openClient(url);
        auto b = openClient(url);
        QVERIFY(a && b);
        a->sendTextMessage(QStringLiteral("hello\nworld"));
        b->sendBinaryMessage(QByteArray("\x00\x01\x02\xff", 4));
        f.server.ping(1, "are you there?");
        // Two connections, each message in and echoed, the ping and its pong.
        QTRY_COMPARE_WITH_TIMEOUT(f.log.rowCount(), 8, Timeout);
        f.clickRow(f.clientsView(), 0);
        const QString suffix = dark ? QStringLiteral("-dark") : QString();
        QVERIFY(f.panel->grab().save(QStringLiteral("/tmp/serverpanel-wide%1.png").arg(suffix)));
        // Docked at 450 px with the behaviour section open and a few settings made.
        {
            const QSize wide = f.panel->size();
            ServerBehaviour b;
            b.replyDelayMs = 250;
            b.fragmentSize = 16;
            b.pingIntervalMs = 5000;
            b.closeAfterMessages = 10;
            b.closeCode = 4000;
            b.closeReason = QStringLiteral("enough for today");
            b.subprotocols = { QStringLiteral("chat"), QStringLiteral("superchat") };
            b.allowedOrigins = { QStringLiteral("https://app.example") };
            b.maxClients = 8;
            f.panel->setBehaviour(b);
            f.panel->setBehaviourExpanded(true);
            f.panel->resize(450, 820);
            QCoreApplication::processEvents();
            QVERIFY(f.panel->grab().save(QStringLiteral("/tmp/serverpanel%1.png").arg(suffix)));
            // An edit that cannot be applied, shown in the section.
            typeInto(child<QWidget>(*f.panel, "allowedOrigins"), QStringLiteral("example.org"));
            QVERIFY(!f.panel->behaviourError().isEmpty());
            QVERIFY(f.panel->grab().save(QStringLiteral("/tmp/serverpanel-behaviour-error%1.png").arg(suffix)));
            f.panel->setBehaviourExpanded(false);
            f.panel->setBehaviour(ServerBehaviour {});
            f.panel->resize(wide);
        }
        // As a dock in the main window: narrow.
        const QSize size = f.panel->size();
        f.panel->resize(f.panel->minimumSizeHint().width(), 520);
        QVERIFY(f.panel->grab().save(QStringLiteral("/tmp/serverpanel-narrow%1.png").arg(suffix)));
        f.panel->resize(size);

        f.panel->stop();
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        child<QSpinBox>(*f.panel, "port")->setValue(occupier.serverPort());
        QVERIFY(!f.panel->start());
        QVERIFY(f.panel->grab().save(QStringLiteral("/tmp/serverpanel-error%1.png").arg(suffix)));
    }
}

QTEST_MAIN(tst_ServerPanel)
#include "tst_serverpanel.moc"
