// Scripts a short session in the real window and saves screenshots of it, for looking at the GUI
// and for the README:
//
//   build/dev/tests/wsi_screenshots docs/screenshots
//
// runs itself twice, on an offscreen screen of a laptop's size and of a monitor's (no display
// needed), and saves window-1366x768.png and window-1920x1080.png, the whole window after the
// session, each in the default layout for its screen; the 1920x1080 run also saves the README's
// close-ups (handshake.png, frame.png, ...). One run, on one size:
//
//   build/dev/tests/wsi_screenshots --size 1366x768 [--details] docs/screenshots
//
// Not a test: it asserts nothing; the window tests (tst_mainwindow, tst_mainwindowlayout) do that.

#include "send/closecontrols.h"
#include "send/interceptpane.h"
#include "inspect/connectionbar.h"
#include "inspect/connectionsettingsdialog.h"
#include "send/framecrafter.h"
#include "teach/framediagram.h"
#include "inspect/framehexview.h"
#include "teach/handshakewalkthroughview.h"
#include "teach/learnpanel.h"
#include "probe/conformancepanel.h"
#include "probe/conformancerunner.h"
#include "probe/probepanel.h"
#include "teach/timelineview.h"
#include "probe/proberunner.h"
#include "inspect/handshakepane.h"
#include "log/messagelogmodel.h"
#include "mainwindow.h"
#include "inspect/proxydialog.h"
#include "net/connectionmanager.h"
#include "inspect/relaydialog.h"
#include "inspect/replaydialog.h"
#include "log/capturefiles.h"
#include "net/relayserver.h"
#include "inspect/messagelogview.h"
#include "net/embeddedserver.h"
#include "inspect/payloadview.h"
#include "send/sendcomposer.h"

#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QDir>
#include <QPushButton>
#include <QFile>
#include <QJsonArray>
#include <QLineEdit>
#include <QTreeView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

namespace {
void settle(int ms = 300)
{
    QTest::qWait(ms); // let batches land and the window repaint before grabbing it
}

qsizetype findRow(MessageLogView *view, const QString &type, Direction direction, int nth = 0)
{
    QAbstractItemModel *model = view->table()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(MessageLogModel::TypeNameRole).toString() == type
            && index.data(MessageLogModel::DirectionRole).toInt() == int(direction) && nth-- == 0)
            return index.data(MessageLogModel::EventIndexRole).toLongLong();
    }
    return -1;
}

int fail(const char *why)
{
    std::fprintf(stderr, "wsi_screenshots: %s\n", why);
    return 1;
}

void save(QWidget *window, const QString &path)
{
    window->grab().save(path);
    std::printf("saved %s\n", qPrintable(path));
    std::fflush(stdout);
}

// Makes the offscreen platform start with one screen of `size` (its configfile option).
bool useOffscreenScreen(const QString &size, const QString &configPath)
{
    const QStringList parts = size.split(QLatin1Char('x'));
    const int width = parts.value(0).toInt();
    const int height = parts.value(1).toInt();
    if (parts.size() != 2 || width <= 0 || height <= 0)
        return false;
    const QJsonObject screen { { QStringLiteral("name"), QStringLiteral("screen") }, { QStringLiteral("x"), 0 },
        { QStringLiteral("y"), 0 }, { QStringLiteral("width"), width }, { QStringLiteral("height"), height },
        { QStringLiteral("logicalDpi"), 96 }, { QStringLiteral("logicalBaseDpi"), 96 },
        { QStringLiteral("dpr"), 1.0 } };
    QFile file(configPath);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QJsonDocument(QJsonObject { { QStringLiteral("screens"), QJsonArray { screen } } }).toJson());
    qputenv("QT_QPA_PLATFORM", QByteArray("offscreen:configfile=") + QFile::encodeName(configPath));
    return true;
}

// Both sizes, each in a process of its own: a screen's size is fixed when QApplication starts.
int runBothSizes(int argc, char *argv[], const QString &out)
{
    QCoreApplication app(argc, argv);
    const QList<QStringList> runs { { QStringLiteral("--size"), QStringLiteral("1366x768") },
        { QStringLiteral("--size"), QStringLiteral("1920x1080"), QStringLiteral("--details") } };
    for (const QStringList &run : runs) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(QCoreApplication::applicationFilePath(), run + QStringList { out });
        if (!child.waitForFinished(300'000) || child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
            return fail("a run failed");
    }
    return 0;
}
} // namespace

int main(int argc, char *argv[])
{
    QString size;
    QString out = QStringLiteral(".");
    bool details = false;
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        if (arg == QLatin1String("--size") && i + 1 < argc)
            size = QString::fromLocal8Bit(argv[++i]);
        else if (arg == QLatin1String("--details"))
            details = true;
        else
            out = arg;
    }
    if (size.isEmpty())
        return runBothSizes(argc, argv, out);
    QTemporaryDir dir;
    if (!useOffscreenScreen(size, dir.filePath(QStringLiteral("screen.json"))))
        return fail("--size takes WIDTHxHEIGHT, e.g. 1366x768");

    QApplication app(argc, argv);
    QDir().mkpath(out);
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    MainWindow w(&settings);
    w.startEmbeddedServer(0);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return fail("the window was never shown");

    w.server()->setMode(EmbeddedServer::Mode::Echo);
    ClientSession *session = w.openConnection(w.connectionBar()->options());
    if (!QTest::qWaitFor([session] { return session->readyState() == ReadyState::Open; }, 5000))
        return fail("the connection to the embedded server did not open");

    w.composer()->setMode(ComposerMode::Text);
    w.composer()->setInput(QStringLiteral("Hello, WebSocket!"));
    w.composer()->send();
    w.composer()->setMode(ComposerMode::Json);
    w.composer()->setInput(QStringLiteral("{\"type\":\"chat\",\"user\":\"ada\",\"text\":\"hi all\",\"tags\":[\"intro\",\"demo\"]}"));
    w.composer()->send();
    w.composer()->setMode(ComposerMode::Hex);
    w.composer()->setInput(QStringLiteral("00 01 02 03 fe ff"));
    w.composer()->send();
    session->ping("heartbeat");
    w.composer()->setMode(ComposerMode::Text);
    w.composer()->setFragmentSize(8);
    w.composer()->setInput(QStringLiteral("a message sent in fragments of 8 bytes"));
    w.composer()->send();
    w.composer()->setFragmentSize(0);
    w.composer()->setInput(QStringLiteral("{\"next\": \"message\"}"));
    settle(600);

    // 0: the whole window in the default layout for this screen: our masked text frame in the hex
    // view, and the embedded server's client where the docks are stacked.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Outgoing));
    w.detailTabs()->setCurrentWidget(w.hexView()->parentWidget());
    auto *send = w.findChild<QDockWidget *>(QStringLiteral("sendDock"));
    auto *server = w.findChild<QDockWidget *>(QStringLiteral("serverDock"));
    if (send && server && w.tabifiedDockWidgets(send).isEmpty())
        server->raise();
    settle();
    const QSize screen = w.screen()->size();
    save(&w, out + QStringLiteral("/window-%1x%2.png").arg(screen.width()).arg(screen.height()));
    if (!details)
        return 0;

    // 1: the handshake selected, with the Sec-WebSocket-Accept check.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("handshake"), Direction::Incoming));
    w.detailTabs()->setCurrentIndex(0); // Handshake
    settle();
    save(&w, out + QStringLiteral("/handshake.png"));

    // 2: our masked text frame in the annotated hex view.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Outgoing));
    w.detailTabs()->setCurrentWidget(w.hexView()->parentWidget());
    settle();
    save(&w, out + QStringLiteral("/frame.png"));

    // 3: the JSON echo as a tree.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Incoming, 1));
    w.detailTabs()->setCurrentWidget(w.payloadView());
    w.payloadView()->setCurrentTab(PayloadView::Tab::Tree);
    settle();
    save(&w, out + QStringLiteral("/payload-json.png"));

    // 4: the frame diagram of our masked text frame, with the Learn panel beside it.
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Outgoing));
    w.detailTabs()->setCurrentWidget(w.frameDiagram());
    w.learnPanel()->setTopic(QStringLiteral("masking"));
    if (auto *learn = w.findChild<QDockWidget *>(QStringLiteral("learnDock")))
        learn->raise();
    settle();
    save(&w, out + QStringLiteral("/diagram.png"));

    // 5: the handshake walk-through at the key step, its line selected in the request.
    w.detailTabs()->setCurrentWidget(w.walkthrough());
    const auto steps = w.walkthrough()->walkthrough().steps();
    for (int i = 0; i < steps.size(); ++i)
        if (steps[i].kind == WalkthroughStep::Kind::ComputeAccept)
            w.walkthrough()->setCurrentStep(i);
    settle();
    save(&w, out + QStringLiteral("/walkthrough.png"));

    // 6: the timeline.
    w.detailTabs()->setCurrentWidget(w.timelineView());
    settle();
    save(&w, out + QStringLiteral("/timeline.png"));

    // 7: the frame crafter with an invalid frame, and the probe report against the embedded server.
    FrameSpec rsv;
    rsv.rsv = Rsv::Rsv1;
    rsv.payload = "Hello";
    rsv.maskingKey = 0x37fa213d;
    w.crafter()->setSpec(rsv);
    if (auto *tabs = qobject_cast<QTabWidget *>(w.crafter()->parentWidget()->parentWidget()))
        tabs->setCurrentWidget(w.crafter());
    auto *conformanceDock = w.findChild<QDockWidget *>(QStringLiteral("conformanceDock"));
    if (conformanceDock)
        conformanceDock->raise();
    if (auto *tabs = qobject_cast<QTabWidget *>(w.probePanel()->parentWidget()->parentWidget()))
        tabs->setCurrentWidget(w.probePanel());
    settle();
    QSignalSpy probesDone(w.findChild<ProbeRunner *>(), &ProbeRunner::finished);
    w.probePanel()->setUrl(w.server()->url());
    w.probePanel()->start();
    probesDone.wait(120'000);
    settle();
    save(&w, out + QStringLiteral("/testing.png"));

    // 7b: the full conformance suite against the embedded server, a section opened.
    if (auto *tabs = qobject_cast<QTabWidget *>(w.conformancePanel()->parentWidget()->parentWidget()))
        tabs->setCurrentWidget(w.conformancePanel());
    QSignalSpy casesDone(w.findChild<ConformanceRunner *>(), &ConformanceRunner::finished);
    w.conformancePanel()->setUrl(w.server()->url());
    if (auto *patterns = w.conformancePanel()->findChild<QLineEdit *>(QStringLiteral("casePatterns")))
        patterns->setText(QStringLiteral("1.*, 2.*, 3.*, 4.*, 5.*, 6.4.*, 7.*, 10.*"));
    w.conformancePanel()->start();
    casesDone.wait(180'000);
    w.conformancePanel()->tree()->expand(w.conformancePanel()->tree()->model()->index(5, 0));
    settle();
    save(&w, out + QStringLiteral("/conformance.png"));

    // 8: after a close with a chosen code.
    w.closeControls()->setCode(4000);
    w.closeControls()->setReason(QStringLiteral("bye for now"));
    w.closeControls()->requestClose();
    if (!QTest::qWaitFor([session] { return session->readyState() == ReadyState::Closed; }, 5000))
        return fail("the connection did not close");
    settle();
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("close"), Direction::Incoming));
    settle();
    save(&w, out + QStringLiteral("/closed.png"));

    // 9: a relay to the embedded server, a program's connection through it, both legs in the log.
    RelayDialog *dialog = w.relayDialog();
    dialog->setTarget(w.server()->url());
    dialog->setPort(0);
    dialog->show();
    settle();
    dialog->grab().save(out + QStringLiteral("/relay-dialog.png"));
    dialog->hide();
    QString relayError;
    RelayOptions relayOptions;
    relayOptions.to = w.server()->url();
    relayOptions.interceptable = true;
    RelayServer *relay = w.startRelay(relayOptions, QHostAddress(QHostAddress::LocalHost), 0, &relayError);
    if (!relay)
        return fail("the relay did not start");
    ClientConnection program(1000);
    ConnectionOptions through;
    through.url = relay->url().resolved(QUrl(QStringLiteral("chat?room=1")));
    program.open(through);
    if (!QTest::qWaitFor([&program] { return program.readyState() == ReadyState::Open; }, 5000))
        return fail("the connection through the relay did not open");
    program.sendText("through the relay");
    program.sendText("{\"type\":\"chat\",\"text\":\"hi\"}");
    program.ping("keepalive");
    settle(600);
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Incoming));
    w.detailTabs()->setCurrentWidget(w.payloadView());
    settle();
    save(&w, out + QStringLiteral("/relay.png"));
    w.detailTabs()->setCurrentWidget(w.timelineView());
    settle();
    save(&w, out + QStringLiteral("/relay-timeline.png"));

    // 9b: the Intercept pane holding the program's next messages on their way to the server.
    auto *interceptDock = w.findChild<QDockWidget *>(QStringLiteral("interceptDock"));
    if (!interceptDock)
        return fail("no Intercept dock");
    interceptDock->show();
    interceptDock->raise();
    if (auto *toServer = w.interceptPane()->findChild<QCheckBox *>(QStringLiteral("interceptToServer")))
        toServer->setChecked(true);
    settle();
    program.sendText("{\"type\":\"chat\",\"text\":\"held for you\"}");
    program.sendText("second message");
    settle(600);
    save(&w, out + QStringLiteral("/intercept.png"));
    w.interceptPane()->forwardAll();
    settle();

    // 11: a connection run by Qt's QWebSocket: its frames beside the signals it emitted.
    ConnectionOptions qtOptions = w.connectionBar()->options();
    qtOptions.url = w.server()->url();
    qtOptions.engine = ConnectionOptions::Engine::Qt;
    ClientSession *qt = w.openConnection(qtOptions);
    if (!QTest::qWaitFor([qt] { return qt->readyState() == ReadyState::Open; }, 5000))
        return fail("the QWebSocket connection did not open");
    qt->sendText("Hello from QWebSocket");
    qt->ping("are you there?");
    settle(400);
    qt->close(1000, "done");
    if (!QTest::qWaitFor([qt] { return qt->readyState() == ReadyState::Closed; }, 5000))
        return fail("the QWebSocket connection did not close");
    settle(600);
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Incoming));
    w.detailTabs()->setCurrentWidget(w.payloadView());
    settle();
    save(&w, out + QStringLiteral("/qt-engine.png"));
    w.detailTabs()->setCurrentWidget(w.timelineView());
    settle();
    save(&w, out + QStringLiteral("/qt-engine-timeline.png"));

    // 12: Socket.IO packets, found from the URL: the Message column, the decoded tree, the pairs.
    // The echo server sends each packet back, so both directions have them.
    ConnectionOptions socketIoOptions = w.connectionBar()->options();
    socketIoOptions.url = w.server()->url().resolved(QUrl(QStringLiteral("/socket.io/?EIO=4&transport=websocket")));
    socketIoOptions.engine = ConnectionOptions::Engine::Inspector;
    ClientSession *sio = w.openConnection(socketIoOptions);
    if (!QTest::qWaitFor([sio] { return sio->readyState() == ReadyState::Open; }, 5000))
        return fail("the Socket.IO-looking connection did not open");
    for (const char *packet : { "40", R"(42["chat message","hello from the inspector"])", R"(421["ping with ack",{"n":1}])",
                                R"(431["pong"])", R"(42/admin,["stats"])", "2", "3" })
        sio->sendText(packet);
    settle(600);
    w.logView()->selectEvent(findRow(w.logView(), QStringLiteral("text"), Direction::Incoming, 2));
    w.detailTabs()->setCurrentWidget(w.payloadView());
    w.payloadView()->setCurrentTab(PayloadView::Tab::Decoded);
    settle();
    save(&w, out + QStringLiteral("/socketio.png"));
    w.detailTabs()->setCurrentWidget(w.timelineView());
    settle();
    save(&w, out + QStringLiteral("/socketio-timeline.png"));

    // 10: the proxy dialog, with a certificate authority of its own (not the user's).
    QTemporaryDir authorityDir;
    w.connections()->setCertificateAuthorityDirectory(authorityDir.filePath(QStringLiteral("ca")));
    ProxyDialog *proxyDialog = w.proxyDialog();
    proxyDialog->setNoIntercept(QStringLiteral("*.bank.example"));
    proxyDialog->show();
    settle();
    proxyDialog->grab().save(out + QStringLiteral("/proxy-dialog.png"));
    proxyDialog->hide();

    // 11: the connection bar's settings: a proxy with a user, a client certificate, keep-alive and
    // reconnecting (the files need not exist for the picture).
    ConnectionExtras extras;
    extras.proxySource = ProxySetting::Source::Fixed;
    extras.proxyUrl = QStringLiteral("http://proxy.corp.example:3128");
    extras.proxyUser = QStringLiteral("alice");
    extras.proxyPassword = QStringLiteral("secret");
    extras.certFile = QStringLiteral("/home/alice/certs/alice.p12");
    extras.keepAliveSeconds = 30;
    extras.reconnect = true;
    extras.reconnectPolicy.maxAttempts = 5;
    ConnectionSettingsDialog settingsDialog(extras, QUrl(QStringLiteral("wss://echo.example/")), &w);
    settingsDialog.show();
    settle();
    settingsDialog.grab().save(out + QStringLiteral("/connection-settings.png"));
    settingsDialog.hide();

    // 12: a conversation recorded here and replayed to a server that now closes after two answers.
    ConnectionOptions recordOptions;
    recordOptions.url = w.server()->url();
    ClientSession *recorded = w.openConnection(recordOptions);
    if (!QTest::qWaitFor([&] { return recorded->readyState() == ReadyState::Open; }, 5000))
        return fail("the recording did not open");
    for (const char *text : { "subscribe prices", "{\"op\":\"quote\",\"symbol\":\"ACME\"}", "unsubscribe prices" })
        recorded->sendText(text);
    if (!QTest::qWaitFor([&] { return recorded->stats().in.messages == 3; }, 5000))
        return fail("the recording got no answers");
    recorded->close(1000);
    if (!QTest::qWaitFor([&] { return recorded->readyState() == ReadyState::Closed; }, 5000))
        return fail("the recording did not close");
    const QString recordingPath = authorityDir.filePath(QStringLiteral("recorded.jsonl"));
    QString saveError;
    if (!CaptureFiles::save(recordingPath, *recorded->capture(), {}, &saveError))
        return fail("the recording could not be saved");
    ServerBehaviour closesEarly;
    closesEarly.closeAfterMessages = 2;
    w.server()->setBehaviour(closesEarly);
    ReplayDialog *replay = w.replayDialog();
    replay->setRecording(recordingPath);
    replay->setTarget(w.server()->url());
    replay->show();
    QSignalSpy replayed(replay, &ReplayDialog::replayFinished);
    replay->findChild<QPushButton *>(QStringLiteral("replay"))->click();
    if (!replayed.wait(15'000))
        return fail("the replay did not finish");
    settle();
    replay->grab().save(out + QStringLiteral("/replay.png"));
    replay->hide();
    w.server()->setBehaviour(ServerBehaviour());
    return 0;
}
